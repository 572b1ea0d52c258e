/**
 * The manager PIN's rules, named once for the main process and the screens.
 *
 * A new PIN (the first one, or a change) is 6 to 8 digits: with the lockout's five guesses a day
 * in the long run, a million PINs hold for centuries, where ten thousand fell within a week.
 * A PIN typed to unlock may still be 4 or 5 digits: tills set up before this rule keep working,
 * but such a PIN must be changed before anything else is done (`pin_change_required`).
 */
export const NEW_PIN_PATTERN = /^[0-9]{6,8}$/;
export const PIN_ENTRY_PATTERN = /^[0-9]{4,8}$/;
export const NEW_PIN_MIN_DIGITS = 6;
export const PIN_MAX_DIGITS = 8;

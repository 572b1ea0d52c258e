import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useTimeLeft } from '../common/countdown';
import { hongKongEndTime } from '../../../shared/hkTime';
import { commandError } from '../../../shared/i18n/commandErrors';
import type { Language, PosApi } from '../../../shared/ipc/contract';
import { NEW_PIN_PATTERN, PIN_MAX_DIGITS } from '../../../shared/settings/managerPinRules';
import { waitWords } from './waitWords';

/** The owner's way back from a lock or a forgotten PIN (docs/cli.md), on the till's own computer. */
export const PIN_RESET_COMMAND = 'npm run cli -- pin reset --confirm';

/** A lock from wrong PINs as the till said it: when it ends, and the till's time when it said so. */
type Lock = { readonly retryAt: number; readonly serverNow: number };

/** The lock's end in Hong Kong time, with its date when that is not the till's today (a long lock). */

/**
 * Nothing of the manager's screen is shown, or asked of the main process, until the PIN is right.
 * Three forms: the PIN to unlock; the first PIN of a till that has none; and a new PIN when the
 * one that unlocked is from before the six-digit rule (the main process refuses anything else
 * until then, so the screen asks for it before showing anything).
 *
 * The till is asked first (managerGate) which to show: a till with no PIN shows the set-up form
 * at once, not an Unlock that throws away what was typed. A lock from wrong PINs shows a live
 * countdown, says that the right PIN is refused too until then, and names the owner's way back.
 */
type Step = 'unlock' | 'first' | 'change';

export function PinGate({ api, language, onUnlocked }: { api: PosApi<'cashier'>; language: Language; onUnlocked: () => void }) {
  const { t } = useTranslation();
  const [pin, setPin] = useState('');
  const [repeat, setRepeat] = useState('');
  const [step, setStep] = useState<Step>('unlock');
  const settingUp = step !== 'unlock';
  const [message, setMessage] = useState<string | null>(null);
  const [lock, setLock] = useState<Lock | null>(null);
  const [lockOver, setLockOver] = useState(false);
  // Until the till says whether a PIN is set, no form: a wrong one would be typed into.
  const [ready, setReady] = useState(false);
  const pinInput = useRef<HTMLInputElement>(null);
  const lockLeft = useTimeLeft(lock?.retryAt, lock?.serverNow);
  const locked = lock !== null && lockLeft !== undefined && lockLeft > 0;

  useEffect(() => {
    let live = true;
    void api.commands.managerGate({}).then((gate) => {
      if (!live) return;
      if (gate.ok && !gate.value.pinSet) setStep('first');
      if (gate.ok && gate.value.locked) setLock({ retryAt: gate.value.locked.retryAt, serverNow: gate.value.locked.retryAt - gate.value.locked.retryInMs });
      setReady(true);
    });
    return () => {
      live = false;
    };
  }, [api]);

  // The countdown reached zero: the lock box goes, and says the PIN may be tried again.
  useEffect(() => {
    if (lock !== null && lockLeft === 0) {
      setLock(null);
      setMessage(null);
      setLockOver(true);
      pinInput.current?.focus();
    }
  }, [lock, lockLeft]);

  // Switched to setting a PIN: the cursor goes to the new PIN, under the words saying so.
  useEffect(() => {
    if (settingUp) pinInput.current?.focus();
  }, [settingUp]);

  async function unlock(event: FormEvent) {
    event.preventDefault();
    if (settingUp) {
      if (!NEW_PIN_PATTERN.test(pin)) return setMessage(commandError('pin_invalid').message[language]);
      if (pin !== repeat) return setMessage(t('manager.pinsDiffer'));
      const set = await api.commands.managerSetPin({ pin });
      if (!set.ok) return setMessage(set.error.message[language]);
      // Changed while unlocked by the old PIN: the manager is in already.
      if (step === 'change') return onUnlocked();
    } else if (pin === '') {
      return setMessage(t('manager.enterPin'));
    }
    const result = await api.commands.managerUnlock({ pin });
    setPin('');
    setRepeat('');
    setLockOver(false);
    if (result.ok && result.value.mustChangePin) {
      setStep('change');
      return setMessage(null);
    }
    if (result.ok) return onUnlocked();
    if (result.error.code === 'pin_not_set') {
      setStep('first');
      return setMessage(null);
    }
    const { retryAt, retryInMs } = result.error.details ?? {};
    if (result.error.code === 'pin_locked' && typeof retryAt === 'number' && typeof retryInMs === 'number') {
      setLock({ retryAt, serverNow: retryAt - retryInMs });
      setMessage(null);
      return pinInput.current?.focus();
    }
    setLock(null);
    const triesLeft = result.error.details?.triesLeft;
    setMessage(`${result.error.message[language]}${typeof triesLeft === 'number' ? ` ${t('manager.triesLeft', { count: triesLeft })}` : ''}`);
    pinInput.current?.focus();
  }

  if (!ready) return <p className="pin-gate" aria-busy="true" />;

  return (
    <form className="pin-gate" onSubmit={(event) => void unlock(event)}>
      <h2 id="pin-gate-title">{step === 'first' ? t('manager.setPinTitle') : step === 'change' ? t('manager.changePinTitle') : t('manager.pin')}</h2>
      {settingUp && (
        <p className="hint" id="pin-setup-explain">
          {step === 'first' ? t('manager.setPinExplain') : t('manager.changePinExplain')}
        </p>
      )}
      {locked && lock && (
        // Said once when it appears; the countdown inside ticks without being read out each second.
        <div className="notice warning pin-locked" role="alert" id="pin-locked" data-testid="pin-locked">
          <p>
            <strong>{t('manager.pinLockedTitle')}</strong>
          </p>
          <p data-testid="pin-lock-countdown" aria-live="off">{t('manager.pinLockedCountdown', { wait: waitWords(t, lockLeft ?? 0), at: hongKongEndTime(lock.retryAt, lock.serverNow) })}</p>
          <p>{t('manager.pinLockedRightRefused')}</p>
          <p>
            {t('manager.pinLockedOwner')} <code>{PIN_RESET_COMMAND}</code>
          </p>
          <p>{t('manager.pinLockedOwnerAfter')}</p>
        </div>
      )}
      <label>
        {settingUp ? t('manager.newPin') : t('manager.pin')}
        <input
          ref={pinInput}
          type="password"
          inputMode="numeric"
          autoComplete="off"
          maxLength={PIN_MAX_DIGITS}
          value={pin}
          onChange={(event) => setPin(event.target.value)}
          aria-describedby={settingUp ? 'pin-rule pin-problem' : locked ? 'pin-locked pin-problem' : 'pin-problem'}
          autoFocus
        />
      </label>
      {settingUp && (
        <>
          <p className="hint" id="pin-rule">
            {t('manager.pinRule')}
          </p>
          <label>
            {t('manager.repeatPin')}
            <input type="password" inputMode="numeric" autoComplete="off" maxLength={PIN_MAX_DIGITS} value={repeat} onChange={(event) => setRepeat(event.target.value)} aria-describedby="pin-problem" />
          </label>
        </>
      )}
      <p className="problem" role="alert" id="pin-problem">
        {lockOver && !message ? t('manager.pinLockOver') : message}
      </p>
      <button type="submit" className="primary">
        {step === 'first' ? t('manager.setPinAndUnlock') : step === 'change' ? t('manager.changePinAndContinue') : t('manager.unlock')}
      </button>
    </form>
  );
}

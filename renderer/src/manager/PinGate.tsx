import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { commandError } from '../../../shared/i18n/commandErrors';
import type { Language, PosApi } from '../../../shared/ipc/contract';
import { NEW_PIN_PATTERN, PIN_MAX_DIGITS } from '../../../shared/settings/managerPinRules';

/**
 * Nothing of the manager's screen is shown, or asked of the main process, until the PIN is right.
 * Three forms: the PIN to unlock; the first PIN of a till that has none; and a new PIN when the
 * one that unlocked is from before the six-digit rule (the main process refuses anything else
 * until then, so the screen asks for it before showing anything).
 */
type Step = 'unlock' | 'first' | 'change';

export function PinGate({ api, language, onUnlocked }: { api: PosApi<'cashier'>; language: Language; onUnlocked: () => void }) {
  const { t } = useTranslation();
  const [pin, setPin] = useState('');
  const [repeat, setRepeat] = useState('');
  const [step, setStep] = useState<Step>('unlock');
  const settingUp = step !== 'unlock';
  const [message, setMessage] = useState<string | null>(null);
  const pinInput = useRef<HTMLInputElement>(null);

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
    if (result.ok && result.value.mustChangePin) {
      setStep('change');
      return setMessage(null);
    }
    if (result.ok) return onUnlocked();
    if (result.error.code === 'pin_not_set') {
      setStep('first');
      return setMessage(null);
    }
    const triesLeft = result.error.details?.triesLeft;
    setMessage(`${result.error.message[language]}${typeof triesLeft === 'number' ? ` ${t('manager.triesLeft', { count: triesLeft })}` : ''}`);
    pinInput.current?.focus();
  }

  return (
    <form className="pin-gate" onSubmit={(event) => void unlock(event)}>
      <h2 id="pin-gate-title">{step === 'first' ? t('manager.setPinTitle') : step === 'change' ? t('manager.changePinTitle') : t('manager.pin')}</h2>
      {settingUp && (
        <p className="hint" id="pin-setup-explain">
          {step === 'first' ? t('manager.setPinExplain') : t('manager.changePinExplain')}
        </p>
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
          aria-describedby={settingUp ? 'pin-rule pin-problem' : 'pin-problem'}
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
        {message}
      </p>
      <button type="submit" className="primary">
        {step === 'first' ? t('manager.setPinAndUnlock') : step === 'change' ? t('manager.changePinAndContinue') : t('manager.unlock')}
      </button>
    </form>
  );
}

import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { commandError } from '../../../shared/i18n/commandErrors';
import type { Language, PosApi } from '../../../shared/ipc/contract';

/** The rule the main process applies; checked here first so a short PIN is named before anything is sent. */
export const PIN_RULE = /^[0-9]{4,8}$/;

/** Nothing of the manager's screen is shown, or asked of the main process, until the PIN is right. */
export function PinGate({ api, language, onUnlocked }: { api: PosApi<'cashier'>; language: Language; onUnlocked: () => void }) {
  const { t } = useTranslation();
  const [pin, setPin] = useState('');
  const [repeat, setRepeat] = useState('');
  const [settingUp, setSettingUp] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const pinInput = useRef<HTMLInputElement>(null);

  // Switched to setting a PIN: the cursor goes to the new PIN, under the words saying so.
  useEffect(() => {
    if (settingUp) pinInput.current?.focus();
  }, [settingUp]);

  async function unlock(event: FormEvent) {
    event.preventDefault();
    if (settingUp) {
      if (!PIN_RULE.test(pin)) return setMessage(commandError('pin_invalid').message[language]);
      if (pin !== repeat) return setMessage(t('manager.pinsDiffer'));
      const set = await api.commands.managerSetPin({ pin });
      if (!set.ok) return setMessage(set.error.message[language]);
    } else if (pin === '') {
      return setMessage(t('manager.enterPin'));
    }
    const result = await api.commands.managerUnlock({ pin });
    setPin('');
    setRepeat('');
    if (result.ok) return onUnlocked();
    if (result.error.code === 'pin_not_set') {
      setSettingUp(true);
      return setMessage(null);
    }
    const triesLeft = result.error.details?.triesLeft;
    setMessage(`${result.error.message[language]}${typeof triesLeft === 'number' ? ` ${t('manager.triesLeft', { count: triesLeft })}` : ''}`);
    pinInput.current?.focus();
  }

  return (
    <form className="pin-gate" onSubmit={(event) => void unlock(event)}>
      <h2 id="pin-gate-title">{settingUp ? t('manager.setPinTitle') : t('manager.pin')}</h2>
      {settingUp && (
        <p className="hint" id="pin-setup-explain">
          {t('manager.setPinExplain')}
        </p>
      )}
      <label>
        {settingUp ? t('manager.newPin') : t('manager.pin')}
        <input
          ref={pinInput}
          type="password"
          inputMode="numeric"
          autoComplete="off"
          maxLength={8}
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
            <input type="password" inputMode="numeric" autoComplete="off" maxLength={8} value={repeat} onChange={(event) => setRepeat(event.target.value)} aria-describedby="pin-problem" />
          </label>
        </>
      )}
      <p className="problem" role="alert" id="pin-problem">
        {message}
      </p>
      <button type="submit" className="primary">
        {settingUp ? t('manager.setPinAndUnlock') : t('manager.unlock')}
      </button>
    </form>
  );
}

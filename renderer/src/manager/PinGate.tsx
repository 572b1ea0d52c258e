import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language, PosApi } from '../../../shared/ipc/contract';

/** Nothing of the manager's screen is shown, or asked of the main process, until the PIN is right. */
export function PinGate({ api, language, onUnlocked }: { api: PosApi<'cashier'>; language: Language; onUnlocked: () => void }) {
  const { t } = useTranslation();
  const [pin, setPin] = useState('');
  const [repeat, setRepeat] = useState('');
  const [settingUp, setSettingUp] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  async function unlock(event: FormEvent) {
    event.preventDefault();
    if (settingUp) {
      if (pin !== repeat) return setMessage(t('manager.pinsDiffer'));
      const set = await api.commands.managerSetPin({ pin });
      if (!set.ok) return setMessage(set.error.message[language]);
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
  }

  return (
    <form className="pin-gate" onSubmit={(event) => void unlock(event)}>
      <h2>{settingUp ? t('manager.setPinTitle') : t('manager.pin')}</h2>
      <label>
        {settingUp ? t('manager.newPin') : t('manager.pin')}
        <input type="password" inputMode="numeric" autoComplete="off" maxLength={8} value={pin} onChange={(event) => setPin(event.target.value)} autoFocus />
      </label>
      {settingUp && (
        <label>
          {t('manager.repeatPin')}
          <input type="password" inputMode="numeric" autoComplete="off" maxLength={8} value={repeat} onChange={(event) => setRepeat(event.target.value)} />
        </label>
      )}
      <p className="problem" role="alert">
        {message}
      </p>
      <button type="submit" className="primary">
        {t('manager.unlock')}
      </button>
    </form>
  );
}

import { useTranslation } from 'react-i18next';
import { AMOUNT_KEYS, type AmountKey } from './amountEntry';

/** The on-screen keypad. Buttons do not take focus away from the keyboard flow. */
export function Keypad({ onKey, disabled }: { onKey: (key: AmountKey) => void; disabled?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="keypad" role="group" aria-label={t('keypad')}>
      {AMOUNT_KEYS.map((key) => (
        <button
          key={key}
          type="button"
          className={key === 'backspace' ? 'key key-backspace' : 'key'}
          disabled={disabled}
          aria-label={key === 'backspace' ? t('backspace') : key}
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => onKey(key)}
        >
          {key === 'backspace' ? '⌫' : key}
        </button>
      ))}
    </div>
  );
}

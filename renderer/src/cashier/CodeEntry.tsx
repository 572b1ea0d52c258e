import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The customer's code typed by hand, or read by a scanner too slow to be told from a person (F7).
 * Drawn as dots, since the code is a bearer credential never shown in full on the till; but not a
 * password field, which a browser would offer to save in its password manager. Its words sit on
 * one line above the field and its Close button, so that at 1024x768 it leaves the sale's status
 * and slip room below it.
 */
export function CodeEntry({ onCode, onClose }: { onCode: (code: string) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const id = useId();
  return (
    <form
      className="code-entry"
      onSubmit={(event) => {
        event.preventDefault();
        setText('');
        onCode(text);
      }}
    >
      <label htmlFor={id}>{t('scan.label')}</label>
      <input
        id={id}
        type="text"
        className="masked"
        autoComplete="off"
        autoCorrect="off"
        spellCheck={false}
        inputMode="numeric"
        autoFocus
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') onClose();
        }}
      />
      <button type="button" onClick={onClose}>
        {t('scan.close')}
      </button>
    </form>
  );
}

import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isValidDay } from '../../../shared/hkTime';
import type { DisplayLocale } from '../../../shared/money';

/** "Monday, 7 December 2026" / "2026年12月7日星期一": a day (YYYY-MM-DD) in the manager's language. */
export function dayInWords(day: string, language: DisplayLocale): string {
  if (!isValidDay(day)) return day;
  // Noon UTC of that date, read in UTC: the calendar day as typed, whatever the machine's zone.
  return new Intl.DateTimeFormat(language === 'en' ? 'en-HK' : 'zh-HK', { dateStyle: 'full', timeZone: 'UTC' }).format(new Date(`${day}T12:00:00Z`));
}

/**
 * The business day to show, written YYYY-MM-DD as every heading and report of the manager's screen
 * writes it. An <input type="date"> cannot be made to: Chromium (and so Electron) draws its text in
 * the browser's or the operating system's locale, whatever the page's or the field's lang says
 * (12/04/2026 on an en-US machine, month first, which a Hong Kong manager reads as 12 April). So
 * the field the manager reads and types in is a plain text field in YYYY-MM-DD, and the browser's
 * own calendar is kept behind the Calendar button (an unseen date field whose picker it opens): what
 * is picked there comes back into the text field as YYYY-MM-DD. The day in words beside it says
 * which day it is, in the screen's language.
 */
export function DayPicker(props: { day: string; language: DisplayLocale; onDay: (day: string) => void }) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState(props.day);
  useEffect(() => setTyped(props.day), [props.day]);
  const calendar = useRef<HTMLInputElement>(null);
  // Half-typed days stay in the field; the day shown changes once the field holds a whole one.
  const take = (value: string) => {
    setTyped(value);
    if (isValidDay(value)) props.onDay(value);
  };
  const whole = isValidDay(typed);
  return (
    <span className="day-picker">
      <label>
        {t('manager.date')}
        <input
          type="text"
          className="day-field"
          inputMode="numeric"
          autoComplete="off"
          spellCheck={false}
          maxLength={10}
          placeholder={t('manager.dayFormat')}
          value={typed}
          aria-invalid={!whole || undefined}
          aria-describedby="day-in-words"
          onChange={(event) => take(event.target.value.trim())}
          onBlur={() => !whole && setTyped(props.day)}
        />
      </label>
      <button type="button" className="calendar-button" onClick={() => calendar.current?.showPicker?.()}>
        {t('manager.calendar')}
      </button>
      <input ref={calendar} type="date" className="calendar-source" tabIndex={-1} aria-hidden="true" value={props.day} onChange={(event) => event.target.value && take(event.target.value)} />
      <span className="day-in-words" id="day-in-words" data-testid="day-in-words">
        {whole ? dayInWords(typed, props.language) : t('manager.dayFormatHint')}
      </span>
    </span>
  );
}

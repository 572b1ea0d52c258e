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
 * The business day to show. The browser draws the date field in its own locale (12/07/2026 in
 * an en-US browser, month first), which a Hong Kong manager reads as 12 July; the day in words
 * beside it says which day it is, in the screen's language.
 */
export function DayPicker(props: { day: string; language: DisplayLocale; onDay: (day: string) => void }) {
  const { t } = useTranslation();
  return (
    <label className="day-picker">
      {t('manager.date')}
      <input type="date" value={props.day} onChange={(event) => event.target.value && props.onDay(event.target.value)} />
      <span className="day-in-words" data-testid="day-in-words">
        {dayInWords(props.day, props.language)}
      </span>
    </label>
  );
}

// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setUpI18n } from '../../renderer/src/common/i18n';
import { DayPicker, dayInWords } from '../../renderer/src/manager/DayPicker';

setUpI18n('en');
afterEach(cleanup);

describe('the business day beside the date field', () => {
  it('says the day in words, day before month, in either language', () => {
    expect(dayInWords('2026-12-07', 'en')).toBe('Monday, 7 December 2026');
    expect(dayInWords('2026-12-07', 'zh-HK')).toBe('2026年12月7日星期一');
    // The calendar day as chosen, not shifted by the machine's zone at either end of the day.
    expect(dayInWords('2027-01-01', 'en')).toBe('Friday, 1 January 2027');
    expect(dayInWords('not a day', 'en')).toBe('not a day');
  });

  it('follows the field as the manager changes it', () => {
    let day = '2026-12-07';
    const { rerender } = render(<DayPicker day={day} language="en" onDay={(next) => (day = next)} />);
    expect(screen.getByTestId('day-in-words').textContent).toBe('Monday, 7 December 2026');
    fireEvent.change(screen.getByLabelText(/Business day/), { target: { value: '2026-11-30' } });
    expect(day).toBe('2026-11-30');
    rerender(<DayPicker day={day} language="zh-HK" onDay={(next) => (day = next)} />);
    expect(screen.getByTestId('day-in-words').textContent).toBe('2026年11月30日星期一');
  });

  it('is written YYYY-MM-DD, as the headings write it, whatever the browser locale; a half-typed day changes nothing', () => {
    const days: string[] = [];
    render(<DayPicker day="2026-12-04" language="en" onDay={(next) => days.push(next)} />);
    const field = screen.getByLabelText('Business day') as HTMLInputElement;
    // A text field: an <input type="date"> would draw 12/04/2026 in an en-US browser.
    expect(field.type).toBe('text');
    expect(field.value).toBe('2026-12-04');
    fireEvent.change(field, { target: { value: '2026-12-0' } });
    expect(days).toEqual([]);
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByTestId('day-in-words').textContent).toBe('Type the day as year-month-day, e.g. 2026-12-04.');
    fireEvent.change(field, { target: { value: '2026-12-05' } });
    expect(days).toEqual(['2026-12-05']);
    // The browser's calendar, behind its button, hands back the same format.
    fireEvent.change(document.querySelector('.calendar-source')!, { target: { value: '2026-11-30' } });
    expect(days).toEqual(['2026-12-05', '2026-11-30']);
    // Left half-typed, the field goes back to the day shown.
    fireEvent.change(field, { target: { value: '2026-1' } });
    fireEvent.blur(field);
    expect(field.value).toBe('2026-12-04');
  });
});

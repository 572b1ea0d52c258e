import { describe, expect, it } from 'vitest';
import { ENTER_WITHIN_MS, feedKey, settle, type ScanState, type ScanStep } from '../../renderer/src/cashier/scanBurst';

/** Feeds keys at the given gaps, applying 'amount' steps the way the cashier screen does (append a digit or the point). */
function type(keys: readonly string[], gapMs: number, start = { amount: '', at: 1_000 }) {
  let state: ScanState = null;
  let amount = start.amount;
  let at = start.at;
  const steps: ScanStep[] = [];
  for (const key of keys) {
    const step = feedKey(state, key, at, amount);
    steps.push(step);
    state = step.state;
    if (step.kind === 'amount' && /^[0-9.]$/.test(key)) amount += key;
    else if (step.kind !== 'amount') amount = step.amount;
    at += gapMs;
  }
  return { steps, amount, state, at };
}

const CODE = '134567890123456789'; // 18 digits, as a WeChat Pay code
const keysOf = (text: string) => [...text];

describe('a scanner told from a person', () => {
  it('a person typing the amount is never taken for a scanner', () => {
    const { steps, amount } = type(keysOf('128.50'), 90);
    expect(steps.every((step) => step.kind === 'amount')).toBe(true);
    expect(amount).toBe('128.50');
    // Enter after a person's digits is the person's Enter: charge.
    expect(feedKey({ digits: '0', lastAt: 1_000, amountBefore: '128.5', fastRun: 1, scan: false }, 'Enter', 1_050, '128.50').kind).toBe('amount');
  });

  it('two keys rolled fast by a person stay the amount', () => {
    const { steps, amount } = type(['1', '2'], 20);
    expect(steps.map((step) => step.kind)).toEqual(['amount', 'amount']);
    expect(amount).toBe('12');
  });

  it('a code at scanner speed on an idle counter gives the whole code and an untouched amount', () => {
    const { steps, amount } = type([...keysOf(CODE), 'Enter'], 8);
    const last = steps.at(-1);
    expect(last).toEqual({ kind: 'scanned', state: null, code: CODE, amount: '' });
    expect(amount).toBe('');
  });

  it('a code scanned while an amount is half-typed keeps the amount and the code apart', () => {
    const typed = type(keysOf('42'), 120);
    const scan = type([...keysOf(CODE), 'Enter'], 6, { amount: typed.amount, at: typed.at + 2_000 });
    expect(scan.steps.at(-1)).toEqual({ kind: 'scanned', state: null, code: CODE, amount: '42' });
    // While the scan ran, the amount shown went back to 42 as soon as the burst looked like a scan.
    expect(scan.steps.slice(3, -1).every((step) => step.kind === 'scanning' && step.amount === '42')).toBe(true);
  });

  it('never hands over half a code', () => {
    // The scanner stops mid-code: no Enter comes.
    const half = type(keysOf(CODE.slice(0, 9)), 8);
    expect(half.steps.at(-1)?.kind).toBe('scanning');
    expect(settle(half.state, half.at + ENTER_WITHIN_MS + 1)).toEqual({ kind: 'misread', state: null, amount: '' });
    expect(settle(half.state, half.at - 8 + ENTER_WITHIN_MS - 1)).toBeNull();
    // Enter comes too late to belong to the scan.
    expect(feedKey(half.state, 'Enter', half.at + 1_000, '')).toEqual({ kind: 'misread', state: null, amount: '' });
    // Enter right after nine digits: too short for a payment code.
    expect(type([...keysOf(CODE.slice(0, 9)), 'Enter'], 8).steps.at(-1)).toEqual({ kind: 'misread', state: null, amount: '' });
    // Another key in the middle of a scan ends it unfinished.
    expect(type([...keysOf(CODE.slice(0, 9)), 'F2'], 8).steps.at(-1)?.kind).toBe('misread');
  });

  it('refuses a barcode too long to be a payment code (QFPay takes 128 characters at most)', () => {
    expect(type([...keysOf('7'.repeat(129)), 'Enter'], 5).steps.at(-1)?.kind).toBe('misread');
    expect(type([...keysOf('7'.repeat(128)), 'Enter'], 5).steps.at(-1)?.kind).toBe('scanned');
  });

  it('takes letters as part of a code (a wallet whose format QFPay does not publish)', () => {
    expect(type([...keysOf('PM12AB34CD56EF'), 'Enter'], 5).steps.at(-1)).toEqual({ kind: 'scanned', state: null, code: 'PM12AB34CD56EF', amount: '' });
  });

  it('a pause longer than a scanner’s starts a new chain', () => {
    const first = type(keysOf('123'), 10);
    const later = feedKey(first.state, '4', first.at - 10 + 200, first.amount);
    expect(later).toEqual({ kind: 'amount', state: { digits: '4', lastAt: first.at - 10 + 200, amountBefore: '123', fastRun: 1, scan: false } });
  });

  it('a scan whose first keys came slowly (a stutter) is still one code, and none of it is charged as an amount', () => {
    // The cashier typed 7; the scanner's first two keys arrive 100 ms apart (a loaded machine), then at scanner speed.
    let state: ScanState = null;
    let amount = '7';
    let at = 5_000;
    const steps: ScanStep[] = [];
    for (const [index, key] of [...keysOf(CODE), 'Enter'].entries()) {
      const step = feedKey(state, key, at, amount);
      steps.push(step);
      state = step.state;
      if (step.kind === 'amount') amount += key;
      else amount = step.amount;
      at += index < 2 ? 100 : 5;
    }
    expect(steps.slice(0, 2).map((step) => step.kind)).toEqual(['amount', 'amount']);
    expect(steps.at(-1)).toEqual({ kind: 'scanned', state: null, code: CODE, amount: '7' });
    expect(amount).toBe('7');
  });
});

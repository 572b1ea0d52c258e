import { describe, expect, it } from 'vitest';
import { amountKeyFromKeyboard, pressAmountKey } from '../../renderer/src/cashier/amountEntry';
import { ENTER_WITHIN_MS, SCAN_QUIET_MS, feedKey, settle, type ScanState } from '../../renderer/src/cashier/scanBurst';

/**
 * scanBurst.ts fed as the cashier screen feeds it (CashierApp.tsx): an 'amount' step goes on to the
 * amount entry (a digit through pressAmountKey; Enter charges the amount shown by QR); any other
 * step shows its amount; the timer settles a scan ENTER_WITHIN_MS after its last key, and again at
 * the quiet spell. What comes out is what the till would be asked to do. (Several cases come from
 * a review of the first version, which let a stuttering scanner's digits into the amount.)
 */
type Key = { readonly key: string; readonly at: number };

function counter(keys: readonly Key[], startAmount = '') {
  let state: ScanState = null;
  let amount = startAmount;
  const events: string[] = [];
  const settleUntil = (at: number) => {
    for (const due of [state ? state.lastAt + ENTER_WITHIN_MS + 20 : Infinity, state ? state.lastAt + SCAN_QUIET_MS + 20 : Infinity]) {
      if (due > at) continue;
      const settled = settle(state, due);
      state = settled.state;
      if (settled.said) {
        amount = settled.said.amount;
        events.push(`misread(amount=${amount})`);
      }
    }
  };
  for (const { key, at } of keys) {
    settleUntil(at);
    const step = feedKey(state, key, at, amount);
    state = step.state;
    if (step.kind === 'amount') {
      if (key === 'Enter') events.push(`QR charge(amount=${amount})`);
      const amountKey = amountKeyFromKeyboard(key);
      if (amountKey) amount = pressAmountKey(amount, amountKey).text;
    } else {
      amount = step.amount;
      if (step.kind === 'scanned') events.push(`code charge(amount=${amount}, code=${step.code})`);
      if (step.kind === 'misread') events.push(`misread(amount=${amount})`);
    }
  }
  settleUntil(Infinity);
  return { amount, events };
}

const CODE = '287255838063025836'; // 18 digits from 28: an Alipay code (one of the seeds' samples)
const WECHAT = '134567890123456789';
const UNNAMED = '6212345678901234567'; // 19 digits from 62: no documented shape (UnionPay's is lore)

/** A person's keys, `gap` ms apart. */
const typed = (text: string, from: number, gap = 120): Key[] => [...text].map((key, index) => ({ key, at: from + index * gap }));
/** A scanner's keys and its Enter, 5 ms apart, with an optional pause after key `after`. */
function scanned(code: string, from: number, pause?: { after: number; ms: number }): Key[] {
  const keys: Key[] = [];
  let at = from;
  for (const [index, key] of [...code, 'Enter'].entries()) {
    keys.push({ key, at });
    at += 5 + (pause && index === pause.after - 1 ? pause.ms : 0);
  }
  return keys;
}

describe('a scanner told from a person', () => {
  it('a person typing the amount, then Enter, charges that amount by QR', () => {
    expect(counter([...typed('128.50', 1_000), { key: 'Enter', at: 2_000 }]).events).toEqual(['QR charge(amount=128.50)']);
    // Two keys rolled 20 ms apart are still a person's.
    expect(counter([{ key: '1', at: 1_000 }, { key: '2', at: 1_020 }, { key: 'Enter', at: 1_300 }]).events).toEqual(['QR charge(amount=12)']);
  });

  it('a code at scanner speed: the amount typed before it, the whole code', () => {
    expect(counter([...typed('42', 1_000), ...scanned(CODE, 2_000)]).events).toEqual([`code charge(amount=42, code=${CODE})`]);
    expect(counter(scanned(WECHAT, 1_000)).events).toEqual([`code charge(amount=, code=${WECHAT})`]);
  });

  it('a scan in the middle of typing: the digits never mix', () => {
    expect(counter([...typed('1', 1_000), ...scanned(WECHAT, 1_600)]).events).toEqual([`code charge(amount=1, code=${WECHAT})`]);
  });

  it('half a code is never sent, and none of it stays in the amount', () => {
    // The scanner stops after 9 keys: said once, when no Enter has come.
    expect(counter([...typed('5', 1_000), ...scanned(CODE.slice(0, 9), 2_000).slice(0, -1)])).toEqual({ amount: '5', events: ['misread(amount=5)'] });
    // Enter after 9 keys: too short for a code.
    expect(counter([...typed('5', 1_000), ...scanned(CODE.slice(0, 9), 2_000)]).events).toEqual(['misread(amount=5)']);
    // Another key in the middle ends it unfinished.
    expect(counter([...typed('5', 1_000), ...scanned(CODE.slice(0, 9), 2_000).slice(0, -1), { key: 'F2', at: 2_060 }]).events).toEqual(['misread(amount=5)']);
  });

  it('a scanner that pauses mid-code: refused, and the rest of the code never reaches the amount (review)', () => {
    for (const start of ['12', '12.5']) {
      for (const pause of [200, 400, 900]) {
        for (const after of [2, 4, 15, 17]) {
          const { amount, events } = counter([...typed(start, 1_000), ...scanned(CODE, 2_000, { after, ms: pause })]);
          expect({ pause, after, amount }).toEqual({ pause, after, amount: start });
          expect(events.length).toBeGreaterThan(0);
          // Refused in words, or (the scanner's first keys recognised by the code's shape) the whole code for the amount typed.
          expect(events.filter((event) => event !== `misread(amount=${start})` && event !== `code charge(amount=${start}, code=${CODE})`)).toEqual([]);
        }
      }
    }
    // After the refusal, a person's keys are theirs again at once: Esc, then a new amount.
    const after = counter([...typed('3', 1_000), ...scanned(CODE, 2_000, { after: 9, ms: 400 }), { key: 'Escape', at: 2_700 }, ...typed('8', 2_900), { key: 'Enter', at: 3_200 }]);
    expect(after.events).toEqual(['misread(amount=3)', 'misread(amount=3)', 'QR charge(amount=38)']);
  });

  it('a code with capital letters: the scanner’s Shift before each is not a key (review)', () => {
    const keys: Key[] = [];
    let at = 5_000;
    for (const key of [...'PM12AB34CD56EF', 'Enter']) {
      if (/^[A-Z]$/.test(key)) keys.push({ key: 'Shift', at: (at += 2) });
      keys.push({ key, at: (at += 5) });
    }
    expect(counter([...typed('5', 1_000), ...keys]).events).toEqual(['code charge(amount=5, code=PM12AB34CD56EF)']);
  });

  it('a person’s key just before a hands-free scan stays in the amount when the code’s shape says where it ends (review)', () => {
    expect(counter([...typed('150', 1_000), ...scanned(CODE, 1_340)]).events).toEqual([`code charge(amount=150, code=${CODE})`]);
  });

  it('a scan whose first keys came slowly (a stutter) is still one code when the whole has a code’s shape', () => {
    const stutter: Key[] = [{ key: CODE[0] as string, at: 2_000 }, { key: CODE[1] as string, at: 2_100 }, ...scanned(CODE.slice(2), 2_200)];
    expect(counter([...typed('7', 1_000), ...stutter]).events).toEqual([`code charge(amount=7, code=${CODE})`]);
  });

  it('a scanner that pauses after its first two keys, with a code no shape names: refused, the amount cleared', () => {
    const { amount, events } = counter([...typed('12', 1_000), ...scanned(UNNAMED, 2_000, { after: 2, ms: 200 })]);
    expect(events.some((event) => event.startsWith('code charge'))).toBe(false);
    expect(amount).toBe('');
  });

  it('when nobody can tell whose the first keys were, nothing is sent and the amount is cleared, not guessed', () => {
    const { amount, events } = counter([...typed('150', 1_000), ...scanned(UNNAMED, 1_340)]);
    expect(events).toEqual(['misread(amount=)']);
    expect(amount).toBe('');
  });

  it('after a scan, the keyboard is a person’s again once quiet', () => {
    const keys = [...typed('3', 1_000), ...scanned(CODE.slice(0, 9), 2_000).slice(0, -1), ...typed('4', 4_000), { key: 'Enter', at: 4_500 }];
    expect(counter(keys).events).toEqual(['misread(amount=3)', 'QR charge(amount=34)']);
  });

  it('refuses a barcode too long to be a payment code (QFPay takes 128 characters at most)', () => {
    expect(counter(scanned('7'.repeat(129), 1_000)).events).toEqual(['misread(amount=)']);
    expect(counter(scanned('7'.repeat(128), 1_000)).events).toEqual([`code charge(amount=, code=${'7'.repeat(128)})`]);
  });
});

import { normaliseAuthCode } from '../../../shared/qfpay/authCode';

/**
 * Telling a barcode scanner from a person at the same keyboard. USB and Bluetooth scanners in
 * keyboard mode "type" the customer's payment code, a character every few milliseconds, then
 * Enter. A person types the amount 80 ms or more between keys. So:
 * - every key goes to the amount at once (a person feels no delay), and is also remembered in a
 *   chain of keys that follow each other within CHAIN_GAP_MS, with the amount as it was before
 *   the chain began;
 * - once the chain has SCAN_LIKE keys in a row each within MAX_GAP_MS of the last, it is a scan:
 *   the amount goes back to what it was before the chain (the scan's first keys, which looked
 *   like a person's, included), and the rest of the chain goes to the code only;
 * - Enter soon after a scan hands over the whole chain as the code, if it has the shape of a
 *   payment code (shared/qfpay/authCode.ts); a scan not ended by Enter in time is dropped as
 *   half-read. Half a code is never sent, and no digit of a code is ever charged as an amount.
 *
 * Pure: the screen feeds it keys with their times (event.timeStamp) and does what it says.
 */

/**
 * Scanners send a key every 2-20 ms. People type digits 80 ms or more apart, and roll two keys
 * 20-40 ms apart at best; 50 ms leaves room for a loaded machine's event timing.
 */
export const MAX_GAP_MS = 50;
/** Four keys in a row, each within 50 ms of the last: no person types that (a held key's repeats are not fed here). */
export const SCAN_LIKE = 4;
/**
 * Keys this close belong to one chain: a scanner that stutters (a loaded machine, a Bluetooth
 * hiccup) is still one code, and its first keys before the stutter are the code's, not an amount.
 */
export const CHAIN_GAP_MS = 150;
/** Enter must follow the last character soon (some scanners pause before it). */
export const ENTER_WITHIN_MS = 300;

export interface Burst {
  /** Characters of this chain, in order (codes are digits; some wallets' may have letters). */
  readonly digits: string;
  readonly lastAt: number;
  /** The amount text before the chain's first key, to put back if it turns out to be a scan. */
  readonly amountBefore: string;
  /** Keys in a row at the end of the chain, each within MAX_GAP_MS of the last. */
  readonly fastRun: number;
  /** Whether the chain has been a scan: SCAN_LIKE fast keys in a row at some point. */
  readonly scan: boolean;
}

export type ScanState = Burst | null;

export type ScanStep =
  /** A person's key: do what the amount entry does with it. */
  | { readonly kind: 'amount'; readonly state: ScanState }
  /** Part of a scan: the amount goes back to `amount`, the key goes nowhere else. */
  | { readonly kind: 'scanning'; readonly state: ScanState; readonly amount: string }
  /** A whole code, ended by Enter: the amount is `amount` (as before the scan). */
  | { readonly kind: 'scanned'; readonly state: null; readonly code: string; readonly amount: string }
  /** A scan that cannot be a payment code (too short or too long, or not ended by Enter). */
  | { readonly kind: 'misread'; readonly state: null; readonly amount: string };

const isScan = (burst: Burst | null): burst is Burst => burst !== null && burst.scan;

function codeStep(burst: Burst): ScanStep {
  const code = normaliseAuthCode(burst.digits);
  return code ? { kind: 'scanned', state: null, code, amount: burst.amountBefore } : { kind: 'misread', state: null, amount: burst.amountBefore };
}

/** A key, at `at` ms, with the amount as the screen shows it before this key. */
export function feedKey(state: ScanState, key: string, at: number, amountText: string): ScanStep {
  if (/^[0-9A-Za-z]$/.test(key)) {
    const gap = state === null ? Infinity : at - state.lastAt;
    let burst: Burst;
    if (state !== null && gap <= CHAIN_GAP_MS) {
      const fastRun = gap <= MAX_GAP_MS ? state.fastRun + 1 : 1;
      burst = { ...state, digits: state.digits + key, lastAt: at, fastRun, scan: state.scan || fastRun >= SCAN_LIKE };
    } else {
      burst = { digits: key, lastAt: at, amountBefore: amountText, fastRun: 1, scan: false };
    }
    // A scan too long for any payment code is still swallowed whole, and refused at its Enter.
    return burst.scan ? { kind: 'scanning', state: burst, amount: burst.amountBefore } : { kind: 'amount', state: burst };
  }
  if (key === 'Enter' && isScan(state)) {
    if (at - state.lastAt <= ENTER_WITHIN_MS) return codeStep(state);
    return { kind: 'misread', state: null, amount: state.amountBefore };
  }
  // Any other key ends a chain. A scan it ends was never finished by Enter.
  if (isScan(state)) return { kind: 'misread', state: null, amount: state.amountBefore };
  return { kind: 'amount', state: null };
}

/**
 * Time passing with no key: a scan-like burst that has not had its Enter in time was half-read
 * (the scanner lost the code, or the cable came out). The screen calls this from a timer.
 */
export function settle(state: ScanState, now: number): Extract<ScanStep, { kind: 'misread' }> | null {
  if (!isScan(state) || now - state.lastAt <= ENTER_WITHIN_MS) return null;
  return { kind: 'misread', state: null, amount: state.amountBefore };
}

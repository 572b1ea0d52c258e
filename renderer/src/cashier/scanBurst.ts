import { normaliseAuthCode, walletFromAuthCode } from '../../../shared/qfpay/authCode';

/**
 * Telling a barcode scanner from a person at the same keyboard. USB and Bluetooth scanners in
 * keyboard mode "type" the customer's payment code, a character every few milliseconds, then
 * Enter. A person types the amount 80 ms or more between keys. So:
 * - every key goes to the amount at once (a person feels no delay), and is also remembered in a
 *   chain of keys that follow each other within CHAIN_GAP_MS, with the amount before the chain;
 * - once the chain has SCAN_LIKE keys in a row each within MAX_GAP_MS of the last, it is a scan.
 *   From then on every key until a quiet spell of SCAN_QUIET_MS belongs to the scan, never to the
 *   amount: a scanner that stutters mid-code cannot put the rest of its code in the amount;
 * - Enter soon after an unbroken scan hands over the code, if it has the shape of a payment code
 *   (shared/qfpay/authCode.ts). Anything else is a misread, said in words, never sent.
 * - The chain's first keys, before the fast run, may be the scanner's (it stuttered at the start)
 *   or the cashier's (typed just before a hands-free scan). The code's documented shape decides;
 *   when it cannot, the scan is refused and the amount cleared, so that neither a code's digit is
 *   charged as an amount nor the cashier's digit lost unseen.
 * Modifier keys (a scanner's Shift before a capital letter) are not keys here.
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
/** Keys this close belong to one chain: a scanner that stutters (a Bluetooth hiccup) is still one code. */
export const CHAIN_GAP_MS = 150;
/** Enter must follow the last character soon (some scanners pause before it). */
export const ENTER_WITHIN_MS = 300;
/** After a scan, keys belong to it until the keyboard has been quiet this long. */
export const SCAN_QUIET_MS = 1_000;

const MODIFIERS = new Set(['Shift', 'CapsLock', 'Control', 'Alt', 'Meta', 'AltGraph']);

export interface Burst {
  /** Characters of this chain, in order (codes are digits; some wallets' may have letters). */
  readonly digits: string;
  readonly lastAt: number;
  /** The amount text before the chain's first key. */
  readonly amountBefore: string;
  /** Keys in a row at the end of the chain, each within MAX_GAP_MS of the last, and the amount before that run. */
  readonly fastRun: number;
  readonly amountBeforeRun: string;
  /** Whether the chain is a scan, and how many of its keys came before the run that made it one. */
  readonly scan: boolean;
  readonly prefix: number;
  /** A scan with a pause in it, or one begun in the quiet spell after a refused scan: never sent. */
  readonly broken: boolean;
  /** A refused scan, already said: kept only to know when the quiet spell after it ends. */
  readonly said: boolean;
  /** The chain began within the quiet spell after a refused scan: a fast tail ended by Enter is that scan's. */
  readonly afterScan: boolean;
  /**
   * The chain just before this one, if it ended less than SCAN_QUIET_MS before: a scanner that
   * paused after its first keys left them there (and in the amount). `fast`: its keys came at a
   * scanner's pace, so they may well be the code's.
   */
  readonly lead: { readonly digits: string; readonly amountBefore: string; readonly fast: boolean } | null;
}

export type ScanState = Burst | null;

export type ScanStep =
  /** A person's key: do what the amount entry does with it. */
  | { readonly kind: 'amount'; readonly state: ScanState }
  /** Part of a scan: the amount shows `amount`, the key goes nowhere else. */
  | { readonly kind: 'scanning'; readonly state: ScanState; readonly amount: string }
  /** A whole code, ended by Enter, for the amount `amount`. */
  | { readonly kind: 'scanned'; readonly state: null; readonly code: string; readonly amount: string }
  /** A scan that cannot be sent (broken, half-read, not a code's shape): said, and the amount set to `amount`. */
  | { readonly kind: 'misread'; readonly state: ScanState; readonly amount: string };

const isScan = (burst: Burst | null): burst is Burst => burst !== null && burst.scan && !burst.said;
const KEY = /^[0-9A-Za-z]$/;

/** A refused scan: said once; the amount it leaves is one a person surely typed, or none. */
function misread(burst: Burst, amount = burst.prefix > 0 ? '' : burst.amountBefore): Extract<ScanStep, { kind: 'misread' }> {
  return { kind: 'misread', state: { ...burst, broken: true, said: true }, amount };
}

/**
 * The code of a scan ended by Enter. Its keys may be fewer or more than the code's: a scanner that
 * stuttered left its first keys in an earlier chain (`lead`) or before the fast run (`prefix`),
 * where a person's last keys may also be. A documented code's shape (shared/qfpay/authCode.ts)
 * decides which reading is the code, the scan's own keys first; where no shape can decide and
 * either reading is possible, nothing is sent and the amount is cleared.
 */
function codeStep(burst: Burst): ScanStep {
  if (burst.broken) return misread(burst);
  const readings = [
    { text: burst.digits, amount: burst.amountBefore },
    ...(burst.lead ? [{ text: burst.lead.digits + burst.digits, amount: burst.lead.amountBefore }] : []),
    ...(burst.prefix > 0 ? [{ text: burst.digits.slice(burst.prefix), amount: burst.amountBeforeRun }] : []),
  ];
  for (const reading of readings) {
    const code = normaliseAuthCode(reading.text);
    if (code && walletFromAuthCode(code)) return { kind: 'scanned', state: null, code, amount: reading.amount };
  }
  if (burst.prefix > 0 || burst.lead?.fast) return misread(burst, '');
  const code = normaliseAuthCode(burst.digits);
  return code ? { kind: 'scanned', state: null, code, amount: burst.amountBefore } : misread(burst);
}

/** A key, at `at` ms, with the amount as the screen shows it before this key. */
export function feedKey(state: ScanState, key: string, at: number, amountText: string): ScanStep {
  if (MODIFIERS.has(key)) return isScan(state) ? { kind: 'scanning', state, amount: state.amountBefore } : { kind: 'amount', state };
  const gap = state === null ? Infinity : at - state.lastAt;
  // A scan not yet refused takes every key that comes before its Enter was due.
  if (isScan(state) && gap <= ENTER_WITHIN_MS) {
    if (key === 'Enter') return codeStep(state);
    if (!KEY.test(key)) return misread(state);
    const next: Burst = { ...state, digits: state.digits + key, lastAt: at, broken: state.broken || gap > CHAIN_GAP_MS };
    return { kind: 'scanning', state: next, amount: next.amountBefore };
  }
  if (isScan(state)) {
    // Its Enter never came: refused, and this key is looked at afresh, in the quiet spell after it.
    state = misread(state).state;
  }
  const afterScan = state !== null && state.said && at - state.lastAt <= SCAN_QUIET_MS;
  const chain = state !== null && !state.said && gap <= CHAIN_GAP_MS ? state : null;
  if (KEY.test(key)) {
    let burst: Burst;
    if (chain) {
      const fast = gap <= MAX_GAP_MS;
      const fastRun = fast ? chain.fastRun + 1 : 1;
      burst = { ...chain, digits: chain.digits + key, lastAt: at, fastRun, amountBeforeRun: fast ? chain.amountBeforeRun : amountText };
    } else {
      const lead = state !== null && !state.said && !state.scan && gap <= SCAN_QUIET_MS ? { digits: state.digits, amountBefore: state.amountBefore, fast: state.digits.length >= 2 && state.fastRun === state.digits.length } : null;
      burst = { digits: key, lastAt: at, amountBefore: amountText, fastRun: 1, amountBeforeRun: amountText, scan: false, prefix: 0, broken: false, said: false, afterScan, lead };
    }
    if (burst.fastRun >= SCAN_LIKE) burst = { ...burst, scan: true, prefix: burst.digits.length - burst.fastRun, broken: burst.afterScan };
    // A scan too long for any payment code is still swallowed whole, and refused at its Enter.
    return burst.scan ? { kind: 'scanning', state: burst, amount: burst.amountBefore } : { kind: 'amount', state: burst };
  }
  // The fast tail of a scan that paused past its Enter, ended by the scanner's Enter: that scan's, never an amount.
  if (key === 'Enter' && chain?.afterScan && chain.fastRun === chain.digits.length && gap <= MAX_GAP_MS) return misread(chain, chain.amountBefore);
  // A scan refused for a missing Enter whose Enter comes late after all: the scanner's, swallowed.
  if (key === 'Enter' && state !== null && state.said && state.scan && gap <= ENTER_WITHIN_MS) return misread(state);
  return { kind: 'amount', state: afterScan ? state : null };
}

/**
 * Time passing with no key. A scan not ended by Enter in time was half-read (the scanner lost the
 * code, or the cable came out): said once. After the quiet spell, the keyboard is a person's again.
 */
export function settle(state: ScanState, now: number): { readonly said: Extract<ScanStep, { kind: 'misread' }> | null; readonly state: ScanState } {
  if (state === null) return { said: null, state };
  if (now - state.lastAt > SCAN_QUIET_MS) return { said: null, state: null };
  if (isScan(state) && now - state.lastAt > ENTER_WITHIN_MS) {
    const said = misread(state);
    return { said, state: said.state };
  }
  return { said: null, state };
}

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from '../../shared/ipc/contract';

/**
 * How a browser tab becomes one of the till's screens in web mode. The till prints a link per
 * screen carrying a one-time pairing code (new at every start, and whenever new links are asked
 * for); the page trades the code, once, within a few minutes, for a credential of its own, which
 * it keeps in the tab's sessionStorage and sends with every call. So:
 * - the link left in the browser's history, or read over a shoulder later, opens nothing: its
 *   code was used, or has expired, or was replaced at the next start;
 * - each tab is its own screen (its own credential): what one tab unlocks, another does not get;
 * - the till keeps only a hash of each live credential (beside the ledger, web-links.json), so a
 *   restarted till still knows its open tabs, and they reconnect by themselves, without anything
 *   in that file that opens a screen.
 */

/** A code works for this long after it was printed: enough to open the link on the next screen. */
export const PAIRING_TTL_MS = 10 * 60_000;
/** After this many wrong codes the live codes are withdrawn (new links must be asked for). */
export const MAX_WRONG_CODES = 20;
/** The screens the till remembers; pairing one more forgets the one paired longest ago. */
export const MAX_PAIRED_SCREENS = 32;

/** What the till keeps of a paired screen: never the credential itself. */
export interface PairedScreen {
  readonly credentialHash: string;
  readonly role: Role;
  readonly pairedAt: number;
}

// 32 letters and digits without 0/O and 1/I, so a code read off a terminal is typed right; 32
// divides 256, so each byte maps to a letter without bias. Eight of them: 40 bits, against at
// most MAX_WRONG_CODES guesses before the codes are withdrawn.
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const CODE_LENGTH = 8;

function newCode(): string {
  return Array.from(randomBytes(CODE_LENGTH), (byte) => ALPHABET[byte % ALPHABET.length]).join('');
}

/** As printed: two groups of four, easier to read aloud and to type. */
const shownCode = (code: string) => `${code.slice(0, 4)}-${code.slice(4)}`;

/** Typed or pasted codes: any case, with or without the dash or spaces. */
const normalised = (presented: string) => presented.toUpperCase().replace(/[\s-]/g, '');

export const credentialHash = (credential: string) => createHash('sha256').update(credential).digest('hex');

const sameText = (a: string, b: string) => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

export interface PairingOptions {
  readonly clock?: () => number;
  readonly ttlMs?: number;
  /** The screens paired before this start (from web-links.json). */
  readonly paired?: readonly PairedScreen[];
  /** Called with every change to the paired screens, to keep them for the next start. */
  readonly save?: (paired: readonly PairedScreen[]) => void;
  /** Called when too many wrong codes withdrew the live ones. */
  readonly onWithdrawn?: () => void;
}

export function createScreenPairing(options: PairingOptions = {}) {
  const clock = options.clock ?? Date.now;
  const ttl = options.ttlMs ?? PAIRING_TTL_MS;
  const codes = new Map<Role, { code: string; expiresAt: number }>();
  const paired = new Map<string, PairedScreen>((options.paired ?? []).map((screen) => [screen.credentialHash, screen]));
  let wrongCodes = 0;

  const save = () => options.save?.([...paired.values()]);

  return {
    /** A new one-time code for a screen; the one printed before it for that screen stops working. */
    newCode(role: Role): string {
      const code = newCode();
      codes.set(role, { code, expiresAt: clock() + ttl });
      wrongCodes = 0;
      return shownCode(code);
    },

    /**
     * The credential for a screen that shows its code, once, in time; undefined otherwise (a used,
     * expired, replaced or wrong code: the page says so, in words, and nothing else happens).
     */
    pair(role: Role, presented: string): string | undefined {
      const live = codes.get(role);
      if (!live || clock() >= live.expiresAt || !sameText(normalised(presented), live.code)) {
        wrongCodes += 1;
        if (wrongCodes >= MAX_WRONG_CODES && codes.size > 0) {
          codes.clear();
          options.onWithdrawn?.();
        }
        return undefined;
      }
      codes.delete(role);
      const credential = randomBytes(32).toString('base64url');
      paired.set(credentialHash(credential), { credentialHash: credentialHash(credential), role, pairedAt: clock() });
      // The oldest pairings go first: tabs closed long ago, never forgotten otherwise.
      const byAge = [...paired.values()].sort((a, b) => a.pairedAt - b.pairedAt);
      for (const screen of byAge.slice(0, Math.max(0, byAge.length - MAX_PAIRED_SCREENS))) paired.delete(screen.credentialHash);
      save();
      return credential;
    },

    /** The paired screen a credential belongs to, by its hash (which names the screen inside the till). */
    screenOf(credential: string): PairedScreen | undefined {
      return paired.get(credentialHash(credential));
    },

    /** Every paired screen forgotten: their tabs must be paired again (`--new-links`). */
    forgetAll(): void {
      paired.clear();
      save();
    },

    pairedCount: () => paired.size,
  };
}

export type ScreenPairing = ReturnType<typeof createScreenPairing>;

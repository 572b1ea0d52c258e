/**
 * The books as a hash chain. Every transition of a till's ledger is linked to the one before it:
 *
 *   link(n) = SHA-256( link(n-1) | record(n) ),   link(0) = SHA-256( "qfpos-chain-1" | ledger id )
 *
 * where record(n) is the transition (its number, item, states, cause, detail, time) together with
 * the facts of the money it moves that never change after the item is written: a payment's
 * environment, wallet, amount and currency; a refund's order and amount. So an edited amount, a
 * deleted, inserted or reordered history row, in the till's SQLite file or in the head office's
 * copy, no longer matches its link; and links rewritten to match no longer match the till's own
 * chain or the chain head printed on each Z report.
 *
 * The encoding is this module's alone (the till and the head office both compute it here, in
 * JavaScript), so it only has to be unambiguous: each field is typed and length-prefixed.
 * Hashing is the caller's (node:crypto in the main process): this layer runs anywhere.
 */

export const CHAIN_VERSION = 'qfpos-chain-1';

export type ChainFact = string | number | null;

export interface ChainRecord {
  /** The transition's number in its till's ledger (its row id there, `seq` at the head office). */
  readonly seq: number;
  readonly entity: 'payment' | 'refund';
  readonly outTradeNo: string;
  readonly fromState: string | null;
  readonly toState: string;
  readonly cause: string;
  readonly detail: string | null;
  readonly at: number;
  /** `paymentFacts(...)` or `refundFacts(...)` of the item. */
  readonly facts: readonly ChainFact[];
}

export const paymentFacts = (environment: string, wallet: string, amount: number, currency: string): readonly ChainFact[] => [environment, wallet, amount, currency];
export const refundFacts = (orderOutTradeNo: string, amount: number): readonly ChainFact[] => [orderOutTradeNo, amount];

function field(value: ChainFact): string {
  if (value === null) return '~';
  if (typeof value === 'number') {
    // Whole numbers only (cents, milliseconds, sequence numbers): a float would encode ambiguously.
    if (!Number.isSafeInteger(value)) throw new RangeError(`a chained number must be a whole number, not ${value}`);
    return `#${value}`;
  }
  return `${value.length}:${value}`;
}

/** The text a link hashes after the previous link: unambiguous, whatever the fields hold. */
export function chainText(record: ChainRecord): string {
  return [record.seq, record.entity, record.outTradeNo, record.fromState, record.toState, record.cause, record.detail, record.at, ...record.facts].map(field).join('|');
}

/** What the first link of a ledger follows: its identity, so two ledgers' chains never coincide. */
export const genesisText = (ledgerId: string): string => `${CHAIN_VERSION}|${ledgerId}`;

/** What is wrong with a stretch of the chain, named by the transition where it shows. */
export type ChainProblemKind =
  /** The row (or the facts of its item) no longer matches its link: edited. */
  | 'edited'
  /** A number is missing from the sequence: a row was deleted. */
  | 'missing'
  /** A row has no link: written around the ledger's triggers. */
  | 'unlinked'
  /** The head office holds the row without a link: shipped by a version before the chain, not yet linked. */
  | 'unchained'
  /** The link differs from the till's own, or from the chain head on a Z report: the links were rewritten. */
  | 'diverged'
  /** The head office holds a row this till never wrote (or no longer has: an older copy of its ledger restored). */
  | 'foreign';

export interface ChainProblem {
  /** Which till's books (at the head office; the till's own ledger leaves it out). */
  readonly tillId?: string;
  readonly seq: number;
  readonly kind: ChainProblemKind;
  /** The Z report whose chain head disagrees, for 'diverged' found that way. */
  readonly zNumber?: number;
}

/** The outcome of checking a stretch of books: how many rows were checked, and what was found. */
export interface BooksCheck {
  readonly checked: number;
  /** The rows up to this one were verified by an earlier check of this till, and not hashed again. */
  readonly verifiedBefore?: number;
  /** At most a few, the first found: one is enough to distrust the rest. */
  readonly problems: readonly ChainProblem[];
}

/**
 * Whether a problem proves the books were changed. A row without a link at the head office
 * ('unchained': shipped by a version before the chain, its till not heard from since) proves
 * nothing either way: it is said as not verifiable, and does not stop a report or an export.
 */
export const provesTampering = (problem: ChainProblem): boolean => problem.kind !== 'unchained';

/** At most this many problems are named: one is enough to distrust the rest. */
export const MAX_CHAIN_PROBLEMS = 5;

/** A history row as a check reads it back: its record, and the link stored beside it (null: none). */
export interface StoredLink {
  readonly record: ChainRecord;
  readonly link: string | null;
}

/**
 * Walks the rows after `after`, in order, against their stored links: a number skipped is a row
 * deleted, a row without a link was written around the checks, and a row whose record does not
 * give its link from the one before it was edited. `previous` is the stored link at `after` (the
 * genesis at 0; undefined if it is gone, already named by the caller). `link` is the hash.
 */
export function walkChain(after: number, previous: string | undefined, rows: Iterable<StoredLink>, link: (previous: string, record: ChainRecord) => string, tillId?: string): BooksCheck & { readonly lastSeq: number } {
  const problems: ChainProblem[] = [];
  const note = (seq: number, kind: ChainProblemKind) => {
    if (problems.length < MAX_CHAIN_PROBLEMS) problems.push(tillId === undefined ? { seq, kind } : { tillId, seq, kind });
  };
  let expected = after + 1;
  let checked = 0;
  let last = previous;
  for (const { record, link: stored } of rows) {
    checked += 1;
    if (record.seq !== expected) note(expected, 'missing');
    expected = record.seq + 1;
    if (stored === null) {
      note(record.seq, 'unlinked');
      continue;
    }
    if (last !== undefined && link(last, record) !== stored) note(record.seq, 'edited');
    last = stored;
  }
  return { checked, problems, lastSeq: expected - 1 };
}


import { createHash } from 'node:crypto';
import { chainText, genesisText, MAX_CHAIN_PROBLEMS, paymentFacts, refundFacts, walkChain, type BooksCheck, type ChainProblem, type ChainRecord, type StoredLink } from '../../../shared/ledger/chain';
import type { SqliteDatabase } from '../sqlite/openSqlite';

/**
 * The ledger's side of the hash chain (shared/ledger/chain.ts says what is linked and why).
 *
 * SQLite writes each link itself: a trigger on `transitions` calls `qfpos_chain_link`, a function
 * this process registers on every ledger connection. So no code path can add history without its
 * link, and a row written by any other program (the sqlite3 shell) fails for want of the function,
 * unless the triggers are dropped first, which the check below then finds.
 */

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export const genesisLink = (ledgerId: string): string => sha256(genesisText(ledgerId));

export const nextLink = (previous: string, record: ChainRecord): string => sha256(`${previous}|${chainText(record)}`);

type Cell = string | number | bigint | null;

/** A history row as the trigger and the check read it: the row, and the fixed facts of its item. */
interface LinkedRow {
  seq: number;
  order_id: number | null;
  out_trade_no: string | null;
  from_state: string | null;
  to_state: string;
  cause: string;
  detail: string | null;
  at: number;
  environment: string | null;
  wallet: string | null;
  amount: number | null;
  currency: string | null;
  order_out_trade_no: string | null;
  refund_amount: number | null;
}

function recordOf(row: LinkedRow): ChainRecord {
  const payment = row.order_id !== null;
  return {
    seq: row.seq,
    entity: payment ? 'payment' : 'refund',
    outTradeNo: row.out_trade_no ?? '',
    fromState: row.from_state,
    toState: row.to_state,
    cause: row.cause,
    detail: row.detail,
    at: row.at,
    facts: payment
      ? paymentFacts(row.environment ?? '', row.wallet ?? '', row.amount ?? 0, row.currency ?? '')
      : refundFacts(row.order_out_trade_no ?? '', row.refund_amount ?? 0),
  };
}

/** The columns of LinkedRow, for a transition `t` (the trigger passes NEW's, the check a join's). */
const ITEM_JOINS = `LEFT JOIN orders o ON o.id = t.order_id LEFT JOIN refunds r ON r.id = t.refund_id LEFT JOIN orders ro ON ro.id = r.order_id`;
const LINKED_COLUMNS = `t.id AS seq, t.order_id, COALESCE(o.out_trade_no, r.out_trade_no) AS out_trade_no, t.from_state, t.to_state, t.cause, t.detail, t.at,
  o.environment, o.wallet, o.amount, o.currency, ro.out_trade_no AS order_out_trade_no, r.amount AS refund_amount`;

const num = (value: Cell): number | null => (value === null ? null : Number(value));
const text = (value: Cell): string | null => (value === null ? null : String(value));

/** Registers the function the chain's trigger calls; every connection that writes the ledger needs it. */
export function registerChainFunction(db: SqliteDatabase): void {
  db.function('qfpos_chain_link', { deterministic: true, varargs: true }, (...args: Cell[]) => {
    const [previous, ledgerId, seq, orderId, outTradeNo, fromState, toState, cause, detail, at, environment, wallet, amount, currency, orderOutTradeNo, refundAmount] = args;
    const row: LinkedRow = {
      seq: Number(seq),
      order_id: num(orderId ?? null),
      out_trade_no: text(outTradeNo ?? null),
      from_state: text(fromState ?? null),
      to_state: String(toState),
      cause: String(cause),
      detail: text(detail ?? null),
      at: Number(at),
      environment: text(environment ?? null),
      wallet: text(wallet ?? null),
      amount: num(amount ?? null),
      currency: text(currency ?? null),
      order_out_trade_no: text(orderOutTradeNo ?? null),
      refund_amount: num(refundAmount ?? null),
    };
    return nextLink(previous === null || previous === undefined ? genesisLink(String(ledgerId)) : String(previous), recordOf(row));
  });
}

/** What the link trigger says when the history it would extend is broken: the ledger store turns it into words. */
export const BOOKS_BROKEN = 'books_broken';

/**
 * Ledger migration 4's trigger: each new history row gets its link, after the link of the row
 * before it (or the ledger's genesis), in the same transaction as the row. History that does not
 * continue an unbroken chain (a row before it deleted, or the newest rows deleted so that their
 * numbers come round again) is refused: a new row is never linked over a gap.
 */
export const LINK_TRIGGER = `
  CREATE TRIGGER transitions_linked AFTER INSERT ON transitions BEGIN
    SELECT RAISE(ABORT, '${BOOKS_BROKEN}: the history row before this one is missing or has no link')
      WHERE NEW.id > 1 AND NOT EXISTS (SELECT 1 FROM transition_links WHERE transition_id = NEW.id - 1);
    SELECT RAISE(ABORT, '${BOOKS_BROKEN}: this history row number was used before (the rows after it were deleted)')
      WHERE EXISTS (SELECT 1 FROM transition_links WHERE transition_id = NEW.id);
    INSERT INTO transition_links (transition_id, hash)
    SELECT NEW.id, qfpos_chain_link(
      (SELECT hash FROM transition_links WHERE transition_id = NEW.id - 1),
      (SELECT value FROM ledger_meta WHERE key = 'ledger_id'),
      NEW.id, NEW.order_id, COALESCE(o.out_trade_no, r.out_trade_no), NEW.from_state, NEW.to_state, NEW.cause, NEW.detail, NEW.at,
      o.environment, o.wallet, o.amount, o.currency, ro.out_trade_no, r.amount)
    FROM (SELECT NEW.order_id AS order_id, NEW.refund_id AS refund_id) t ${ITEM_JOINS};
  END;`;

/** Links the history written before the chain existed, once, in order (ledger migration 4). */
export function linkExistingHistory(db: SqliteDatabase, ledgerId: string): void {
  const insert = db.prepare('INSERT INTO transition_links (transition_id, hash) VALUES (?, ?)');
  // In batches: SQLite cannot write on a connection while a statement iterates on it.
  const batch = db.prepare<[number], LinkedRow>(`SELECT ${LINKED_COLUMNS} FROM transitions t ${ITEM_JOINS} WHERE t.id > ? ORDER BY t.id LIMIT 10000`);
  let previous = genesisLink(ledgerId);
  let after = 0;
  for (let rows = batch.all(after); rows.length > 0; rows = batch.all(after)) {
    for (const row of rows) {
      previous = nextLink(previous, recordOf(row));
      insert.run(row.seq, previous);
      after = row.seq;
    }
  }
}

/** The chain head after transition `seq` (0: before any, the genesis). */
export function chainHeadAt(db: SqliteDatabase, ledgerId: string, seq: number): string | undefined {
  if (seq === 0) return genesisLink(ledgerId);
  return db.prepare<[number], { hash: string }>('SELECT hash FROM transition_links WHERE transition_id = ?').get(seq)?.hash;
}

/**
 * Checks the history rows after `after` up to `upto` (inclusive) against their links (walkChain):
 * the cost is the rows of the stretch, whatever the history before it. The links at its start,
 * inside it and at its end are then held against the chain heads the Z reports there carry, and
 * the newest link against the newest row (the last rows deleted leave their links behind).
 */
export function checkLedgerChain(db: SqliteDatabase, ledgerId: string, after: number, upto: number): BooksCheck {
  const previous = chainHeadAt(db, ledgerId, after);
  const rows = db.prepare(`SELECT ${LINKED_COLUMNS}, l.hash FROM transitions t ${ITEM_JOINS} LEFT JOIN transition_links l ON l.transition_id = t.id WHERE t.id > ? AND t.id <= ? ORDER BY t.id`);
  const stored = function* (): Generator<StoredLink> {
    for (const row of rows.iterate(after, upto) as IterableIterator<LinkedRow & { hash: string | null }>) yield { record: recordOf(row), link: row.hash };
  };
  const walked = walkChain(after, previous, stored(), nextLink);
  const problems: ChainProblem[] = previous === undefined ? [{ seq: after, kind: 'unlinked' }, ...walked.problems] : [...walked.problems];
  // The newest rows deleted leave their links behind: a stretch that reaches the newest row looks past it.
  const newestRow = db.prepare<[], { id: number | null }>('SELECT MAX(id) AS id FROM transitions').get()?.id ?? 0;
  const linksUpTo = upto >= newestRow ? Number.MAX_SAFE_INTEGER : upto;
  const newest = db.prepare<[number, number], { id: number | null }>('SELECT MAX(transition_id) AS id FROM transition_links WHERE transition_id > ? AND transition_id <= ?').get(after, linksUpTo)?.id;
  if (newest !== undefined && newest !== null && newest > walked.lastSeq) problems.push({ seq: walked.lastSeq + 1, kind: 'missing' });
  const zHeads = db.prepare<[number, number], { number: number; last_transition: number; chain_head: string | null }>(
    'SELECT number, last_transition, chain_head FROM z_periods WHERE last_transition >= ? AND last_transition <= ? ORDER BY number',
  );
  for (const z of zHeads.all(after, upto)) {
    if (z.chain_head !== null && z.chain_head !== chainHeadAt(db, ledgerId, z.last_transition)) problems.push({ seq: z.last_transition, kind: 'diverged', zNumber: z.number });
  }
  return { checked: walked.checked, problems: problems.slice(0, MAX_CHAIN_PROBLEMS) };
}

/** The books behind a span of time: the stretch from its first history row to its last (by the `at` index). */
export function checkLedgerBetween(db: SqliteDatabase, ledgerId: string, start: number, end: number): BooksCheck {
  const span = db.prepare<[number, number], { first: number | null; last: number | null }>('SELECT MIN(id) AS first, MAX(id) AS last FROM transitions WHERE at >= ? AND at < ?').get(start, end);
  if (!span || span.first === null || span.last === null) return { checked: 0, problems: [] };
  return checkLedgerChain(db, ledgerId, span.first - 1, span.last);
}

import type { SqliteDatabase } from '../../sqlite/openSqlite';

/**
 * The ledger's side of shipping to the head office (headOffice/shipper.ts, syncOnce.ts): its
 * history after a cursor, with each row's chain link, the order and refund rows as that history
 * leaves them, and its Z periods. Read through any connection to the ledger, a read-only one too.
 */

/** A history row as the head office stores it: numbered by the till's own row id. */
export interface ShippedTransition {
  seq: number;
  entity: 'payment' | 'refund';
  out_trade_no: string;
  from_state: string | null;
  to_state: string;
  cause: string;
  detail: string | null;
  at: number;
  chain_hash: string | null;
}

export interface ShippedZPeriod {
  number: number;
  opened_at: number;
  closed_at: number;
  after_transition: number;
  last_transition: number;
  report: string;
  chain_head: string | null;
}

const TRANSITIONS_AFTER = `
  SELECT t.id AS seq, CASE WHEN t.order_id IS NOT NULL THEN 'payment' ELSE 'refund' END AS entity,
         COALESCE(o.out_trade_no, r.out_trade_no) AS out_trade_no, t.from_state, t.to_state, t.cause, t.detail, t.at, l.hash AS chain_hash
  FROM transitions t LEFT JOIN orders o ON o.id = t.order_id LEFT JOIN refunds r ON r.id = t.refund_id
  LEFT JOIN transition_links l ON l.transition_id = t.id
  WHERE t.id > ? ORDER BY t.id LIMIT ?`;

/** Up to `limit` history rows after `seq`, oldest first. */
export const transitionsAfter = (ledger: SqliteDatabase, seq: number, limit: number): ShippedTransition[] => ledger.prepare<[number, number], ShippedTransition>(TRANSITIONS_AFTER).all(seq, limit);

/** The Z periods after number `after` whose history ends at or before `upto`, in order. */
export const zPeriodsToShip = (ledger: SqliteDatabase, after: number, upto: number): ShippedZPeriod[] =>
  ledger
    .prepare<[number, number], ShippedZPeriod>('SELECT number, opened_at, closed_at, after_transition, last_transition, report, chain_head FROM z_periods WHERE number > ? AND last_transition <= ? ORDER BY number')
    .all(after, upto);

/** How many history rows and Z periods the ledger holds beyond a cursor. */
export function recordsAfter(ledger: SqliteDatabase, cursor: { seq: number; zNumber: number }): number {
  const row = ledger.prepare<[number, number], { t: number; z: number }>('SELECT (SELECT COUNT(*) FROM transitions WHERE id > ?) AS t, (SELECT COUNT(*) FROM z_periods WHERE number > ?) AS z').get(cursor.seq, cursor.zNumber) as { t: number; z: number };
  return row.t + row.z;
}

/** Looks up a history row's chain link, prepared once for many. */
export function transitionLink(ledger: SqliteDatabase): (seq: number) => string | undefined {
  const link = ledger.prepare<[number], { hash: string }>('SELECT hash FROM transition_links WHERE transition_id = ?');
  return (seq) => link.get(seq)?.hash;
}

/** Looks up a Z period's chain head (null on one closed before the chain; undefined: no such period), prepared once for many. */
export function zChainHead(ledger: SqliteDatabase): (number: number) => string | null | undefined {
  const head = ledger.prepare<[number], { chain_head: string | null }>('SELECT chain_head FROM z_periods WHERE number = ?');
  return (number) => head.get(number)?.chain_head;
}

/** Every Z period's chain head (null on a period closed before the chain), by number. */
export const zChainHeads = (ledger: SqliteDatabase): Map<number, string | null> =>
  new Map(ledger.prepare<[], { number: number; chain_head: string | null }>('SELECT number, chain_head FROM z_periods').all().map((z) => [z.number, z.chain_head]));

/** An order as the head office keeps it (the state and version come from the history shipped with it). */
export interface ShippedOrder {
  out_trade_no: string;
  environment: string;
  wallet: string;
  amount: number;
  currency: string;
  created_at: number;
  updated_at: number;
  syssn: string | null;
  sysdtm: string | null;
  paydtm: string | null;
  respcd: string | null;
  pay_type: string;
  goods_name: string | null;
  message: string | null;
  pay_tag: string | null;
  app_code: string | null;
  mchid: string | null;
  attention: string | null;
}

export interface ShippedRefund {
  out_trade_no: string;
  order_out_trade_no: string;
  amount: number;
  created_at: number;
  updated_at: number;
  syssn: string | null;
  sysdtm: string | null;
  respcd: string | null;
  message: string | null;
  attention: string | null;
}

/** Looks up orders and refunds by trade number as the head office keeps them, prepared once for a batch. */
export function itemsToShip(ledger: SqliteDatabase): { order: (outTradeNo: string) => ShippedOrder; refund: (outTradeNo: string) => ShippedRefund } {
  const orderRow = ledger.prepare<[string], ShippedOrder>(
    `SELECT out_trade_no, environment, wallet, amount, currency, created_at, updated_at, syssn, sysdtm, paydtm, respcd, pay_type, goods_name, message,
            json_extract(request_fields, '$.pay_tag') AS pay_tag, app_code, mchid, attention FROM orders WHERE out_trade_no = ?`,
  );
  const refundRow = ledger.prepare<[string], ShippedRefund>(
    'SELECT r.out_trade_no, o.out_trade_no AS order_out_trade_no, r.amount, r.created_at, r.updated_at, r.syssn, r.sysdtm, r.respcd, r.message, r.attention FROM refunds r JOIN orders o ON o.id = r.order_id WHERE r.out_trade_no = ?',
  );
  // Shipped items come from the ledger's own history: each is there.
  return { order: (outTradeNo) => orderRow.get(outTradeNo) as ShippedOrder, refund: (outTradeNo) => refundRow.get(outTradeNo) as ShippedRefund };
}

import type { Statement } from 'better-sqlite3';
import type { RefundState } from '../../../../shared/ledger/lifecycle';
import type { WalletId } from '../../../../shared/wallets';
import { openSqlite, type SqliteDatabase } from '../../sqlite/openSqlite';
import type { OrderRow } from '../records';
import { refundedColumn } from './refunded';

/**
 * The rows of a Hong Kong business day's export (reports/dayExport.ts), read from the ledger
 * through a connection of their own. The queries are shaped for a 100,000-order day: see the
 * notes at each, and `npm run bench -- --only export` before changing one.
 */

/** When the till recorded the row's money (its first paid state, or the refund's success), if it has. */
export interface Counted {
  money_id: number | null;
  money_at: number | null;
  /** Alipay's `pay_tag` as sent: AlipayHK or mainland Alipay. */
  pay_tag: string | null;
}

/** A payment as the CSV needs it: the till's ledger row, or the head office's copy of it. */
export type PaymentRow = Pick<OrderRow, 'created_at' | 'paydtm' | 'till_id' | 'environment' | 'wallet' | 'pay_type' | 'out_trade_no' | 'syssn' | 'amount' | 'currency' | 'state' | 'refunded' | 'goods_name' | 'respcd' | 'message'> & Counted;

export interface RefundRow extends Counted {
  out_trade_no: string;
  till_id: string;
  amount: number;
  state: RefundState;
  created_at: number;
  syssn: string | null;
  sysdtm: string | null;
  respcd: string | null;
  message: string | null;
  original_out_trade_no: string;
  environment: string;
  wallet: WalletId;
  pay_type: string;
  currency: string;
  goods_name: string | null;
}

const EXPORT_MMAP_BYTES = 1 << 30;

/** A read-only connection of the export's own, so a busy till keeps working while a large day streams out. */
export function openExportReader(ledgerPath: string): SqliteDatabase {
  const reader = openSqlite(ledgerPath, { readonly: true, fileMustExist: true });
  // Pages read through a memory map instead of copied into SQLite's cache one by one: a third of
  // the database's share of a 100,000-row export. Safe here because the ledger file never shrinks
  // under a mapping (nothing vacuums it; auto_vacuum is off) and this connection only reads.
  reader.pragma(`mmap_size = ${EXPORT_MMAP_BYTES}`);
  return reader;
}

/**
 * A day's payments: those made before the day but paid on it (few: late payments around
 * midnight), then those made on it, each in order of creation. Two queries rather than one UNION,
 * so that the day's own rows stream straight off the index in order, with no sort. Rows of every
 * environment come back, and the file takes its own: which others the day had is learnt from the
 * same rows instead of from a query of its own (it read every history row of the day again).
 */
// Only Alipay orders carry a pay_tag: the other wallets' requests are not parsed for it.
const PAY_TAG = "CASE WHEN o.wallet = 'alipay' THEN json_extract(o.request_fields, '$.pay_tag') END AS pay_tag";
// The columns the file needs, not o.*: reading every column of 100,000 orders into objects was most of an export's time.
const PAYMENT_COLUMNS = `o.created_at, o.paydtm, o.till_id, o.environment, o.wallet, o.pay_type, o.out_trade_no, o.syssn, o.amount, o.currency, o.state,
  o.goods_name, o.respcd, o.message, ${refundedColumn('o')},
  m.id AS money_id, m.at AS money_at, ${PAY_TAG}`;

/**
 * A payment from the values of PAYMENT_COLUMNS, in their order. better-sqlite3 builds a row
 * object through V8's C++ API; the values array and this literal took a third less of a
 * 100,000-row export. `paymentsOf` checks the statement's column names against this literal's
 * keys, so the two cannot drift apart unnoticed.
 */
const paymentOf = (v: readonly unknown[]): PaymentRow =>
  ({
    created_at: v[0], paydtm: v[1], till_id: v[2], environment: v[3], wallet: v[4], pay_type: v[5], out_trade_no: v[6], syssn: v[7], amount: v[8], currency: v[9], state: v[10],
    goods_name: v[11], respcd: v[12], message: v[13], refunded: v[14], money_id: v[15], money_at: v[16], pay_tag: v[17],
  }) as PaymentRow;
const PAYMENT_KEYS = Object.keys(paymentOf([]));

/** The payments of a query selecting PAYMENT_COLUMNS, as a lazy sequence. */
function* paymentsOf(statement: Statement<[{ start: number; end: number }], unknown[]>, window: { start: number; end: number }): Generator<PaymentRow> {
  const names = statement.columns().map((column) => column.name);
  if (names.join() !== PAYMENT_KEYS.join()) throw new Error(`the export's payment columns (${names.join()}) are not the ones it reads (${PAYMENT_KEYS.join()})`);
  for (const values of statement.raw(true).iterate(window)) yield paymentOf(values);
}
const MONEY_OF_ORDER = `LEFT JOIN transitions m ON m.id = (SELECT MIN(t.id) FROM transitions t WHERE t.order_id = o.id AND t.to_state IN ('paid', 'paid_late'))`;
// The day's paid history rows, from migration 6's (at, to_state, order_id, ...) index alone.
const PAYMENTS_PAID_ON_DAY_MADE_BEFORE = `
  SELECT ${PAYMENT_COLUMNS} FROM orders o ${MONEY_OF_ORDER}
  WHERE o.id IN (SELECT order_id FROM transitions WHERE at >= @start AND at < @end AND to_state IN ('paid', 'paid_late') AND order_id IS NOT NULL)
    AND o.created_at < @start
  ORDER BY o.created_at, o.id`;
const PAYMENTS_MADE_ON_DAY = `
  SELECT ${PAYMENT_COLUMNS} FROM orders o ${MONEY_OF_ORDER}
  WHERE o.created_at >= @start AND o.created_at < @end
  ORDER BY o.created_at, o.id`;

const REFUNDS_OF_DAY = `
  WITH ids AS (
    SELECT id FROM refunds WHERE created_at >= @start AND created_at < @end
    UNION
    SELECT refund_id FROM transitions WHERE at >= @start AND at < @end AND to_state = 'succeeded' AND refund_id IS NOT NULL
  )
  SELECT r.*, o.out_trade_no AS original_out_trade_no, o.environment, o.wallet, o.pay_type, o.currency, o.goods_name,
         m.id AS money_id, m.at AS money_at, ${PAY_TAG}
  FROM ids JOIN refunds r ON r.id = ids.id JOIN orders o ON o.id = r.order_id
  LEFT JOIN transitions m ON m.refund_id = r.id AND m.to_state = 'succeeded'
  ORDER BY r.created_at, r.id`;

/**
 * The day [start, end)'s rows, in the file's order: the payments as two sequences (the few paid on
 * the day but made before it, read now; the day's own, streamed as they are stepped through), then
 * the refunds made or succeeded on the day.
 */
export function dayExportRows(reader: SqliteDatabase, window: { start: number; end: number }): { payments: readonly Iterable<PaymentRow>[]; refunds: RefundRow[] } {
  // Measured: stepping this iterator beat keyset pages of .all() (which lost the index order).
  const earlier = [...paymentsOf(reader.prepare(PAYMENTS_PAID_ON_DAY_MADE_BEFORE), window)];
  const payments = [earlier, paymentsOf(reader.prepare(PAYMENTS_MADE_ON_DAY), window)];
  const refunds = reader.prepare<typeof window, RefundRow>(REFUNDS_OF_DAY).all(window);
  return { payments, refunds };
}

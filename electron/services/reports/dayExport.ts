import { open, rename } from 'node:fs/promises';
import { openSqlite } from '../sqlite/openSqlite';
import { stringify } from 'csv-stringify/sync';
import { formatHongKongTimestamp, hongKongDayRange } from '../../../shared/hkTime';
import { PAID_STATES } from '../../../shared/ledger/lifecycle';
import { minorToDecimal } from '../../../shared/money';
import { walletById, type WalletId } from '../../../shared/wallets';
import type { RefundState } from '../../../shared/ledger/lifecycle';
import type { OrderRow } from '../ledger/ledgerStore';
import { periodLocator } from './periods';

/**
 * The day's CSV for the manager and the accountant, for one environment (training and real money
 * never share a file): every payment and refund made on one Hong Kong business day, and every one
 * that became final on it, one row each, UTF-8 with a BOM so that Excel shows Chinese.
 *
 * `net` is what the row did to the day's takings: a payment adds its amount on the day it was
 * paid, a refund takes its amount away on the day it succeeded (`counted_at`). Summing `net`
 * gives the day's takings, and equals the sum of the day's share of the Z reports (`z_period`
 * says which one each counted in). A payment made on one day and paid on the next appears on
 * both days' files, with its net on the second.
 */

export const EXPORT_COLUMNS = [
  'record_type',
  'created_at',
  'paid_or_refunded_at',
  'till',
  'environment',
  'wallet',
  'pay_type',
  'out_trade_no',
  'syssn',
  'original_out_trade_no',
  'amount',
  'currency',
  'state',
  'refunded',
  'net',
  'goods_name',
  'respcd',
  'message',
  'counted_at',
  'z_period',
  // Added after the first columns, so that sheets built on them keep working.
  'wallet_zh_hk',
  'alipay_region',
] as const;

export type ExportRow = Record<(typeof EXPORT_COLUMNS)[number], string>;

const EXPORT_BATCH_ROWS = 1_000;

/** Columns that hold text from people or the gateway: these are neutralised, numbers are not. */
const TEXT_COLUMNS: readonly (keyof ExportRow)[] = ['till', 'goods_name', 'message', 'out_trade_no', 'original_out_trade_no', 'syssn'];

/** A cell starting with = + - @ (or a tab or CR) is a formula to a spreadsheet: make it plain text. */
export function neutraliseCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** When the till recorded the row's money (its first paid state, or the refund's success), if it has. */
export interface Counted {
  money_id: number | null;
  money_at: number | null;
  /** Alipay's `pay_tag` as sent: AlipayHK or mainland Alipay. */
  pay_tag: string | null;
}

const ALIPAY_REGIONS: Readonly<Record<string, string>> = { ALIPAYHK: 'AlipayHK', ALIPAYCN: 'Alipay (mainland)' };

/** The wallet in Chinese, and for Alipay which one the customer was asked to use. */
function walletColumns(row: { wallet: WalletId; pay_tag: string | null }): Pick<ExportRow, 'wallet_zh_hk' | 'alipay_region'> {
  return { wallet_zh_hk: walletById(row.wallet).names['zh-HK'], alipay_region: row.pay_tag ? (ALIPAY_REGIONS[row.pay_tag] ?? row.pay_tag) : '' };
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

export interface Attribution {
  /** Whether an instant falls on the exported day. */
  readonly onDay: (at: number) => boolean;
  /** The Z period that counted a row's money (the row has some). */
  readonly period: (row: Counted & { readonly till_id: string }) => { readonly number: number; readonly open: boolean };
}

function counted(row: Counted & { readonly till_id: string }, attribution: Attribution): Pick<ExportRow, 'counted_at' | 'z_period'> {
  if (row.money_id === null || row.money_at === null) return { counted_at: '', z_period: '' };
  const period = attribution.period(row);
  return { counted_at: formatHongKongTimestamp(row.money_at), z_period: period.open ? `${period.number} (open)` : String(period.number) };
}

/** What a payment did to the day's takings, in cents: its amount, on the day it was paid. */
export function paymentNet(row: PaymentRow, attribution: Attribution): number {
  return PAID_STATES.includes(row.state) && row.money_at !== null && attribution.onDay(row.money_at) ? row.amount : 0;
}

export function refundNet(row: RefundRow, attribution: Attribution): number {
  return row.state === 'succeeded' && row.money_at !== null && attribution.onDay(row.money_at) ? -row.amount : 0;
}

export function paymentRow(row: PaymentRow, attribution: Attribution): ExportRow {
  const paid = PAID_STATES.includes(row.state);
  return {
    record_type: 'payment',
    created_at: formatHongKongTimestamp(row.created_at),
    paid_or_refunded_at: paid ? (row.paydtm ?? '') : '',
    till: row.till_id,
    environment: row.environment,
    wallet: walletById(row.wallet).names.en,
    pay_type: row.pay_type,
    out_trade_no: row.out_trade_no,
    syssn: row.syssn ?? '',
    original_out_trade_no: '',
    amount: minorToDecimal(row.amount),
    currency: row.currency,
    state: row.state,
    refunded: minorToDecimal(row.refunded),
    net: minorToDecimal(paymentNet(row, attribution)),
    goods_name: row.goods_name ?? '',
    respcd: row.respcd ?? '',
    message: row.message ?? '',
    ...counted(row, attribution),
    ...walletColumns(row),
  };
}

export function refundRow(row: RefundRow, attribution: Attribution): ExportRow {
  return {
    record_type: 'refund',
    created_at: formatHongKongTimestamp(row.created_at),
    paid_or_refunded_at: row.state === 'succeeded' ? (row.sysdtm ?? '') : '',
    till: row.till_id,
    environment: row.environment,
    wallet: walletById(row.wallet).names.en,
    pay_type: row.pay_type,
    out_trade_no: row.out_trade_no,
    syssn: row.syssn ?? '',
    original_out_trade_no: row.original_out_trade_no,
    amount: minorToDecimal(row.amount),
    currency: row.currency,
    state: row.state,
    refunded: '',
    net: minorToDecimal(refundNet(row, attribution)),
    goods_name: row.goods_name ?? '',
    respcd: row.respcd ?? '',
    message: row.message ?? '',
    ...counted(row, attribution),
    ...walletColumns(row),
  };
}

/** The row's text cells neutralised, in place: each row is made fresh for the file, and a copy per row showed in an export's time. */
export function neutralised(row: ExportRow): ExportRow {
  for (const column of TEXT_COLUMNS) row[column] = neutraliseCell(row[column]);
  return row;
}

export interface ExportSummary {
  readonly day: string;
  readonly environment: string;
  readonly payments: number;
  readonly refunds: number;
  /** The sum of the `net` column, in cents. */
  readonly net: number;
  /** Other environments with rows on that day, left out of this file. */
  readonly otherEnvironments: readonly string[];
  readonly file: string;
}

/**
 * A day's payments: those made before the day but paid on it (few: late payments around
 * midnight), then those made on it, each in order of creation. Two queries rather than one UNION,
 * so that the day's own rows stream straight off the index in order, with no sort.
 */
// The columns the file needs, not o.*: reading every column of 100,000 orders into objects was most of an export's time.
const PAYMENT_COLUMNS = `o.created_at, o.paydtm, o.till_id, o.environment, o.wallet, o.pay_type, o.out_trade_no, o.syssn, o.amount, o.currency, o.state,
  o.goods_name, o.respcd, o.message, COALESCE((SELECT SUM(r.amount) FROM refunds r WHERE r.order_id = o.id AND r.state = 'succeeded'), 0) AS refunded,
  m.id AS money_id, m.at AS money_at, json_extract(o.request_fields, '$.pay_tag') AS pay_tag`;
const MONEY_OF_ORDER = `LEFT JOIN transitions m ON m.id = (SELECT MIN(t.id) FROM transitions t WHERE t.order_id = o.id AND t.to_state IN ('paid', 'paid_late'))`;
const PAYMENTS_PAID_ON_DAY_MADE_BEFORE = `
  SELECT ${PAYMENT_COLUMNS} FROM orders o ${MONEY_OF_ORDER}
  WHERE o.id IN (SELECT order_id FROM transitions WHERE at >= @start AND at < @end AND order_id IS NOT NULL AND to_state IN ('paid', 'paid_late'))
    AND o.created_at < @start AND o.environment = @environment
  ORDER BY o.created_at, o.id`;
const PAYMENTS_MADE_ON_DAY = `
  SELECT ${PAYMENT_COLUMNS} FROM orders o ${MONEY_OF_ORDER}
  WHERE o.created_at >= @start AND o.created_at < @end AND o.environment = @environment
  ORDER BY o.created_at, o.id`;

const REFUNDS_OF_DAY = `
  WITH ids AS (
    SELECT id FROM refunds WHERE created_at >= @start AND created_at < @end
    UNION
    SELECT refund_id FROM transitions WHERE at >= @start AND at < @end AND refund_id IS NOT NULL AND to_state = 'succeeded'
  )
  SELECT r.*, o.out_trade_no AS original_out_trade_no, o.environment, o.wallet, o.pay_type, o.currency, o.goods_name,
         m.id AS money_id, m.at AS money_at, json_extract(o.request_fields, '$.pay_tag') AS pay_tag
  FROM ids JOIN refunds r ON r.id = ids.id JOIN orders o ON o.id = r.order_id
  LEFT JOIN transitions m ON m.refund_id = r.id AND m.to_state = 'succeeded'
  WHERE o.environment = @environment
  ORDER BY r.created_at, r.id`;

const ENVIRONMENTS_OF_DAY = `
  SELECT DISTINCT environment FROM orders WHERE created_at >= @start AND created_at < @end
  UNION
  SELECT DISTINCT o.environment FROM transitions t JOIN orders o ON o.id = t.order_id WHERE t.at >= @start AND t.at < @end
  UNION
  SELECT DISTINCT o.environment FROM transitions t JOIN refunds r ON r.id = t.refund_id JOIN orders o ON o.id = r.order_id WHERE t.at >= @start AND t.at < @end`;

/**
 * Writes the whole day (never a page of it) to `outPath`, atomically: a half-written file is never
 * left under the final name. Reads through its own read-only connection, so a busy till keeps
 * working while a large day streams out.
 */
export async function exportDay(ledgerPath: string, day: string, outPath: string, options: { environment: string; now?: number }): Promise<ExportSummary> {
  const { start, end } = hongKongDayRange(day);
  const reader = openSqlite(ledgerPath, { readonly: true, fileMustExist: true });
  const { environment } = options;
  let payments = 0;
  let refunds = 0;
  let net = 0;
  try {
    const window = { start, end, environment };
    const locate = periodLocator({ db: reader }, options.now ?? Date.now());
    const attribution: Attribution = { onDay: (at) => at >= start && at < end, period: (row) => locate(row.money_id as number) };
    const otherEnvironments = reader
      .prepare<{ start: number; end: number }, { environment: string }>(ENVIRONMENTS_OF_DAY)
      .all({ start, end })
      .map((row) => row.environment)
      .filter((name) => name !== environment);
    // Measured: stepping this iterator beat keyset pages of .all() (which lost the index order).
    const earlier = reader.prepare<typeof window, PaymentRow>(PAYMENTS_PAID_ON_DAY_MADE_BEFORE).all(window);
    const paymentRows = [earlier, reader.prepare<typeof window, PaymentRow>(PAYMENTS_MADE_ON_DAY).iterate(window)];
    const refundRows = reader.prepare<typeof window, RefundRow>(REFUNDS_OF_DAY).all(window);
    function* rows(): Generator<ExportRow> {
      for (const rows of paymentRows) {
        for (const row of rows) {
          payments += 1;
          net += paymentNet(row, attribution);
          yield neutralised(paymentRow(row, attribution));
        }
      }
      for (const row of refundRows) {
        refunds += 1;
        net += refundNet(row, attribution);
        yield neutralised(refundRow(row, attribution));
      }
    }
    await writeExportCsv(rows(), outPath);
    return { day, environment, payments, refunds, net, otherEnvironments, file: outPath };
  } finally {
    reader.close();
  }
}

/**
 * Writes export rows to `outPath` atomically (a `.partial` file renamed when complete and synced),
 * UTF-8 with a BOM so that Excel shows Chinese. Batches, not a row-at-a-time stream: the stream
 * machinery cost more than the CSV itself; each await lets the till's own work run between them.
 */
export async function writeExportCsv(rows: Iterable<ExportRow>, outPath: string): Promise<void> {
  const partial = `${outPath}.partial`;
  const file = await open(partial, 'w');
  try {
    let batch: string[][] = [];
    let first = true;
    const flush = async () => {
      await file.write(stringify(batch, { header: first, bom: first, columns: [...EXPORT_COLUMNS] }));
      first = false;
      batch = [];
    };
    for (const row of rows) {
      batch.push(EXPORT_COLUMNS.map((column) => row[column]));
      if (batch.length === EXPORT_BATCH_ROWS) await flush();
    }
    if (batch.length > 0 || first) await flush();
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(partial, outPath);
}

import { open, rename } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { stringify } from 'csv-stringify/sync';
import { formatHongKongTimestamp, hongKongDayRange } from '../../../shared/hkTime';
import { PAID_STATES } from '../../../shared/ledger/lifecycle';
import { minorToDecimal } from '../../../shared/money';
import { walletById, type WalletId } from '../../../shared/wallets';
import type { RefundState } from '../../../shared/ledger/lifecycle';
import type { OrderRow } from '../ledger/ledgerStore';

/**
 * The day's CSV for the manager and the accountant: every payment and every refund made on one
 * Hong Kong business day, one row each, UTF-8 with a BOM so that Excel shows Chinese.
 *
 * `net` is what the row did to the day's takings: a payment adds its amount once paid, a refund
 * takes its amount away once it succeeded. Summing `net` gives the day's takings whichever day the
 * refunded payment was made; `refunded` on a payment row is informational (refunds so far).
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
] as const;

type ExportRow = Record<(typeof EXPORT_COLUMNS)[number], string>;

const EXPORT_BATCH_ROWS = 1_000;

/** Columns that hold text from people or the gateway: these are neutralised, numbers are not. */
const TEXT_COLUMNS: readonly (keyof ExportRow)[] = ['till', 'goods_name', 'message', 'out_trade_no', 'original_out_trade_no', 'syssn'];

/** A cell starting with = + - @ (or a tab or CR) is a formula to a spreadsheet: make it plain text. */
export function neutraliseCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

type PaymentRow = OrderRow;

interface RefundRow {
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

function paymentRow(row: PaymentRow): ExportRow {
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
    net: minorToDecimal(paid ? row.amount : 0),
    goods_name: row.goods_name ?? '',
    respcd: row.respcd ?? '',
    message: row.message ?? '',
  };
}

function refundRow(row: RefundRow): ExportRow {
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
    net: minorToDecimal(row.state === 'succeeded' ? -row.amount : 0),
    goods_name: row.goods_name ?? '',
    respcd: row.respcd ?? '',
    message: row.message ?? '',
  };
}

function neutralised(row: ExportRow): ExportRow {
  const safe = { ...row };
  for (const column of TEXT_COLUMNS) safe[column] = neutraliseCell(safe[column]);
  return safe;
}

export interface ExportSummary {
  readonly day: string;
  readonly payments: number;
  readonly refunds: number;
  readonly file: string;
}

/**
 * Writes the whole day (never a page of it) to `outPath`, atomically: a half-written file is never
 * left under the final name. Reads through its own read-only connection, so a busy till keeps
 * working while a large day streams out.
 */
export async function exportDay(ledgerPath: string, day: string, outPath: string): Promise<ExportSummary> {
  const { start, end } = hongKongDayRange(day);
  const reader = new Database(ledgerPath, { readonly: true, fileMustExist: true });
  let payments = 0;
  let refunds = 0;
  try {
    // Measured: stepping this iterator beat keyset pages of .all() (which lost the index order).
    const paymentRows = reader
      .prepare<[number, number], PaymentRow>(
        `SELECT o.*, COALESCE((SELECT SUM(r.amount) FROM refunds r WHERE r.order_id = o.id AND r.state = 'succeeded'), 0) AS refunded
         FROM orders o WHERE o.created_at >= ? AND o.created_at < ? ORDER BY o.created_at, o.id`,
      )
      .iterate(start, end);
    const refundRows = reader
      .prepare<[number, number], RefundRow>(
        `SELECT r.*, o.out_trade_no AS original_out_trade_no, o.environment, o.wallet, o.pay_type, o.currency, o.goods_name
         FROM refunds r JOIN orders o ON o.id = r.order_id WHERE r.created_at >= ? AND r.created_at < ? ORDER BY r.created_at, r.id`,
      )
      .all(start, end);
    function* rows(): Generator<ExportRow> {
      for (const row of paymentRows) {
        payments += 1;
        yield neutralised(paymentRow(row));
      }
      for (const row of refundRows) {
        refunds += 1;
        yield neutralised(refundRow(row));
      }
    }
    const partial = `${outPath}.partial`;
    const file = await open(partial, 'w');
    try {
      // Batches, not a row-at-a-time stream: the stream machinery cost more than the CSV itself.
      // Each await lets the till's own work (polling, a charge) run between batches.
      let batch: string[][] = [];
      let first = true;
      const flush = async () => {
        await file.write(stringify(batch, { header: first, bom: first, columns: [...EXPORT_COLUMNS] }));
        first = false;
        batch = [];
      };
      for (const row of rows()) {
        batch.push(EXPORT_COLUMNS.map((column) => row[column]));
        if (batch.length === EXPORT_BATCH_ROWS) await flush();
      }
      if (batch.length > 0 || first) await flush();
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(partial, outPath);
  } finally {
    reader.close();
  }
  return { day, payments, refunds, file: outPath };
}

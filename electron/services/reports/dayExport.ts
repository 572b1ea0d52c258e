import { open, rename } from 'node:fs/promises';
import { stringify } from 'csv-stringify/sync';
import { formatHongKongIso, hongKongDayRange, hongKongTimestampToIso } from '../../../shared/hkTime';
import { PAID_STATES } from '../../../shared/ledger/lifecycle';
import { minorToDecimal } from '../../../shared/money';
import { payKindOf, walletById } from '../../../shared/wallets';
import { dayExportRows, openExportReader, type Counted, type PaymentRow, type RefundRow } from '../ledger/queries/dayExport';
import { periodLocator } from './periods';

/**
 * The day's CSV for the manager and the accountant, for one environment (training and real money
 * never share a file): every payment and refund made on one Hong Kong business day, and every one
 * that became final on it, one row each, UTF-8 with a BOM so that Excel shows Chinese.
 *
 * The file is a journal, as an accountant keeps one: each row is one movement of money, and a
 * refund is a row of its own (negative), never taken off its payment's row. So:
 *
 * - `row_net_on_day` (was `net`) is what this row alone did to this day's takings: a payment adds
 *   its amount on the day it was paid, a refund takes its amount away on the day it succeeded
 *   (`counted_at`). A payment's refunds are NOT deducted from its row (they are their refund
 *   rows), so summing the column gives the day's takings once, equal to the sum of the day's share
 *   of the Z reports (`z_period` says which one each counted in). A payment made on one day and
 *   paid on the next appears on both days' files, with its net on the second.
 * - `refunded_in_refund_rows` (was `refunded`), on a payment row, is how much of it has been
 *   refunded so far, on any day, for reference: that money is in the refund rows (this day's file
 *   or another's), never in this row's net. A payment of 230.40 with 30.00 refunded reads
 *   `row_net_on_day` 230.40 and `refunded_in_refund_rows` 30.00, and its refund row -30.00.
 *
 * Times are ISO 8601 with Hong Kong's offset (`2026-12-07T14:05:09+08:00`), so a sheet or another
 * system never has to guess the zone. `z_period` is the Z report's number alone (a number a sheet
 * can filter and sum by); `z_period_open` says `yes` while that period is still open (its number
 * is the one it will close as) and `no` once it is a closed Z report. docs/operating.md has the
 * columns for the people reading the file.
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
  // Renamed (from `refunded` and `net`, issue 24) so that one row read alone says what it holds:
  // see the note above. Same positions, so sheets built on the columns' order keep working.
  'refunded_in_refund_rows',
  'row_net_on_day',
  'goods_name',
  'respcd',
  'message',
  'counted_at',
  'z_period',
  // Added after the first columns, so that sheets built on them keep working.
  'wallet_zh_hk',
  'alipay_region',
  // Who showed the code: MPM (the till's QR) or CPM (the customer's own code). A refund carries its payment's.
  'mode',
  // `yes` while the row's Z period is still open, `no` once closed; empty when `z_period` is.
  'z_period_open',
] as const;

/** A row of the file: one cell per column of EXPORT_COLUMNS, in that order. */
export type ExportCells = readonly string[];

const EXPORT_BATCH_ROWS = 1_000;

const FORMULA = /^[=+\-@\t\r]/;

/**
 * A cell starting with = + - @ (or a tab or CR) is a formula to a spreadsheet: make it plain text.
 * Applied to the cells that hold text from people or the gateway (the till, goods, messages, trade
 * numbers); numbers are not, so a refund's row_net_on_day stays -8.00.
 */
export function neutraliseCell(value: string): string {
  return FORMULA.test(value) ? `'${value}` : value;
}

export type { Counted, PaymentRow, RefundRow };

const ALIPAY_REGIONS: Readonly<Record<string, string>> = { ALIPAYHK: 'AlipayHK', ALIPAYCN: 'Alipay (mainland)' };

export interface Attribution {
  /** Whether an instant falls on the exported day. */
  readonly onDay: (at: number) => boolean;
  /** The Z period that counted a row's money (the row has some). */
  readonly period: (row: Counted & { readonly till_id: string }) => { readonly number: number; readonly open: boolean };
}

/** What a payment did to the day's takings, in cents: its amount, on the day it was paid. */
function paymentNet(row: PaymentRow, attribution: Attribution): number {
  return PAID_STATES.includes(row.state) && row.money_at !== null && attribution.onDay(row.money_at) ? row.amount : 0;
}

function refundNet(row: RefundRow, attribution: Attribution): number {
  return row.state === 'succeeded' && row.money_at !== null && attribution.onDay(row.money_at) ? -row.amount : 0;
}

/**
 * The cells every row has, from `record_type` to the end, around the columns that differ (the
 * time of its money, the original trade number, the refunded amount, the net). Cells are built
 * straight in column order: an object per row, then copied into an array, showed in the time of a
 * 100,000-row export.
 */
function cells(
  recordType: 'payment' | 'refund',
  row: PaymentRow | RefundRow,
  differing: { readonly moneyAt: string; readonly original: string; readonly refunded: string; readonly net: number },
  attribution: Attribution,
): ExportCells {
  const wallet = walletById(row.wallet);
  const counted = row.money_id !== null && row.money_at !== null ? attribution.period(row) : null;
  return [
    recordType,
    formatHongKongIso(row.created_at),
    differing.moneyAt,
    neutraliseCell(row.till_id),
    row.environment,
    wallet.names.en,
    row.pay_type,
    neutraliseCell(row.out_trade_no),
    neutraliseCell(row.syssn ?? ''),
    neutraliseCell(differing.original),
    minorToDecimal(row.amount),
    row.currency,
    row.state,
    differing.refunded,
    minorToDecimal(differing.net),
    neutraliseCell(row.goods_name ?? ''),
    row.respcd ?? '',
    neutraliseCell(row.message ?? ''),
    counted ? formatHongKongIso(row.money_at as number) : '',
    counted ? String(counted.number) : '',
    wallet.names['zh-HK'],
    row.pay_tag ? (ALIPAY_REGIONS[row.pay_tag] ?? row.pay_tag) : '',
    // From the pay type, which the head office's copy holds too: both exports say the same.
    (payKindOf(row.pay_type)?.mode ?? 'mpm').toUpperCase(),
    counted ? (counted.open ? 'yes' : 'no') : '',
  ];
}

/** A line of the export, and the net it shows, which the export also sums for its summary. */
export interface ExportLine {
  readonly cells: ExportCells;
  readonly net: number;
}

export function paymentLine(row: PaymentRow, attribution: Attribution): ExportLine {
  const paid = PAID_STATES.includes(row.state);
  const net = paymentNet(row, attribution);
  return { cells: cells('payment', row, { moneyAt: paid ? hongKongTimestampToIso(row.paydtm ?? '') : '', original: '', refunded: minorToDecimal(row.refunded), net }, attribution), net };
}

export function refundLine(row: RefundRow, attribution: Attribution): ExportLine {
  const net = refundNet(row, attribution);
  return { cells: cells('refund', row, { moneyAt: row.state === 'succeeded' ? hongKongTimestampToIso(row.sysdtm ?? '') : '', original: row.original_out_trade_no, refunded: '', net }, attribution), net };
}

export interface ExportSummary {
  readonly day: string;
  /** The range's last day (`day` itself for one day). */
  readonly to: string;
  readonly environment: string;
  readonly payments: number;
  readonly refunds: number;
  /** The sum of the `row_net_on_day` column, in cents. */
  readonly net: number;
  /** Other environments with rows of that day, left out of this file. */
  readonly otherEnvironments: readonly string[];
  readonly file: string;
}

/**
 * Writes the whole day (never a page of it) to `outPath`, atomically: a half-written file is never
 * left under the final name. Reads through its own read-only connection, so a busy till keeps
 * working while a large day streams out.
 *
 * With `to`, the days from `day` to `to` (both included; the caller checks the range, see
 * reports/sales.ts dayRange) in one file with the same columns, read as one span of time: each
 * row once, and `row_net_on_day` what the row did to the range's takings, so the column sums to
 * the range's. A payment made before the range and paid in it comes first, as for a day.
 */
export async function exportDay(ledgerPath: string, day: string, outPath: string, options: { environment: string; now?: number; to?: string }): Promise<ExportSummary> {
  const to = options.to ?? day;
  const { start } = hongKongDayRange(day);
  const { end } = hongKongDayRange(to);
  const reader = openExportReader(ledgerPath);
  const { environment } = options;
  let payments = 0;
  let refunds = 0;
  let net = 0;
  try {
    const window = { start, end };
    const locate = periodLocator({ db: reader }, options.now ?? Date.now());
    const attribution: Attribution = { onDay: (at) => at >= start && at < end, period: (row) => locate(row.money_id as number) };
    const others = new Set<string>();
    const ours = (row: { environment: string }) => row.environment === environment || (others.add(row.environment), false);
    const { payments: paymentRows, refunds: refundRows } = dayExportRows(reader, window);
    function* rows(): Generator<ExportCells> {
      for (const rows of paymentRows) {
        for (const row of rows) {
          if (!ours(row)) continue;
          payments += 1;
          const line = paymentLine(row, attribution);
          net += line.net;
          yield line.cells;
        }
      }
      for (const row of refundRows) {
        if (!ours(row)) continue;
        refunds += 1;
        const line = refundLine(row, attribution);
        net += line.net;
        yield line.cells;
      }
    }
    await writeExportCsv(rows(), outPath);
    return { day, to, environment, payments, refunds, net, otherEnvironments: [...others].sort(), file: outPath };
  } finally {
    reader.close();
  }
}

/** A cell csv-stringify would quote (by its defaults: a comma, a quote or a line break in it). */
const QUOTE_OR_BREAK = /["\r\n]/;

/** How many commas a line holds. */
function commas(line: string): number {
  let count = 0;
  for (let at = line.indexOf(','); at !== -1; at = line.indexOf(',', at + 1)) count += 1;
  return count;
}

/**
 * One CSV line. csv-stringify writes every record that has a cell to quote; a record with none is
 * its cells joined by commas, which is what csv-stringify writes for it (a property test holds the
 * two equal). Its per-cell machinery was most of a 100,000-row export's time, for the rows (nearly
 * all) that have nothing to quote.
 */
export function csvLine(cells: readonly string[]): string {
  const line = cells.join(',');
  // A comma more than the separators, a quote or a line break: some cell needs quoting.
  return QUOTE_OR_BREAK.test(line) || commas(line) !== cells.length - 1 ? stringify([cells]) : `${line}\n`;
}

/**
 * Writes export rows to `outPath` atomically (a `.partial` file renamed when complete and synced),
 * UTF-8 with a BOM so that Excel shows Chinese. Batches, not a row-at-a-time stream: the stream
 * machinery cost more than the CSV itself; each await lets the till's own work run between them.
 */
export async function writeExportCsv(rows: Iterable<ExportCells>, outPath: string): Promise<void> {
  const partial = `${outPath}.partial`;
  const file = await open(partial, 'w');
  try {
    let batch = stringify([], { header: true, bom: true, columns: [...EXPORT_COLUMNS] });
    let lines = 0;
    for (const row of rows) {
      batch += csvLine(row);
      lines += 1;
      if (lines % EXPORT_BATCH_ROWS === 0) {
        await file.write(batch);
        batch = '';
      }
    }
    if (batch.length > 0) await file.write(batch);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(partial, outPath);
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LedgerDatabase } from '../../electron/services/ledger/database';
import type { LedgerStore } from '../../electron/services/ledger/ledgerStore';
import { csvLine, EXPORT_COLUMNS, exportDay } from '../../electron/services/reports/dayExport';
import { hongKongDayRange } from '../../shared/hkTime';
import { closeTestLedger, openTestLedger, orderFields, paidOrder, type TestFolder } from '../support/ledger';

/**
 * The day's export as a file: its lines are what csv-stringify writes, and it takes its own
 * environment's rows out of a day that had others, naming them, from a real SQLite file.
 */

describe('a CSV line', () => {
  it('is what csv-stringify writes for the same cells, whatever they hold', () => {
    const cell = fc.array(fc.constantFrom('a', '1', ' ', ',', '"', '\n', '\r', "'", '=', '-', '凍', '檸'), { maxLength: 6 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(fc.array(cell, { minLength: 1, maxLength: EXPORT_COLUMNS.length }), (cells) => {
        expect(csvLine(cells)).toBe(stringify([cells]));
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('a day with two environments', () => {
  let folder: TestFolder;
  let db: LedgerDatabase;
  let store: LedgerStore;
  beforeEach(() => {
    ({ folder, db, store } = openTestLedger('qfpos-export-'));
  });
  afterEach(() => closeTestLedger(db, folder));

  const paid = (outTradeNo: string, environment: string, createdAt: number, paidAt: number, goodsName: string | null = null) =>
    paidOrder(store, orderFields({ outTradeNo, environment, goodsName, createdAt }), { shownAt: createdAt + 1, paidAt });

  it('writes only its own environment, the late payment of the day before first, and names the others', async () => {
    const { start } = hongKongDayRange('2026-11-20');
    paid('P-LATE', 'production', start - 60_000, start + 30_000);
    paid('P-DAY', 'production', start + 3_600_000, start + 3_600_500, '=SUM(A1)');
    paid('D-DAY', 'demo', start + 7_200_000, start + 7_200_500);
    const file = join(folder.path, 'production.csv');
    const summary = await exportDay(join(folder.path, 'till.sqlite'), '2026-11-20', file, { environment: 'production', now: start + 86_000_000 });
    const rows = parse(readFileSync(file), { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((row) => [row.out_trade_no, row.environment, row.row_net_on_day])).toEqual([
      ['P-LATE', 'production', '12.50'],
      ['P-DAY', 'production', '12.50'],
    ]);
    expect(rows[1]?.goods_name).toBe("'=SUM(A1)");
    expect(summary).toMatchObject({ payments: 2, refunds: 0, net: 2_500, otherEnvironments: ['demo'] });

    const demo = await exportDay(join(folder.path, 'till.sqlite'), '2026-11-20', join(folder.path, 'demo.csv'), { environment: 'demo', now: start + 86_000_000 });
    expect(demo).toMatchObject({ payments: 1, net: 1_250, otherEnvironments: ['production'] });
  });
});

describe('a range of days', () => {
  let folder: TestFolder;
  let db: LedgerDatabase;
  let store: LedgerStore;
  beforeEach(() => {
    ({ folder, db, store } = openTestLedger('qfpos-export-range-'));
  });
  afterEach(() => closeTestLedger(db, folder));

  it('is one file: each row once, the late payment from before the range first, the net that of the whole range', async () => {
    const first = hongKongDayRange('2026-11-20').start;
    const last = hongKongDayRange('2026-11-22').start;
    const paid = (outTradeNo: string, createdAt: number, paidAt: number) => paidOrder(store, orderFields({ outTradeNo, environment: 'production', createdAt }), { shownAt: createdAt + 1, paidAt });
    paid('P-BEFORE', first - 60_000, first + 30_000);
    paid('P-20', first + 3_600_000, first + 3_600_500);
    // Made on the 21st at 23:59, paid after midnight: once in the range's file, with its net.
    paid('P-MIDNIGHT', last - 60_000, last + 60_000);
    paid('P-22', last + 7_200_000, last + 7_200_500);
    paid('P-AFTER', last + 86_400_000 + 1_000, last + 86_400_000 + 2_000);
    const file = join(folder.path, 'range.csv');
    const summary = await exportDay(join(folder.path, 'till.sqlite'), '2026-11-20', file, { environment: 'production', now: last + 86_000_000, to: '2026-11-22' });
    const rows = parse(readFileSync(file), { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((row) => [row.out_trade_no, row.row_net_on_day])).toEqual([
      ['P-BEFORE', '12.50'],
      ['P-20', '12.50'],
      ['P-MIDNIGHT', '12.50'],
      ['P-22', '12.50'],
    ]);
    expect(summary).toMatchObject({ day: '2026-11-20', to: '2026-11-22', payments: 4, refunds: 0, net: 5_000 });
  });
});

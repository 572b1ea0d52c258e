import type pg from 'pg';
import { hongKongDayRange } from '../../../shared/hkTime';
import type { StoreDayView, StoreOrderRow, StoreViewFilters } from '../../../shared/ipc/contract';
import type { PeriodReport } from '../../../shared/ledger/reportTypes';
import { storeRefundedColumn } from './storeRefunded';
import { storeDay } from './storeReport';

/** The most orders the store view lists at once; the export holds them all. */
export const STORE_VIEW_ROWS = 500;

/**
 * The manager's store view from the head office: the day's totals across every till (by till
 * and by wallet, whatever the filters), the day's orders as filtered, and every Z report of any
 * till that touches the day.
 */
export async function storeDayView(client: pg.Pool | pg.PoolClient, day: string, filters: StoreViewFilters = {}): Promise<Omit<StoreDayView, 'headOffice' | 'confirmations'>> {
  const { start, end } = hongKongDayRange(day);
  const report = await storeDay(client, day);
  const where = `o.created_at >= $1 AND o.created_at < $2 AND ($3::text IS NULL OR o.till_id = $3) AND ($4::text IS NULL OR o.wallet = $4) AND ($5::text IS NULL OR o.state = $5)`;
  const parameters = [start, end, filters.tillId ?? null, filters.wallet ?? null, filters.state ?? null];
  const listed = await client.query<{ till_id: string; out_trade_no: string; created_at: string; environment: string; wallet: StoreOrderRow['wallet']; amount: string; state: StoreOrderRow['state']; refunded: string }>(
    `SELECT o.till_id, o.out_trade_no, o.created_at, o.environment, o.wallet, o.amount, o.state,
            ${storeRefundedColumn('o')}
       FROM orders o WHERE ${where} ORDER BY o.created_at DESC, o.till_id LIMIT ${STORE_VIEW_ROWS}`,
    parameters,
  );
  const counted = await client.query<{ count: string }>(`SELECT COUNT(*) AS count FROM orders o WHERE ${where}`, parameters);
  const tills = await client.query<{ till_id: string; last_shipped: Date }>('SELECT till_id, last_shipped FROM tills ORDER BY till_id');
  const zReports = await client.query<{ till_id: string; number: number; opened_at: string; closed_at: string; report: PeriodReport }>(
    'SELECT till_id, number, opened_at, closed_at, report FROM z_reports WHERE closed_at >= $1 AND opened_at < $2 ORDER BY till_id, number',
    [start, end],
  );
  return {
    day,
    tills: tills.rows.map((row) => ({ tillId: row.till_id, lastShipped: row.last_shipped.getTime() })),
    store: report.store,
    byTill: report.byTill,
    books: report.books,
    orders: listed.rows.map((row) => ({
      tillId: row.till_id,
      outTradeNo: row.out_trade_no,
      createdAt: Number(row.created_at),
      environment: row.environment,
      wallet: row.wallet,
      amount: Number(row.amount),
      state: row.state,
      refunded: Number(row.refunded),
    })),
    matching: Number(counted.rows[0]?.count ?? 0),
    zReports: zReports.rows.map((row) => ({ tillId: row.till_id, number: row.number, openedAt: Number(row.opened_at), closedAt: Number(row.closed_at), environments: row.report.environments })),
  };
}

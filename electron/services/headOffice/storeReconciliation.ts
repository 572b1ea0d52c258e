import type pg from 'pg';
import { dayWindow, hongKongDay, hongKongDayRange } from '../../../shared/hkTime';
import type { PaymentState, RefundState } from '../../../shared/ledger/lifecycle';
import { reconcileRecords, type LedgerPayment, type LedgerRefund, type ReconciliationResult } from '../../../shared/ledger/reconcileDay';
import type { QueryRecord } from '../../../shared/qfpay/responses';
import { askForUnlisted, DayInFuture, ReconciliationUnavailable } from '../reports/reconciliation';
import type { Till } from '../till/till';

/**
 * A day compared with QFPay across the store: QFPay's records of the merchant's day (read by this
 * till, within its share of the call limit) against every till's items at the head office, so that
 * a payment made at another counter of the same merchant is matched, not "not in this ledger".
 *
 * Only items made through this till's merchant (environment, app code and mchid) are compared;
 * the others are counted as another gateway's. The head office's copy is as fresh as each till's
 * last shipment: a till that has not shipped its latest sales shows them at QFPay only, with
 * QFPay's `udid` naming the device, and `behind` says how many tills were not in sync.
 */
export interface StoreReconciliation extends ReconciliationResult {
  readonly tills: readonly string[];
}

interface StoreOrder {
  till_id: string;
  out_trade_no: string;
  syssn: string | null;
  sysdtm: string | null;
  amount: string;
  state: PaymentState;
  attention: string | null;
  created_at: string;
}

interface StoreRefund {
  till_id: string;
  out_trade_no: string;
  order_out_trade_no: string;
  syssn: string | null;
  sysdtm: string | null;
  amount: string;
  state: RefundState;
  attention: string | null;
  created_at: string;
}

const MERCHANT = `o.environment = $1 AND o.app_code = $2 AND COALESCE(o.mchid, '') = $3`;
const ORDER_COLUMNS = 'o.till_id, o.out_trade_no, o.syssn, o.sysdtm, o.amount, o.state, o.attention, o.created_at';
const REFUND_COLUMNS = 'r.till_id, r.out_trade_no, r.order_out_trade_no, r.syssn, r.sysdtm, r.amount, r.state, r.attention, r.created_at';
const REFUND_JOIN = 'refunds r JOIN orders o ON o.till_id = r.till_id AND o.out_trade_no = r.order_out_trade_no';

const PAID: readonly string[] = ['paid', 'paid_late'];

export async function reconcileStoreDay(client: pg.Pool | pg.PoolClient, till: Till, day: string, clock: () => number = Date.now): Promise<StoreReconciliation> {
  if (day > hongKongDay(clock())) throw new DayInFuture(day);
  const { environment, appCode, mchid } = till.settings.gateway;
  const merchant = [environment, appCode, mchid ?? ''];
  const fetched = await till.recordsInWindow(dayWindow(day));
  if (!fetched.ok) throw new ReconciliationUnavailable(fetched.failure);
  const records: QueryRecord[] = [...fetched.records];
  let requests = fetched.calls;

  const { start, end } = hongKongDayRange(day);
  const payments = new Map<string, StoreOrder>();
  const refunds = new Map<string, StoreRefund>();
  const key = (row: { till_id: string; out_trade_no: string }) => `${row.till_id}\u0000${row.out_trade_no}`;
  const dayOrders = await client.query<StoreOrder>(`SELECT ${ORDER_COLUMNS} FROM orders o WHERE ${MERCHANT} AND o.created_at >= $4 AND o.created_at < $5`, [...merchant, start, end]);
  for (const row of dayOrders.rows) payments.set(key(row), row);
  const dayRefunds = await client.query<StoreRefund>(`SELECT ${REFUND_COLUMNS} FROM ${REFUND_JOIN} WHERE ${MERCHANT} AND r.created_at >= $4 AND r.created_at < $5`, [...merchant, start, end]);
  for (const row of dayRefunds.rows) refunds.set(key(row), row);
  const other = await client.query<{ count: string }>(`SELECT COUNT(*) AS count FROM orders o WHERE o.created_at >= $1 AND o.created_at < $2 AND NOT (o.environment = $3 AND o.app_code IS NOT DISTINCT FROM $4 AND COALESCE(o.mchid, '') = $5)`, [start, end, ...merchant]);

  // Records of the day whose items a till holds under another day (made a second before midnight).
  const syssns = records.map((record) => record.syssn);
  const numbers = records.flatMap((record) => (record.out_trade_no ? [record.out_trade_no] : []));
  const elsewhere = await client.query<StoreRefund>(`SELECT ${REFUND_COLUMNS} FROM ${REFUND_JOIN} WHERE ${MERCHANT} AND (r.syssn = ANY($4::text[]) OR r.out_trade_no = ANY($5::text[]))`, [...merchant, syssns, numbers]);
  for (const row of elsewhere.rows) refunds.set(key(row), row);
  const elsewhereOrders = await client.query<StoreOrder>(`SELECT ${ORDER_COLUMNS} FROM orders o WHERE ${MERCHANT} AND (o.syssn = ANY($4::text[]) OR o.out_trade_no = ANY($5::text[]))`, [...merchant, syssns, numbers]);
  for (const row of elsewhereOrders.rows) payments.set(key(row), row);

  const asItem = (row: StoreOrder | StoreRefund) => ({ outTradeNo: row.out_trade_no, syssn: row.syssn, sysdtm: row.sysdtm, createdAt: Number(row.created_at) });
  requests += await askForUnlisted(till, records, [
    ...[...payments.values()].filter((row) => PAID.includes(row.state)).map(asItem),
    ...[...refunds.values()].filter((row) => row.state === 'succeeded').map(asItem),
  ]);

  const result = reconcileRecords(
    { day, environment, checkedAt: clock(), requests, otherGateway: Number(other.rows[0]?.count ?? 0) },
    records,
    {
      payments: [...payments.values()].map((row): LedgerPayment => ({ outTradeNo: row.out_trade_no, syssn: row.syssn, amount: Number(row.amount), state: row.state, attention: row.attention })),
      refunds: [...refunds.values()].map(
        (row): LedgerRefund => ({ outTradeNo: row.out_trade_no, syssn: row.syssn, amount: Number(row.amount), state: row.state, attention: row.attention, paymentOutTradeNo: row.order_out_trade_no }),
      ),
    },
  );
  const tills = [...new Set([...payments.values(), ...refunds.values()].map((row) => row.till_id))].sort();
  return { ...result, tills };
}

import { dayWindow, hongKongDay, hongKongDayRange, hongKongMonth, isWellFormedTimestamp, monthWindow } from '../../../shared/hkTime';
import { noteOf, reconcileRecords, type LedgerPayment, type LedgerRefund, type ReconciliationResult } from '../../../shared/ledger/reconcileDay';
import type { ReconciliationNote } from '../../../shared/ledger/reportTypes';
import type { QueryRecord } from '../../../shared/qfpay/responses';
import type { LedgerStore, OrderRecord, RefundRecord } from '../ledger/ledgerStore';
import type { Till } from '../till/till';

/**
 * A Hong Kong business day compared with QFPay: every record QFPay holds for the day (a
 * start_time/end_time window, 100 a page), matched with the ledger by out_trade_no and syssn.
 * Each run is kept in the ledger, so the day view and the Z report can state the latest one.
 */

export class ReconciliationUnavailable extends Error {
  constructor(readonly reason: string) {
    super(`QFPay could not be asked: ${reason}`);
    this.name = 'ReconciliationUnavailable';
  }
}

export class DayInFuture extends Error {
  constructor(readonly day: string) {
    super(`${day} has not happened yet in Hong Kong`);
    this.name = 'DayInFuture';
  }
}

const PAID: readonly string[] = ['paid', 'paid_late'];

const toPayment = (order: OrderRecord): LedgerPayment => ({ outTradeNo: order.outTradeNo, syssn: order.syssn, amount: order.amount, state: order.state, attention: order.attention });

export async function reconcileDay(runtime: { store: LedgerStore; till: Till; clock: () => number }, day: string): Promise<ReconciliationResult> {
  const { store, till } = runtime;
  if (day > hongKongDay(runtime.clock())) throw new DayInFuture(day);
  const fetched = await till.recordsInWindow(dayWindow(day));
  if (!fetched.ok) throw new ReconciliationUnavailable(fetched.failure);
  const records: QueryRecord[] = [...fetched.records];
  let requests = fetched.calls;

  const { start, end } = hongKongDayRange(day);
  const dayOrders = store.ordersCreatedBetween(start, end);
  const payments = new Map<number, OrderRecord>();
  const refunds = new Map<number, RefundRecord>();
  for (const order of dayOrders) if (till.isMine(order)) payments.set(order.id, order);
  for (const refund of store.refundsCreatedBetween(start, end)) if (till.isMine(store.order(refund.orderId))) refunds.set(refund.id, refund);
  const otherGateway = dayOrders.length - payments.size;

  // A record of the day whose item the ledger holds under another day (made a second before midnight).
  for (const record of records) {
    const number = record.out_trade_no ?? '';
    const refund = store.refundBySyssn(record.syssn) ?? (number ? store.refundByNumber(number) : undefined);
    if (refund && till.isMine(store.order(refund.orderId))) {
      refunds.set(refund.id, refund);
      continue;
    }
    const order = store.orderBySyssn(record.syssn) ?? (number ? store.orderByNumber(number) : undefined);
    if (order && till.isMine(order)) payments.set(order.id, order);
  }

  requests += await askForUnlisted(till, records, [
    ...[...payments.values()].filter((order) => PAID.includes(order.state)),
    ...[...refunds.values()].filter((refund) => refund.state === 'succeeded'),
  ]);

  const result = reconcileRecords(
    { day, environment: till.settings.gateway.environment, checkedAt: runtime.clock(), requests, otherGateway },
    records,
    {
      payments: [...payments.values()].map(toPayment),
      refunds: [...refunds.values()].map(
        (refund): LedgerRefund => ({
          outTradeNo: refund.outTradeNo,
          syssn: refund.syssn,
          amount: refund.amount,
          state: refund.state,
          attention: refund.attention,
          paymentOutTradeNo: store.order(refund.orderId).outTradeNo,
        }),
      ),
    },
  );
  store.saveReconciliation(result);
  return result;
}

/** An item holding money, as the day's comparison needs to ask QFPay about it. */
export interface MoneyItem {
  readonly outTradeNo: string;
  readonly syssn: string | null;
  readonly sysdtm: string | null;
  readonly createdAt: number;
}

/**
 * Money the books hold that QFPay's day does not list: QFPay may have filed it under the next
 * day. Asks for those by number, in their own months, before anyone calls it a difference; adds
 * what QFPay holds to `records` and returns the calls it took.
 */
export async function askForUnlisted(till: Till, records: QueryRecord[], withMoney: readonly MoneyItem[]): Promise<number> {
  const listed = new Set(records.flatMap((record) => [record.syssn, record.out_trade_no ?? '']));
  const byMonth = new Map<string, string[]>();
  for (const item of withMoney) {
    if (listed.has(item.outTradeNo) || (item.syssn && listed.has(item.syssn))) continue;
    const month = item.sysdtm && isWellFormedTimestamp(item.sysdtm) ? item.sysdtm.slice(0, 7) : hongKongMonth(item.createdAt);
    byMonth.set(month, [...(byMonth.get(month) ?? []), item.outTradeNo]);
  }
  let calls = 0;
  for (const [month, numbers] of byMonth) {
    const more = await till.recordsInWindow(monthWindow(month), numbers);
    calls += more.calls;
    if (!more.ok) throw new ReconciliationUnavailable(more.failure);
    records.push(...more.records.filter((record) => !listed.has(record.syssn)));
  }
  return calls;
}

/** How many of the most recent days a close compares with QFPay; older days are named, not checked. */
export const CLOSE_RECONCILES_DAYS = 7;

/**
 * Compares each business day a period touches with QFPay, for the Z report to state. A day that
 * cannot be checked (QFPay unreachable, too old) is stated as such; it never blocks a close.
 */
export async function reconcilePeriodDays(runtime: { store: LedgerStore; till: Till; clock: () => number }, days: readonly string[]): Promise<ReconciliationNote[]> {
  const notes: ReconciliationNote[] = [];
  const environment = runtime.till.settings.gateway.environment;
  const recent = new Set(days.slice(-CLOSE_RECONCILES_DAYS));
  for (const day of days) {
    const unchecked = (notChecked: NonNullable<ReconciliationNote['notChecked']>): ReconciliationNote => ({ day, environment, checkedAt: null, agrees: false, matched: 0, differences: 0, atQfpayOnly: 0, stillOpen: 0, notChecked });
    if (!recent.has(day)) {
      notes.push(unchecked({ code: 'too_old', days: CLOSE_RECONCILES_DAYS }));
      continue;
    }
    try {
      notes.push(noteOf(await reconcileDay(runtime, day)));
    } catch (error) {
      if (error instanceof ReconciliationUnavailable) notes.push(unchecked({ code: 'unreachable', detail: error.reason }));
      else throw error;
    }
  }
  return notes;
}

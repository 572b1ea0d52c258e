import { ACTIVE_PAYMENT_STATES, type PaymentState } from '../../../../shared/ledger/lifecycle';
import type { WalletId } from '../../../../shared/wallets';
import type { LedgerDatabase } from '../database';
import { toOrder, type OrderRecord, type OrderRow } from '../records';
import { refundedColumn } from './refunded';
import { containsSearch, searchParameters, type SearchParameters } from './search';

/** Reading orders, each with how much of it is refunded: statements prepared once per ledger store. */

const orderSelect = (from: string) => `SELECT o.*, ${refundedColumn('o')} FROM ${from}`;
const ORDER_SELECT = orderSelect('orders o');
/**
 * Without statistics SQLite takes `attention IS NOT NULL` for most rows and reads the whole table
 * in id order; the few items before a manager are found through their partial indexes instead.
 */
const FLAGGED_ORDERS = orderSelect('orders o INDEXED BY orders_attention');

/**
 * A page of the orders made in [start, end) (a day, or a range of days), filtered by wallet and
 * state when they are given (null: any) and by what the manager typed (`search`: see search.ts).
 */
export interface DayPage {
  start: number;
  end: number;
  wallet: WalletId | null;
  state: PaymentState | null;
  limit: number;
  offset: number;
  search?: string | null;
}
type DayFilter = Pick<DayPage, 'start' | 'end' | 'wallet' | 'state'> & SearchParameters;
// Search: the order's trade number or QFPay's number (syssn) contains the text, or the text is its amount.
const ORDERS_OF_DAY = `o.created_at >= @start AND o.created_at < @end AND (@wallet IS NULL OR o.wallet = @wallet) AND (@state IS NULL OR o.state = @state)
  AND (@pattern IS NULL OR ${containsSearch('o.out_trade_no')} OR ${containsSearch('o.syssn')} OR o.amount = @amount)`;

export const inList = (states: readonly string[]) => states.map((state) => `'${state}'`).join(', ');

export function orderQueries(db: LedgerDatabase) {
  const statements = {
    byId: db.prepare<[number], OrderRow>(`${ORDER_SELECT} WHERE o.id = ?`),
    byNumber: db.prepare<[string], OrderRow>(`${ORDER_SELECT} WHERE o.out_trade_no = ?`),
    bySyssn: db.prepare<[string], OrderRow>(`${ORDER_SELECT} WHERE o.syssn = ?`),
    active: db.prepare<[], OrderRow>(`${ORDER_SELECT} WHERE o.state IN (${inList(ACTIVE_PAYMENT_STATES)}) ORDER BY o.id`),
    unsettled: db.prepare<[], OrderRow>(`${ORDER_SELECT} WHERE o.state IN ('expired', 'cancelled', 'failed') AND o.gateway_settled = 0 ORDER BY o.id`),
    // A close or reversal that never left the till (no call free, or the connection was never
    // made) is still owed; one that was answered, however, or may have arrived, is not sent again.
    // Only until QFPay's own deadline: older unsettled orders (wallets QFPay cannot close) pile up
    // over the months, and this runs after every check.
    withdrawalsOwed: db.prepare<[number], OrderRow>(
      `${ORDER_SELECT} WHERE o.gateway_settled = 0 AND o.gateway_deadline > ?
         AND (o.state IN ('expired', 'cancelled', 'failed') OR (o.state = 'unknown' AND o.mode = 'cpm' AND o.cancel_requested_at IS NOT NULL))
         AND NOT EXISTS (SELECT 1 FROM gateway_calls c WHERE c.order_id = o.id AND c.endpoint IN ('close', 'reversal')
                         AND NOT (c.result_kind = 'unknown' AND c.detail LIKE 'not_sent:%'))
       ORDER BY o.id`,
    ),
    flagged: db.prepare<[], OrderRow>(`${FLAGGED_ORDERS} WHERE o.attention IS NOT NULL ORDER BY o.id`),
    createdBetween: db.prepare<[number, number], OrderRow>(`${ORDER_SELECT} WHERE o.created_at >= ? AND o.created_at < ? ORDER BY o.id`),
    ofDay: db.prepare<DayFilter & Pick<DayPage, 'limit' | 'offset'>, OrderRow>(`${ORDER_SELECT} WHERE ${ORDERS_OF_DAY} ORDER BY o.id LIMIT @limit OFFSET @offset`),
    countOfDay: db.prepare<DayFilter, { count: number }>(`SELECT COUNT(*) AS count FROM orders o WHERE ${ORDERS_OF_DAY}`),
    latePaymentsOfDay: db.prepare<[number, number], OrderRow>(`${ORDER_SELECT} WHERE o.state = 'paid_late' AND o.created_at >= ? AND o.created_at < ? ORDER BY o.id`),
    recent: db.prepare<[number], OrderRow>(`${ORDER_SELECT} ORDER BY o.id DESC LIMIT ?`),
    paidLate: db.prepare<[], OrderRow>(`${ORDER_SELECT} WHERE o.state = 'paid_late' ORDER BY o.id`),
  };
  const maybe = (row: OrderRow | undefined) => (row ? toOrder(row) : undefined);
  return {
    byId: (id: number): OrderRecord | undefined => maybe(statements.byId.get(id)),
    byNumber: (outTradeNo: string) => maybe(statements.byNumber.get(outTradeNo)),
    bySyssn: (syssn: string) => maybe(statements.bySyssn.get(syssn)),
    active: () => statements.active.all().map(toOrder),
    unsettled: () => statements.unsettled.all().map(toOrder),
    withdrawalsOwed: (now: number) => statements.withdrawalsOwed.all(now).map(toOrder),
    flagged: () => statements.flagged.all().map(toOrder),
    createdBetween: (from: number, to: number) => statements.createdBetween.all(from, to).map(toOrder),
    /** The same, one row at a time, for exports of large days. */
    iterateCreatedBetween: (from: number, to: number) => mapIterator(statements.createdBetween.iterate(from, to), toOrder),
    /** A page of the orders made in [start, end), oldest first, and how many match in all. */
    ofDay(page: DayPage): { matching: number; orders: OrderRecord[] } {
      const filter: DayFilter = { start: page.start, end: page.end, wallet: page.wallet, state: page.state, ...searchParameters(page.search) };
      return { matching: statements.countOfDay.get(filter)?.count ?? 0, orders: statements.ofDay.all({ ...filter, limit: page.limit, offset: page.offset }).map(toOrder) };
    },
    latePaymentsOfDay: (start: number, end: number) => statements.latePaymentsOfDay.all(start, end).map(toOrder),
    recent: (limit: number) => statements.recent.all(limit).map(toOrder),
    paidLate: () => statements.paidLate.all().map(toOrder),
  };
}

function* mapIterator<T, U>(rows: IterableIterator<T>, map: (row: T) => U): Generator<U> {
  for (const row of rows) yield map(row);
}

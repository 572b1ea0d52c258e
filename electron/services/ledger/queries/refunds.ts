import { ACTIVE_REFUND_STATES } from '../../../../shared/ledger/lifecycle';
import type { LedgerDatabase } from '../database';
import { toRefund, type RefundRecord, type RefundRow } from '../records';
import { inList, type DayPage } from './orders';
import { containsSearch, searchParameters, type SearchParameters } from './search';

/** A page of the refunds made in [start, end), and what the manager typed to find one (search.ts). */
export type RefundPage = Pick<DayPage, 'start' | 'end' | 'limit' | 'offset' | 'search'> & { readonly wallet?: DayPage['wallet'] };
type RefundFilter = Pick<DayPage, 'start' | 'end' | 'wallet'> & SearchParameters;
// Search: the refund's own trade number, its order's, or its syssn contains the text, or the text is its amount.
// The wallet is its order's: the manager's wallet filter narrows the refunds as it does the orders.
const REFUNDS_OF_DAY = `r.created_at >= @start AND r.created_at < @end
  AND (@wallet IS NULL OR (SELECT o.wallet FROM orders o WHERE o.id = r.order_id) = @wallet)
  AND (@pattern IS NULL OR ${containsSearch('r.out_trade_no')} OR ${containsSearch('(SELECT o.out_trade_no FROM orders o WHERE o.id = r.order_id)')}
       OR ${containsSearch('r.syssn')} OR r.amount = @amount)`;

/** Reading refunds: statements prepared once per ledger store. */
export function refundQueries(db: LedgerDatabase) {
  const statements = {
    byId: db.prepare<[number], RefundRow>('SELECT * FROM refunds WHERE id = ?'),
    byNumber: db.prepare<[string], RefundRow>('SELECT * FROM refunds WHERE out_trade_no = ?'),
    bySyssn: db.prepare<[string], RefundRow>('SELECT * FROM refunds WHERE syssn = ?'),
    of: db.prepare<[number], RefundRow>('SELECT * FROM refunds WHERE order_id = ? ORDER BY id'),
    active: db.prepare<[], RefundRow>(`SELECT * FROM refunds WHERE state IN (${inList(ACTIVE_REFUND_STATES)}) ORDER BY id`),
    flagged: db.prepare<[], RefundRow>('SELECT * FROM refunds INDEXED BY refunds_attention WHERE attention IS NOT NULL ORDER BY id'),
    createdBetween: db.prepare<[number, number], RefundRow>('SELECT * FROM refunds WHERE created_at >= ? AND created_at < ? ORDER BY id'),
    ofDay: db.prepare<RefundFilter & Pick<DayPage, 'limit' | 'offset'>, RefundRow>(`SELECT r.* FROM refunds r WHERE ${REFUNDS_OF_DAY} ORDER BY r.id LIMIT @limit OFFSET @offset`),
    countOfDay: db.prepare<RefundFilter, { count: number }>(`SELECT COUNT(*) AS count FROM refunds r WHERE ${REFUNDS_OF_DAY}`),
    // Refunds that may still take money back: every one but the failed (an unanswered one may yet succeed).
    committed: db.prepare<[number], { total: number }>(`SELECT COALESCE(SUM(amount), 0) AS total FROM refunds WHERE order_id = ? AND state <> 'failed'`),
  };
  const maybe = (row: RefundRow | undefined) => (row ? toRefund(row) : undefined);
  return {
    byId: (id: number): RefundRecord | undefined => maybe(statements.byId.get(id)),
    byNumber: (outTradeNo: string) => maybe(statements.byNumber.get(outTradeNo)),
    bySyssn: (syssn: string) => maybe(statements.bySyssn.get(syssn)),
    of: (orderId: number) => statements.of.all(orderId).map(toRefund),
    active: () => statements.active.all().map(toRefund),
    flagged: () => statements.flagged.all().map(toRefund),
    createdBetween: (from: number, to: number) => statements.createdBetween.all(from, to).map(toRefund),
    ofDay(page: RefundPage): { matching: number; refunds: RefundRecord[] } {
      const filter: RefundFilter = { start: page.start, end: page.end, wallet: page.wallet ?? null, ...searchParameters(page.search) };
      return { matching: statements.countOfDay.get(filter)?.count ?? 0, refunds: statements.ofDay.all({ ...filter, limit: page.limit, offset: page.offset }).map(toRefund) };
    },
    /** The amounts of an order's refunds that succeeded or may still succeed. */
    committed: (orderId: number) => statements.committed.get(orderId)?.total ?? 0,
  };
}

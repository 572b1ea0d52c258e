import { ACTIVE_REFUND_STATES } from '../../../../shared/ledger/lifecycle';
import type { LedgerDatabase } from '../database';
import { toRefund, type RefundRecord, type RefundRow } from '../records';
import { inList, type DayPage } from './orders';

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
    ofDay: db.prepare<Pick<DayPage, 'start' | 'end' | 'limit' | 'offset'>, RefundRow>('SELECT * FROM refunds WHERE created_at >= @start AND created_at < @end ORDER BY id LIMIT @limit OFFSET @offset'),
    countOfDay: db.prepare<[number, number], { count: number }>('SELECT COUNT(*) AS count FROM refunds WHERE created_at >= ? AND created_at < ?'),
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
    ofDay(page: Pick<DayPage, 'start' | 'end' | 'limit' | 'offset'>): { matching: number; refunds: RefundRecord[] } {
      return { matching: statements.countOfDay.get(page.start, page.end)?.count ?? 0, refunds: statements.ofDay.all(page).map(toRefund) };
    },
    /** The amounts of an order's refunds that succeeded or may still succeed. */
    committed: (orderId: number) => statements.committed.get(orderId)?.total ?? 0,
  };
}

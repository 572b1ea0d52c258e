/**
 * How much of each order is refunded: the sum of its succeeded refunds, 0 when it has none. The
 * one definition of it in the till's ledger: every query that reads orders with their refunded
 * amount (the order records, the day's export, the benches' sqlite3 comparisons) selects this
 * column, so they cannot come to disagree about which refunds count.
 *
 * A correlated sum over `refunds_order` (the refunds of one order are few): cheaper, for a page or
 * a day of orders, than grouping every refund of the day and joining the groups.
 *
 * The head office's copy of the books keys refunds differently (till and trade number, in
 * PostgreSQL): its twin is headOffice/storeRefunded.ts.
 */
export function refundedColumn(order = 'o'): string {
  return `COALESCE((SELECT SUM(r.amount) FROM refunds r WHERE r.order_id = ${order}.id AND r.state = 'succeeded'), 0) AS refunded`;
}

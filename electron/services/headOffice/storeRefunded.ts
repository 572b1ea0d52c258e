/**
 * How much of each order in the head office's copy is refunded: the sum of its succeeded refunds,
 * 0 when it has none. The one definition of it in the head office's PostgreSQL: the store's view
 * and its export both select this column. The till's own ledger has its twin in
 * ledger/queries/refunded.ts (refunds there point at their order's id; here at its till and trade number).
 */
export function storeRefundedColumn(order = 'o'): string {
  return `COALESCE((SELECT SUM(r.amount) FROM refunds r WHERE r.till_id = ${order}.till_id AND r.order_out_trade_no = ${order}.out_trade_no AND r.state = 'succeeded'), 0) AS refunded`;
}

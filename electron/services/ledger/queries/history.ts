import type { LedgerDatabase } from '../database';
import { toHistory, type HistoryRow } from '../records';

/** Reading the history rows (transitions): an item's own, the newest, and where money moved. */
export function historyQueries(db: LedgerDatabase) {
  const statements = {
    ofOrder: db.prepare<[number], HistoryRow>('SELECT from_state, to_state, cause, detail, at FROM transitions WHERE order_id = ? ORDER BY id'),
    ofRefund: db.prepare<[number], HistoryRow>('SELECT from_state, to_state, cause, detail, at FROM transitions WHERE refund_id = ? ORDER BY id'),
    lastId: lastTransitionStatement(db),
  };
  return {
    ofOrder: (orderId: number) => statements.ofOrder.all(orderId).map(toHistory),
    ofRefund: (refundId: number) => statements.ofRefund.all(refundId).map(toHistory),
    lastId: () => statements.lastId.get()?.id ?? 0,
  };
}

const lastTransitionStatement = (db: LedgerDatabase) => db.prepare<[], { id: number | null }>('SELECT MAX(id) AS id FROM transitions');

/** The newest history row's id (0 in a ledger with none): Z periods and shipments are bounded by these ids. */
export const lastTransitionId = (db: LedgerDatabase): number => lastTransitionStatement(db).get()?.id ?? 0;

/** The history rows where these orders' money came in and these refunds' went out (their first), in two queries. */
export function moneyTransitionsOf(db: LedgerDatabase, orderIds: readonly number[], refundIds: readonly number[]): { orders: Map<number, number>; refunds: Map<number, number> } {
  const lookup = (column: 'order_id' | 'refund_id', states: string, ids: readonly number[]) => {
    const found = new Map<number, number>();
    // json_each keeps it one statement however many ids a day has.
    const rows = db
      .prepare<[string], { owner: number; id: number }>(`SELECT ${column} AS owner, MIN(id) AS id FROM transitions WHERE ${column} IN (SELECT value FROM json_each(?)) AND to_state IN (${states}) GROUP BY ${column}`)
      .all(JSON.stringify(ids));
    for (const row of rows) found.set(row.owner, row.id);
    return found;
  };
  return { orders: orderIds.length ? lookup('order_id', "'paid', 'paid_late'", orderIds) : new Map(), refunds: refundIds.length ? lookup('refund_id', "'succeeded'", refundIds) : new Map() };
}

import type { AttentionReason } from '../../../../shared/ledger/evidence';
import type { LedgerDatabase } from '../database';
import { toDecision, type DecisionRow, type ManagerDecision } from '../records';

/** What a manager must look at (an order's or a refund's attention flag), and what a manager decided. */
export function decisionQueries(db: LedgerDatabase) {
  const statements = {
    setOrderAttention: db.prepare<[AttentionReason | null, number | null, number]>('UPDATE orders SET attention = ?, attention_since = ? WHERE id = ?'),
    setRefundAttention: db.prepare<[AttentionReason | null, number | null, number]>('UPDATE refunds SET attention = ?, attention_since = ? WHERE id = ?'),
    insertDecision: db.prepare(`INSERT INTO manager_decisions (order_id, refund_id, decision, reason, attention, at)
      VALUES (@orderId, @refundId, @decision, @reason, @attention, @at)`),
    ofOrder: db.prepare<[number], DecisionRow>('SELECT * FROM manager_decisions WHERE order_id = ? ORDER BY id'),
    ofRefund: db.prepare<[number], DecisionRow>('SELECT * FROM manager_decisions WHERE refund_id = ? ORDER BY id'),
  };
  return {
    /** Flags an item for a manager since `since`, or clears its flag (null, null). */
    setAttention: (table: 'orders' | 'refunds', id: number, reason: AttentionReason | null, since: number | null) =>
      void (table === 'orders' ? statements.setOrderAttention : statements.setRefundAttention).run(reason, since, id),
    insert: (decision: { orderId: number | null; refundId: number | null; decision: ManagerDecision; reason: string; attention: AttentionReason | null; at: number }) =>
      void statements.insertDecision.run(decision),
    ofOrder: (orderId: number) => statements.ofOrder.all(orderId).map(toDecision),
    ofRefund: (refundId: number) => statements.ofRefund.all(refundId).map(toDecision),
  };
}

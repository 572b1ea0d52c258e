import {
  canTransitionPayment,
  canTransitionRefund,
  PAID_STATES,
  type PaymentState,
  type RefundState,
  type TransitionCause,
} from '../../../shared/ledger/lifecycle';
import type { AttentionReason } from '../../../shared/ledger/evidence';
import { BOOKS_BROKEN } from './chain';
import type { LedgerDatabase } from './database';
import type { ManagerDecision, NewOrder, NewRefund, OrderPatch, OrderRecord, RefundPatch, RefundRecord } from './records';
import { decisionQueries } from './queries/decisions';
import { historyQueries } from './queries/history';
import { orderQueries, type DayPage } from './queries/orders';
import { reconciliationQueries } from './queries/reconciliations';
import { refundQueries } from './queries/refunds';
import { writeQueries } from './queries/writes';

export type {
  DecisionRecord,
  GatewayCall,
  ManagerDecision,
  NewOrder,
  NewRefund,
  OrderPatch,
  OrderRecord,
  OrderRow,
  RefundPatch,
  RefundRecord,
  TransitionRecord,
} from './records';

/**
 * The till's ledger: the only code that writes orders and refunds. Every state change is one
 * transaction that checks the transition, updates the row and appends its history. The SQL is the
 * query modules' (queries/); this file holds the rules and the transactions around them.
 */

/** A refusal of the ledger's own rules (not a gateway answer). */
export class LedgerRefusal extends Error {
  constructor(
    readonly code: 'illegal_transition' | 'refund_order_not_paid' | 'refund_exceeds_refundable' | 'duplicate_trade_number' | 'books_broken' | 'payment_in_progress',
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'LedgerRefusal';
  }
}

const ORDER_COLUMNS: Readonly<Record<keyof OrderPatch, string>> = {
  syssn: 'syssn',
  qrcode: 'qrcode',
  sysdtm: 'sysdtm',
  paydtm: 'paydtm',
  respcd: 'respcd',
  message: 'message',
  cancelRequestedAt: 'cancel_requested_at',
  gatewaySettled: 'gateway_settled',
  lastCheckedAt: 'last_checked_at',
};
const REFUND_COLUMNS: Readonly<Record<keyof RefundPatch, string>> = { syssn: 'syssn', sysdtm: 'sysdtm', respcd: 'respcd', message: 'message' };

/** A patch in record terms to SQL columns, through a fixed map (never names from input). */
function toColumns<P extends object>(patch: P, names: Readonly<Record<keyof P, string>>): Record<string, unknown> {
  const columns: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    columns[names[key as keyof P]] = typeof value === 'boolean' ? Number(value) : value;
  }
  return columns;
}

export type LedgerStore = ReturnType<typeof createLedgerStore>;

export function createLedgerStore(db: LedgerDatabase) {
  const orders = orderQueries(db);
  const refunds = refundQueries(db);
  const history = historyQueries(db);
  const decisions = decisionQueries(db);
  const reconciliations = reconciliationQueries(db);
  const writes = writeQueries(db);

  function requireOrder(id: number): OrderRecord {
    const order = orders.byId(id);
    if (!order) throw new Error(`no order ${id}`);
    return order;
  }

  function requireRefund(id: number): RefundRecord {
    const refund = refunds.byId(id);
    if (!refund) throw new Error(`no refund ${id}`);
    return refund;
  }

  /**
   * One state change of an order or a refund: checked against the lifecycle, the row updated and
   * its history appended, in one transaction (the caller's).
   */
  function transition<S extends string, R extends { state: S; outTradeNo: string }>(
    entity: { kind: 'order' | 'refund'; table: 'orders' | 'refunds'; read: (id: number) => R; allowed: (from: S, to: S) => boolean },
    id: number,
    to: S,
    change: { cause: TransitionCause; at: number; columns: Record<string, unknown>; detail?: string },
  ): R {
    const current = entity.read(id);
    if (!entity.allowed(current.state, to)) {
      throw new LedgerRefusal('illegal_transition', `${entity.kind} ${current.outTradeNo} cannot go from ${current.state} to ${to}`, { from: current.state, to });
    }
    writes.update(entity.table, id, { ...change.columns, state: to, updated_at: change.at });
    writes.insertTransition({
      orderId: entity.kind === 'order' ? id : null,
      refundId: entity.kind === 'refund' ? id : null,
      fromState: current.state,
      toState: to,
      cause: change.cause,
      detail: change.detail ?? null,
      at: change.at,
    });
    return entity.read(id);
  }
  const ORDER_ENTITY = { kind: 'order', table: 'orders', read: requireOrder, allowed: canTransitionPayment } as const;
  const REFUND_ENTITY = { kind: 'refund', table: 'refunds', read: requireRefund, allowed: canTransitionRefund } as const;

  const transitionOrder = db.transaction(
    (id: number, to: PaymentState, cause: TransitionCause, at: number, patch: OrderPatch = {}, detail?: string): OrderRecord =>
      transition<PaymentState, OrderRecord>(ORDER_ENTITY, id, to, { cause, at, columns: toColumns(patch, ORDER_COLUMNS), detail }),
  );

  const transitionRefund = db.transaction(
    (id: number, to: RefundState, cause: TransitionCause, at: number, patch: RefundPatch = {}, detail?: string): RefundRecord =>
      transition<RefundState, RefundRecord>(REFUND_ENTITY, id, to, { cause, at, columns: toColumns(patch, REFUND_COLUMNS), detail }),
  );

  const insertOrder = db.transaction((order: NewOrder, onlyIf?: () => OrderRecord | undefined): OrderRecord => {
    // Asked again under the write lock: another process (the CLI beside the app) may have just taken the counter.
    const holding = onlyIf?.();
    if (holding) {
      throw new LedgerRefusal('payment_in_progress', `order ${holding.outTradeNo} is ${holding.state}: finish or cancel it first`, { outTradeNo: holding.outTradeNo, state: holding.state });
    }
    if (writes.tradeNumberExists(order.outTradeNo)) {
      throw new LedgerRefusal('duplicate_trade_number', `out_trade_no ${order.outTradeNo} was used before`);
    }
    writes.insertTradeNumber(order.outTradeNo, 'payment');
    const id = writes.insertOrder(order);
    writes.insertTransition({ orderId: id, refundId: null, fromState: null, toState: 'created', cause: 'charge_requested', detail: null, at: order.createdAt });
    return requireOrder(id);
  });

  const insertRefund = db.transaction((refund: NewRefund): RefundRecord => {
    const order = requireOrder(refund.orderId);
    if (!PAID_STATES.includes(order.state)) {
      throw new LedgerRefusal('refund_order_not_paid', `order ${order.outTradeNo} is ${order.state}, not paid`, { state: order.state });
    }
    // Paid minus refunded minus refunds still in flight: an unanswered refund may yet succeed.
    const refundable = order.amount - refunds.committed(order.id);
    if (refund.amount > refundable) {
      throw new LedgerRefusal('refund_exceeds_refundable', `at most ${refundable} can be refunded`, { refundable });
    }
    if (writes.tradeNumberExists(refund.outTradeNo)) {
      throw new LedgerRefusal('duplicate_trade_number', `out_trade_no ${refund.outTradeNo} was used before`);
    }
    writes.insertTradeNumber(refund.outTradeNo, 'refund');
    const id = writes.insertRefund(refund);
    writes.insertTransition({ orderId: null, refundId: id, fromState: null, toState: 'created', cause: 'refund_requested', detail: null, at: refund.createdAt });
    return requireRefund(id);
  });

  const decideOrder = db.transaction((id: number, decision: { decision: ManagerDecision; reason: string; at: number; to?: PaymentState; settle?: boolean; message?: string }): OrderRecord => {
    const current = requireOrder(id);
    decisions.insert({ orderId: id, refundId: null, decision: decision.decision, reason: decision.reason, attention: current.attention, at: decision.at });
    decisions.setAttention('orders', id, null, null);
    const columns = toColumns({ gatewaySettled: decision.settle, message: decision.message }, ORDER_COLUMNS);
    if (decision.to && decision.to !== current.state) {
      return transition<PaymentState, OrderRecord>(ORDER_ENTITY, id, decision.to, { cause: 'manager_decided', at: decision.at, columns, detail: decision.reason });
    }
    writes.update('orders', id, columns);
    return requireOrder(id);
  });

  const decideRefund = db.transaction((id: number, decision: { decision: ManagerDecision; reason: string; at: number; to?: RefundState }): RefundRecord => {
    const current = requireRefund(id);
    decisions.insert({ orderId: null, refundId: id, decision: decision.decision, reason: decision.reason, attention: current.attention, at: decision.at });
    decisions.setAttention('refunds', id, null, null);
    if (decision.to && decision.to !== current.state) {
      return transition<RefundState, RefundRecord>(REFUND_ENTITY, id, decision.to, { cause: 'manager_decided', at: decision.at, columns: {}, detail: decision.reason });
    }
    return requireRefund(id);
  });

  return {
    db,
    /** Inserts the order and its first history row; committed when this returns. */
    /**
     * Inserts the order under the write lock; `unlessHeld`, if given, names an order that holds the
     * counter (see shared/ledger/saleInProgress), and then nothing is inserted.
     */
    insertOrder: (order: NewOrder, unlessHeld?: () => OrderRecord | undefined) => chained(() => insertOrder.immediate(order, unlessHeld)),
    /** Checks the refundable amount and inserts the refund under the write lock, so racing refunds cannot both pass. */
    insertRefund: (refund: NewRefund) => chained(() => insertRefund.immediate(refund)),
    transitionOrder: (id: number, to: PaymentState, cause: TransitionCause, at: number, patch?: OrderPatch, detail?: string) =>
      chained(() => transitionOrder.immediate(id, to, cause, at, patch, detail)),
    transitionRefund: (id: number, to: RefundState, cause: TransitionCause, at: number, patch?: RefundPatch, detail?: string) =>
      chained(() => transitionRefund.immediate(id, to, cause, at, patch, detail)),
    patchOrder(id: number, patch: OrderPatch): OrderRecord {
      writes.update('orders', id, toColumns(patch, ORDER_COLUMNS));
      return requireOrder(id);
    },
    patchRefund(id: number, patch: RefundPatch): void {
      writes.update('refunds', id, toColumns(patch, REFUND_COLUMNS));
    },
    recordGatewayCall: writes.recordGatewayCall,
    tradeNumberExists: writes.tradeNumberExists,
    order: (id: number) => requireOrder(id),
    orderByNumber: orders.byNumber,
    activeOrders: orders.active,
    /** Not paid at the till, and QFPay has not confirmed that nobody can pay them: watched for a late payment. */
    unsettledOrders: orders.unsettled,
    /** Not paid, not settled, QFPay's deadline not passed, and the till's close or reversal of them never left (see payments.ts `withdrawOwed`). */
    withdrawalsOwed: orders.withdrawalsOwed,
    /** Orders and refunds a manager must look at. */
    flaggedOrders: orders.flagged,
    flaggedRefunds: refunds.flagged,
    flagOrder(id: number, reason: AttentionReason | null, at: number): OrderRecord {
      decisions.setAttention('orders', id, reason, reason === null ? null : at);
      return requireOrder(id);
    },
    flagRefund(id: number, reason: AttentionReason | null, at: number): RefundRecord {
      decisions.setAttention('refunds', id, reason, reason === null ? null : at);
      return requireRefund(id);
    },
    /** Records a manager's decision, its state change (if any) and clears the flag, in one transaction. */
    decideOrder: (id: number, decision: { decision: ManagerDecision; reason: string; at: number; to?: PaymentState; settle?: boolean; message?: string }) =>
      chained(() => decideOrder.immediate(id, decision)),
    decideRefund: (id: number, decision: { decision: ManagerDecision; reason: string; at: number; to?: RefundState }) => chained(() => decideRefund.immediate(id, decision)),
    decisionsOfOrder: decisions.ofOrder,
    decisionsOfRefund: decisions.ofRefund,
    /** The newest history row: Z periods are bounded by these ids, not by clocks. */
    lastTransitionId: history.lastId,
    paidLateOrders: orders.paidLate,
    ordersCreatedBetween: orders.createdBetween,
    /** The same, one row at a time, for exports of large days. */
    iterateOrdersCreatedBetween: orders.iterateCreatedBetween,
    recentOrders: orders.recent,
    /** A page of the orders made in [start, end), oldest first, and how many match in all: a day's screen draws a page. */
    ordersOfDay: (page: DayPage) => orders.ofDay(page),
    refundsOfDay: refunds.ofDay,
    latePaymentsOfDay: orders.latePaymentsOfDay,
    refund: (id: number) => requireRefund(id),
    refundByNumber: refunds.byNumber,
    refundsOf: refunds.of,
    orderBySyssn: orders.bySyssn,
    refundBySyssn: refunds.bySyssn,
    /** Keeps a day's comparison with QFPay, as it came out. */
    saveReconciliation: reconciliations.save,
    latestReconciliation: reconciliations.latest,
    activeRefunds: refunds.active,
    refundsCreatedBetween: refunds.createdBetween,
    history: history.ofOrder,
    refundHistory: history.ofRefund,
  };
}

/**
 * A write refused by the chain's trigger (the history it would extend was broken outside the app)
 * as the ledger's own refusal, in words: nothing is written, and the screens and the CLI say why.
 */
function chained<T>(write: () => T): T {
  try {
    return write();
  } catch (error) {
    if (error instanceof Error && error.message.startsWith(BOOKS_BROKEN)) {
      throw new LedgerRefusal('books_broken', `the books do not verify (${error.message.slice(BOOKS_BROKEN.length + 2)}), so nothing new is written: run \`npm run cli -- doctor\` and tell the owner`);
    }
    throw error;
  }
}

import type { Statement } from 'better-sqlite3';
import {
  ACTIVE_PAYMENT_STATES,
  ACTIVE_REFUND_STATES,
  canTransitionPayment,
  canTransitionRefund,
  PAID_STATES,
  type PaymentState,
  type RefundState,
  type TransitionCause,
} from '../../../shared/ledger/lifecycle';
import type { AttentionReason } from '../../../shared/ledger/evidence';
import type { ReconciliationResult } from '../../../shared/ledger/reconcileDay';
import type { WireFields } from '../../../shared/qfpay/signing';
import type { WalletId } from '../../../shared/wallets';
import { BOOKS_BROKEN } from './chain';
import type { LedgerDatabase } from './database';

/**
 * The till's ledger: the only code that writes orders and refunds. Every state change is one
 * transaction that checks the transition, updates the row and appends its history.
 */

export interface OrderRecord {
  readonly id: number;
  readonly outTradeNo: string;
  readonly tillId: string;
  readonly environment: string;
  readonly wallet: WalletId;
  readonly payType: string;
  readonly amount: number;
  readonly currency: string;
  readonly goodsName: string | null;
  readonly requestFields: WireFields;
  readonly state: PaymentState;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** When the till stops showing the QR. */
  readonly qrDeadline: number;
  /** When QFPay itself stops accepting payment for it (plus a margin): the till watches until then. */
  readonly gatewayDeadline: number;
  readonly syssn: string | null;
  readonly qrcode: string | null;
  readonly sysdtm: string | null;
  readonly paydtm: string | null;
  readonly respcd: string | null;
  readonly message: string | null;
  readonly cancelRequestedAt: number | null;
  /** QFPay reported a status after which nobody can pay (closed, expired, failed). */
  readonly gatewaySettled: boolean;
  readonly lastCheckedAt: number | null;
  /** Sum of succeeded refunds. */
  readonly refunded: number;
  /** Where it was made: it is asked about, closed and refunded only through the same gateway. Null on orders from schema 1. */
  readonly gatewayUrl: string | null;
  readonly appCode: string | null;
  readonly mchid: string | null;
  /** Why a manager must look at it, and since when; null when nobody needs to. */
  readonly attention: AttentionReason | null;
  readonly attentionSince: number | null;
}

export interface RefundRecord {
  readonly id: number;
  readonly orderId: number;
  readonly outTradeNo: string;
  readonly tillId: string;
  readonly amount: number;
  readonly requestFields: WireFields;
  readonly state: RefundState;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly syssn: string | null;
  readonly sysdtm: string | null;
  readonly respcd: string | null;
  readonly message: string | null;
  readonly attention: AttentionReason | null;
  readonly attentionSince: number | null;
}

export type ManagerDecision = 'paid' | 'not_paid' | 'succeeded' | 'failed';

/** A manager's decision about an item QFPay gave no definitive answer about. */
export interface DecisionRecord {
  readonly decision: ManagerDecision;
  readonly reason: string;
  /** Why it was before the manager. */
  readonly attention: AttentionReason | null;
  readonly at: number;
}

interface DecisionRow {
  decision: ManagerDecision;
  reason: string;
  attention: AttentionReason | null;
  at: number;
}

export interface TransitionRecord {
  readonly fromState: string | null;
  readonly toState: string;
  readonly cause: TransitionCause;
  readonly detail: string | null;
  readonly at: number;
}

export type OrderPatch = Partial<
  Pick<OrderRecord, 'syssn' | 'qrcode' | 'sysdtm' | 'paydtm' | 'respcd' | 'message' | 'cancelRequestedAt' | 'gatewaySettled' | 'lastCheckedAt'>
>;
export type RefundPatch = Partial<Pick<RefundRecord, 'syssn' | 'sysdtm' | 'respcd' | 'message'>>;

/** A refusal of the ledger's own rules (not a gateway answer). */
export class LedgerRefusal extends Error {
  constructor(
    readonly code: 'illegal_transition' | 'refund_order_not_paid' | 'refund_exceeds_refundable' | 'duplicate_trade_number' | 'books_broken',
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

/** An order as SQLite returns it (with its succeeded refunds summed as `refunded`). */
export interface OrderRow {
  id: number;
  out_trade_no: string;
  till_id: string;
  environment: string;
  wallet: WalletId;
  pay_type: string;
  amount: number;
  currency: string;
  goods_name: string | null;
  request_fields: string;
  state: PaymentState;
  created_at: number;
  updated_at: number;
  qr_deadline: number;
  gateway_deadline: number;
  syssn: string | null;
  qrcode: string | null;
  sysdtm: string | null;
  paydtm: string | null;
  respcd: string | null;
  message: string | null;
  cancel_requested_at: number | null;
  gateway_settled: number;
  last_checked_at: number | null;
  refunded: number;
  gateway_url: string | null;
  app_code: string | null;
  mchid: string | null;
  attention: AttentionReason | null;
  attention_since: number | null;
}

interface RefundRow {
  id: number;
  order_id: number;
  out_trade_no: string;
  till_id: string;
  amount: number;
  request_fields: string;
  state: RefundState;
  created_at: number;
  updated_at: number;
  syssn: string | null;
  sysdtm: string | null;
  respcd: string | null;
  message: string | null;
  attention: AttentionReason | null;
  attention_since: number | null;
}

const toOrder = (row: OrderRow): OrderRecord => ({
  id: row.id,
  outTradeNo: row.out_trade_no,
  tillId: row.till_id,
  environment: row.environment,
  wallet: row.wallet,
  payType: row.pay_type,
  amount: row.amount,
  currency: row.currency,
  goodsName: row.goods_name,
  requestFields: JSON.parse(row.request_fields) as WireFields,
  state: row.state,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  qrDeadline: row.qr_deadline,
  gatewayDeadline: row.gateway_deadline,
  syssn: row.syssn,
  qrcode: row.qrcode,
  sysdtm: row.sysdtm,
  paydtm: row.paydtm,
  respcd: row.respcd,
  message: row.message,
  cancelRequestedAt: row.cancel_requested_at,
  gatewaySettled: row.gateway_settled === 1,
  lastCheckedAt: row.last_checked_at,
  refunded: row.refunded,
  gatewayUrl: row.gateway_url,
  appCode: row.app_code,
  mchid: row.mchid,
  attention: row.attention,
  attentionSince: row.attention_since,
});

const toRefund = (row: RefundRow): RefundRecord => ({
  id: row.id,
  orderId: row.order_id,
  outTradeNo: row.out_trade_no,
  tillId: row.till_id,
  amount: row.amount,
  requestFields: JSON.parse(row.request_fields) as WireFields,
  state: row.state,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  syssn: row.syssn,
  sysdtm: row.sysdtm,
  respcd: row.respcd,
  message: row.message,
  attention: row.attention,
  attentionSince: row.attention_since,
});

/** A patch in record terms to SQL columns, through a fixed map (never names from input). */
function toColumns<P extends object>(patch: P, names: Readonly<Record<keyof P, string>>): Record<string, unknown> {
  const columns: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    columns[names[key as keyof P]] = typeof value === 'boolean' ? Number(value) : value;
  }
  return columns;
}

const orderSelect = (from: string) => `SELECT o.*, COALESCE((SELECT SUM(r.amount) FROM refunds r WHERE r.order_id = o.id AND r.state = 'succeeded'), 0) AS refunded FROM ${from}`;
const ORDER_SELECT = orderSelect('orders o');
/**
 * Without statistics SQLite takes `attention IS NOT NULL` for most rows and reads the whole table
 * in id order; the few items before a manager are found through their partial indexes instead.
 */
const FLAGGED_ORDERS = orderSelect('orders o INDEXED BY orders_attention');
/** A page of a day's orders, filtered by wallet and state when they are given (null: any). */
interface DayPage {
  start: number;
  end: number;
  wallet: WalletId | null;
  state: PaymentState | null;
  limit: number;
  offset: number;
}
const ORDERS_OF_DAY = 'o.created_at >= @start AND o.created_at < @end AND (@wallet IS NULL OR o.wallet = @wallet) AND (@state IS NULL OR o.state = @state)';
const inList = (states: readonly string[]) => states.map((state) => `'${state}'`).join(', ');

/** What the till knows of an order before QFPay has answered: the record's own fields, nothing more. */
export type NewOrder = Pick<
  OrderRecord,
  | 'outTradeNo'
  | 'tillId'
  | 'environment'
  | 'gatewayUrl'
  | 'appCode'
  | 'mchid'
  | 'wallet'
  | 'payType'
  | 'amount'
  | 'currency'
  | 'goodsName'
  | 'requestFields'
  | 'createdAt'
  | 'qrDeadline'
  | 'gatewayDeadline'
>;

export type NewRefund = Pick<RefundRecord, 'orderId' | 'outTradeNo' | 'tillId' | 'amount' | 'requestFields' | 'createdAt'>;

export interface GatewayCall {
  readonly orderId?: number;
  readonly refundId?: number;
  readonly endpoint: string;
  readonly requestFields: WireFields;
  readonly resultKind: string;
  readonly respcd?: string;
  readonly detail?: string;
  readonly httpStatus?: number;
  readonly startedAt: number;
  readonly finishedAt: number;
}

export type LedgerStore = ReturnType<typeof createLedgerStore>;

export function createLedgerStore(db: LedgerDatabase) {
  const statements = {
    orderById: db.prepare<[number], OrderRow>(`${ORDER_SELECT} WHERE o.id = ?`),
    orderByNumber: db.prepare<[string], OrderRow>(`${ORDER_SELECT} WHERE o.out_trade_no = ?`),
    activeOrders: db.prepare<[], OrderRow>(`${ORDER_SELECT} WHERE o.state IN (${inList(ACTIVE_PAYMENT_STATES)}) ORDER BY o.id`),
    unsettledOrders: db.prepare<[], OrderRow>(`${ORDER_SELECT} WHERE o.state IN ('expired', 'cancelled', 'failed') AND o.gateway_settled = 0 ORDER BY o.id`),
    flaggedOrders: db.prepare<[], OrderRow>(`${FLAGGED_ORDERS} WHERE o.attention IS NOT NULL ORDER BY o.id`),
    flaggedRefunds: db.prepare<[], RefundRow>('SELECT * FROM refunds INDEXED BY refunds_attention WHERE attention IS NOT NULL ORDER BY id'),
    setOrderAttention: db.prepare<[AttentionReason | null, number | null, number]>('UPDATE orders SET attention = ?, attention_since = ? WHERE id = ?'),
    setRefundAttention: db.prepare<[AttentionReason | null, number | null, number]>('UPDATE refunds SET attention = ?, attention_since = ? WHERE id = ?'),
    insertDecision: db.prepare(`INSERT INTO manager_decisions (order_id, refund_id, decision, reason, attention, at)
      VALUES (@orderId, @refundId, @decision, @reason, @attention, @at)`),
    decisionsOfOrder: db.prepare<[number], DecisionRow>('SELECT * FROM manager_decisions WHERE order_id = ? ORDER BY id'),
    decisionsOfRefund: db.prepare<[number], DecisionRow>('SELECT * FROM manager_decisions WHERE refund_id = ? ORDER BY id'),
    lastTransitionId: db.prepare<[], { id: number | null }>('SELECT MAX(id) AS id FROM transitions'),
    ordersCreatedBetween: db.prepare<[number, number], OrderRow>(`${ORDER_SELECT} WHERE o.created_at >= ? AND o.created_at < ? ORDER BY o.id`),
    ordersOfDay: db.prepare<DayPage, OrderRow>(`${ORDER_SELECT} WHERE ${ORDERS_OF_DAY} ORDER BY o.id LIMIT @limit OFFSET @offset`),
    countOrdersOfDay: db.prepare<Omit<DayPage, 'limit' | 'offset'>, { count: number }>(`SELECT COUNT(*) AS count FROM orders o WHERE ${ORDERS_OF_DAY}`),
    refundsOfDay: db.prepare<Pick<DayPage, 'start' | 'end' | 'limit' | 'offset'>, RefundRow>('SELECT * FROM refunds WHERE created_at >= @start AND created_at < @end ORDER BY id LIMIT @limit OFFSET @offset'),
    countRefundsOfDay: db.prepare<[number, number], { count: number }>('SELECT COUNT(*) AS count FROM refunds WHERE created_at >= ? AND created_at < ?'),
    latePaymentsOfDay: db.prepare<[number, number], OrderRow>(`${ORDER_SELECT} WHERE o.state = 'paid_late' AND o.created_at >= ? AND o.created_at < ? ORDER BY o.id`),
    recentOrders: db.prepare<[number], OrderRow>(`${ORDER_SELECT} ORDER BY o.id DESC LIMIT ?`),
    paidLateOrders: db.prepare<[], OrderRow>(`${ORDER_SELECT} WHERE o.state = 'paid_late' ORDER BY o.id`),
    refundById: db.prepare<[number], RefundRow>('SELECT * FROM refunds WHERE id = ?'),
    refundByNumber: db.prepare<[string], RefundRow>('SELECT * FROM refunds WHERE out_trade_no = ?'),
    orderBySyssn: db.prepare<[string], OrderRow>(`${ORDER_SELECT} WHERE o.syssn = ?`),
    refundBySyssn: db.prepare<[string], RefundRow>('SELECT * FROM refunds WHERE syssn = ?'),
    insertReconciliation: db.prepare<[string, string, number, number, string]>('INSERT INTO reconciliations (day, environment, checked_at, agrees, result) VALUES (?, ?, ?, ?, ?)'),
    latestReconciliation: db.prepare<[string, string], { result: string }>('SELECT result FROM reconciliations WHERE day = ? AND environment = ? ORDER BY checked_at DESC, id DESC LIMIT 1'),
    refundsOf: db.prepare<[number], RefundRow>('SELECT * FROM refunds WHERE order_id = ? ORDER BY id'),
    activeRefunds: db.prepare<[], RefundRow>(`SELECT * FROM refunds WHERE state IN (${inList(ACTIVE_REFUND_STATES)}) ORDER BY id`),
    refundsCreatedBetween: db.prepare<[number, number], RefundRow>('SELECT * FROM refunds WHERE created_at >= ? AND created_at < ? ORDER BY id'),
    committedRefunds: db.prepare<[number], { total: number }>(
      `SELECT COALESCE(SUM(amount), 0) AS total FROM refunds WHERE order_id = ? AND state <> 'failed'`,
    ),
    insertTradeNumber: db.prepare<[string, string]>('INSERT INTO trade_numbers (out_trade_no, kind) VALUES (?, ?)'),
    tradeNumberExists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM trade_numbers WHERE out_trade_no = ?'),
    insertOrder: db.prepare(`INSERT INTO orders (out_trade_no, till_id, environment, gateway_url, app_code, mchid, wallet, pay_type, amount,
      currency, goods_name, request_fields, state, created_at, updated_at, qr_deadline, gateway_deadline)
      VALUES (@outTradeNo, @tillId, @environment, @gatewayUrl, @appCode, @mchid, @wallet, @payType, @amount, @currency, @goodsName,
      @requestFields, 'created', @createdAt, @createdAt, @qrDeadline, @gatewayDeadline)`),
    insertRefund: db.prepare(`INSERT INTO refunds (order_id, out_trade_no, till_id, amount, request_fields, state, created_at, updated_at)
      VALUES (@orderId, @outTradeNo, @tillId, @amount, @requestFields, 'created', @createdAt, @createdAt)`),
    insertTransition: db.prepare(`INSERT INTO transitions (order_id, refund_id, from_state, to_state, cause, detail, at)
      VALUES (@orderId, @refundId, @fromState, @toState, @cause, @detail, @at)`),
    history: db.prepare<[number], { from_state: string | null; to_state: string; cause: TransitionCause; detail: string | null; at: number }>(
      'SELECT from_state, to_state, cause, detail, at FROM transitions WHERE order_id = ? ORDER BY id',
    ),
    refundHistory: db.prepare<[number], { from_state: string | null; to_state: string; cause: TransitionCause; detail: string | null; at: number }>(
      'SELECT from_state, to_state, cause, detail, at FROM transitions WHERE refund_id = ? ORDER BY id',
    ),
    insertCall: db.prepare(`INSERT INTO gateway_calls (order_id, refund_id, endpoint, request_fields, result_kind, respcd, detail,
      http_status, started_at, finished_at) VALUES (@orderId, @refundId, @endpoint, @requestFields, @resultKind, @respcd, @detail,
      @httpStatus, @startedAt, @finishedAt)`),
  };
  const updateCache = new Map<string, Statement>();

  function update(table: 'orders' | 'refunds', id: number, columns: Record<string, unknown>): void {
    const names = Object.keys(columns).sort();
    if (names.length === 0) return;
    const key = `${table}:${names.join(',')}`;
    let statement = updateCache.get(key);
    if (!statement) {
      // Column names come only from the fixed maps above, never from input.
      statement = db.prepare(`UPDATE ${table} SET ${names.map((name) => `${name} = @${name}`).join(', ')} WHERE id = @id`);
      updateCache.set(key, statement);
    }
    statement.run({ ...columns, id });
  }

  function requireOrder(id: number): OrderRecord {
    const row = statements.orderById.get(id);
    if (!row) throw new Error(`no order ${id}`);
    return toOrder(row);
  }

  function requireRefund(id: number): RefundRecord {
    const row = statements.refundById.get(id);
    if (!row) throw new Error(`no refund ${id}`);
    return toRefund(row);
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
    update(entity.table, id, { ...change.columns, state: to, updated_at: change.at });
    statements.insertTransition.run({
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

  const insertOrder = db.transaction((order: NewOrder): OrderRecord => {
    if (statements.tradeNumberExists.get(order.outTradeNo)) {
      throw new LedgerRefusal('duplicate_trade_number', `out_trade_no ${order.outTradeNo} was used before`);
    }
    statements.insertTradeNumber.run(order.outTradeNo, 'payment');
    const { lastInsertRowid } = statements.insertOrder.run({ ...order, requestFields: JSON.stringify(order.requestFields) });
    const id = Number(lastInsertRowid);
    statements.insertTransition.run({ orderId: id, refundId: null, fromState: null, toState: 'created', cause: 'charge_requested', detail: null, at: order.createdAt });
    return requireOrder(id);
  });

  const insertRefund = db.transaction((refund: NewRefund): RefundRecord => {
    const order = requireOrder(refund.orderId);
    if (!PAID_STATES.includes(order.state)) {
      throw new LedgerRefusal('refund_order_not_paid', `order ${order.outTradeNo} is ${order.state}, not paid`, { state: order.state });
    }
    // Paid minus refunded minus refunds still in flight: an unanswered refund may yet succeed.
    const committed = statements.committedRefunds.get(order.id)?.total ?? 0;
    const refundable = order.amount - committed;
    if (refund.amount > refundable) {
      throw new LedgerRefusal('refund_exceeds_refundable', `at most ${refundable} can be refunded`, { refundable });
    }
    if (statements.tradeNumberExists.get(refund.outTradeNo)) {
      throw new LedgerRefusal('duplicate_trade_number', `out_trade_no ${refund.outTradeNo} was used before`);
    }
    statements.insertTradeNumber.run(refund.outTradeNo, 'refund');
    const { lastInsertRowid } = statements.insertRefund.run({ ...refund, requestFields: JSON.stringify(refund.requestFields) });
    const id = Number(lastInsertRowid);
    statements.insertTransition.run({ orderId: null, refundId: id, fromState: null, toState: 'created', cause: 'refund_requested', detail: null, at: refund.createdAt });
    return requireRefund(id);
  });

  const decideOrder = db.transaction((id: number, decision: { decision: ManagerDecision; reason: string; at: number; to?: PaymentState; settle?: boolean; message?: string }): OrderRecord => {
    const current = requireOrder(id);
    statements.insertDecision.run({ orderId: id, refundId: null, decision: decision.decision, reason: decision.reason, attention: current.attention, at: decision.at });
    statements.setOrderAttention.run(null, null, id);
    const columns = toColumns({ gatewaySettled: decision.settle, message: decision.message }, ORDER_COLUMNS);
    if (decision.to && decision.to !== current.state) {
      return transition<PaymentState, OrderRecord>(ORDER_ENTITY, id, decision.to, { cause: 'manager_decided', at: decision.at, columns, detail: decision.reason });
    }
    update('orders', id, columns);
    return requireOrder(id);
  });

  const decideRefund = db.transaction((id: number, decision: { decision: ManagerDecision; reason: string; at: number; to?: RefundState }): RefundRecord => {
    const current = requireRefund(id);
    statements.insertDecision.run({ orderId: null, refundId: id, decision: decision.decision, reason: decision.reason, attention: current.attention, at: decision.at });
    statements.setRefundAttention.run(null, null, id);
    if (decision.to && decision.to !== current.state) {
      return transition<RefundState, RefundRecord>(REFUND_ENTITY, id, decision.to, { cause: 'manager_decided', at: decision.at, columns: {}, detail: decision.reason });
    }
    return requireRefund(id);
  });

  const toDecision = (row: DecisionRow): DecisionRecord => ({ decision: row.decision, reason: row.reason, attention: row.attention, at: row.at });

  const toHistory = (row: { from_state: string | null; to_state: string; cause: TransitionCause; detail: string | null; at: number }): TransitionRecord => ({
    fromState: row.from_state,
    toState: row.to_state,
    cause: row.cause,
    detail: row.detail,
    at: row.at,
  });

  return {
    db,
    /** Inserts the order and its first history row; committed when this returns. */
    insertOrder: (order: NewOrder) => chained(() => insertOrder.immediate(order)),
    /** Checks the refundable amount and inserts the refund under the write lock, so racing refunds cannot both pass. */
    insertRefund: (refund: NewRefund) => chained(() => insertRefund.immediate(refund)),
    transitionOrder: (id: number, to: PaymentState, cause: TransitionCause, at: number, patch?: OrderPatch, detail?: string) =>
      chained(() => transitionOrder.immediate(id, to, cause, at, patch, detail)),
    transitionRefund: (id: number, to: RefundState, cause: TransitionCause, at: number, patch?: RefundPatch, detail?: string) =>
      chained(() => transitionRefund.immediate(id, to, cause, at, patch, detail)),
    patchOrder(id: number, patch: OrderPatch): OrderRecord {
      update('orders', id, toColumns(patch, ORDER_COLUMNS));
      return requireOrder(id);
    },
    patchRefund(id: number, patch: RefundPatch): void {
      update('refunds', id, toColumns(patch, REFUND_COLUMNS));
    },
    recordGatewayCall(call: GatewayCall): void {
      statements.insertCall.run({
        orderId: call.orderId ?? null,
        refundId: call.refundId ?? null,
        endpoint: call.endpoint,
        requestFields: JSON.stringify(call.requestFields),
        resultKind: call.resultKind,
        respcd: call.respcd ?? null,
        detail: call.detail ?? null,
        httpStatus: call.httpStatus ?? null,
        startedAt: call.startedAt,
        finishedAt: call.finishedAt,
      });
    },
    tradeNumberExists: (outTradeNo: string) => statements.tradeNumberExists.get(outTradeNo) !== undefined,
    order: (id: number) => requireOrder(id),
    orderByNumber: (outTradeNo: string) => {
      const row = statements.orderByNumber.get(outTradeNo);
      return row ? toOrder(row) : undefined;
    },
    activeOrders: () => statements.activeOrders.all().map(toOrder),
    /** Orders the till has given up on but QFPay might still take payment for: watched for late payments. */
    /** Not paid at the till, and QFPay has not confirmed that nobody can pay them: watched for a late payment. */
    unsettledOrders: () => statements.unsettledOrders.all().map(toOrder),
    /** Orders and refunds a manager must look at. */
    flaggedOrders: () => statements.flaggedOrders.all().map(toOrder),
    flaggedRefunds: () => statements.flaggedRefunds.all().map(toRefund),
    flagOrder(id: number, reason: AttentionReason | null, at: number): OrderRecord {
      statements.setOrderAttention.run(reason, reason === null ? null : at, id);
      return requireOrder(id);
    },
    flagRefund(id: number, reason: AttentionReason | null, at: number): RefundRecord {
      statements.setRefundAttention.run(reason, reason === null ? null : at, id);
      return requireRefund(id);
    },
    /** Records a manager's decision, its state change (if any) and clears the flag, in one transaction. */
    decideOrder: (id: number, decision: { decision: ManagerDecision; reason: string; at: number; to?: PaymentState; settle?: boolean; message?: string }) =>
      chained(() => decideOrder.immediate(id, decision)),
    decideRefund: (id: number, decision: { decision: ManagerDecision; reason: string; at: number; to?: RefundState }) => chained(() => decideRefund.immediate(id, decision)),
    decisionsOfOrder: (orderId: number) => statements.decisionsOfOrder.all(orderId).map(toDecision),
    decisionsOfRefund: (refundId: number) => statements.decisionsOfRefund.all(refundId).map(toDecision),
    /** The newest history row: Z periods are bounded by these ids, not by clocks. */
    lastTransitionId: () => statements.lastTransitionId.get()?.id ?? 0,
    paidLateOrders: () => statements.paidLateOrders.all().map(toOrder),
    ordersCreatedBetween: (from: number, to: number) => statements.ordersCreatedBetween.all(from, to).map(toOrder),
    /** The same, one row at a time, for exports of large days. */
    iterateOrdersCreatedBetween: (from: number, to: number) => mapIterator(statements.ordersCreatedBetween.iterate(from, to), toOrder),
    recentOrders: (limit: number) => statements.recentOrders.all(limit).map(toOrder),
    /** A page of the orders made in [start, end), oldest first, and how many match in all: a day's screen draws a page. */
    ordersOfDay(page: DayPage): { matching: number; orders: OrderRecord[] } {
      const { limit: _limit, offset: _offset, ...filter } = page;
      return { matching: statements.countOrdersOfDay.get(filter)?.count ?? 0, orders: statements.ordersOfDay.all(page).map(toOrder) };
    },
    refundsOfDay(page: Pick<DayPage, 'start' | 'end' | 'limit' | 'offset'>): { matching: number; refunds: RefundRecord[] } {
      return { matching: statements.countRefundsOfDay.get(page.start, page.end)?.count ?? 0, refunds: statements.refundsOfDay.all(page).map(toRefund) };
    },
    latePaymentsOfDay: (start: number, end: number) => statements.latePaymentsOfDay.all(start, end).map(toOrder),
    refund: (id: number) => requireRefund(id),
    refundByNumber: (outTradeNo: string) => {
      const row = statements.refundByNumber.get(outTradeNo);
      return row ? toRefund(row) : undefined;
    },
    refundsOf: (orderId: number) => statements.refundsOf.all(orderId).map(toRefund),
    orderBySyssn: (syssn: string) => {
      const row = statements.orderBySyssn.get(syssn);
      return row ? toOrder(row) : undefined;
    },
    refundBySyssn: (syssn: string) => {
      const row = statements.refundBySyssn.get(syssn);
      return row ? toRefund(row) : undefined;
    },
    /** Keeps a day's comparison with QFPay, as it came out. */
    saveReconciliation(result: ReconciliationResult): void {
      statements.insertReconciliation.run(result.day, result.environment, result.checkedAt, Number(result.agrees), JSON.stringify(result));
    },
    latestReconciliation(day: string, environment: string): ReconciliationResult | undefined {
      const row = statements.latestReconciliation.get(day, environment);
      return row ? (JSON.parse(row.result) as ReconciliationResult) : undefined;
    },
    activeRefunds: () => statements.activeRefunds.all().map(toRefund),
    refundsCreatedBetween: (from: number, to: number) => statements.refundsCreatedBetween.all(from, to).map(toRefund),
    history: (orderId: number) => statements.history.all(orderId).map(toHistory),
    refundHistory: (refundId: number) => statements.refundHistory.all(refundId).map(toHistory),
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

function* mapIterator<T, U>(rows: IterableIterator<T>, map: (row: T) => U): Generator<U> {
  for (const row of rows) yield map(row);
}

import type { OrderView, PeriodMark, RefundView } from '../../../shared/ipc/contract';
import type { LedgerStore, OrderRecord, RefundRecord } from '../ledger/ledgerStore';
import { moneyTransitionsOf } from '../ledger/queries/history';
import { periodLocator } from '../reports/periods';

/**
 * What the screens see of orders and refunds: no QR, no request fields; with whether a manager
 * must look, whether it was made through another gateway, and the period its money counted in.
 */
export interface ViewContext {
  readonly isMine: (order: OrderRecord) => boolean;
  /** The history row of an order's money coming in (or a refund's going out) to the period it counts in. */
  readonly period: (transitionId: number) => PeriodMark;
  readonly moneyTransitions: { readonly orders: ReadonlyMap<number, number>; readonly refunds: ReadonlyMap<number, number> };
}

export function toOrderView(order: OrderRecord, context?: ViewContext): OrderView {
  const money = context?.moneyTransitions.orders.get(order.id);
  return {
    outTradeNo: order.outTradeNo,
    wallet: order.wallet,
    mode: order.mode,
    authCodeMasked: order.authCodeMasked,
    amount: order.amount,
    state: order.state,
    createdAt: order.createdAt,
    qrDeadline: order.qrDeadline,
    respcd: order.respcd,
    message: order.message,
    refunded: order.refunded,
    cancelRequested: order.cancelRequestedAt !== null,
    gatewaySettled: order.gatewaySettled,
    attention: order.attention,
    attentionSince: order.attentionSince,
    madeOn: context && !context.isMine(order) ? order.environment : null,
    period: money === undefined || !context ? null : context.period(money),
  };
}

export function toRefundView(refund: RefundRecord, orderOutTradeNo: string, context?: ViewContext): RefundView {
  const money = context?.moneyTransitions.refunds.get(refund.id);
  return {
    outTradeNo: refund.outTradeNo,
    orderOutTradeNo,
    amount: refund.amount,
    state: refund.state,
    createdAt: refund.createdAt,
    respcd: refund.respcd,
    message: refund.message,
    attention: refund.attention,
    attentionSince: refund.attentionSince,
    period: money === undefined || !context ? null : context.period(money),
  };
}

/** Views of ledger records as the screens get them, with their period and gateway worked out in a few queries. */
export function createViews(runtime: { readonly store: LedgerStore; readonly till: { isMine(order: OrderRecord): boolean }; readonly clock: () => number }) {
  const { store } = runtime;
  const context = (orders: readonly OrderRecord[], refunds: readonly RefundRecord[]): ViewContext => ({
    isMine: runtime.till.isMine,
    period: periodLocator(store, runtime.clock()),
    moneyTransitions: moneyTransitionsOf(
      store.db,
      orders.map((order) => order.id),
      refunds.map((refund) => refund.id),
    ),
  });
  const views = {
    orders(list: readonly OrderRecord[]): OrderView[] {
      const shared = context(list, []);
      return list.map((order) => toOrderView(order, shared));
    },
    order: (order: OrderRecord): OrderView => views.orders([order])[0] as OrderView,
    refunds(list: readonly RefundRecord[]): RefundView[] {
      const shared = context([], list);
      const numbers = new Map<number, string>();
      const numberOf = (orderId: number) => numbers.get(orderId) ?? numbers.set(orderId, store.order(orderId).outTradeNo).get(orderId) as string;
      return list.map((refund) => toRefundView(refund, numberOf(refund.orderId), shared));
    },
    refund: (refund: RefundRecord): RefundView => views.refunds([refund])[0] as RefundView,
  };
  return views;
}

export type Views = ReturnType<typeof createViews>;

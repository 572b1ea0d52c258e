import { EventEmitter } from 'node:events';
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { classifyCode, REQUEST_ABANDONED_AFTER_MS, type AnswerClass, type PaymentFacts, type PaymentStep, type RefundStep } from '../../../shared/ledger/evidence';
import { madeThrough } from '../../../shared/qfpay/environments';
import { newOutTradeNo, OUT_TRADE_NO_RANDOM_BYTES } from '../../../shared/qfpay/fields';
import type { WireFields } from '../../../shared/qfpay/signing';
import { TillError } from '../../../shared/errors';
import type { GatewayClient, GatewayResult } from '../gateway/client';
import type { LedgerStore, NewOrder, OrderPatch, OrderRecord, RefundPatch, RefundRecord } from '../ledger/ledgerStore';
import { createCallBudget, type CallBudget } from './callBudget';
import type { TillSettings } from '../config/tillSettings';

/** Why the till wakes its poller: an answer that says "look again", or a new QR the customer is looking at. */
export type CheckSoonReason = 'look_again' | 'new_qr';

export interface TillEvents {
  order: [OrderRecord];
  refund: [RefundRecord];
}

export interface TillDeps {
  store: LedgerStore;
  gateway: GatewayClient;
  settings: TillSettings;
  clock?: () => number;
  randomBytes?: (size: number) => Uint8Array;
  /** Shared with the merchant's other tills through the head office; a local share otherwise. */
  callBudget?: CallBudget;
  /** The ledger's full check, made before the first money moves (throws, in words, on a damaged file). */
  beforeMoney?: () => void;
}

/**
 * What the till's jobs (payments, refunds, decisions, checks with QFPay) share: the ledger, the
 * gateway and its call budget, and the few rules every job applies the same way. Each job is a
 * module that takes this context; `createTill` puts them together.
 */
export function createTillContext(deps: TillDeps) {
  const { store, gateway, settings } = deps;
  const clock = deps.clock ?? Date.now;
  const randomBytes = deps.randomBytes ?? ((size: number) => new Uint8Array(nodeRandomBytes(size)));
  const budget = deps.callBudget ?? createCallBudget(settings.callBudgetPerMinute, clock);
  const events = new EventEmitter<TillEvents>();
  let wake: (reason?: CheckSoonReason) => void = () => {};
  // Payments whose own answer this process still awaits: a query must not decide them meanwhile.
  const inFlight = new Set<number>();
  const isMine = (order: OrderRecord) => madeThrough(order, settings.gateway);

  const announceOrder = (order: OrderRecord) => {
    events.emit('order', order);
    return order;
  };
  const announceRefund = (refund: RefundRecord) => {
    events.emit('refund', refund);
    return refund;
  };

  function safeOrder(id: number): OrderRecord | undefined {
    try {
      return store.order(id);
    } catch {
      return undefined;
    }
  }

  function findOrder(reference: string | number): OrderRecord {
    const order = typeof reference === 'number' ? safeOrder(reference) : store.orderByNumber(reference);
    if (!order) throw new TillError('order_not_found', `no order ${reference} at this till`);
    return order;
  }

  return {
    store,
    gateway,
    settings,
    clock,
    budget,
    events,
    inFlight,
    isMine,
    announceOrder,
    announceRefund,
    findOrder,
    beforeMoney: () => deps.beforeMoney?.(),

    /** Wakes the poller: at once (an answer that says "look again"), or at the live pace for a new QR. */
    checkSoon: (reason?: CheckSoonReason) => wake(reason),
    onCheckSoon(listener: (reason?: CheckSoonReason) => void): void {
      wake = listener;
    },

    /** Orders made through another gateway are shown, never acted on from here. */
    mineOrRefuse(order: OrderRecord): OrderRecord {
      if (!isMine(order)) {
        throw new TillError('order_other_gateway', `order ${order.outTradeNo} was made on ${order.environment}; this till now runs ${settings.gateway.environment}`, {
          madeOn: order.environment,
          runningOn: settings.gateway.environment,
        });
      }
      return order;
    },

    takeActionSlot(): void {
      if (!budget.tryTakeForAction()) {
        const retryInMs = budget.msUntilFree();
        throw new TillError('till_busy', `no gateway call is free this minute (QFPay allows the merchant 400 across its tills); try again in ${Math.ceil(retryInMs / 1000)} s`, { retryInMs });
      }
    },

    /** Sends, then records the exchange in the ledger before returning it. */
    async exchange<T>(endpoint: string, fields: WireFields, link: { orderId?: number; refundId?: number }, send: () => Promise<GatewayResult<T>>): Promise<GatewayResult<T>> {
      const startedAt = clock();
      const result = await send();
      store.recordGatewayCall({
        ...link,
        endpoint,
        requestFields: fields,
        resultKind: result.kind,
        respcd: result.kind === 'answer' ? result.respcd : result.kind === 'success' ? '0000' : undefined,
        detail: result.kind === 'unknown' ? `${result.reason}: ${result.detail}` : result.kind === 'answer' ? result.respmsg || result.resperr : undefined,
        httpStatus: result.kind === 'unknown' ? result.httpStatus : undefined,
        startedAt,
        finishedAt: clock(),
      });
      return result;
    },

    /** Which till and which gateway an order is made on, as the ledger keeps it with the order. */
    madeHere(): Pick<NewOrder, 'tillId' | 'environment' | 'gatewayUrl' | 'appCode' | 'mchid'> {
      const { gateway } = settings;
      return { tillId: settings.tillId, environment: gateway.environment, gatewayUrl: gateway.baseUrl, appCode: gateway.appCode, mchid: gateway.mchid };
    },

    newNumber(kind: 'payment' | 'refund', at: number): string {
      // 40 random bits a second make a clash all but impossible; the ledger's UNIQUE makes it harmless.
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const number = newOutTradeNo(settings.tillId, kind, at, randomBytes(OUT_TRADE_NO_RANDOM_BYTES));
        if (!store.tradeNumberExists(number)) return number;
      }
      throw new Error('could not find an unused out_trade_no');
    },

    factsOf: (order: OrderRecord, now: number): PaymentFacts => ({
      state: order.state,
      cancelRequested: order.cancelRequestedAt !== null,
      qrDeadlinePassed: now >= order.qrDeadline,
      requestAbandoned: !inFlight.has(order.id) && now - order.createdAt >= REQUEST_ABANDONED_AFTER_MS,
      mode: order.mode,
    }),

    /** One step of an order, with what the answer told us, recorded; a contradiction puts it before a manager. */
    applyOrderStep(current: OrderRecord, step: PaymentStep, at: number, patch: OrderPatch, detail?: string): OrderRecord {
      const columns: OrderPatch = { ...patch, ...(step.settle ? { gatewaySettled: true } : {}), ...(step.stopWaiting && current.cancelRequestedAt === null ? { cancelRequestedAt: at } : {}) };
      let updated = step.to ? store.transitionOrder(current.id, step.to, step.cause ?? 'no_definitive_answer', at, columns, detail) : store.patchOrder(current.id, columns);
      if (step.contradiction && updated.attention !== 'contradiction') updated = store.flagOrder(updated.id, 'contradiction', at);
      return updated;
    },

    applyRefundStep(current: RefundRecord, step: RefundStep, at: number, patch: RefundPatch): RefundRecord {
      let updated = current;
      if (step.to) updated = store.transitionRefund(current.id, step.to, step.cause ?? 'no_definitive_answer', at, patch);
      else if (Object.keys(patch).length > 0) {
        store.patchRefund(current.id, patch);
        updated = store.refund(current.id);
      }
      if (step.contradiction && updated.attention !== 'contradiction') updated = store.flagRefund(updated.id, 'contradiction', at);
      return updated;
    },

    /** A refund of a late payment is the manager's decision: the order is settled as paid (and refunded). */
    settleLateDecision(refundRecord: RefundRecord): void {
      if (refundRecord.state !== 'succeeded') return;
      const order = store.order(refundRecord.orderId);
      if (order.state === 'paid_late') announceOrder(store.transitionOrder(order.id, 'paid', 'manager_refunded', clock()));
    },
  };
}

export type TillContext = ReturnType<typeof createTillContext>;

/** The class of the answer to a request itself (a payment, a refund, a close). */
export function requestAnswerClass(request: 'payment' | 'customer_code' | 'refund' | 'close', result: GatewayResult<unknown>): AnswerClass {
  if (result.kind === 'success') return 'success';
  if (result.kind === 'answer') return classifyCode(request, result.respcd, { hasQr: Boolean(result.payment?.qrcode) });
  return result.reason === 'not_sent' ? 'not_sent' : 'no_answer';
}

export function unknownWords(result: Extract<GatewayResult<unknown>, { kind: 'unknown' }>): string {
  return result.reason === 'not_sent' ? `QFPay could not be reached, nothing was sent (${result.detail})` : result.detail;
}

/** A failed exchange in a line for a report. */
export function failureWords(result: Extract<GatewayResult<unknown>, { kind: 'unknown' | 'answer' }>): string {
  return result.kind === 'unknown' ? `${result.reason}: ${result.detail}` : `respcd ${result.respcd}`;
}

import { EventEmitter } from 'node:events';
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { ACTIVE_PAYMENT_STATES, PAID_STATES } from '../../../shared/ledger/lifecycle';
import { EXPIRED_TIME_DEFAULT, isValidTxamt, newOutTradeNo, OUT_TRADE_NO_RANDOM_BYTES } from '../../../shared/qfpay/fields';
import { cancelFields, paymentFields, QUERY_PAGE_SIZE_MAX, queryFields, refundFields } from '../../../shared/qfpay/requests';
import { describeRespcd } from '../../../shared/qfpay/respcd';
import type { QueryRecord } from '../../../shared/qfpay/responses';
import type { WireFields } from '../../../shared/qfpay/signing';
import { walletById, WALLET_IDS, type AlipayRegion, type WalletId } from '../../../shared/wallets';
import type { GatewayClient, GatewayResult } from '../gateway/client';
import { LedgerRefusal, type LedgerStore, type OrderRecord, type RefundRecord } from '../ledger/ledgerStore';
import { createCallBudget } from './callBudget';
import { applyPaymentRecord, applyRefundRecord } from './queryResults';

/**
 * The till: takes payments, follows them to their end, cancels and refunds them. It writes to the
 * ledger before every request and records every answer before anyone hears of it. It never sends
 * a payment twice: an order without a definitive answer is resolved by query.
 */

export interface TillSettings {
  readonly tillId: string;
  /** demo, sandbox, test, production or custom: kept on every order so training never mixes with money. */
  readonly environment: string;
  /**
   * How long a QR is shown, per wallet. Sent as `expired_time` to Alipay and WeChat Pay; for the
   * others the till applies it itself and treats its end exactly like an expiry.
   */
  readonly qrLifetimeMinutes: Readonly<Record<WalletId, number>>;
  readonly pollIntervalMs: number;
  readonly callBudgetPerMinute: number;
  /** How long "QFPay has no such order" is not believed, for a request that may still arrive. */
  readonly notFoundGraceMs: number;
  /** How often orders the till gave up on are checked for a late payment when nothing else is open. */
  readonly lateWatchIntervalMs: number;
}

/**
 * Defaults. Five minutes is the shortest `expired_time` QFPay allows and long enough for a customer
 * at a counter; PayMe's own terminals give two. The grace is the client timeout (10 s) plus a
 * minute for a slow gateway to finish a request whose sender has gone.
 */
export const DEFAULT_TILL_SETTINGS = {
  qrLifetimeMinutes: Object.fromEntries(WALLET_IDS.map((id) => [id, 5])) as Record<WalletId, number>,
  pollIntervalMs: 3_000,
  callBudgetPerMinute: 30,
  notFoundGraceMs: 70_000,
  lateWatchIntervalMs: 30_000,
} as const;

export const POLL_INTERVAL_MIN_MS = 2_000;
export const POLL_INTERVAL_MAX_MS = 10_000;
export const QR_LIFETIME_MAX_MINUTES = 120;
/** QFPay's clock and ours may differ; a payment is watched this long past the gateway's own deadline. */
const GATEWAY_DEADLINE_MARGIN_MS = 2 * 60_000;

export type TillErrorCode =
  | 'amount_invalid'
  | 'wallet_unknown'
  | 'qr_lifetime_out_of_range'
  | 'option_not_supported'
  | 'order_not_found'
  | 'not_cancellable'
  | 'not_paid_late'
  | 'refund_order_not_paid'
  | 'refund_amount_invalid'
  | 'refund_exceeds_refundable'
  | 'refund_without_syssn'
  | 'till_busy'
  | 'payment_in_progress'
  | 'pin_not_set'
  | 'pin_wrong'
  | 'pin_locked'
  | 'pin_already_set'
  | 'day_not_closable'
  | 'settings_invalid';

export class TillError extends Error {
  constructor(
    readonly code: TillErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'TillError';
  }
}

export interface ChargeInput {
  readonly wallet: WalletId;
  readonly amount: number;
  readonly qrLifetimeMinutes?: number;
  readonly goodsName?: string;
  readonly alipayRegion?: AlipayRegion;
  readonly noCredit?: boolean;
}

export interface CheckReport {
  /** False when the gateway gave no usable answer; the orders stay as they were. */
  readonly ok: boolean;
  readonly queriedNumbers: number;
  readonly calls: number;
  readonly changed: number;
  readonly budgetExhausted: boolean;
  readonly retryAfterSeconds?: number;
  readonly failure?: string;
}

interface TillEvents {
  order: [OrderRecord];
  refund: [RefundRecord];
}

export type Till = ReturnType<typeof createTill>;

export function createTill(deps: {
  store: LedgerStore;
  gateway: GatewayClient;
  settings: TillSettings;
  clock?: () => number;
  randomBytes?: (size: number) => Uint8Array;
}) {
  const { store, gateway, settings } = deps;
  const clock = deps.clock ?? Date.now;
  const randomBytes = deps.randomBytes ?? ((size: number) => new Uint8Array(nodeRandomBytes(size)));
  const budget = createCallBudget(settings.callBudgetPerMinute, clock);
  const events = new EventEmitter<TillEvents>();
  let checkSoon: () => void = () => {};

  const announceOrder = (order: OrderRecord) => {
    events.emit('order', order);
    return order;
  };
  const announceRefund = (refund: RefundRecord) => {
    events.emit('refund', refund);
    return refund;
  };

  function takeActionSlot(): void {
    if (!budget.tryTakeForAction()) {
      const retryInMs = budget.msUntilFree();
      throw new TillError('till_busy', `this till used its ${settings.callBudgetPerMinute} gateway calls for this minute; try again in ${Math.ceil(retryInMs / 1000)} s`, { retryInMs });
    }
  }

  /** Sends, then records the exchange in the ledger before returning it. */
  async function exchange<T>(
    endpoint: string,
    fields: WireFields,
    link: { orderId?: number; refundId?: number },
    send: () => Promise<GatewayResult<T>>,
  ): Promise<GatewayResult<T>> {
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
  }

  function newNumber(kind: 'payment' | 'refund', at: number): string {
    // 40 random bits a second make a clash all but impossible; the ledger's UNIQUE makes it harmless.
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const number = newOutTradeNo(settings.tillId, kind, at, randomBytes(OUT_TRADE_NO_RANDOM_BYTES));
      if (!store.tradeNumberExists(number)) return number;
    }
    throw new Error('could not find an unused out_trade_no');
  }

  function findOrder(reference: string | number): OrderRecord {
    const order = typeof reference === 'number' ? safeOrder(reference) : store.orderByNumber(reference);
    if (!order) throw new TillError('order_not_found', `no order ${reference} at this till`);
    return order;
  }

  function safeOrder(id: number): OrderRecord | undefined {
    try {
      return store.order(id);
    } catch {
      return undefined;
    }
  }

  async function charge(input: ChargeInput): Promise<OrderRecord> {
    if (!WALLET_IDS.includes(input.wallet)) throw new TillError('wallet_unknown', `no wallet ${String(input.wallet)}`);
    if (!isValidTxamt(input.amount)) throw new TillError('amount_invalid', 'the amount must be a positive whole number of cents within Int(11)');
    const wallet = walletById(input.wallet);
    const lifetime = input.qrLifetimeMinutes ?? settings.qrLifetimeMinutes[wallet.id];
    const minimum = wallet.acceptsExpiredTime ? 5 : 1;
    if (!Number.isInteger(lifetime) || lifetime < minimum || lifetime > QR_LIFETIME_MAX_MINUTES) {
      throw new TillError('qr_lifetime_out_of_range', `the QR lifetime for ${wallet.names.en} must be ${minimum} to ${QR_LIFETIME_MAX_MINUTES} minutes`, { minimum, maximum: QR_LIFETIME_MAX_MINUTES });
    }

    const now = clock();
    const outTradeNo = newNumber('payment', now);
    const built = paymentFields({
      wallet: wallet.id,
      amount: input.amount,
      outTradeNo,
      requestedAt: now,
      tillId: settings.tillId,
      goodsName: input.goodsName,
      expiredTimeMinutes: wallet.acceptsExpiredTime ? lifetime : undefined,
      alipayRegion: input.alipayRegion,
      noCredit: input.noCredit,
    });
    if (!built.ok) throw new TillError(built.error === 'option_not_supported' || built.error === 'rmb_tag_requires_cny' ? 'option_not_supported' : 'amount_invalid', built.error);
    takeActionSlot();

    // For wallets without expired_time, QFPay's own default (30 minutes) keeps the QR payable.
    const gatewayMinutes = wallet.acceptsExpiredTime ? lifetime : Math.max(lifetime, EXPIRED_TIME_DEFAULT);
    const order = announceOrder(
      store.insertOrder({
        outTradeNo,
        tillId: settings.tillId,
        environment: settings.environment,
        wallet: wallet.id,
        payType: wallet.payType,
        amount: input.amount,
        currency: built.value.txcurrcd as string,
        goodsName: built.value.goods_name ?? null,
        requestFields: built.value,
        createdAt: now,
        qrDeadline: now + lifetime * 60_000,
        gatewayDeadline: now + gatewayMinutes * 60_000 + GATEWAY_DEADLINE_MARGIN_MS,
      }),
    );

    const result = await exchange('payment', built.value, { orderId: order.id }, () => gateway.payment(built.value));
    const at = clock();
    let updated: OrderRecord;
    if (result.kind === 'success') {
      updated = store.transitionOrder(order.id, 'waiting', 'qr_issued', at, { syssn: result.body.syssn, qrcode: result.body.qrcode, sysdtm: result.body.sysdtm ?? null, respcd: '0000' });
    } else if (result.kind === 'answer' && (result.outcome === 'failed' || result.outcome === 'never_retry')) {
      updated = store.transitionOrder(order.id, 'failed', 'gateway_refused', at, { respcd: result.respcd, message: describeRespcd(result.respcd, 'en'), gatewaySettled: true });
    } else {
      const detail = result.kind === 'answer' ? `respcd ${result.respcd}` : result.reason;
      updated = store.transitionOrder(order.id, 'unknown', 'no_definitive_answer', at, result.kind === 'answer' ? { respcd: result.respcd, message: describeRespcd(result.respcd, 'en') } : { message: result.detail }, detail);
      checkSoon();
    }
    announceOrder(updated);
    // A cancel that arrived while the request was in flight.
    if (updated.state === 'waiting' && store.order(order.id).cancelRequestedAt !== null) return cancel(order.id);
    return updated;
  }

  async function withdrawAtGateway(order: OrderRecord): Promise<void> {
    const wallet = walletById(order.wallet);
    if (!wallet.cancelEndpoint || order.gatewaySettled || !budget.tryTakeForAction()) return;
    const endpoint = wallet.cancelEndpoint;
    const built = cancelFields({
      outTradeNo: order.outTradeNo,
      syssn: order.syssn ?? undefined,
      amount: order.amount,
      originalTxdtm: order.requestFields.txdtm as string,
      tillId: settings.tillId,
    });
    if (!built.ok) return;
    const result = await exchange(endpoint, built.value, { orderId: order.id }, () => gateway[endpoint](built.value));
    if (result.kind === 'success' || (result.kind === 'answer' && ['1264', '1263', '1181'].includes(result.respcd))) {
      announceOrder(store.patchOrder(order.id, { gatewaySettled: true }));
    } else if (result.kind === 'answer' && result.respcd === '1260') {
      // Paid before the close reached QFPay: the next query records it as a late payment.
      checkSoon();
    }
  }

  async function cancel(reference: string | number): Promise<OrderRecord> {
    const order = findOrder(reference);
    const now = clock();
    if (order.state === 'created') {
      // The payment request is in flight (here or in a process that died): cancel when it is answered.
      return announceOrder(store.patchOrder(order.id, { cancelRequestedAt: order.cancelRequestedAt ?? now }));
    }
    if (!ACTIVE_PAYMENT_STATES.includes(order.state)) {
      throw new TillError('not_cancellable', `order ${order.outTradeNo} is ${order.state} and cannot be cancelled`, { state: order.state });
    }
    // The QR is withdrawn from the screens at once; the order is still watched for a late payment.
    const cancelled = announceOrder(store.transitionOrder(order.id, 'cancelled', 'cashier_cancelled', now, { cancelRequestedAt: now }));
    await withdrawAtGateway(cancelled);
    checkSoon();
    return store.order(order.id);
  }

  async function refund(reference: string | number, amount?: number): Promise<RefundRecord> {
    const order = findOrder(reference);
    if (!PAID_STATES.includes(order.state)) {
      throw new TillError('refund_order_not_paid', `order ${order.outTradeNo} is ${order.state}: only a paid order can be refunded`, { state: order.state });
    }
    if (!order.syssn) throw new TillError('refund_without_syssn', `order ${order.outTradeNo} has no QFPay transaction number yet`);
    const inFlightOrDone = store.refundsOf(order.id).filter((existing) => existing.state !== 'failed').reduce((sum, existing) => sum + existing.amount, 0);
    const requested = amount ?? order.amount - inFlightOrDone;
    if (!isValidTxamt(requested)) throw new TillError('refund_amount_invalid', 'the refund must be a positive whole number of cents', { refundable: order.amount - inFlightOrDone });

    const now = clock();
    const outTradeNo = newNumber('refund', now);
    const built = refundFields({ syssn: order.syssn, outTradeNo, amount: requested, requestedAt: now, tillId: settings.tillId });
    if (!built.ok) throw new TillError('refund_amount_invalid', built.error);
    takeActionSlot();
    let created: RefundRecord;
    try {
      created = store.insertRefund({ orderId: order.id, outTradeNo, tillId: settings.tillId, amount: requested, requestFields: built.value, createdAt: now });
    } catch (error) {
      if (error instanceof LedgerRefusal && error.code === 'refund_exceeds_refundable') {
        throw new TillError('refund_exceeds_refundable', `at most ${String(error.details.refundable)} cents can be refunded`, error.details);
      }
      if (error instanceof LedgerRefusal && error.code === 'refund_order_not_paid') throw new TillError('refund_order_not_paid', error.message, error.details);
      throw error;
    }
    announceRefund(created);

    const result = await exchange('refund', built.value, { orderId: order.id, refundId: created.id }, () => gateway.refund(built.value));
    const at = clock();
    let updated: RefundRecord;
    if (result.kind === 'success') {
      updated = store.transitionRefund(created.id, 'succeeded', 'refund_succeeded', at, { syssn: result.body.syssn, sysdtm: result.body.sysdtm ?? null, respcd: '0000' });
    } else if (result.kind === 'answer' && result.outcome === 'pending') {
      updated = store.transitionRefund(created.id, 'pending', 'refund_pending', at, { respcd: result.respcd });
      checkSoon();
    } else if (result.kind === 'answer' && (result.outcome === 'failed' || result.outcome === 'never_retry')) {
      updated = store.transitionRefund(created.id, 'failed', 'refund_refused', at, { respcd: result.respcd, message: describeRespcd(result.respcd, 'en') });
    } else {
      // Timeout and friends: query by this refund's number before deciding anything.
      updated = store.transitionRefund(created.id, 'unknown', 'no_definitive_answer', at, result.kind === 'answer' ? { respcd: result.respcd } : { message: result.detail });
      checkSoon();
    }
    announceRefund(updated);
    settleLateDecision(updated);
    return updated;
  }

  /** A refund of a late payment is the manager's decision: the order is settled as paid (and refunded). */
  function settleLateDecision(refundRecord: RefundRecord): void {
    if (refundRecord.state !== 'succeeded') return;
    const order = store.order(refundRecord.orderId);
    if (order.state === 'paid_late') announceOrder(store.transitionOrder(order.id, 'paid', 'manager_refunded', clock()));
  }

  function keepLatePayment(reference: string | number): OrderRecord {
    const order = findOrder(reference);
    if (order.state !== 'paid_late') throw new TillError('not_paid_late', `order ${order.outTradeNo} is ${order.state}, not a late payment`, { state: order.state });
    return announceOrder(store.transitionOrder(order.id, 'paid', 'manager_kept', clock()));
  }

  /**
   * One batched enquiry for every order and refund still open (and, when asked, those watched for
   * late payments): a single `/trade/v1/query` per 100 numbers, whatever the number of open orders.
   */
  async function checkOpenOrders(options: { includeWatched: boolean; userRequested?: boolean }): Promise<CheckReport> {
    const now = clock();
    const orders = [...store.activeOrders(), ...(options.includeWatched ? store.watchedOrders(now) : [])];
    const refunds = store.activeRefunds();
    const numbers = [...new Set([...orders.map((order) => order.outTradeNo), ...refunds.map((item) => item.outTradeNo)])];
    if (numbers.length === 0) return { ok: true, queriedNumbers: 0, calls: 0, changed: 0, budgetExhausted: false };

    const records: QueryRecord[] = [];
    let calls = 0;
    for (let start = 0; start < numbers.length; start += QUERY_PAGE_SIZE_MAX) {
      const chunk = numbers.slice(start, start + QUERY_PAGE_SIZE_MAX);
      for (let page = 1; ; page += 1) {
        const slot = options.userRequested ? budget.tryTakeForAction() : budget.tryTakeForPoll();
        if (!slot) return { ok: false, queriedNumbers: numbers.length, calls, changed: 0, budgetExhausted: true };
        const built = queryFields({ outTradeNos: chunk, page, pageSize: QUERY_PAGE_SIZE_MAX });
        if (!built.ok) throw new Error(`query builder refused ${built.error}`);
        const result = await exchange('query', built.value, {}, () => gateway.query(built.value));
        calls += 1;
        if (result.kind !== 'success') return failedCheck(numbers.length, calls, result);
        records.push(...result.body.data);
        if (result.body.data.length < QUERY_PAGE_SIZE_MAX) break;
      }
    }

    const at = clock();
    const rules = { now: at, notFoundGraceMs: settings.notFoundGraceMs };
    let changed = 0;
    const withdrawals: OrderRecord[] = [];
    for (const order of orders) {
      const record = records.find((candidate) => candidate.order_type === 'payment' && candidate.out_trade_no === order.outTradeNo);
      const update = applyPaymentRecord(store, store.order(order.id), record, rules);
      if (!update) continue;
      changed += 1;
      announceOrder(update.order);
      if (update.withdrawAtGateway) withdrawals.push(update.order);
    }
    for (const item of refunds) {
      const record = records.find((candidate) => candidate.order_type === 'refund' && candidate.out_trade_no === item.outTradeNo);
      const updated = applyRefundRecord(store, item, record, rules);
      if (!updated) continue;
      changed += 1;
      announceRefund(updated);
      settleLateDecision(updated);
    }
    for (const order of withdrawals) await withdrawAtGateway(order);
    return { ok: true, queriedNumbers: numbers.length, calls, changed, budgetExhausted: false };
  }

  function failedCheck(queriedNumbers: number, calls: number, result: GatewayResult<unknown>): CheckReport {
    // Without an answer, a QR whose time is up is withdrawn and its outcome is unknown until a query succeeds.
    const now = clock();
    for (const order of store.activeOrders()) {
      if (order.state === 'waiting' && now >= order.qrDeadline) {
        announceOrder(store.transitionOrder(order.id, 'unknown', 'deadline_passed_without_answer', now));
      }
    }
    const failure = result.kind === 'unknown' ? `${result.reason}: ${result.detail}` : result.kind === 'answer' ? `respcd ${result.respcd}` : 'no answer';
    const retryAfterSeconds = result.kind === 'unknown' ? result.retryAfterSeconds : undefined;
    return { ok: false, queriedNumbers, calls, changed: 0, budgetExhausted: false, failure, retryAfterSeconds };
  }

  return {
    settings,
    events,
    budget,
    charge,
    cancel,
    refund,
    keepLatePayment,
    checkOpenOrders,
    order: findOrder,
    refundsOf: (reference: string | number) => store.refundsOf(findOrder(reference).id),
    history: (reference: string | number) => store.history(findOrder(reference).id),
    /** Lets the poller be woken when an answer says "look again now". */
    onCheckSoon(wake: () => void) {
      checkSoon = wake;
    },
  };
}

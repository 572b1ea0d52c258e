import { EventEmitter } from 'node:events';
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { hongKongMonth, isWellFormedTimestamp, monthWindow } from '../../../shared/hkTime';
import {
  classifyCode,
  DECISION_REASON_LENGTH,
  orderAttentionDue,
  orderDecisionStep,
  paymentStep,
  proofOf,
  refundAttentionDue,
  refundDecisionStep,
  refundStep,
  REQUEST_ABANDONED_AFTER_MS,
  type AnswerClass,
  type OrderDecision,
  type PaymentStep,
  type RefundDecision,
  type RefundStep,
} from '../../../shared/ledger/evidence';
import { ACTIVE_PAYMENT_STATES, PAID_STATES } from '../../../shared/ledger/lifecycle';
import { matchPaymentRecord, matchRefundRecord } from '../../../shared/ledger/recordMatching';
import { madeThrough, type GatewayIdentity } from '../../../shared/qfpay/environments';
import { EXPIRED_TIME_DEFAULT, isValidTxamt, newOutTradeNo, OUT_TRADE_NO_RANDOM_BYTES } from '../../../shared/qfpay/fields';
import { cancelFields, paymentFields, QUERY_PAGE_SIZE_MAX, queryFields, refundFields } from '../../../shared/qfpay/requests';
import { describeRespcd } from '../../../shared/qfpay/respcd';
import type { QueryRecord } from '../../../shared/qfpay/responses';
import type { WireFields } from '../../../shared/qfpay/signing';
import { walletById, WALLET_IDS, type AlipayRegion, type WalletId } from '../../../shared/wallets';
import type { GatewayClient, GatewayResult } from '../gateway/client';
import { LedgerRefusal, type LedgerStore, type OrderPatch, type OrderRecord, type RefundPatch, type RefundRecord } from '../ledger/ledgerStore';
import { createCallBudget, type CallBudget } from './callBudget';
import { TillError } from '../../../shared/errors';

/**
 * The till: takes payments, follows them to their end, cancels and refunds them. It writes to the
 * ledger before every request and records every answer before anyone hears of it. It never sends
 * a payment twice: an order without a definitive answer is resolved by query. What an answer
 * proves is decided by the evidence table (shared/ledger/evidence.ts), nowhere else.
 */

export interface TillSettings {
  readonly tillId: string;
  /**
   * The gateway this till talks to (environment, address, app code, mchid). It is kept on every
   * order, and an order is asked about, closed and refunded only through the same one: training
   * never mixes with money, and another gateway's "no such order" never writes an order off.
   */
  readonly gateway: GatewayIdentity;
  /**
   * How long a QR is shown, per wallet. Sent as `expired_time` to Alipay and WeChat Pay; for the
   * others the till applies it itself and treats its end exactly like an expiry.
   */
  readonly qrLifetimeMinutes: Readonly<Record<WalletId, number>>;
  readonly pollIntervalMs: number;
  readonly callBudgetPerMinute: number;
  /** How often orders the till gave up on are checked for a late payment when nothing else is open. */
  readonly lateWatchIntervalMs: number;
  /** How often a QR the customer is looking at now is checked, for its first LIVE_CHECK_WINDOW_MS. */
  readonly liveCheckIntervalMs: number;
  /** How often open items are checked while QFPay's pushes are proven to arrive: a safety net only. */
  readonly pushedCheckIntervalMs: number;
}

/**
 * Defaults. Five minutes is the shortest `expired_time` QFPay allows and long enough for a customer
 * at a counter; PayMe's own terminals give two. Items watched for a late payment or before a
 * manager are asked about every 30 s when nothing else is open.
 */
export const DEFAULT_TILL_SETTINGS = {
  qrLifetimeMinutes: Object.fromEntries(WALLET_IDS.map((id) => [id, 5])) as Record<WalletId, number>,
  pollIntervalMs: 3_000,
  // The merchant's 400 a minute is shared by its tills: 80 each leaves room for five busy counters
  // (set QFPOS_CALL_BUDGET lower for more tills). Back-to-back sales use about 60: the live QR's
  // checks (48 a minute), the payments themselves, and the closes of QR codes given up on.
  callBudgetPerMinute: 80,
  lateWatchIntervalMs: 30_000,
  liveCheckIntervalMs: 1_250,
  // A payment whose notification QFPay lost (its next try is 2 minutes away) is found within this.
  pushedCheckIntervalMs: 10_000,
} as const;

/** How long a new QR is checked at the live pace: most customers pay within the first two minutes. */
export const LIVE_CHECK_WINDOW_MS = 2 * 60_000;

export const POLL_INTERVAL_MIN_MS = 2_000;
export const POLL_INTERVAL_MAX_MS = 10_000;
export const QR_LIFETIME_MAX_MINUTES = 120;
/** QFPay's clock and ours may differ; a payment is watched this long past the gateway's own deadline. */
const GATEWAY_DEADLINE_MARGIN_MS = 2 * 60_000;
/**
 * How far QFPay's `sysdtm` may be from our own clock. An item whose `sysdtm` we do not know, made
 * this close to a month end, is looked for in both months.
 */
const CLOCK_SKEW_MS = 10 * 60_000;
const RECORDS_MAX_WAIT_MS = 10 * 60_000;

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
  /** Items newly put before a manager by this check. */
  readonly flagged: number;
}

/** Why the till wakes its poller: an answer that says "look again", or a new QR the customer is looking at. */
export type CheckSoonReason = 'look_again' | 'new_qr';

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
  /** Shared with the merchant's other tills through the head office; a local share otherwise. */
  callBudget?: CallBudget;
  /** The ledger's full check, made before the first money moves (throws, in words, on a damaged file). */
  beforeMoney?: () => void;
}) {
  const { store, gateway, settings } = deps;
  const clock = deps.clock ?? Date.now;
  const randomBytes = deps.randomBytes ?? ((size: number) => new Uint8Array(nodeRandomBytes(size)));
  const budget = deps.callBudget ?? createCallBudget(settings.callBudgetPerMinute, clock);
  const events = new EventEmitter<TillEvents>();
  /** Wakes the poller: at once (an answer that says "look again"), or at the live pace for a new QR. */
  let checkSoon: (reason?: CheckSoonReason) => void = () => {};
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

  function takeActionSlot(): void {
    if (!budget.tryTakeForAction()) {
      const retryInMs = budget.msUntilFree();
      throw new TillError('till_busy', `no gateway call is free this minute (QFPay allows the merchant 400 across its tills); try again in ${Math.ceil(retryInMs / 1000)} s`, { retryInMs });
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

  /** Orders made through another gateway are shown, never acted on from here. */
  function mineOrRefuse(order: OrderRecord): OrderRecord {
    if (!isMine(order)) {
      throw new TillError('order_other_gateway', `order ${order.outTradeNo} was made on ${order.environment}; this till now runs ${settings.gateway.environment}`, {
        madeOn: order.environment,
        runningOn: settings.gateway.environment,
      });
    }
    return order;
  }

  function safeOrder(id: number): OrderRecord | undefined {
    try {
      return store.order(id);
    } catch {
      return undefined;
    }
  }

  const factsOf = (order: OrderRecord, now: number) => ({
    state: order.state,
    cancelRequested: order.cancelRequestedAt !== null,
    qrDeadlinePassed: now >= order.qrDeadline,
    requestAbandoned: !inFlight.has(order.id) && now - order.createdAt >= REQUEST_ABANDONED_AFTER_MS,
  });

  /** The class of the answer to a payment or refund request itself. */
  function requestAnswerClass(request: 'payment' | 'refund', result: GatewayResult<unknown>): AnswerClass {
    if (result.kind === 'success') return 'success';
    if (result.kind === 'answer') return classifyCode(request, result.respcd, { hasQr: Boolean(result.payment?.qrcode) });
    return result.reason === 'not_sent' ? 'not_sent' : 'no_answer';
  }

  function unknownWords(result: Extract<GatewayResult<unknown>, { kind: 'unknown' }>): string {
    return result.reason === 'not_sent' ? `QFPay could not be reached, nothing was sent (${result.detail})` : result.detail;
  }

  /** One step of an order, with what the answer told us, recorded; a contradiction puts it before a manager. */
  function applyOrderStep(current: OrderRecord, step: PaymentStep, at: number, patch: OrderPatch, detail?: string): OrderRecord {
    const columns: OrderPatch = { ...patch, ...(step.settle ? { gatewaySettled: true } : {}) };
    let updated = step.to ? store.transitionOrder(current.id, step.to, step.cause ?? 'no_definitive_answer', at, columns, detail) : store.patchOrder(current.id, columns);
    if (step.contradiction && updated.attention !== 'contradiction') updated = store.flagOrder(updated.id, 'contradiction', at);
    return updated;
  }

  function applyRefundStep(current: RefundRecord, step: RefundStep, at: number, patch: RefundPatch): RefundRecord {
    let updated = current;
    if (step.to) updated = store.transitionRefund(current.id, step.to, step.cause ?? 'no_definitive_answer', at, patch);
    else if (Object.keys(patch).length > 0) {
      store.patchRefund(current.id, patch);
      updated = store.refund(current.id);
    }
    if (step.contradiction && updated.attention !== 'contradiction') updated = store.flagRefund(updated.id, 'contradiction', at);
    return updated;
  }

  function applyPaymentAnswer(orderId: number, result: GatewayResult<{ syssn: string; qrcode: string; sysdtm?: string }>): OrderRecord {
    const at = clock();
    const current = store.order(orderId);
    const step = paymentStep('payment', factsOf(current, at), proofOf('payment', requestAnswerClass('payment', result)));
    let patch: OrderPatch;
    if (result.kind === 'success') {
      patch = { syssn: result.body.syssn, qrcode: result.body.qrcode, sysdtm: result.body.sysdtm ?? null, respcd: '0000' };
    } else if (result.kind === 'answer') {
      const carried = result.payment ?? {};
      patch = {
        respcd: result.respcd,
        message: describeRespcd(result.respcd, 'en'),
        // Whatever the code, a syssn is QFPay's word that the order exists; the QR is kept only to be shown.
        ...(carried.syssn && !current.syssn ? { syssn: carried.syssn, sysdtm: carried.sysdtm ?? null } : {}),
        ...(step.to === 'waiting' ? { qrcode: carried.qrcode ?? null } : {}),
      };
    } else {
      patch = { message: unknownWords(result) };
    }
    const detail = result.kind === 'answer' ? `respcd ${result.respcd}` : result.kind === 'unknown' ? result.reason : undefined;
    return announceOrder(applyOrderStep(current, step, at, patch, detail));
  }

  async function charge(input: ChargeInput): Promise<OrderRecord> {
    deps.beforeMoney?.();
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
        environment: settings.gateway.environment,
        gatewayUrl: settings.gateway.baseUrl,
        appCode: settings.gateway.appCode,
        mchid: settings.gateway.mchid,
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

    inFlight.add(order.id);
    let updated: OrderRecord;
    try {
      const result = await exchange('payment', built.value, { orderId: order.id }, () => gateway.payment(built.value));
      updated = applyPaymentAnswer(order.id, result);
    } finally {
      inFlight.delete(order.id);
    }
    if (updated.state === 'unknown') checkSoon();
    // The customer is looking at this QR now: the next check comes at the live pace, not in the idle one.
    else if (updated.state === 'waiting') checkSoon('new_qr');
    // A cancel that arrived while the request was in flight.
    if (updated.state === 'waiting' && updated.cancelRequestedAt !== null) return cancel(order.id);
    return updated;
  }

  async function withdrawAtGateway(order: OrderRecord): Promise<void> {
    const wallet = walletById(order.wallet);
    if (!wallet.cancelEndpoint || order.gatewaySettled || !isMine(order) || !budget.tryTakeForAction()) return;
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
    // QFPay's own answer about this very order: closed now, already closed or reversed, or expired.
    if (result.kind === 'success' || (result.kind === 'answer' && ['1264', '1263', '1181'].includes(result.respcd))) {
      announceOrder(store.patchOrder(order.id, { gatewaySettled: true }));
    } else if (result.kind === 'answer' && result.respcd === '1260') {
      // Paid before the close reached QFPay: the next query records it as a late payment.
      checkSoon();
    }
  }

  async function cancel(reference: string | number): Promise<OrderRecord> {
    const order = mineOrRefuse(findOrder(reference));
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
    deps.beforeMoney?.();
    const order = mineOrRefuse(findOrder(reference));
    if (!PAID_STATES.includes(order.state)) {
      throw new TillError('refund_order_not_paid', `order ${order.outTradeNo} is ${order.state}: only a paid order can be refunded`, { state: order.state });
    }
    if (!order.syssn) throw new TillError('refund_without_syssn', `order ${order.outTradeNo} has no QFPay transaction number yet`);
    const inFlightOrDone = store.refundsOf(order.id).filter((existing) => existing.state !== 'failed').reduce((sum, existing) => sum + existing.amount, 0);
    // A full refund of an order with nothing left is a refusal of the till's rules, not a bad amount: none was given.
    if (amount === undefined && order.amount - inFlightOrDone <= 0) {
      throw new TillError('order_fully_refunded', `order ${order.outTradeNo} is already refunded in full (or the refunds of it are still being confirmed): nothing is left to refund`, { refundable: 0 });
    }
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
    const current = store.refund(created.id);
    const step = refundStep('refund', current.state, proofOf('refund', requestAnswerClass('refund', result)));
    const patch: RefundPatch =
      result.kind === 'success'
        ? { syssn: result.body.syssn, sysdtm: result.body.sysdtm ?? null, respcd: '0000' }
        : result.kind === 'answer'
          ? { respcd: result.respcd, message: describeRespcd(result.respcd, 'en') }
          : { message: unknownWords(result) };
    const updated = announceRefund(applyRefundStep(current, step, at, patch));
    // Timeout and friends: query by this refund's number before deciding anything.
    if (updated.state === 'unknown' || updated.state === 'pending') checkSoon();
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
    const order = mineOrRefuse(findOrder(reference));
    if (order.state !== 'paid_late') throw new TillError('not_paid_late', `order ${order.outTradeNo} is ${order.state}, not a late payment`, { state: order.state });
    return announceOrder(store.transitionOrder(order.id, 'paid', 'manager_kept', clock()));
  }

  function decisionReason(reason: string): string {
    const text = reason.trim();
    if (text.length < DECISION_REASON_LENGTH.min || text.length > DECISION_REASON_LENGTH.max) {
      throw new TillError('decision_reason_invalid', `give the reason for the decision in ${DECISION_REASON_LENGTH.min} to ${DECISION_REASON_LENGTH.max} characters`, DECISION_REASON_LENGTH);
    }
    return text;
  }

  /** A manager's decision about an order before them, recorded with the reason. */
  async function decideOrder(reference: string | number, decision: OrderDecision, reason: string): Promise<OrderRecord> {
    const order = mineOrRefuse(findOrder(reference));
    const why = decisionReason(reason);
    if (order.attention === null) throw new TillError('not_before_manager', `order ${order.outTradeNo} is not waiting for a manager: QFPay may still answer`, { state: order.state });
    const now = clock();
    const step = orderDecisionStep(order.state, decision, { gatewayDeadlinePassed: now >= order.gatewayDeadline });
    if (step === 'not_allowed') throw new TillError('decision_not_allowed', `order ${order.outTradeNo} is ${order.state}: a paid order stays paid; refund it if the money must go back`, { state: order.state });
    const { withdraw, ...change } = step;
    // The cashier's screen says it in the order's message: the gateway's old words no longer apply.
    const decided = announceOrder(store.decideOrder(order.id, { decision, reason: why, at: now, message: `a manager decided (${decision === 'paid' ? 'paid' : 'not paid'}): ${why}`, ...change }));
    if (!withdraw) return decided;
    await withdrawAtGateway(decided);
    return store.order(order.id);
  }

  function decideRefund(outTradeNo: string, decision: RefundDecision, reason: string): RefundRecord {
    const item = store.refundByNumber(outTradeNo);
    if (!item) throw new TillError('refund_not_found', `no refund ${outTradeNo} at this till`);
    mineOrRefuse(store.order(item.orderId));
    const why = decisionReason(reason);
    if (item.attention === null) throw new TillError('not_before_manager', `refund ${outTradeNo} is not waiting for a manager: QFPay may still answer`, { state: item.state });
    const step = refundDecisionStep(item.state, decision);
    if (step === 'not_allowed') throw new TillError('decision_not_allowed', `refund ${outTradeNo} is ${item.state}`, { state: item.state });
    const updated = announceRefund(store.decideRefund(item.id, { decision, reason: why, at: clock(), ...step }));
    settleLateDecision(updated);
    return updated;
  }

  /**
   * Puts an item before a manager when its time is up. Only evidence or a manager's decision takes
   * it away again (see `clearedByEvidence`): time passing never does.
   */
  function reviewOrderAttention(order: OrderRecord, now: number): boolean {
    const due = orderAttentionDue(order, now);
    if (due === undefined || order.attention !== null) return false;
    announceOrder(store.flagOrder(order.id, due, now));
    return true;
  }

  function reviewRefundAttention(item: RefundRecord, now: number): boolean {
    const due = refundAttentionDue(item, now);
    if (due === undefined || item.attention !== null) return false;
    announceRefund(store.flagRefund(item.id, due, now));
    return true;
  }

  /** An item before a manager that QFPay has now answered about for good leaves the manager's list. */
  function clearedByEvidence<T extends { id: number; attention: string | null }>(item: T, final: boolean, clear: (id: number) => T): T {
    return final && item.attention !== null && item.attention !== 'contradiction' ? clear(item.id) : item;
  }

  /** The Hong Kong months QFPay may have filed an item under: its `sysdtm`'s, or its creation's, either side of a month end. */
  function monthsOf(sysdtm: string | null, createdAt: number): string[] {
    if (sysdtm && isWellFormedTimestamp(sysdtm)) return [sysdtm.slice(0, 7)];
    return [...new Set([hongKongMonth(createdAt - CLOCK_SKEW_MS), hongKongMonth(createdAt + CLOCK_SKEW_MS)])];
  }

  /**
   * One batched enquiry per Hong Kong month for every order and refund still open (and, when
   * asked, those watched for late payments or before a manager): a single `/trade/v1/query` per
   * 100 numbers and month, paged, with a `start_time`/`end_time` window inside that month, since
   * QFPay searches only the current month otherwise.
   */
  async function checkOpenOrders(options: { includeWatched: boolean; userRequested?: boolean; urgent?: boolean }): Promise<CheckReport> {
    const orders = new Map<number, OrderRecord>();
    for (const order of store.activeOrders()) {
      if (isMine(order) && !inFlight.has(order.id) && (order.attention === null || options.includeWatched)) orders.set(order.id, order);
    }
    if (options.includeWatched) for (const order of [...store.unsettledOrders(), ...store.flaggedOrders()]) if (isMine(order)) orders.set(order.id, order);
    const refunds = new Map<number, RefundRecord>();
    for (const item of [...store.activeRefunds(), ...(options.includeWatched ? store.flaggedRefunds() : [])]) {
      if ((item.attention === null || options.includeWatched) && isMine(store.order(item.orderId))) refunds.set(item.id, item);
    }

    const byMonth = new Map<string, Set<string>>();
    const file = (months: string[], number: string) => months.forEach((month) => byMonth.set(month, (byMonth.get(month) ?? new Set()).add(number)));
    for (const order of orders.values()) file(monthsOf(order.sysdtm, order.createdAt), order.outTradeNo);
    for (const item of refunds.values()) file(monthsOf(item.sysdtm, item.createdAt), item.outTradeNo);
    const numbers = new Set([...byMonth.values()].flatMap((set) => [...set]));

    const records: QueryRecord[] = [];
    const answered = new Set<string>();
    let calls = 0;
    let budgetExhausted = false;
    let failure: Extract<GatewayResult<unknown>, { kind: 'unknown' | 'answer' }> | undefined;
    months: for (const [month, set] of [...byMonth].sort(([a], [b]) => b.localeCompare(a))) {
      const monthNumbers = [...set];
      for (let start = 0; start < monthNumbers.length; start += QUERY_PAGE_SIZE_MAX) {
        const chunk = monthNumbers.slice(start, start + QUERY_PAGE_SIZE_MAX);
        for (let page = 1; ; page += 1) {
          // A person asked, or QFPay said a customer paid: the cashier's priority, not the background's.
          const slot = options.userRequested || options.urgent ? budget.tryTakeForAction() : budget.tryTakeForPoll();
          if (!slot) {
            budgetExhausted = true;
            break months;
          }
          const built = queryFields({ outTradeNos: chunk, page, pageSize: QUERY_PAGE_SIZE_MAX, window: monthWindow(month) });
          if (!built.ok) throw new Error(`query builder refused ${built.error}`);
          const result = await exchange('query', built.value, {}, () => gateway.query(built.value));
          calls += 1;
          if (result.kind !== 'success') {
            // The rest is asked next time: one failure usually means the next would fail too (429, outage).
            failure = result;
            break months;
          }
          records.push(...result.body.data);
          if (result.body.data.length < QUERY_PAGE_SIZE_MAX) {
            chunk.forEach((number) => answered.add(number));
            break;
          }
        }
      }
    }
    const failed = (number: string) => !answered.has(number) && !budgetExhausted;

    const at = clock();
    let changed = 0;
    let flagged = 0;
    const withdrawals: OrderRecord[] = [];
    for (const { id, outTradeNo } of orders.values()) {
      const current = store.order(id);
      if (answered.has(outTradeNo) || failed(outTradeNo)) {
        const match = answered.has(outTradeNo) ? matchPaymentRecord(current, records) : { answer: 'no_answer' as const, record: undefined };
        const step = paymentStep('payment_query', factsOf(current, at), proofOf('payment_query', match.answer));
        const applied = applyOrderStep(current, step, at, { lastCheckedAt: at, ...paymentRecordPatch(current, step, match.record) });
        const updated = clearedByEvidence(applied, Boolean(step.settle), (orderId) => store.flagOrder(orderId, null, at));
        if (step.to || (step.settle && !current.gatewaySettled) || updated.attention !== current.attention) {
          changed += 1;
          announceOrder(updated);
        }
        if (step.withdraw) withdrawals.push(updated);
      }
      if (reviewOrderAttention(store.order(id), at)) flagged += 1;
    }
    for (const { id, outTradeNo, orderId } of refunds.values()) {
      const current = store.refund(id);
      if (answered.has(outTradeNo) || failed(outTradeNo)) {
        const match = answered.has(outTradeNo) ? matchRefundRecord(current, store.order(orderId), records) : { answer: 'no_answer' as const, record: undefined };
        const step = refundStep('refund_query', current.state, proofOf('refund_query', match.answer));
        const record = match.record;
        const patch: RefundPatch =
          record && step.to === 'succeeded'
            ? { syssn: record.syssn, sysdtm: record.sysdtm ?? null, respcd: record.respcd, message: null }
            : record && step.to === 'failed'
              ? { respcd: record.respcd, message: record.errmsg || describeRespcd(record.respcd, 'en') }
              : record && !current.syssn && step.to === 'pending'
                ? { syssn: record.syssn }
                : {};
        const applied = applyRefundStep(current, step, at, patch);
        const updated = clearedByEvidence(applied, step.to === 'succeeded' || step.to === 'failed', (refundId) => store.flagRefund(refundId, null, at));
        if (step.to || updated.attention !== current.attention) {
          changed += 1;
          announceRefund(updated);
          settleLateDecision(updated);
        }
      }
      if (reviewRefundAttention(store.refund(id), at)) flagged += 1;
    }
    for (const order of withdrawals) await withdrawAtGateway(order);

    const base = { queriedNumbers: numbers.size, calls, changed, flagged, budgetExhausted };
    if (budgetExhausted) return { ok: false, ...base };
    if (!failure) return { ok: true, ...base };
    return {
      ok: false,
      ...base,
      failure: failure.kind === 'unknown' ? `${failure.reason}: ${failure.detail}` : `respcd ${failure.respcd}`,
      retryAfterSeconds: failure.kind === 'unknown' ? failure.retryAfterSeconds : undefined,
    };
  }

  /**
   * Every record QFPay holds for a time window inside one month (and, if given, these numbers),
   * paged 100 at a time: the day's reconciliation. It paces itself within the till's share of the
   * merchant's limit, as polling does, leaving the reserve for the cashier's charges; it waits for
   * free slots rather than give up, for at most RECORDS_MAX_WAIT_MS in all.
   */
  async function recordsInWindow(window: { start: string; end: string }, numbers: readonly string[] = []): Promise<{ ok: true; records: QueryRecord[]; calls: number } | { ok: false; failure: string; calls: number }> {
    const records: QueryRecord[] = [];
    let calls = 0;
    let waited = 0;
    const chunks = numbers.length === 0 ? [[]] : Array.from({ length: Math.ceil(numbers.length / QUERY_PAGE_SIZE_MAX) }, (_, index) => numbers.slice(index * QUERY_PAGE_SIZE_MAX, (index + 1) * QUERY_PAGE_SIZE_MAX));
    for (const chunk of chunks) {
      for (let page = 1; ; page += 1) {
        while (!budget.tryTakeForPoll()) {
          const pause = Math.max(250, budget.msUntilFree());
          if (waited + pause > RECORDS_MAX_WAIT_MS) return { ok: false, failure: 'the gateway calls this till may make were used up for the minute', calls };
          await sleep(pause);
          waited += pause;
        }
        const built = queryFields({ outTradeNos: chunk, page, pageSize: QUERY_PAGE_SIZE_MAX, window });
        if (!built.ok) throw new Error(`query builder refused ${built.error}`);
        const result = await exchange('query', built.value, {}, () => gateway.query(built.value));
        calls += 1;
        if (result.kind !== 'success') return { ok: false, failure: result.kind === 'unknown' ? `${result.reason}: ${result.detail}` : `respcd ${result.respcd}`, calls };
        records.push(...result.body.data);
        if (result.body.data.length < QUERY_PAGE_SIZE_MAX) break;
      }
    }
    return { ok: true, records, calls };
  }

  /** What a payment record adds to the order besides its state. */
  function paymentRecordPatch(order: OrderRecord, step: PaymentStep, record: QueryRecord | undefined): OrderPatch {
    if (!record) return {};
    const known = { syssn: order.syssn ?? record.syssn };
    if (step.to === 'paid' || step.to === 'paid_late') {
      return { ...known, respcd: record.respcd, paydtm: record.paydtm || record.sysdtm || null, sysdtm: order.sysdtm ?? record.sysdtm ?? null, message: null };
    }
    if (step.settle && step.to) return { ...known, respcd: record.respcd, message: record.errmsg || describeRespcd(record.respcd, 'en') };
    return { ...known, sysdtm: order.sysdtm ?? record.sysdtm ?? null };
  }

  return {
    settings,
    events,
    budget,
    charge,
    cancel,
    refund,
    keepLatePayment,
    decideOrder,
    decideRefund,
    checkOpenOrders,
    recordsInWindow,
    /** Whether a QR of this till is live and new: the customer may pay any second, so it is checked fast. */
    hasLiveQr(): boolean {
      const now = clock();
      return store.activeOrders().some((order) => isMine(order) && order.state === 'waiting' && order.cancelRequestedAt === null && now < order.qrDeadline && now - order.createdAt < LIVE_CHECK_WINDOW_MS);
    },
    /** Whether an order was made through this till's gateway (others are shown, never acted on). */
    isMine,
    order: findOrder,
    refundsOf: (reference: string | number) => store.refundsOf(findOrder(reference).id),
    history: (reference: string | number) => store.history(findOrder(reference).id),
    /** Whether QFPay's news of this number (a payment or refund of this till's gateway) is awaited: it is still open or watched. */
    awaitsNewsOf(outTradeNo: string): boolean {
      const orders = [...store.activeOrders(), ...store.unsettledOrders(), ...store.flaggedOrders()];
      if (orders.some((order) => order.outTradeNo === outTradeNo && isMine(order))) return true;
      return [...store.activeRefunds(), ...store.flaggedRefunds()].some((item) => item.outTradeNo === outTradeNo && isMine(store.order(item.orderId)));
    },
    /** Lets the poller be woken when an answer says "look again now", or a new QR wants the live pace. */
    onCheckSoon(wake: (reason?: CheckSoonReason) => void) {
      checkSoon = wake;
    },
  };
}

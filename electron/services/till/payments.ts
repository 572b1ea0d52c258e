import { closeStep, paymentStep, proofOf } from '../../../shared/ledger/evidence';
import { ACTIVE_PAYMENT_STATES } from '../../../shared/ledger/lifecycle';
import { holdsCounter } from '../../../shared/ledger/saleInProgress';
import { EXPIRED_TIME_DEFAULT, isValidTxamt } from '../../../shared/qfpay/fields';
import { cancelFields, paymentFields } from '../../../shared/qfpay/requests';
import { describeRespcd } from '../../../shared/qfpay/respcd';
import { cancelEndpointOf, walletById, WALLET_IDS, type AlipayRegion, type WalletId } from '../../../shared/wallets';
import { TillError } from '../../../shared/errors';
import type { GatewayResult } from '../gateway/client';
import { LedgerRefusal, type OrderPatch, type OrderRecord } from '../ledger/ledgerStore';
import { requestAnswerClass, unknownWords, type TillContext } from './tillContext';
import { LIVE_CHECK_WINDOW_MS, QR_LIFETIME_MAX_MINUTES } from '../config/tillSettings';

/** QFPay's clock and ours may differ; a payment is watched this long past the gateway's own deadline. */
const GATEWAY_DEADLINE_MARGIN_MS = 2 * 60_000;

export interface ChargeInput {
  readonly wallet: WalletId;
  readonly amount: number;
  readonly qrLifetimeMinutes?: number;
  readonly goodsName?: string;
  readonly alipayRegion?: AlipayRegion;
  readonly noCredit?: boolean;
}

function inProgress(holding: { outTradeNo: string; state: string }): TillError {
  const next = holding.state === 'created' ? 'it is still being sent, or its till stopped: check it (status), then cancel it' : 'finish or cancel it first';
  return new TillError('payment_in_progress', `order ${holding.outTradeNo} is ${holding.state}: ${next}`, { outTradeNo: holding.outTradeNo, state: holding.state });
}

/** Taking a payment: the charge, the answer to it, and the cashier's cancel with the close at QFPay. */
export function createPayments(till: TillContext) {
  const { store, gateway, settings, clock, inFlight, isMine, announceOrder } = till;

  function applyPaymentAnswer(orderId: number, result: GatewayResult<{ syssn: string; qrcode: string; sysdtm?: string }>): { updated: OrderRecord; withdraw: boolean } {
    const at = clock();
    const current = store.order(orderId);
    const step = paymentStep('payment', till.factsOf(current, at), proofOf('payment', requestAnswerClass('payment', result)));
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
    return { updated: announceOrder(till.applyOrderStep(current, step, at, patch, detail)), withdraw: step.withdraw === true };
  }

  /**
   * What follows the answer to a charge, QR or customer's code alike: the poller's pace, the
   * withdrawal the evidence step asked for (a cancel that arrived while the request was in
   * flight, say), or the cancel that can only be made now that the order exists at QFPay.
   */
  async function afterChargeAnswer(updated: OrderRecord, withdraw: boolean): Promise<OrderRecord> {
    if (updated.state === 'unknown') till.checkSoon();
    // The customer is looking at this QR, or confirming in their wallet, now: checked at the live pace.
    else if (updated.state === 'waiting') till.checkSoon('new_qr');
    if (withdraw) {
      await withdrawAtGateway(updated);
      till.checkSoon();
      return store.order(updated.id);
    }
    if (updated.state === 'waiting' && updated.cancelRequestedAt !== null) return cancel(updated.id);
    return updated;
  }

  /** `oneCustomer`: refused, under the ledger's write lock, while another sale of this till holds the counter. */
  async function charge(input: ChargeInput, options: { oneCustomer?: boolean } = {}): Promise<OrderRecord> {
    till.beforeMoney();
    if (!WALLET_IDS.includes(input.wallet)) throw new TillError('wallet_unknown', `no wallet ${String(input.wallet)}`);
    if (!isValidTxamt(input.amount)) throw new TillError('amount_invalid', 'the amount must be a positive whole number of cents within Int(11)');
    const wallet = walletById(input.wallet);
    const lifetime = input.qrLifetimeMinutes ?? settings.qrLifetimeMinutes[wallet.id];
    const minimum = wallet.acceptsExpiredTime ? 5 : 1;
    if (!Number.isInteger(lifetime) || lifetime < minimum || lifetime > QR_LIFETIME_MAX_MINUTES) {
      throw new TillError('qr_lifetime_out_of_range', `the QR lifetime for ${wallet.names.en} must be ${minimum} to ${QR_LIFETIME_MAX_MINUTES} minutes`, { minimum, maximum: QR_LIFETIME_MAX_MINUTES });
    }

    const now = clock();
    const outTradeNo = till.newNumber('payment', now);
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
    till.takeActionSlot();

    // For wallets without expired_time, QFPay's own default (30 minutes) keeps the QR payable.
    const gatewayMinutes = wallet.acceptsExpiredTime ? lifetime : Math.max(lifetime, EXPIRED_TIME_DEFAULT);
    const order = announceOrder(
      insertOrderOrRefuse({
        outTradeNo,
        ...till.madeHere(),
        wallet: wallet.id,
        payType: wallet.payType,
        amount: input.amount,
        currency: built.value.txcurrcd as string,
        goodsName: built.value.goods_name ?? null,
        requestFields: built.value,
        createdAt: now,
        qrDeadline: now + lifetime * 60_000,
        gatewayDeadline: now + gatewayMinutes * 60_000 + GATEWAY_DEADLINE_MARGIN_MS,
      }, options.oneCustomer ? saleInProgress : undefined),
    );

    inFlight.add(order.id);
    let answered: { updated: OrderRecord; withdraw: boolean };
    try {
      const result = await till.exchange('payment', built.value, { orderId: order.id }, () => gateway.payment(built.value));
      answered = applyPaymentAnswer(order.id, result);
    } finally {
      inFlight.delete(order.id);
    }
    return afterChargeAnswer(answered.updated, answered.withdraw);
  }

  function insertOrderOrRefuse(order: Parameters<typeof store.insertOrder>[0], unlessHeld?: () => OrderRecord | undefined): OrderRecord {
    try {
      return store.insertOrder(order, unlessHeld);
    } catch (error) {
      if (error instanceof LedgerRefusal && error.code === 'payment_in_progress') throw inProgress(error.details as { outTradeNo: string; state: string });
      throw error;
    }
  }

  /** The order of this till that still holds the counter (see shared/ledger/saleInProgress), if any: the newest. */
  function saleInProgress(): OrderRecord | undefined {
    return store.activeOrders().filter((order) => isMine(order) && holdsCounter(order)).at(-1);
  }

  /**
   * A charge for the next customer at the counter: refused while another sale of this till holds
   * it, whoever started it (the cashier's window or the CLI). Nothing is awaited between the
   * check and the order's row, so two charges in this process cannot both pass; the ledger asks
   * again under its write lock, so a charge from another process cannot slip in between.
   */
  async function chargeNextCustomer(input: ChargeInput): Promise<OrderRecord> {
    // Asked first for the common case, and again under the write lock for another process's charge.
    const holding = saleInProgress();
    if (holding) throw inProgress(holding);
    return charge(input, { oneCustomer: true });
  }

  /**
   * Closes (or reverses) at QFPay a payment the till gave up on, where the wallet allows; the
   * evidence table says what the answer proves. False when no gateway call was free: the
   * withdrawal is then still owed (the ledger shows no close or reversal for the order), and the
   * next check with QFPay sends it (`withdrawOwed`).
   */
  async function withdrawAtGateway(order: OrderRecord): Promise<boolean> {
    // A customer's code payment is withdrawn by its own (CPM) endpoint, where the wallet has one.
    const endpoint = cancelEndpointOf(order.wallet, order.mode);
    if (!endpoint || order.gatewaySettled || !isMine(order)) return true;
    if (!till.budget.tryTakeForAction()) {
      till.checkSoon();
      return false;
    }
    const built = cancelFields({
      outTradeNo: order.outTradeNo,
      syssn: order.syssn ?? undefined,
      amount: order.amount,
      originalTxdtm: order.requestFields.txdtm as string,
      tillId: settings.tillId,
    });
    if (!built.ok) return true;
    const result = await till.exchange(endpoint, built.value, { orderId: order.id }, () => gateway[endpoint](built.value));
    const step = closeStep(requestAnswerClass('close', result));
    if (step.settle) {
      const current = store.order(order.id);
      // QFPay's word that it withdrew a payment the till had no answer about (a customer's code
      // it stopped waiting for) ends it: nobody was charged, and nobody can be now.
      const detail = result.kind === 'answer' ? `respcd ${result.respcd}` : undefined;
      const ended = ACTIVE_PAYMENT_STATES.includes(current.state)
        ? step.ended === 'expired'
          ? store.transitionOrder(current.id, 'expired', 'gateway_expired', clock(), { gatewaySettled: true }, detail)
          : store.transitionOrder(current.id, 'cancelled', endpoint === 'reversal' ? 'gateway_reversed' : 'gateway_closed', clock(), { gatewaySettled: true }, detail)
        : store.patchOrder(current.id, { gatewaySettled: true });
      announceOrder(ended);
    }
    // Paid before the close reached QFPay: the next query records it as a late payment.
    if (step.lookAgain) till.checkSoon();
    return true;
  }

  /**
   * Sends the closes and reversals still owed: asked for by an earlier step but never sent (no
   * gateway call was free, the connection was never made, or the till stopped first). Called
   * after each check with QFPay, so a skipped withdrawal waits at most one poll.
   */
  async function withdrawOwed(): Promise<void> {
    // Past QFPay's own deadline nobody can pay it any more; a manager sees what stays open.
    for (const order of store.withdrawalsOwed(clock())) {
      if (!isMine(order) || inFlight.has(order.id) || !cancelEndpointOf(order.wallet, order.mode)) continue;
      if (!(await withdrawAtGateway(order))) return;
    }
  }

  async function cancel(reference: string | number): Promise<OrderRecord> {
    const order = till.mineOrRefuse(till.findOrder(reference));
    const now = clock();
    if (order.state === 'created') {
      // The payment request is in flight (here or in a process that died): cancel when it is answered.
      return announceOrder(store.patchOrder(order.id, { cancelRequestedAt: order.cancelRequestedAt ?? now }));
    }
    if (!ACTIVE_PAYMENT_STATES.includes(order.state)) {
      throw new TillError('not_cancellable', `order ${order.outTradeNo} is ${order.state} and cannot be cancelled`, { state: order.state });
    }
    // The QR is withdrawn from the screens at once; the order is still watched for a late payment.
    const cancelled = announceOrder(store.transitionOrder(order.id, 'cancelled', 'cashier_cancelled', now, { cancelRequestedAt: order.cancelRequestedAt ?? now }));
    await withdrawAtGateway(cancelled);
    till.checkSoon();
    return store.order(order.id);
  }

  return {
    charge,
    chargeNextCustomer,
    insertOrderOrRefuse,
    saleInProgress,
    cancel,
    afterChargeAnswer,
    withdrawAtGateway,
    withdrawOwed,
    /**
     * Whether a QR of this till is live and new, or a customer is confirming a payment with their
     * own code (or its answer was lost) within the till's window: either may be paid any second,
     * so it is checked fast.
     */
    hasLiveQr(): boolean {
      const now = clock();
      return store.activeOrders().some(
        (order) =>
          isMine(order) &&
          order.cancelRequestedAt === null &&
          now < order.qrDeadline &&
          now - order.createdAt < LIVE_CHECK_WINDOW_MS &&
          (order.mode === 'cpm' ? order.state !== 'created' : order.state === 'waiting'),
      );
    },
  };
}

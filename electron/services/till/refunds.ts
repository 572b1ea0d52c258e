import { proofOf, refundStep } from '../../../shared/ledger/evidence';
import { PAID_STATES } from '../../../shared/ledger/lifecycle';
import { isValidTxamt } from '../../../shared/qfpay/fields';
import { refundFields } from '../../../shared/qfpay/requests';
import { describeRespcd } from '../../../shared/qfpay/respcd';
import { TillError } from '../../../shared/errors';
import { LedgerRefusal, type RefundPatch, type RefundRecord } from '../ledger/ledgerStore';
import { requestAnswerClass, unknownWords, type TillContext } from './tillContext';

/** Refunds of paid orders: checked against what is left, written to the ledger, then sent. */
export function createRefunds(till: TillContext) {
  const { store, gateway, settings, clock } = till;

  async function refund(reference: string | number, amount?: number): Promise<RefundRecord> {
    till.beforeMoney();
    const order = till.mineOrRefuse(till.findOrder(reference));
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
    const outTradeNo = till.newNumber('refund', now);
    const built = refundFields({ syssn: order.syssn, outTradeNo, amount: requested, requestedAt: now, tillId: settings.tillId });
    if (!built.ok) throw new TillError('refund_amount_invalid', built.error);
    till.takeActionSlot();
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
    till.announceRefund(created);

    const result = await till.exchange('refund', built.value, { orderId: order.id, refundId: created.id }, () => gateway.refund(built.value));
    const at = clock();
    const current = store.refund(created.id);
    const step = refundStep('refund', current.state, proofOf('refund', requestAnswerClass('refund', result)));
    const patch: RefundPatch =
      result.kind === 'success'
        ? { syssn: result.body.syssn, sysdtm: result.body.sysdtm ?? null, respcd: '0000' }
        : result.kind === 'answer'
          ? { respcd: result.respcd, message: describeRespcd(result.respcd, 'en') }
          : { message: unknownWords(result) };
    const updated = till.announceRefund(till.applyRefundStep(current, step, at, patch));
    // Timeout and friends: query by this refund's number before deciding anything.
    if (updated.state === 'unknown' || updated.state === 'pending') till.checkSoon();
    till.settleLateDecision(updated);
    return updated;
  }

  return { refund };
}

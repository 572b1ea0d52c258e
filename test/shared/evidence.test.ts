import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ANSWER_CLASSES,
  ATTENTION_AFTER_QR_DEADLINE_MS,
  ATTENTION_AFTER_REFUND_MS,
  classifyCode,
  EVIDENCE,
  EVIDENCE_REQUESTS,
  orderAttentionDue,
  orderDecisionStep,
  paymentStep,
  proofOf,
  refundAttentionDue,
  refundDecisionStep,
  refundStep,
  type AnswerClass,
  type EvidenceRequest,
  type Proof,
} from '../../shared/ledger/evidence';
import { canTransitionPayment, canTransitionRefund, type PaymentState, type RefundState } from '../../shared/ledger/lifecycle';

/**
 * The evidence table, row by row, written out here independently of shared/ledger/evidence.ts so
 * that any change to what an answer proves is a deliberate change to both.
 */
const EXPECTED: Record<EvidenceRequest, Record<AnswerClass, Proof>> = {
  payment: {
    not_sent: 'not_sent',
    no_answer: 'nothing',
    no_record: 'nothing',
    contradicting: 'nothing',
    other_gateway: 'nothing',
    success: 'qr_issued',
    pending_with_qr: 'qr_issued',
    pending: 'nothing',
    already_paid: 'nothing',
    closed: 'refused',
    expired: 'refused',
    refusal: 'refused',
    ambiguous: 'nothing',
    unknown_code: 'nothing',
  },
  payment_query: {
    not_sent: 'nothing',
    no_answer: 'nothing',
    no_record: 'nothing',
    contradicting: 'nothing',
    other_gateway: 'nothing',
    success: 'paid',
    pending_with_qr: 'in_progress',
    pending: 'in_progress',
    already_paid: 'nothing',
    closed: 'closed',
    expired: 'expired',
    refusal: 'failed',
    ambiguous: 'nothing',
    unknown_code: 'nothing',
  },
  refund: {
    not_sent: 'not_sent',
    no_answer: 'nothing',
    no_record: 'nothing',
    contradicting: 'nothing',
    other_gateway: 'nothing',
    success: 'refunded',
    pending_with_qr: 'in_progress',
    pending: 'in_progress',
    already_paid: 'nothing',
    closed: 'refused',
    expired: 'refused',
    refusal: 'refused',
    ambiguous: 'nothing',
    unknown_code: 'nothing',
  },
  refund_query: {
    not_sent: 'nothing',
    no_answer: 'nothing',
    no_record: 'nothing',
    contradicting: 'nothing',
    other_gateway: 'nothing',
    success: 'refunded',
    pending_with_qr: 'in_progress',
    pending: 'in_progress',
    already_paid: 'nothing',
    closed: 'failed',
    expired: 'failed',
    refusal: 'failed',
    ambiguous: 'nothing',
    unknown_code: 'nothing',
  },
  close: {
    not_sent: 'nothing',
    no_answer: 'nothing',
    no_record: 'nothing',
    contradicting: 'nothing',
    other_gateway: 'nothing',
    success: 'closed',
    pending_with_qr: 'nothing',
    pending: 'nothing',
    already_paid: 'nothing',
    closed: 'closed',
    expired: 'expired',
    refusal: 'nothing',
    ambiguous: 'nothing',
    unknown_code: 'nothing',
  },
};

const rows = EVIDENCE_REQUESTS.flatMap((request) => ANSWER_CLASSES.map((answer) => [request, answer, EXPECTED[request][answer]] as const));

describe('the evidence table', () => {
  it('has a row for every request and every class of answer', () => {
    expect(rows).toHaveLength(5 * 14);
    for (const request of EVIDENCE_REQUESTS) expect(Object.keys(EVIDENCE[request]).sort()).toEqual([...ANSWER_CLASSES].sort());
  });

  it.each(rows)('%s + %s proves %s', (request, answer, proof) => {
    expect(proofOf(request, answer)).toBe(proof);
  });

  it('never lets an absence, a stranger or an unknown code prove anything', () => {
    for (const request of EVIDENCE_REQUESTS) {
      for (const answer of ['no_answer', 'no_record', 'contradicting', 'other_gateway', 'unknown_code', 'ambiguous', 'already_paid'] as const) {
        expect(proofOf(request, answer)).toBe('nothing');
      }
    }
  });
});

describe('codes to classes', () => {
  it.each([
    ['payment', '0000', {}, 'success'],
    ['payment', '1143', { hasQr: true }, 'pending_with_qr'],
    ['payment', '1145', { hasQr: true }, 'pending_with_qr'],
    ['payment', '1143', {}, 'pending'],
    ['payment', '1260', {}, 'already_paid'],
    ['payment', '1298', {}, 'ambiguous'],
    ['payment', '2011', {}, 'ambiguous'],
    ['payment', '1999', {}, 'unknown_code'],
    ['payment', '1201', {}, 'refusal'],
    ['payment', '1294', {}, 'refusal'],
    ['payment', '1251', {}, 'refusal'],
    ['payment_query', '0000', { cancel: '0' }, 'success'],
    ['payment_query', '0000', { cancel: '5' }, 'success'],
    ['payment_query', '0000', { cancel: '2' }, 'ambiguous'],
    ['payment_query', '1143', { hasQr: true }, 'pending'],
    ['payment_query', '1264', { cancel: '2' }, 'closed'],
    ['payment_query', '1263', {}, 'closed'],
    ['payment_query', '1142', {}, 'closed'],
    ['payment_query', '1205', { cancel: '2' }, 'closed'],
    ['payment_query', '1181', {}, 'expired'],
    ['payment_query', '1201', {}, 'refusal'],
    ['payment_query', '1999', {}, 'unknown_code'],
    ['payment_query', '1298', {}, 'ambiguous'],
    ['refund', '0000', {}, 'success'],
    ['refund', '1251', {}, 'ambiguous'],
    ['refund', '1272', {}, 'refusal'],
    ['refund', '1265', {}, 'refusal'],
    ['refund', '1145', {}, 'pending'],
    ['refund_query', '0000', { cancel: '2' }, 'success'],
    ['refund_query', '1999', {}, 'unknown_code'],
    ['refund_query', '1272', {}, 'refusal'],
  ] as const)('%s answered %s %o is %s', (request, code, options, expected) => {
    expect(classifyCode(request, code, options)).toBe(expected);
  });
});

const facts = (state: PaymentState, flags: { cancelRequested?: boolean; qrDeadlinePassed?: boolean; requestAbandoned?: boolean } = {}) => ({
  state,
  cancelRequested: flags.cancelRequested ?? false,
  qrDeadlinePassed: flags.qrDeadlinePassed ?? false,
  requestAbandoned: flags.requestAbandoned ?? false,
});

describe('the step an order takes', () => {
  it.each([
    ['payment', 'created', {}, 'qr_issued', { to: 'waiting', cause: 'qr_issued' }],
    ['payment', 'unknown', {}, 'qr_issued', { to: 'waiting', cause: 'qr_issued' }],
    ['payment', 'unknown', { qrDeadlinePassed: true }, 'qr_issued', {}],
    ['payment', 'created', {}, 'nothing', { to: 'unknown', cause: 'no_definitive_answer' }],
    ['payment', 'created', {}, 'refused', { to: 'failed', cause: 'gateway_refused', settle: true }],
    ['payment', 'created', {}, 'not_sent', { to: 'failed', cause: 'never_sent', settle: true }],
    ['payment_query', 'waiting', {}, 'paid', { to: 'paid', cause: 'query_paid', settle: true }],
    ['payment_query', 'unknown', {}, 'paid', { to: 'paid', cause: 'query_paid', settle: true }],
    ['payment_query', 'cancelled', {}, 'paid', { to: 'paid_late', cause: 'paid_after_cancel_or_expiry', settle: true }],
    ['payment_query', 'expired', {}, 'paid', { to: 'paid_late', cause: 'paid_after_cancel_or_expiry', settle: true }],
    ['payment_query', 'failed', {}, 'paid', { to: 'paid_late', cause: 'paid_after_cancel_or_expiry', settle: true }],
    ['payment_query', 'paid', {}, 'paid', {}],
    ['payment_query', 'waiting', {}, 'in_progress', {}],
    ['payment_query', 'waiting', { qrDeadlinePassed: true }, 'in_progress', { to: 'expired', cause: 'qr_deadline_passed', withdraw: true }],
    ['payment_query', 'created', { cancelRequested: true }, 'in_progress', { to: 'cancelled', cause: 'cashier_cancelled', withdraw: true }],
    ['payment_query', 'created', {}, 'in_progress', { to: 'unknown', cause: 'query_pending_without_qr' }],
    ['payment_query', 'expired', {}, 'in_progress', {}],
    ['payment_query', 'waiting', {}, 'closed', { to: 'cancelled', cause: 'gateway_closed', settle: true }],
    ['payment_query', 'unknown', {}, 'expired', { to: 'expired', cause: 'gateway_expired', settle: true }],
    ['payment_query', 'waiting', {}, 'failed', { to: 'failed', cause: 'query_failed', settle: true }],
    ['payment_query', 'cancelled', {}, 'closed', { settle: true }],
    ['payment_query', 'paid', {}, 'failed', { contradiction: true }],
    ['payment_query', 'paid_late', {}, 'closed', { contradiction: true }],
    ['payment_query', 'waiting', {}, 'nothing', {}],
    ['payment_query', 'unknown', {}, 'nothing', {}],
    ['payment_query', 'created', {}, 'nothing', {}],
    ['payment_query', 'created', { requestAbandoned: true }, 'nothing', { to: 'unknown', cause: 'no_definitive_answer' }],
    ['payment', 'created', { requestAbandoned: true }, 'qr_issued', { to: 'waiting', cause: 'qr_issued' }],
    ['payment_query', 'waiting', { qrDeadlinePassed: true }, 'nothing', { to: 'unknown', cause: 'deadline_passed_without_answer' }],
  ] as const)('%s: %s %o + %s', (request, state, flags, proof, step) => {
    const result = paymentStep(request, facts(state, flags), proof);
    expect(result).toEqual(step);
    if (result.to) expect(canTransitionPayment(state, result.to)).toBe(true);
  });

  it('only ever proposes legal transitions', () => {
    const states: PaymentState[] = ['created', 'waiting', 'unknown', 'paid', 'failed', 'expired', 'cancelled', 'paid_late'];
    const proofs: Proof[] = ['qr_issued', 'paid', 'refunded', 'in_progress', 'refused', 'not_sent', 'closed', 'expired', 'failed', 'nothing'];
    for (const request of ['payment', 'payment_query'] as const)
      for (const state of states)
        for (const proof of proofs)
          for (const cancelRequested of [false, true])
            for (const qrDeadlinePassed of [false, true])
              for (const requestAbandoned of [false, true]) {
                const step = paymentStep(request, { state, cancelRequested, qrDeadlinePassed, requestAbandoned }, proof);
                if (step.to) expect(canTransitionPayment(state, step.to), `${request} ${state} ${proof}`).toBe(true);
              }
  });
});

describe('the step a refund takes', () => {
  it.each([
    ['refund', 'created', 'refunded', { to: 'succeeded', cause: 'refund_succeeded' }],
    ['refund', 'created', 'in_progress', { to: 'pending', cause: 'refund_pending' }],
    ['refund', 'created', 'refused', { to: 'failed', cause: 'refund_refused' }],
    ['refund', 'created', 'not_sent', { to: 'failed', cause: 'never_sent' }],
    ['refund', 'created', 'nothing', { to: 'unknown', cause: 'no_definitive_answer' }],
    ['refund_query', 'unknown', 'refunded', { to: 'succeeded', cause: 'refund_succeeded' }],
    ['refund_query', 'pending', 'refunded', { to: 'succeeded', cause: 'refund_succeeded' }],
    ['refund_query', 'unknown', 'in_progress', { to: 'pending', cause: 'refund_pending' }],
    ['refund_query', 'pending', 'in_progress', {}],
    ['refund_query', 'unknown', 'failed', { to: 'failed', cause: 'query_failed' }],
    ['refund_query', 'unknown', 'nothing', {}],
    ['refund_query', 'pending', 'nothing', {}],
    ['refund_query', 'failed', 'refunded', { contradiction: true }],
    ['refund_query', 'succeeded', 'failed', { contradiction: true }],
    ['refund_query', 'succeeded', 'refunded', {}],
  ] as const)('%s: %s + %s', (request, state, proof, step) => {
    const result = refundStep(request, state, proof);
    expect(result).toEqual(step);
    if (result.to) expect(canTransitionRefund(state, result.to)).toBe(true);
  });
});

describe('a manager’s decision', () => {
  it.each([
    ['unknown', 'paid', false, { to: 'paid', settle: true }],
    ['expired', 'paid', true, { to: 'paid_late', settle: true }],
    ['paid', 'paid', true, {}],
    ['unknown', 'not_paid', true, { to: 'failed', settle: true }],
    // Before QFPay's own deadline the customer may still pay: watched, and withdrawn where it can be.
    ['unknown', 'not_paid', false, { to: 'failed', withdraw: true }],
    ['cancelled', 'not_paid', true, { settle: true }],
    ['cancelled', 'not_paid', false, {}],
    ['paid', 'not_paid', true, 'not_allowed'],
    ['paid_late', 'not_paid', true, 'not_allowed'],
  ] as const)('%s decided %s (QFPay deadline passed: %s)', (state, decision, gatewayDeadlinePassed, step) => {
    const result = orderDecisionStep(state, decision, { gatewayDeadlinePassed });
    expect(result).toEqual(step);
    if (typeof result === 'object' && result.to) expect(canTransitionPayment(state, result.to)).toBe(true);
  });

  it.each([
    ['unknown', 'succeeded', { to: 'succeeded' }],
    ['pending', 'failed', { to: 'failed' }],
    ['failed', 'succeeded', { to: 'succeeded' }],
    ['failed', 'failed', {}],
    ['succeeded', 'failed', 'not_allowed'],
  ] as const)('refund %s decided %s', (state, decision, step) => {
    const result = refundDecisionStep(state, decision);
    expect(result).toEqual(step);
    if (typeof result === 'object' && result.to) expect(canTransitionRefund(state, result.to)).toBe(true);
  });
});

describe('when a manager is asked', () => {
  const order = { qrDeadline: 1_000_000, gatewayDeadline: 3_000_000, gatewaySettled: false };
  it('asks about an open payment five minutes after its QR’s time is up, not before', () => {
    expect(orderAttentionDue({ ...order, state: 'unknown' }, order.qrDeadline + ATTENTION_AFTER_QR_DEADLINE_MS - 1)).toBeUndefined();
    expect(orderAttentionDue({ ...order, state: 'unknown' }, order.qrDeadline + ATTENTION_AFTER_QR_DEADLINE_MS)).toBe('no_final_answer');
    expect(orderAttentionDue({ ...order, state: 'waiting' }, order.qrDeadline + ATTENTION_AFTER_QR_DEADLINE_MS)).toBe('no_final_answer');
  });
  it('asks about a withdrawn QR that QFPay never confirmed closed, once QFPay’s own deadline has passed', () => {
    expect(orderAttentionDue({ ...order, state: 'cancelled' }, order.gatewayDeadline - 1)).toBeUndefined();
    expect(orderAttentionDue({ ...order, state: 'cancelled' }, order.gatewayDeadline)).toBe('close_not_confirmed');
    expect(orderAttentionDue({ ...order, state: 'expired', gatewaySettled: true }, order.gatewayDeadline * 2)).toBeUndefined();
    expect(orderAttentionDue({ ...order, state: 'paid' }, order.gatewayDeadline * 2)).toBeUndefined();
  });
  it('asks about a refund with no final answer after ten minutes', () => {
    expect(refundAttentionDue({ state: 'unknown', createdAt: 0 }, ATTENTION_AFTER_REFUND_MS - 1)).toBeUndefined();
    expect(refundAttentionDue({ state: 'pending', createdAt: 0 }, ATTENTION_AFTER_REFUND_MS)).toBe('refund_not_confirmed');
    expect(refundAttentionDue({ state: 'succeeded', createdAt: 0 }, ATTENTION_AFTER_REFUND_MS)).toBeUndefined();
  });
});

/**
 * QFPay's truth for one payment and its refunds, and a till that hears about it only through
 * answers: each answer either tells the truth or proves nothing (lost, empty, unlabelled, an
 * unknown code, a stranger's). Whatever the order of answers, the till must never believe more
 * money can be refunded than QFPay still holds, nor finalise anything without a record of it.
 */
const NOTHING_CLASSES: AnswerClass[] = ['no_answer', 'no_record', 'contradicting', 'other_gateway', 'unknown_code', 'ambiguous'];

type Truth = { reached: boolean; paid: boolean; closed: boolean };
type Event =
  | { kind: 'payment_answer'; truthful: boolean; pick: number }
  | { kind: 'payment_query'; truthful: boolean; pick: number; deadlinePassed: boolean }
  | { kind: 'cancel' }
  | { kind: 'refund'; amount: number; reaches: boolean; truthful: boolean; pick: number }
  | { kind: 'refund_query'; index: number; truthful: boolean; pick: number };

const eventArbitrary: fc.Arbitrary<Event> = fc.oneof(
  fc.record({ kind: fc.constant('payment_answer' as const), truthful: fc.boolean(), pick: fc.nat() }),
  fc.record({ kind: fc.constant('payment_query' as const), truthful: fc.boolean(), pick: fc.nat(), deadlinePassed: fc.boolean() }),
  fc.record({ kind: fc.constant('cancel' as const) }),
  fc.record({ kind: fc.constant('refund' as const), amount: fc.integer({ min: 1, max: 120 }), reaches: fc.boolean(), truthful: fc.boolean(), pick: fc.nat() }),
  fc.record({ kind: fc.constant('refund_query' as const), index: fc.nat(), truthful: fc.boolean(), pick: fc.nat() }),
);

const choose = <T>(items: readonly T[], pick: number): T => items[pick % items.length] as T;

describe('no sequence of answers, however ambiguous, breaks the books (fast-check)', () => {
  it('keeps the refundable amount within what QFPay holds, and finalises nothing without a record', () => {
    fc.assert(
      fc.property(fc.record({ reached: fc.boolean(), paid: fc.boolean(), closed: fc.boolean() }), fc.array(eventArbitrary, { maxLength: 40 }), (truthSeed, events) => {
        const AMOUNT = 100;
        // QFPay's side. A payment that never reached QFPay cannot be paid; a paid one was not closed.
        const truth: Truth = { reached: truthSeed.reached, paid: truthSeed.reached && truthSeed.paid, closed: truthSeed.reached && !truthSeed.paid && truthSeed.closed };
        const truthRefunds: { amount: number; reached: boolean; succeeded: boolean }[] = [];
        // The till's side.
        let state = 'created' as PaymentState;
        let settled = false;
        let cancelRequested = false;
        const refunds: { amount: number; state: RefundState }[] = [];
        const evidenced = { paymentFinal: false };

        const applyPayment = (request: 'payment' | 'payment_query', answer: AnswerClass, deadlinePassed: boolean) => {
          const proof = proofOf(request, answer);
          const step = paymentStep(request, { state, cancelRequested, qrDeadlinePassed: deadlinePassed }, proof);
          if (step.to) {
            expect(canTransitionPayment(state, step.to)).toBe(true);
            state = step.to;
          }
          if (step.settle) {
            settled = true;
            evidenced.paymentFinal = true;
          }
        };

        for (const event of events) {
          switch (event.kind) {
            case 'payment_answer': {
              if (state !== 'created') break;
              let answer: AnswerClass;
              if (event.truthful) answer = truth.reached ? choose(['success', 'pending_with_qr'] as const, event.pick) : choose(['not_sent', 'refusal'] as const, event.pick);
              else answer = choose([...NOTHING_CLASSES, 'pending', 'already_paid'], event.pick);
              // A refusal means it never reached QFPay; an answer with a QR means it did.
              if (!truth.reached && (answer === 'pending' || answer === 'already_paid')) answer = 'no_answer';
              applyPayment('payment', answer, false);
              break;
            }
            case 'payment_query': {
              let answer: AnswerClass = choose(NOTHING_CLASSES, event.pick);
              if (event.truthful && truth.reached) answer = truth.paid ? 'success' : truth.closed ? choose(['closed', 'expired', 'refusal'] as const, event.pick) : 'pending';
              applyPayment('payment_query', answer, event.deadlinePassed);
              break;
            }
            case 'cancel':
              cancelRequested = true;
              if (state === 'waiting' || state === 'unknown') state = 'cancelled';
              break;
            case 'refund': {
              // The till's own check, as the ledger makes it: paid minus refunds not known to have failed.
              const ledgerPaid = state === 'paid' || state === 'paid_late' ? AMOUNT : 0;
              const committed = refunds.filter((refund) => refund.state !== 'failed').reduce((sum, refund) => sum + refund.amount, 0);
              if (event.amount > ledgerPaid - committed) break;
              const qfpayRefundable = (truth.paid ? AMOUNT : 0) - truthRefunds.filter((refund) => refund.succeeded).reduce((sum, refund) => sum + refund.amount, 0);
              const succeeded = event.reaches && event.amount <= qfpayRefundable;
              truthRefunds.push({ amount: event.amount, reached: event.reaches, succeeded });
              const refund = { amount: event.amount, state: 'created' as RefundState };
              refunds.push(refund);
              let answer: AnswerClass = choose([...NOTHING_CLASSES, 'pending'], event.pick);
              if (event.truthful) answer = !event.reaches ? 'not_sent' : succeeded ? 'success' : 'refusal';
              const step = refundStep('refund', refund.state, proofOf('refund', answer));
              if (step.to) refund.state = step.to;
              break;
            }
            case 'refund_query': {
              if (refunds.length === 0) break;
              const index = event.index % refunds.length;
              const refund = refunds[index] as { amount: number; state: RefundState };
              const real = truthRefunds[index] as { reached: boolean; succeeded: boolean };
              let answer: AnswerClass = choose(NOTHING_CLASSES, event.pick);
              if (event.truthful && real.reached) answer = real.succeeded ? 'success' : 'refusal';
              const step = refundStep('refund_query', refund.state, proofOf('refund_query', answer));
              if (step.to) refund.state = step.to;
              break;
            }
          }

          // Money in the ledger only on QFPay's record of it.
          if (state === 'paid' || state === 'paid_late') expect(truth.paid).toBe(true);
          // A not-paid ending confirmed by QFPay only when QFPay really holds no payment.
          if (settled && (state === 'failed' || state === 'expired' || state === 'cancelled')) {
            expect(truth.paid).toBe(false);
            expect(evidenced.paymentFinal).toBe(true);
          }
          // A refund the till believes failed never paid out; one it believes succeeded did.
          refunds.forEach((refund, index) => {
            if (refund.state === 'failed') expect(truthRefunds[index]?.succeeded).toBe(false);
            if (refund.state === 'succeeded') expect(truthRefunds[index]?.succeeded).toBe(true);
          });
          // So what the till would still refund never exceeds what QFPay still holds for it.
          const ledgerRefundable = (state === 'paid' || state === 'paid_late' ? AMOUNT : 0) - refunds.filter((refund) => refund.state !== 'failed').reduce((sum, refund) => sum + refund.amount, 0);
          const qfpayRefundable = (truth.paid ? AMOUNT : 0) - truthRefunds.filter((refund) => refund.succeeded).reduce((sum, refund) => sum + refund.amount, 0);
          expect(ledgerRefundable).toBeLessThanOrEqual(qfpayRefundable);
          expect(truthRefunds.filter((refund) => refund.succeeded).reduce((sum, refund) => sum + refund.amount, 0)).toBeLessThanOrEqual(truth.paid ? AMOUNT : 0);
        }
      }),
      { numRuns: 3_000 },
    );
  });
});

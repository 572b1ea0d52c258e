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
import { KNOWN_RESPCDS, classifyRespcd } from '../../shared/qfpay/respcd';

/**
 * What an answer proves, stated as the rules a payments engineer holds the table to rather than
 * as a second copy of it: a copy can only catch an edit that was not made twice. Each rule names
 * the pairs (request, class of answer) it speaks for and the one proof they must give, and says
 * what goes wrong at the till if the table breaks it; the rules together must speak for every
 * pair of the table (checked below), so no entry can change without some rule failing.
 */
interface EvidenceRule {
  readonly name: string;
  /** What goes wrong for the shop or its customer if the table breaks the rule. */
  readonly why: string;
  readonly requests: readonly EvidenceRequest[];
  readonly answers: readonly AnswerClass[];
  readonly proves: Proof;
}

const OWN_ANSWERS = ['payment', 'customer_code', 'refund'] as const satisfies readonly EvidenceRequest[];
const QUERIES = ['payment_query', 'refund_query'] as const satisfies readonly EvidenceRequest[];
const REFUND_REQUESTS = ['refund', 'refund_query'] as const satisfies readonly EvidenceRequest[];
/** The final codes of a record, or of the answer to the request itself. */
const FINAL_FAILURES = ['closed', 'expired', 'refusal'] as const satisfies readonly AnswerClass[];

const RULES: readonly EvidenceRule[] = [
  {
    name: 'an answer that never came, or came about something else, proves nothing',
    why: 'a timeout, a garbled answer, a record whose amount or original payment is not ours, or an answer from another environment or app code says nothing about what QFPay did with this request; believing it could mark a paid order unpaid (and charge the customer twice) or a refund failed that paid out',
    requests: EVIDENCE_REQUESTS,
    answers: ['no_answer', 'contradicting', 'other_gateway'],
    proves: 'nothing',
  },
  {
    name: 'an empty enquiry answer is never proof that nothing happened',
    why: 'QFPay searches one month unless told otherwise and a slow request may still land: ending an order on "no record" would close a QR the customer can still pay (or has paid), and failing a refund on it would let the same money be refunded twice',
    requests: EVIDENCE_REQUESTS,
    answers: ['no_record'],
    proves: 'nothing',
  },
  {
    name: 'a code that does not say what happened, or that no table lists, proves nothing',
    why: 'codes such as 1298 "may be paid", 2011 duplicate number, 1251 on a refund or 0000 with cancel=2 leave open whether money moved, and an unlisted code is unknown by definition: the till must ask again, not guess',
    requests: EVIDENCE_REQUESTS,
    answers: ['ambiguous', 'unknown_code'],
    proves: 'nothing',
  },
  {
    name: '1260 "already paid" proves nothing by itself: only the enquiry record tells',
    why: '1260 says an order under this number exists, not that this payment succeeded or for how much; taking it as paid would hand over goods on a payment nobody has seen recorded, taking it as refused would fail an order that may be paid',
    requests: EVIDENCE_REQUESTS,
    answers: ['already_paid'],
    proves: 'nothing',
  },
  {
    name: 'a payment or refund that never left the till is proven not sent',
    why: 'when the connection was never made no byte reached QFPay, so the till may fail it at once and the cashier may try again without any risk of charging or refunding twice; anything weaker leaves it open for a manager for no reason',
    requests: OWN_ANSWERS,
    answers: ['not_sent'],
    proves: 'not_sent',
  },
  {
    name: 'an enquiry that never left the till proves nothing about the payment or refund it asks about',
    why: 'failing to ask is not an answer: proving "not sent" (or anything) from it would fail an order or a refund that QFPay may well have completed',
    requests: QUERIES,
    answers: ['not_sent'],
    proves: 'nothing',
  },
  {
    name: 'the payment’s own success answer proves only that its QR was issued, never that it was paid',
    why: '0000 (or 1143/1145 with a QR) answered to /trade/v1/payment means the order exists and its QR can be shown; the customer has not paid yet, and only an enquiry record proves money arrived',
    requests: ['payment'],
    answers: ['success', 'pending_with_qr'],
    proves: 'qr_issued',
  },
  {
    name: 'the payment’s own pending answer without a QR proves nothing',
    why: 'the order exists at QFPay but nobody can scan a QR the till never received: the till must not show or wait on it as issued, it asks instead',
    requests: ['payment'],
    answers: ['pending'],
    proves: 'nothing',
  },
  {
    name: 'the customer’s code charged (0000 to the CPM payment itself) proves it paid',
    why: 'QFPay’s CPM page: 0000 is the payment made, there is no QR and nothing left for the customer to do; anything less would hold a paid customer at the counter, and tempt the cashier to scan a second code',
    requests: ['customer_code'],
    answers: ['success'],
    proves: 'paid',
  },
  {
    name: 'a payment is paid only on an enquiry record of success under its own number',
    why: 'the enquiry record is the one proof that the money arrived; without it a paid order stays open until a manager is asked, and the books show takings short',
    requests: ['payment_query'],
    answers: ['success'],
    proves: 'paid',
  },
  {
    name: 'a pending record, or a refund QFPay is still processing, proves it exists and is not over',
    why: '1143/1145 mean QFPay holds the request and has not finished: proving more would end it early, proving nothing would leave the till unable to withdraw a cancelled or timed-out QR, or to show a refund as under way',
    requests: ['customer_code', 'payment_query', 'refund', 'refund_query'],
    answers: ['pending', 'pending_with_qr'],
    proves: 'in_progress',
  },
  {
    name: 'a refund’s success, in its own answer or in its record, proves the money went back',
    why: 'a refund left open after QFPay paid it out keeps its amount blocked and puts it before a manager; treated as anything but refunded, the same money could be refunded again',
    requests: REFUND_REQUESTS,
    answers: ['success'],
    proves: 'refunded',
  },
  {
    name: 'a refusal of the request itself (including "closed" or "expired") proves nothing happened',
    why: 'QFPay answered the request it was sent with a documented final refusal, so no order or refund was made: the till fails it at once and the cashier may try again; proving less leaves a dead request open, proving "paid"/"refunded" would invent money',
    requests: OWN_ANSWERS,
    answers: FINAL_FAILURES,
    proves: 'refused',
  },
  {
    name: 'a closed or cancelled payment record ends the payment unpaid, as closed',
    why: '1142/1263/1264 or cancel=2 on the record mean nobody can pay the QR any more: the order ends unpaid and the till stops watching for a late payment',
    requests: ['payment_query'],
    answers: ['closed'],
    proves: 'closed',
  },
  {
    name: 'an expired payment record ends the payment unpaid, as expired',
    why: '1181 means the QR expired unscanned: the order ends unpaid, and its history says it expired at QFPay rather than that someone closed it',
    requests: ['payment_query'],
    answers: ['expired'],
    proves: 'expired',
  },
  {
    name: 'a refused payment record ends the payment unpaid, as failed',
    why: 'a record with a documented refusal (insufficient balance, risk block...) is a payment that was tried and refused: it ends failed, and the customer may pay again with a new order',
    requests: ['payment_query'],
    answers: ['refusal'],
    proves: 'failed',
  },
  {
    name: 'a refund record that is closed, expired or refused proves the refund failed',
    why: 'the record says the money did not go back, so its amount is refundable again; anything else either blocks that amount for good or, if read as refunded, tells the customer they were paid back when they were not',
    requests: ['refund_query'],
    answers: FINAL_FAILURES,
    proves: 'failed',
  },
  {
    name: 'a close or reversal that never left, was refused, or found the order still pending proves nothing',
    why: 'the QR the till gave up on may still be on the customer’s phone: only QFPay’s word that it can no longer be paid ends the watch for a late payment, which would otherwise go unnoticed',
    requests: ['close'],
    answers: ['not_sent', 'refusal', 'pending', 'pending_with_qr'],
    proves: 'nothing',
  },
  {
    name: 'a close that succeeded, or found the order closed or cancelled, proves the QR closed',
    why: 'QFPay says nobody can pay it any more, so the till may stop asking about it; anything weaker keeps it watched until QFPay’s own deadline',
    requests: ['close'],
    answers: ['success', 'closed'],
    proves: 'closed',
  },
  {
    name: 'a close that found the order expired proves the QR expired',
    why: 'an expired QR cannot be paid either: the watch ends, and the order keeps the reason QFPay gave',
    requests: ['close'],
    answers: ['expired'],
    proves: 'expired',
  },
];

const pairs = EVIDENCE_REQUESTS.flatMap((request) => ANSWER_CLASSES.map((answer) => ({ request, answer })));
const speaksFor = (rule: EvidenceRule, request: EvidenceRequest, answer: AnswerClass) => rule.requests.includes(request) && rule.answers.includes(answer);

describe('what an answer proves', () => {
  it('has a row for every request and every class of answer', () => {
    expect(pairs).toHaveLength(EVIDENCE_REQUESTS.length * 14);
    for (const request of EVIDENCE_REQUESTS) expect(Object.keys(EVIDENCE[request]).sort()).toEqual([...ANSWER_CLASSES].sort());
  });

  it.each(RULES.map((rule) => [rule.name, rule] as const))('%s', (_name, rule) => {
    for (const request of rule.requests)
      for (const answer of rule.answers)
        expect(proofOf(request, answer), `${request} + ${answer} must prove '${rule.proves}': ${rule.why}`).toBe(rule.proves);
  });

  it('the rules speak for every pair of request and answer', () => {
    const unstated = pairs.filter(({ request, answer }) => !RULES.some((rule) => speaksFor(rule, request, answer))).map(({ request, answer }) => `${request} + ${answer}`);
    expect(unstated, `no rule says what ${unstated.join(', ')} proves: each pair needs one, with its reason; a new request or class of answer must come with its rules`).toEqual([]);
  });

  it('no two rules demand different proofs of the same answer', () => {
    const conflicting = pairs
      .map(({ request, answer }) => ({ pair: `${request} + ${answer}`, proofs: new Set(RULES.filter((rule) => speaksFor(rule, request, answer)).map((rule) => rule.proves)) }))
      .filter(({ proofs }) => proofs.size > 1)
      .map(({ pair, proofs }) => `${pair}: ${[...proofs].join(' / ')}`);
    expect(conflicting, `rules demand different proofs of the same answer: ${conflicting.join('; ')}`).toEqual([]);
  });

  // Rules over the whole table, whatever requests and classes it comes to hold.
  const expectNone = (wrong: (request: EvidenceRequest, answer: AnswerClass, proof: Proof) => boolean, why: string) => {
    const found = pairs.filter(({ request, answer }) => wrong(request, answer, proofOf(request, answer))).map(({ request, answer }) => `${request} + ${answer} proves ${proofOf(request, answer)}`);
    expect(found, `${found.join('; ')}: ${why}`).toEqual([]);
  };

  it('a final state comes only from a definitive answer about that very request', () => {
    const definitive: readonly AnswerClass[] = ['success', 'closed', 'expired', 'refusal', 'not_sent'];
    const final: readonly Proof[] = ['paid', 'refunded', 'refused', 'not_sent', 'closed', 'expired', 'failed'];
    expectNone(
      (_request, answer, proof) => final.includes(proof) && !definitive.includes(answer),
      'only a record with a documented final code, or a refusal of the request itself, may end a payment or refund: anything else must be asked about again',
    );
  });

  it('nothing but an enquiry record of success, or the customer’s code charged, proves a payment paid', () => {
    expectNone(
      (request, answer, proof) => proof === 'paid' && !((request === 'payment_query' || request === 'customer_code') && answer === 'success'),
      'goods would be handed over on an answer that does not show the money arrived',
    );
  });

  it('nothing but a success about the refund proves it refunded', () => {
    expectNone(
      (request, answer, proof) => proof === 'refunded' && !((REFUND_REQUESTS as readonly EvidenceRequest[]).includes(request) && answer === 'success'),
      'a refund believed paid out that was not leaves the customer unpaid, and the ledger short of what QFPay still holds',
    );
  });

  it('an answer about a payment never proves anything of a refund, nor the other way round', () => {
    const paymentOnly: readonly Proof[] = ['qr_issued', 'paid'];
    expectNone(
      (request, _answer, proof) => ((REFUND_REQUESTS as readonly EvidenceRequest[]).includes(request) ? paymentOnly.includes(proof) : proof === 'refunded'),
      'a refund’s step reads "QR issued" or "paid" as nothing, and an order’s step reads "refunded" as nothing: such an entry would leave a settled item open for good, asked about and put before a manager',
    );
  });

  it('an enquiry never proves that the request was refused or never sent', () => {
    expectNone(
      (request, _answer, proof) => (QUERIES as readonly EvidenceRequest[]).includes(request) && (proof === 'refused' || proof === 'not_sent'),
      'those are facts about the request’s own sending, which only its own answer knows; from an enquiry they would fail an order or refund QFPay may hold',
    );
  });
});

/** What a code proves, from the class the till gives it for that request. */
const proves = (request: EvidenceRequest, respcd: string, options: { cancel?: string; hasQr?: boolean } = {}) => proofOf(request, classifyCode(request, respcd, options));

describe('what a QFPay code proves', () => {
  it('0000 answered to the payment issues its QR; on the payment’s record it proves paid, unless the record is also cancelled', () => {
    expect(classifyCode('payment', '0000')).toBe('success');
    expect(proves('payment', '0000'), 'the payment’s own 0000 only issues the QR').toBe('qr_issued');
    for (const cancel of [undefined, '0', '5']) {
      expect(classifyCode('payment_query', '0000', { cancel })).toBe('success');
      expect(proves('payment_query', '0000', { cancel }), `a 0000 record with cancel=${String(cancel)} is paid`).toBe('paid');
    }
    expect(classifyCode('payment_query', '0000', { cancel: '2' }), '"paid" and "cancelled" at once says nothing').toBe('ambiguous');
    expect(proves('payment_query', '0000', { cancel: '2' })).toBe('nothing');
    expect(classifyCode('payment_query', '0000', { cancel: '1' }), '"reversed or refunded (CPM)": paid, or never paid, the record does not say').toBe('ambiguous');
  });

  it('to a payment with the customer’s code, 0000 is paid, 1143/1145 the customer confirming, 1202 a used code refused', () => {
    expect(proves('customer_code', '0000')).toBe('paid');
    for (const code of ['1143', '1145']) expect(proves('customer_code', code), code).toBe('in_progress');
    expect(classifyCode('customer_code', '1202')).toBe('refusal');
    expect(proves('customer_code', '1202'), 'QFPay refused the code itself: nothing was charged').toBe('refused');
    for (const code of ['1298', '2011', '9999']) expect(proves('customer_code', code), `${code} leaves open whether it was charged`).toBe('nothing');
  });

  it('0000 about a refund proves it refunded; a cancel flag on a refund’s record does not change that', () => {
    expect(classifyCode('refund', '0000')).toBe('success');
    expect(proves('refund', '0000')).toBe('refunded');
    expect(classifyCode('refund_query', '0000', { cancel: '2' })).toBe('success');
    expect(proves('refund_query', '0000', { cancel: '2' })).toBe('refunded');
  });

  it('1143 and 1145 are pending on every request; a QR counts only on the payment’s own answer', () => {
    for (const code of ['1143', '1145']) {
      expect(classifyCode('payment', code, { hasQr: true })).toBe('pending_with_qr');
      expect(proves('payment', code, { hasQr: true }), `${code} with a QR: the customer can scan it`).toBe('qr_issued');
      expect(classifyCode('payment', code)).toBe('pending');
      expect(proves('payment', code), `${code} without a QR: nobody can scan it`).toBe('nothing');
      for (const request of ['payment_query', 'refund', 'refund_query'] as const) {
        expect(classifyCode(request, code, { hasQr: true }), `${request} ${code}`).toBe('pending');
        expect(proves(request, code, { hasQr: true }), `${request} ${code}`).toBe('in_progress');
      }
    }
  });

  it('1260 "already paid" proves nothing on any request: only the record tells', () => {
    for (const request of EVIDENCE_REQUESTS) {
      expect(classifyCode(request, '1260'), request).toBe('already_paid');
      expect(proves(request, '1260'), request).toBe('nothing');
    }
  });

  it('1251 on a refund may be our own earlier attempt, so it proves nothing; on a payment it is a refusal', () => {
    expect(classifyCode('refund', '1251'), 'a refund number "used before" may be this refund, already paid out: failing it could refund twice').toBe('ambiguous');
    expect(proves('refund', '1251'), 'a refund number "used before" may be this refund, already paid out').toBe('nothing');
    expect(classifyCode('payment', '1251')).toBe('refusal');
    expect(proves('payment', '1251')).toBe('refused');
  });

  it('1142, 1263 and 1264 close an order, and so does cancel=2 on a payment’s record whatever its code', () => {
    for (const code of ['1142', '1263', '1264']) {
      for (const request of EVIDENCE_REQUESTS) expect(classifyCode(request, code), `${request} ${code}`).toBe('closed');
      expect(proves('payment_query', code), code).toBe('closed');
      expect(proves('payment', code), code).toBe('refused');
      expect(proves('refund_query', code), code).toBe('failed');
    }
    expect(classifyCode('payment_query', '1264', { cancel: '2' })).toBe('closed');
    expect(classifyCode('payment_query', '1205', { cancel: '2' })).toBe('closed');
    expect(proves('payment_query', '1205', { cancel: '2' })).toBe('closed');
    // The flag is a payment record's: on a refund's record the code decides.
    expect(classifyCode('refund_query', '1205', { cancel: '2' })).toBe('refusal');
  });

  it('1181 expires the QR', () => {
    expect(classifyCode('payment_query', '1181')).toBe('expired');
    expect(proves('payment_query', '1181')).toBe('expired');
    expect(proves('payment', '1181')).toBe('refused');
  });

  it('a code that leaves open whether anything happened proves nothing, on any request', () => {
    for (const request of ['payment', 'payment_query'] as const)
      for (const code of ['1298', '2011']) {
        expect(classifyCode(request, code), `${request} ${code}`).toBe('ambiguous');
        expect(proves(request, code), `${request} ${code}`).toBe('nothing');
      }
    const undecided = KNOWN_RESPCDS.filter((info) => classifyRespcd(info.code) === 'confirm_by_query');
    expect(undecided.length).toBeGreaterThan(0);
    for (const { code } of undecided)
      for (const request of EVIDENCE_REQUESTS)
        expect(proves(request, code), `${request} answered ${code}, which QFPay documents as "confirm by query", must not be believed`).toBe('nothing');
  });

  it('a documented refusal ends the request: nothing happened, or the record failed', () => {
    for (const code of ['1201', '1294']) {
      expect(classifyCode('payment', code), code).toBe('refusal');
      expect(proves('payment', code), code).toBe('refused');
    }
    expect(classifyCode('payment_query', '1201')).toBe('refusal');
    expect(proves('payment_query', '1201')).toBe('failed');
    for (const code of ['1272', '1265']) {
      expect(classifyCode('refund', code), code).toBe('refusal');
      expect(proves('refund', code), code).toBe('refused');
    }
    expect(classifyCode('refund_query', '1272')).toBe('refusal');
    expect(proves('refund_query', '1272')).toBe('failed');
  });

  it('a code no table lists is unknown on every request and proves nothing; a listed one is never unknown', () => {
    for (const code of ['1999', '9999', ''])
      for (const request of EVIDENCE_REQUESTS) {
        expect(classifyCode(request, code), `${request} ${JSON.stringify(code)}`).toBe('unknown_code');
        expect(proves(request, code), `${request} ${JSON.stringify(code)}`).toBe('nothing');
      }
    for (const { code } of KNOWN_RESPCDS)
      for (const request of EVIDENCE_REQUESTS)
        for (const options of [{}, { hasQr: true }, { cancel: '2' }])
          expect(classifyCode(request, code, options), `${request} ${code} ${JSON.stringify(options)} is documented`).not.toBe('unknown_code');
  });
});

const facts = (state: PaymentState, flags: { cancelRequested?: boolean; qrDeadlinePassed?: boolean; requestAbandoned?: boolean; cpm?: boolean } = {}) => ({
  state,
  mode: flags.cpm ? ('cpm' as const) : ('mpm' as const),
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
    // The customer's own code (CPM).
    ['customer_code', 'created', { cpm: true }, 'paid', { to: 'paid', cause: 'customer_code_paid', settle: true }],
    ['customer_code', 'created', { cpm: true }, 'in_progress', { to: 'waiting', cause: 'customer_confirming' }],
    ['customer_code', 'created', { cpm: true }, 'nothing', { to: 'unknown', cause: 'no_definitive_answer' }],
    ['customer_code', 'created', { cpm: true }, 'refused', { to: 'failed', cause: 'gateway_refused', settle: true }],
    ['customer_code', 'created', { cpm: true }, 'not_sent', { to: 'failed', cause: 'never_sent', settle: true }],
    ['customer_code', 'created', { cpm: true, cancelRequested: true }, 'in_progress', { to: 'cancelled', cause: 'cashier_cancelled', withdraw: true }],
    ['payment_query', 'unknown', { cpm: true }, 'in_progress', { to: 'waiting', cause: 'customer_confirming' }],
    ['payment_query', 'waiting', { cpm: true }, 'in_progress', {}],
    ['payment_query', 'waiting', { cpm: true, qrDeadlinePassed: true }, 'in_progress', { to: 'expired', cause: 'customer_did_not_confirm', withdraw: true }],
    ['payment_query', 'unknown', { cpm: true }, 'paid', { to: 'paid', cause: 'query_paid', settle: true }],
    ['payment_query', 'unknown', { cpm: true }, 'nothing', {}],
    ['payment_query', 'unknown', { cpm: true, qrDeadlinePassed: true }, 'nothing', { withdraw: true, stopWaiting: true }],
    ['payment_query', 'unknown', { cpm: true, qrDeadlinePassed: true, cancelRequested: true }, 'nothing', {}],
    ['payment_query', 'unknown', { qrDeadlinePassed: true }, 'nothing', {}],
  ] as const)('%s: %s %o + %s', (request, state, flags, proof, step) => {
    const result = paymentStep(request, facts(state, flags), proof);
    expect(result).toEqual(step);
    if (result.to) expect(canTransitionPayment(state, result.to)).toBe(true);
  });

  it('only ever proposes legal transitions', () => {
    const states: PaymentState[] = ['created', 'waiting', 'unknown', 'paid', 'failed', 'expired', 'cancelled', 'paid_late'];
    const proofs: Proof[] = ['qr_issued', 'paid', 'refunded', 'in_progress', 'refused', 'not_sent', 'closed', 'expired', 'failed', 'nothing'];
    for (const request of ['payment', 'customer_code', 'payment_query'] as const)
      for (const state of states)
        for (const proof of proofs)
          for (const cancelRequested of [false, true])
            for (const qrDeadlinePassed of [false, true])
              for (const requestAbandoned of [false, true])
                for (const mode of ['mpm', 'cpm'] as const) {
                  const step = paymentStep(request, { state, cancelRequested, qrDeadlinePassed, requestAbandoned, mode }, proof);
                  if (step.to) expect(canTransitionPayment(state, step.to), `${request} ${state} ${proof} ${mode}`).toBe(true);
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

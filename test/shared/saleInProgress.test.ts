import { describe, expect, it } from 'vitest';
import { closeStep, classifyCode } from '../../shared/ledger/evidence';
import { PAYMENT_STATES } from '../../shared/ledger/lifecycle';
import { holdsCounter } from '../../shared/ledger/saleInProgress';

describe('the one-customer rule', () => {
  it('holds the counter while QFPay may still take the payment, and not once a manager has it', () => {
    const holding = PAYMENT_STATES.filter((state) => holdsCounter({ state, attention: null }));
    // "Checking with QFPay" holds it too: the cashier is told not to charge again.
    expect(holding.sort()).toEqual(['created', 'unknown', 'waiting']);
    for (const state of PAYMENT_STATES) expect(holdsCounter({ state, attention: 'no_final_answer' })).toBe(false);
  });
});

describe('what a close or reversal proves', () => {
  const step = (respcd: string) => closeStep(classifyCode('close', respcd));

  it('ends the watch for a late payment only on QFPay’s word that the QR can no longer be paid', () => {
    for (const respcd of ['0000', '1142', '1263', '1264']) expect(step(respcd), respcd).toEqual({ settle: true, ended: 'closed' });
    expect(step('1181')).toEqual({ settle: true, ended: 'expired' });
  });

  it('asks again at once when QFPay says the order is already paid', () => {
    expect(step('1260')).toEqual({ lookAgain: true });
  });

  it('proves nothing from a refusal, an ambiguous or unknown code, a timeout or a lost connection', () => {
    for (const respcd of ['1294', '1298', '2011', '9999', '1143']) expect(step(respcd), respcd).toEqual({});
    expect(closeStep('no_answer')).toEqual({});
    expect(closeStep('not_sent')).toEqual({});
  });
});

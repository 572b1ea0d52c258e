import { describe, expect, it } from 'vitest';
import { matchPaymentRecord, matchRefundRecord } from '../../shared/ledger/recordMatching';
import type { QueryRecord } from '../../shared/qfpay/responses';

const record = (overrides: Partial<QueryRecord>): QueryRecord => ({ syssn: 'S1', out_trade_no: 'T-P1', txamt: 1000, respcd: '0000', ...overrides }) as QueryRecord;
const order = { outTradeNo: 'T-P1', syssn: 'S1', amount: 1000 };
const refund = { outTradeNo: 'T-R1', syssn: null, amount: 400 };

describe('which record is about which item', () => {
  it('a payment: its syssn, or its number on a record not marked as a refund', () => {
    expect(matchPaymentRecord(order, [record({ order_type: 'payment' })])).toMatchObject({ answer: 'success' });
    expect(matchPaymentRecord({ ...order, syssn: null }, [record({ order_type: undefined, respcd: '1143' })])).toMatchObject({ answer: 'pending' });
    // A refund listed under the payment's number is not the payment.
    expect(matchPaymentRecord({ ...order, syssn: null }, [record({ syssn: 'S9', order_type: 'refund' }), record({ syssn: 'S8', origssn: 'S1' })])).toEqual({ answer: 'no_record' });
    expect(matchPaymentRecord(order, [])).toEqual({ answer: 'no_record' });
  });

  it('a payment record that disagrees is not evidence', () => {
    expect(matchPaymentRecord(order, [record({ txamt: 999 })])).toMatchObject({ answer: 'contradicting' });
    expect(matchPaymentRecord(order, [record({ out_trade_no: 'SOMEONE-ELSE' })])).toMatchObject({ answer: 'contradicting' });
    expect(matchPaymentRecord({ ...order, syssn: null }, [record({ syssn: 'S1' }), record({ syssn: 'S2' })])).toEqual({ answer: 'contradicting' });
  });

  it('a refund: the record under its own number or syssn, whatever its label says', () => {
    for (const label of ['refund', 'payment', undefined]) {
      expect(matchRefundRecord(refund, { syssn: 'S1' }, [record({ syssn: 'S2', out_trade_no: 'T-R1', order_type: label, txamt: 400 })])).toMatchObject({ answer: 'success' });
    }
    expect(matchRefundRecord({ ...refund, syssn: 'S2' }, { syssn: 'S1' }, [record({ syssn: 'S2', out_trade_no: undefined, txamt: 400, respcd: '1272' })])).toMatchObject({ answer: 'refusal' });
    expect(matchRefundRecord(refund, { syssn: 'S1' }, [record({ syssn: 'S2', out_trade_no: 'T-R2', txamt: 400 })])).toEqual({ answer: 'no_record' });
  });

  it('a refund record of another payment, or of another amount, is not evidence', () => {
    expect(matchRefundRecord(refund, { syssn: 'S1' }, [record({ syssn: 'S2', out_trade_no: 'T-R1', origssn: 'S7', txamt: 400 })])).toMatchObject({ answer: 'contradicting' });
    expect(matchRefundRecord(refund, { syssn: 'S1' }, [record({ syssn: 'S2', out_trade_no: 'T-R1', txamt: 500 })])).toMatchObject({ answer: 'contradicting' });
    expect(matchRefundRecord(refund, { syssn: 'S1' }, [record({ syssn: 'S2', out_trade_no: 'T-R1', txamt: 400, respcd: '1999' })])).toMatchObject({ answer: 'unknown_code' });
  });
});

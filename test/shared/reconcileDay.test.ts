import { describe, expect, it } from 'vitest';
import { reconciliationReasonWords } from '../../shared/i18n/reconciliationWords';
import { reconcileRecords, type LedgerPayment, type LedgerRefund } from '../../shared/ledger/reconcileDay';
import type { QueryRecord } from '../../shared/qfpay/responses';

/** The matching of a day's records with the ledger, case by case, without a gateway. */
const context = { day: '2026-11-23', environment: 'production', checkedAt: 0, requests: 1, otherGateway: 0 };
const payment = (overrides: Partial<LedgerPayment> = {}): LedgerPayment => ({ outTradeNo: 'T-P1', syssn: 'S1', amount: 1000, state: 'paid', attention: null, ...overrides });
const refund = (overrides: Partial<LedgerRefund> = {}): LedgerRefund => ({ outTradeNo: 'T-R1', syssn: 'S2', amount: 300, state: 'succeeded', attention: null, paymentOutTradeNo: 'T-P1', ...overrides });
const record = (overrides: Partial<QueryRecord> = {}): QueryRecord => ({ syssn: 'S1', out_trade_no: 'T-P1', order_type: 'payment', txamt: 1000, respcd: '0000', cancel: '0', ...overrides }) as QueryRecord;

describe('reconciling records with the ledger', () => {
  it('matches payments and refunds by number or syssn, whatever the labels', () => {
    const result = reconcileRecords(context, [record({ order_type: undefined }), record({ syssn: 'S2', out_trade_no: 'T-R1', order_type: undefined, origssn: undefined, txamt: 300 })], {
      payments: [payment()],
      refunds: [refund({ syssn: null })],
    });
    expect(result).toMatchObject({ agrees: true, counts: { matched: 2, differs: 0, atQfpayOnly: 0, open: 0 }, lines: [] });
  });

  it('tells each kind of difference', () => {
    const result = reconcileRecords(
      context,
      [
        record({ txamt: 999 }),
        record({ syssn: 'S3', out_trade_no: 'T-P3', respcd: '1264', cancel: '2' }),
        record({ syssn: 'S4', out_trade_no: 'OTHER-P1', udid: 'till-2' }),
        record({ syssn: 'S5', out_trade_no: 'T-P5', respcd: '1143' }),
        record({ syssn: 'S6', out_trade_no: 'T-P6', respcd: '1999' }),
      ],
      {
        payments: [
          payment(),
          payment({ outTradeNo: 'T-P3', syssn: 'S3', state: 'paid' }),
          payment({ outTradeNo: 'T-P5', syssn: 'S5', state: 'waiting' }),
          payment({ outTradeNo: 'T-P6', syssn: 'S6', state: 'expired' }),
          payment({ outTradeNo: 'T-P7', syssn: 'S7', state: 'paid' }),
          payment({ outTradeNo: 'T-P8', syssn: null, state: 'failed' }),
        ],
        refunds: [refund({ state: 'failed', syssn: null, outTradeNo: 'T-R9' })],
      },
    );
    const why = Object.fromEntries(result.lines.map((line) => [line.outTradeNo, [line.category, reconciliationReasonWords(line.why, 'en')]]));
    expect(why).toEqual({
      'T-P1': ['differs', 'amounts differ: ledger HK$10.00, QFPay HK$9.99'],
      'T-P3': ['differs', 'the ledger says paid; QFPay says not paid (1264)'],
      'OTHER-P1': ['at_qfpay_only', 'not in this ledger; made by till till-2'],
      'T-P5': ['open', 'QFPay says still waiting for the customer'],
      'T-P6': ['open', "QFPay's answer is not final (1999)"],
      'T-P7': ['differs', 'paid in the ledger; QFPay has no record of it'],
    });
    // The same lines in Chinese, for the manager's screen.
    expect(reconciliationReasonWords(result.lines[0]?.why ?? { code: 'still_asking' }, 'zh-HK')).toBe('金額不符：賬目 HK$10.00，QFPay HK$9.99');
    // A refused payment and a refund QFPay never had agree with QFPay's silence.
    expect(result.counts).toEqual({ matched: 2, differs: 3, atQfpayOnly: 1, open: 2 });
    expect(result.agrees).toBe(false);
  });

  it('takes a customer-code record reversed after payment (0000, cancel 1) as agreeing with a till that did not keep the money', () => {
    const reversed = record({ cancel: '1' });
    expect(reconcileRecords(context, [reversed], { payments: [payment({ state: 'cancelled' })], refunds: [] })).toMatchObject({ agrees: true, counts: { matched: 1 } });
    // A till that says paid cannot be told it agrees: the money may have gone back.
    expect(reconcileRecords(context, [reversed], { payments: [payment({ state: 'paid' })], refunds: [] }).agrees).toBe(false);
  });

  it('does not take a refund listed under its payment’s number for the payment', () => {
    const result = reconcileRecords(context, [record({ syssn: 'S9', origssn: 'S1', order_type: undefined, txamt: 300 }), record()], { payments: [payment({ syssn: null })], refunds: [] });
    expect(result.counts).toEqual({ matched: 1, differs: 0, atQfpayOnly: 1, open: 0 });
    expect(result.lines[0]).toMatchObject({ kind: 'refund', category: 'at_qfpay_only', syssn: 'S9' });
  });
});

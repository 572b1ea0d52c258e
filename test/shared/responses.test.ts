import { describe, expect, it } from 'vitest';
import { paymentAnswerSchema, queryAnswerSchema, refundAnswerSchema } from '../../shared/qfpay/responses';

// The payment answer from QFPay's own sample (seed 000), verbatim.
const seedPaymentAnswer = {
  surcharge_fee: 0,
  qrcode: 'https://qr.alipay.com/bax03190uxd47wbekffy6033',
  pay_type: '800101',
  surcharge_rate: 0,
  resperr: 'success',
  txdtm: '2020-04-23 11:09:24',
  out_trade_no: '364ZK6BAJGYHMU3TUX0X7MGIGQL4O8KI',
  syssn: '20200423066200020000976054',
  sysdtm: '2020-04-23 11:09:27',
  txcurrcd: 'EUR',
  respmsg: '',
  chnlsn2: '',
  cardcd: '',
  udid: 'qiantai2',
  txamt: '1',
  respcd: '0000',
  chnlsn: '',
};

describe('gateway answers', () => {
  it("reads QFPay's sample payment answer", () => {
    const parsed = paymentAnswerSchema.parse(seedPaymentAnswer);
    expect(parsed).toMatchObject({ respcd: '0000', syssn: '20200423066200020000976054', txamt: 1, qrcode: seedPaymentAnswer.qrcode });
  });

  it('takes numbers where strings are usual, and pay_url where qrcode is missing', () => {
    const { qrcode: _qrcode, ...withoutQr } = seedPaymentAnswer;
    const parsed = paymentAnswerSchema.parse({ ...withoutQr, txamt: 300, respcd: 0, pay_url: 'https://qr.payme.hsbc.com.hk/2/x' });
    expect(parsed).toMatchObject({ txamt: 300, respcd: '0000', qrcode: 'https://qr.payme.hsbc.com.hk/2/x' });
  });

  it('refuses an answer without what the till relies on', () => {
    const { syssn: _syssn, ...withoutSyssn } = seedPaymentAnswer;
    expect(paymentAnswerSchema.safeParse(withoutSyssn).success).toBe(false);
    expect(paymentAnswerSchema.safeParse({ ...seedPaymentAnswer, qrcode: '' }).success).toBe(false);
    expect(paymentAnswerSchema.safeParse({ ...seedPaymentAnswer, txamt: '12.5' }).success).toBe(false);
    expect(paymentAnswerSchema.safeParse({ ...seedPaymentAnswer, txamt: '-1' }).success).toBe(false);
  });

  it('reads query records, ignores unknown keys and keeps a missing label missing', () => {
    const parsed = queryAnswerSchema.parse({
      respcd: '0000',
      page: 1,
      data: [
        { syssn: '1', out_trade_no: 'A', order_type: 'payment', txamt: '1230', respcd: '0000', cancel: '5', brand_new_key: 'x' },
        { syssn: '2', out_trade_no: 'R', txamt: 500, respcd: '0000', origssn: '1' },
      ],
    });
    expect(parsed.page).toBe('1');
    expect(parsed.data.map((record) => record.order_type)).toEqual(['payment', undefined]);
    expect(parsed.data[1]?.origssn).toBe('1');
    expect(parsed.data[0]).not.toHaveProperty('brand_new_key');
  });

  it('refuses a query answer whose data is not an array', () => {
    expect(queryAnswerSchema.safeParse({ respcd: '0000', data: {} }).success).toBe(false);
    expect(queryAnswerSchema.safeParse({ respcd: '0000' }).success).toBe(false);
  });

  it('reads a refund answer', () => {
    expect(refundAnswerSchema.parse({ respcd: '0000', syssn: '9', orig_syssn: '1', txamt: '500' })).toMatchObject({ txamt: 500 });
  });
});

import { describe, expect, it } from 'vitest';
import { cancelFields, paymentFields, queryFields, refundFields, type PaymentIntent } from '../../shared/qfpay/requests';
import { WALLETS } from '../../shared/wallets';

const instant = Date.UTC(2026, 10, 23, 2, 15, 0);
const base: PaymentIntent = { wallet: 'wechat', amount: 1230, outTradeNo: 'T1-P261123101500-ABCDEFGH', requestedAt: instant };

describe('paymentFields', () => {
  it.each(WALLETS.map((wallet) => [wallet.id, wallet.payType] as const))('%s sends pay_type %s in HKD', (wallet, payType) => {
    const result = paymentFields({ ...base, wallet });
    expect(result).toEqual({
      ok: true,
      value: { txamt: '1230', txcurrcd: 'HKD', pay_type: payType, out_trade_no: base.outTradeNo, txdtm: '2026-11-23 10:15:00' },
    });
  });

  it('sends expired_time only to wallets that document it', () => {
    expect(paymentFields({ ...base, wallet: 'alipay', expiredTimeMinutes: 10 })).toMatchObject({ ok: true, value: { expired_time: '10' } });
    expect(paymentFields({ ...base, wallet: 'payme', expiredTimeMinutes: 10 })).toEqual({ ok: false, error: 'expired_time_not_supported' });
    expect(paymentFields({ ...base, expiredTimeMinutes: 4 })).toEqual({ ok: false, error: 'expired_time_out_of_range' });
    expect(paymentFields({ ...base, expiredTimeMinutes: 121 })).toEqual({ ok: false, error: 'expired_time_out_of_range' });
  });

  it("sends Alipay's pay_tag and limit_pay only when set, and only where documented", () => {
    const alipay = paymentFields({ ...base, wallet: 'alipay', alipayRegion: 'ALIPAYCN', noCredit: true });
    expect(alipay).toMatchObject({ ok: true, value: { pay_tag: 'ALIPAYCN', limit_pay: 'no_credit' } });
    expect(paymentFields({ ...base, wallet: 'alipay' })).not.toHaveProperty('value.pay_tag');
    expect(paymentFields({ ...base, wallet: 'wechat', alipayRegion: 'ALIPAYHK' })).toEqual({ ok: false, error: 'option_not_supported' });
    expect(paymentFields({ ...base, wallet: 'fps', noCredit: true })).toEqual({ ok: false, error: 'option_not_supported' });
  });

  it('never sends rmb_tag, because the till charges HKD', () => {
    expect(paymentFields({ ...base, wallet: 'wechat', rmbTag: true })).toEqual({ ok: false, error: 'rmb_tag_requires_cny' });
    expect(paymentFields({ ...base, wallet: 'octopus', rmbTag: true })).toEqual({ ok: false, error: 'option_not_supported' });
  });

  it('cleans goods_name and leaves it out when nothing is left', () => {
    expect(paymentFields({ ...base, goodsName: 'Tea & Toast' })).toMatchObject({ value: { goods_name: 'Tea Toast' } });
    expect(paymentFields({ ...base, goodsName: '&' })).not.toHaveProperty('value.goods_name');
  });

  it('sends the till id as udid', () => {
    expect(paymentFields({ ...base, tillId: 'front-1' })).toMatchObject({ value: { udid: 'front-1' } });
    expect(paymentFields({ ...base, tillId: 'front 1' })).toEqual({ ok: false, error: 'till_id_invalid' });
  });

  it.each([0, -1, 12.5, 2_147_483_648])('refuses amount %d', (amount) => {
    expect(paymentFields({ ...base, amount })).toEqual({ ok: false, error: 'amount_invalid' });
  });

  it('refuses an out_trade_no the wallets would not take', () => {
    expect(paymentFields({ ...base, outTradeNo: 'has space' })).toEqual({ ok: false, error: 'out_trade_no_invalid' });
    expect(paymentFields({ ...base, outTradeNo: 'x'.repeat(33) })).toEqual({ ok: false, error: 'out_trade_no_invalid' });
  });
});

describe('refundFields and cancelFields', () => {
  it('refunds by the payment syssn with a new number', () => {
    expect(refundFields({ syssn: '20261123000000000000000001', outTradeNo: 'T1-R261123101500-ABCDEFGH', amount: 500, requestedAt: instant })).toEqual({
      ok: true,
      value: { syssn: '20261123000000000000000001', out_trade_no: 'T1-R261123101500-ABCDEFGH', txamt: '500', txdtm: '2026-11-23 10:15:00' },
    });
    expect(refundFields({ syssn: ' ', outTradeNo: 'T1-R1', amount: 500, requestedAt: instant })).toEqual({ ok: false, error: 'syssn_missing' });
  });

  it("cancels with the original payment's numbers and txdtm", () => {
    expect(cancelFields({ outTradeNo: 'T1-P1', amount: 1230, originalTxdtm: '2026-11-23 10:15:00' })).toEqual({
      ok: true,
      value: { out_trade_no: 'T1-P1', txamt: '1230', txdtm: '2026-11-23 10:15:00' },
    });
  });
});

describe('queryFields', () => {
  it('batches several orders into one comma-separated query', () => {
    expect(queryFields({ outTradeNos: ['A1', 'B2', 'C3'] })).toEqual({
      ok: true,
      value: { out_trade_no: 'A1,B2,C3', page: '1', page_size: '100' },
    });
  });

  it('refuses an empty or oversized batch', () => {
    expect(queryFields({})).toEqual({ ok: false, error: 'query_empty' });
    expect(queryFields({ outTradeNos: Array.from({ length: 101 }, (_, index) => `N${index}`) })).toEqual({ ok: false, error: 'query_too_many' });
    expect(queryFields({ outTradeNos: ['A1'], pageSize: 101 })).toEqual({ ok: false, error: 'page_size_out_of_range' });
    expect(queryFields({ outTradeNos: ['A,1'] })).toEqual({ ok: false, error: 'out_trade_no_invalid' });
  });
});

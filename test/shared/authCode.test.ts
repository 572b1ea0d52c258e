import { describe, expect, it } from 'vitest';
import { keepableFields, maskAuthCode, normaliseAuthCode, walletFromAuthCode } from '../../shared/qfpay/authCode';
import { customerCodeFields } from '../../shared/qfpay/requests';
import { cancelEndpointOf, CPM_WALLET_IDS, payKindOf, walletById } from '../../shared/wallets';

describe("the customer's payment code (auth_code)", () => {
  it('reads what a scanner types: spaces, a trailing Enter and full-width digits; refuses anything else', () => {
    expect(normaliseAuthCode(' 2838 5470 2356 1574 09\r\n')).toBe('283854702356157409');
    expect(normaliseAuthCode('１３４８５７９０１２３４５６７８５５７')).toBe('1348579012345678557');
    expect(normaliseAuthCode('28385470235615740&')).toBeUndefined();
    expect(normaliseAuthCode('12345678901')).toBeUndefined();
    expect(normaliseAuthCode('9'.repeat(129))).toBeUndefined();
  });

  it('is kept only as its first two and last four characters', () => {
    expect(maskAuthCode('283854702356157409')).toBe('28…7409');
    expect(maskAuthCode('134857901234588557')).toBe('13…8557');
    const fields = keepableFields({ pay_type: '800108', auth_code: '283854702356157409', txamt: '10' });
    expect(fields).toEqual({ pay_type: '800108', auth_code: '28…7409', txamt: '10' });
    expect(keepableFields({ pay_type: '800101' })).toEqual({ pay_type: '800101' });
  });

  it('names its wallet only where the wallets document the shape', () => {
    // WeChat Pay: 18 digits from 10 to 15. Alipay: 16 to 24 digits from 25 to 30.
    for (const code of ['101234567890123456', '134857901234588557', '151234567890123456']) expect(walletFromAuthCode(code), code).toBe('wechat');
    for (const code of ['283854702356157409', '2512345678901234', '301234567890123456789012']) expect(walletFromAuthCode(code), code).toBe('alipay');
    // Wrong length for WeChat Pay, wrong prefixes, UnionPay's and PayMe's undocumented shapes: the cashier's pick decides.
    for (const code of ['1348579012345885', '161234567890123456', '2412345678901234', '251234567890123', '6212345678901234567', 'PAYME1234567890']) expect(walletFromAuthCode(code), code).toBeUndefined();
  });
});

describe('CPM pay types', () => {
  it('are QFPay’s: Alipay 800108, WeChat Pay 800208, PayMe 805808, UnionPay 800708; none for FPS or Octopus', () => {
    expect(CPM_WALLET_IDS.map((id) => [id, walletById(id).cpm?.payType])).toEqual([
      ['alipay', '800108'],
      ['wechat', '800208'],
      ['payme', '805808'],
      ['unionpay', '800708'],
    ]);
    expect(payKindOf('800208')).toMatchObject({ mode: 'cpm', cancelEndpoint: 'reversal', wallet: { id: 'wechat' } });
    expect(payKindOf('800201')).toMatchObject({ mode: 'mpm', cancelEndpoint: 'close', wallet: { id: 'wechat' } });
    expect(cancelEndpointOf('payme', 'cpm')).toBeNull();
    expect(cancelEndpointOf('unionpay', 'cpm')).toBe('reversal');
  });

  it('go to QFPay with auth_code and nothing of a QR', () => {
    const built = customerCodeFields({ wallet: 'wechat', amount: 1230, outTradeNo: 'T1-P1', requestedAt: Date.UTC(2026, 0, 2, 3, 4, 5), authCode: '134857901234588557', tillId: 'front-1', goodsName: 'tea' });
    expect(built).toEqual({ ok: true, value: { txamt: '1230', txcurrcd: 'HKD', pay_type: '800208', out_trade_no: 'T1-P1', txdtm: '2026-01-02 11:04:05', auth_code: '134857901234588557', goods_name: 'tea', udid: 'front-1' } });
    expect(customerCodeFields({ wallet: 'fps', amount: 1, outTradeNo: 'T1-P2', requestedAt: 0, authCode: '134857901234588557' })).toEqual({ ok: false, error: 'customer_code_not_supported' });
    expect(customerCodeFields({ wallet: 'alipay', amount: 1, outTradeNo: 'T1-P3', requestedAt: 0, authCode: 'a&b=c' })).toEqual({ ok: false, error: 'auth_code_invalid' });
  });
});

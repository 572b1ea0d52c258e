import { describe, expect, it } from 'vitest';
import { sign, signatureHeaders, signatureMatches, signingString, wireFields } from '../../shared/qfpay/signing';

/**
 * Expected digests come from QFPay's own Python sample (make_req_sign), run independently:
 *   python3 test/vectors/qfpay_sign.py
 * which printed, on 2026-11-23:
 *   seed000_request MD5 136ADA93D664057F89E39EED480795CC
 *   seed000_request SHA256 9D09A7F88DAB4370C4EC31205A5544BD58A5F85682589DC77D4451A7462FED60
 *   guide_example MD5 FE90E1859AF37371A06415CF19F6614F
 *   guide_example SHA256 55BED8288586B02E3836BF0C4BAEC24C002B1C87E1C355F356A3547AB97A64B4
 *   chinese_goods MD5 19732460C5D72BEE89E92995E8255F24
 *   chinese_goods SHA256 F1BC426C141980C4AACFC1DD81EE2D3FE95E22A61C79366C894204FC9B03A5E3
 */
const seed000Request = {
  expired_time: '10',
  goods_name: 'qfpay',
  limit_pay: 'no_credit',
  mchid: 'R1zQrTdJnn',
  out_trade_no: 'Native20190722145741431794b8d1',
  pay_type: '800201',
  txamt: '20',
  txcurrcd: 'HKD',
  txdtm: '2019-07-22 14:57:42',
  udid: 'AA',
};
const chineseGoods = {
  txamt: '1230',
  txcurrcd: 'HKD',
  pay_type: '800101',
  out_trade_no: 'TILL1-P261123101500-ABCDEFGH',
  txdtm: '2026-11-23 10:15:00',
  goods_name: '凍檸茶 Lemon Tea',
  pay_tag: 'ALIPAYHK',
};

describe('request signing', () => {
  it("matches QFPay's sample for the seed's own request body", () => {
    const key = 'F644B1389AD24C25BEFE8BE10C31C878';
    // Seed 000 shows this exact body, already sorted.
    expect(signingString(seed000Request)).toBe(
      'expired_time=10&goods_name=qfpay&limit_pay=no_credit&mchid=R1zQrTdJnn&out_trade_no=Native20190722145741431794b8d1&pay_type=800201&txamt=20&txcurrcd=HKD&txdtm=2019-07-22 14:57:42&udid=AA',
    );
    expect(sign(seed000Request, key, 'MD5')).toBe('136ADA93D664057F89E39EED480795CC');
    expect(sign(seed000Request, key, 'SHA256')).toBe('9D09A7F88DAB4370C4EC31205A5544BD58A5F85682589DC77D4451A7462FED60');
  });

  it("sorts as the guide's example does", () => {
    const fields = { abc: 'value1', bcd: 'value2', bad: 'value3' };
    expect(signingString(fields) + 'Key').toBe('abc=value1&bad=value3&bcd=value2Key');
    expect(sign(fields, 'Key', 'MD5')).toBe('FE90E1859AF37371A06415CF19F6614F');
    expect(sign(fields, 'Key', 'SHA256')).toBe('55BED8288586B02E3836BF0C4BAEC24C002B1C87E1C355F356A3547AB97A64B4');
  });

  it('signs Chinese values as raw UTF-8, not URL-encoded', () => {
    const key = '0E32A59A8B454940A2FF39ABCDEF0123';
    expect(sign(chineseGoods, key, 'MD5')).toBe('19732460C5D72BEE89E92995E8255F24');
    expect(sign(chineseGoods, key, 'SHA256')).toBe('F1BC426C141980C4AACFC1DD81EE2D3FE95E22A61C79366C894204FC9B03A5E3');
  });

  it('sends and signs only non-empty parameters', () => {
    const fields = wireFields({ txamt: 100, goods_name: '', udid: undefined, mchid: null, pay_type: '800201' });
    expect(fields).toEqual({ txamt: '100', pay_type: '800201' });
    expect(signingString(fields)).toBe('pay_type=800201&txamt=100');
  });

  it('accepts a signature in either case and refuses any other', () => {
    const key = 'F644B1389AD24C25BEFE8BE10C31C878';
    expect(signatureMatches(seed000Request, key, 'MD5', '136ada93d664057f89e39eed480795cc')).toBe(true);
    expect(signatureMatches(seed000Request, key, 'MD5', '136ADA93D664057F89E39EED480795CD')).toBe(false);
    expect(signatureMatches(seed000Request, key, 'SHA256', '136ADA93D664057F89E39EED480795CC')).toBe(false);
    expect(signatureMatches(seed000Request, 'another key', 'MD5', '136ADA93D664057F89E39EED480795CC')).toBe(false);
    expect(signatureMatches({ ...seed000Request, txamt: '21' }, key, 'MD5', '136ADA93D664057F89E39EED480795CC')).toBe(false);
  });

  it('names the signature type only for SHA256, since MD5 is the default', () => {
    const credentials = { appCode: 'APP', clientKey: 'KEY' };
    expect(signatureHeaders({ a: '1' }, { ...credentials, signType: 'MD5' })).toEqual({
      'X-QF-APPCODE': 'APP',
      'X-QF-SIGN': sign({ a: '1' }, 'KEY', 'MD5'),
    });
    expect(signatureHeaders({ a: '1' }, { ...credentials, signType: 'SHA256' })).toMatchObject({ 'X-QF-SIGNTYPE': 'SHA256' });
  });
});

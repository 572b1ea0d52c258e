import { describe, expect, it } from 'vitest';
import { parseGatewayUrl, QFPAY_HOSTS } from '../../shared/qfpay/environments';
import { walletById, walletByPayType, WALLETS } from '../../shared/wallets';

describe('wallets', () => {
  it('are the six MPM wallets with their pay types', () => {
    expect(WALLETS.map((wallet) => [wallet.id, wallet.payType])).toEqual([
      ['alipay', '800101'],
      ['wechat', '800201'],
      ['payme', '805801'],
      ['unionpay', '800701'],
      ['fps', '802001'],
      ['octopus', '803701'],
    ]);
  });

  it('say where expired_time applies and how each is cancelled', () => {
    expect(WALLETS.filter((wallet) => wallet.acceptsExpiredTime).map((wallet) => wallet.id)).toEqual(['alipay', 'wechat']);
    expect(walletById('alipay').cancelEndpoint).toBe('reversal');
    expect(walletById('wechat').cancelEndpoint).toBe('close');
    expect(walletById('unionpay').cancelEndpoint).toBe('close');
    for (const id of ['payme', 'fps', 'octopus'] as const) expect(walletById(id).cancelEndpoint).toBeNull();
  });

  it('have names in English and Traditional Chinese', () => {
    expect(walletById('octopus').names).toEqual({ en: 'Octopus', 'zh-HK': '八達通' });
    expect(walletByPayType('802001')?.names['zh-HK']).toBe('轉數快');
    expect(walletByPayType('999999')).toBeUndefined();
  });
});

describe('gateway URLs', () => {
  it("knows QFPay's three hosts", () => {
    expect(QFPAY_HOSTS).toEqual({
      sandbox: 'https://openapi-int.qfapi.com',
      test: 'https://test-openapi-hk.qfapi.com',
      production: 'https://openapi-hk.qfapi.com',
    });
  });

  it.each([
    ['https://gateway.example.com/', { ok: true, value: 'https://gateway.example.com' }],
    ['https://gateway.example.com/qf/', { ok: true, value: 'https://gateway.example.com/qf' }],
    ['http://127.0.0.1:4010', { ok: true, value: 'http://127.0.0.1:4010' }],
    ['http://localhost:4010/', { ok: true, value: 'http://localhost:4010' }],
    ['http://gateway.example.com', { ok: false, error: 'gateway_url_insecure' }],
    ['ftp://gateway.example.com', { ok: false, error: 'gateway_url_invalid' }],
    ['https://user:pw@gateway.example.com', { ok: false, error: 'gateway_url_invalid' }],
    ['https://gateway.example.com/?x=1', { ok: false, error: 'gateway_url_invalid' }],
    ['not a url', { ok: false, error: 'gateway_url_invalid' }],
  ])('%s -> %j', (text, expected) => {
    expect(parseGatewayUrl(text)).toEqual(expected);
  });
});

/**
 * The six merchant-presented QR (MPM) wallets the till offers, as the QFPay pages describe them.
 * Everything wallet-specific in the app reads from this table; nothing else hard-codes a pay_type.
 */

export type WalletId = 'alipay' | 'wechat' | 'payme' | 'unionpay' | 'fps' | 'octopus';

/**
 * How an unpaid QR is withdrawn at the gateway. QFPay's pages contradict each other; we follow the
 * newest ones: reversal for Alipay, close for WeChat Pay and UnionPay, nothing documented for the
 * Hong Kong wallets (one page says they cannot be cancelled). The till hides the QR either way and
 * keeps querying, because a customer may still pay a QR that is already on their phone.
 */
export type CancelEndpoint = 'close' | 'reversal';

/** Optional request fields a wallet documents; each is sent only when the cashier sets it. */
export type WalletOption = 'pay_tag' | 'limit_pay' | 'rmb_tag';

export interface Wallet {
  readonly id: WalletId;
  readonly payType: string;
  readonly names: { readonly en: string; readonly 'zh-HK': string };
  /** `expired_time` is documented for WeChat Pay and Alipay only. Others get the till's own QR lifetime. */
  readonly acceptsExpiredTime: boolean;
  readonly cancelEndpoint: CancelEndpoint | null;
  readonly options: readonly WalletOption[];
  /**
   * How the wallet is recognised at a glance: its brand colour, and a mark drawn for this project
   * (a letter or character on that colour; no third-party logo file is shipped). The colours are
   * the wallets' public brand colours, darkened where white letters need 4.5:1 on them.
   */
  readonly mark: { readonly colour: string; readonly glyph: string };
}

export const WALLETS: readonly Wallet[] = [
  {
    id: 'alipay',
    payType: '800101',
    names: { en: 'Alipay', 'zh-HK': '支付寶' },
    acceptsExpiredTime: true,
    cancelEndpoint: 'reversal',
    // pay_tag picks AlipayHK (the gateway default) or mainland Alipay; limit_pay=no_credit only
    // affects mainland-issued credit cards.
    options: ['pay_tag', 'limit_pay'],
    mark: { colour: '#1473E6', glyph: '支' },
  },
  {
    id: 'wechat',
    payType: '800201',
    names: { en: 'WeChat Pay', 'zh-HK': '微信支付' },
    acceptsExpiredTime: true,
    cancelEndpoint: 'close',
    // rmb_tag=Y is only valid with txcurrcd=CNY; this till charges HKD, so the builder refuses it.
    options: ['limit_pay', 'rmb_tag'],
    mark: { colour: '#07883F', glyph: '微' },
  },
  {
    id: 'payme',
    payType: '805801',
    names: { en: 'PayMe', 'zh-HK': 'PayMe' },
    acceptsExpiredTime: false,
    cancelEndpoint: null,
    options: [],
    mark: { colour: '#C8102E', glyph: 'P' },
  },
  {
    id: 'unionpay',
    payType: '800701',
    names: { en: 'UnionPay', 'zh-HK': '銀聯' },
    acceptsExpiredTime: false,
    cancelEndpoint: 'close',
    options: [],
    mark: { colour: '#D5202F', glyph: '銀' },
  },
  {
    id: 'fps',
    payType: '802001',
    names: { en: 'FPS', 'zh-HK': '轉數快' },
    acceptsExpiredTime: false,
    cancelEndpoint: null,
    options: [],
    mark: { colour: '#0B4DA2', glyph: '轉' },
  },
  {
    id: 'octopus',
    payType: '803701',
    names: { en: 'Octopus', 'zh-HK': '八達通' },
    acceptsExpiredTime: false,
    cancelEndpoint: null,
    options: [],
    mark: { colour: '#B45309', glyph: '八' },
  },
];

export const WALLET_IDS = WALLETS.map((wallet) => wallet.id) as readonly WalletId[];

export function walletById(id: WalletId): Wallet {
  const wallet = WALLETS.find((candidate) => candidate.id === id);
  if (!wallet) throw new RangeError(`unknown wallet ${id}`);
  return wallet;
}

export function walletByPayType(payType: string): Wallet | undefined {
  return WALLETS.find((wallet) => wallet.payType === payType);
}

export type AlipayRegion = 'ALIPAYHK' | 'ALIPAYCN';

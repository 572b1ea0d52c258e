/**
 * The six wallets the till offers, as the QFPay pages describe them: each takes merchant-presented
 * QR codes (MPM), and four also take the customer's own payment code, scanned at the counter
 * (CPM, "customer-presented"). Everything wallet-specific in the app reads from this table;
 * nothing else hard-codes a pay_type.
 */

export type WalletId = 'alipay' | 'wechat' | 'payme' | 'unionpay' | 'fps' | 'octopus';

/** Who shows the code: the till's QR on the display (MPM), or the customer's wallet at the counter (CPM). */
export type PaymentMode = 'mpm' | 'cpm';
export const PAYMENT_MODES: readonly PaymentMode[] = ['mpm', 'cpm'];

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
  /**
   * The customer's payment code (CPM), where QFPay has a pay type for it, and how an unfinished one
   * is withdrawn. Sources: QFPay's pay type table and CPM page (sdk.qfapi.com/docs/preparation/paycode,
   * /integration/in-store/CPM) list 800108, 800208, 805808 and 800708 and nothing for FPS or
   * Octopus; seed 004 of shared/seeds names "Alipay CPM = 800108". The reversal page lists CPM
   * reversal for 800108 in English and for 800108, 800208 and 800708 in its newer Traditional
   * Chinese version; nothing for PayMe. `/trade/v1/close` is never named for CPM.
   */
  readonly cpm: { readonly payType: string; readonly cancelEndpoint: CancelEndpoint | null } | null;
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
    cpm: { payType: '800108', cancelEndpoint: 'reversal' },
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
    cpm: { payType: '800208', cancelEndpoint: 'reversal' },
  },
  {
    id: 'payme',
    payType: '805801',
    names: { en: 'PayMe', 'zh-HK': 'PayMe' },
    acceptsExpiredTime: false,
    cancelEndpoint: null,
    options: [],
    mark: { colour: '#C8102E', glyph: 'P' },
    cpm: { payType: '805808', cancelEndpoint: null },
  },
  {
    id: 'unionpay',
    payType: '800701',
    names: { en: 'UnionPay', 'zh-HK': '銀聯' },
    acceptsExpiredTime: false,
    cancelEndpoint: 'close',
    options: [],
    mark: { colour: '#D5202F', glyph: '銀' },
    cpm: { payType: '800708', cancelEndpoint: 'reversal' },
  },
  {
    id: 'fps',
    payType: '802001',
    names: { en: 'FPS', 'zh-HK': '轉數快' },
    acceptsExpiredTime: false,
    cancelEndpoint: null,
    options: [],
    mark: { colour: '#0B4DA2', glyph: '轉' },
    cpm: null,
  },
  {
    id: 'octopus',
    payType: '803701',
    names: { en: 'Octopus', 'zh-HK': '八達通' },
    acceptsExpiredTime: false,
    cancelEndpoint: null,
    options: [],
    mark: { colour: '#B45309', glyph: '八' },
    cpm: null,
  },
];

export const WALLET_IDS = WALLETS.map((wallet) => wallet.id) as readonly WalletId[];

export function walletById(id: WalletId): Wallet {
  const wallet = WALLETS.find((candidate) => candidate.id === id);
  if (!wallet) throw new RangeError(`unknown wallet ${id}`);
  return wallet;
}

/** The wallet of a pay type, MPM or CPM. */
export function walletByPayType(payType: string): Wallet | undefined {
  return WALLETS.find((wallet) => wallet.payType === payType || wallet.cpm?.payType === payType);
}

/** What a pay type is: its wallet, who shows the code, and how an unfinished payment is withdrawn. */
export function payKindOf(payType: string): { wallet: Wallet; mode: PaymentMode; cancelEndpoint: CancelEndpoint | null } | undefined {
  const wallet = walletByPayType(payType);
  if (!wallet) return undefined;
  return wallet.payType === payType ? { wallet, mode: 'mpm', cancelEndpoint: wallet.cancelEndpoint } : { wallet, mode: 'cpm', cancelEndpoint: wallet.cpm?.cancelEndpoint ?? null };
}

/** Whether the till can withdraw an unfinished payment of this wallet, in this mode, at QFPay. */
export function canWithdraw(order: { readonly wallet: WalletId; readonly mode: PaymentMode }): boolean {
  return cancelEndpointOf(order.wallet, order.mode) !== null;
}

/** How an unfinished payment of this wallet, in this mode, is withdrawn at QFPay (null: it cannot be). */
export function cancelEndpointOf(id: WalletId, mode: PaymentMode): CancelEndpoint | null {
  const wallet = walletById(id);
  return mode === 'cpm' ? (wallet.cpm?.cancelEndpoint ?? null) : wallet.cancelEndpoint;
}

/** The wallets that take a customer's payment code. */
export const CPM_WALLET_IDS = WALLETS.filter((wallet) => wallet.cpm !== null).map((wallet) => wallet.id) as readonly WalletId[];

export type AlipayRegion = 'ALIPAYHK' | 'ALIPAYCN';

import { isWellFormedTimestamp } from '../hkTime';
import { err, ok, type Result } from '../result';
import { walletById, type AlipayRegion, type WalletId } from '../wallets';
import {
  isValidExpiredTime,
  isValidTxamt,
  OUT_TRADE_NO_PATTERN,
  sanitiseGoodsName,
  TILL_CURRENCY,
  TILL_ID_PATTERN,
  txdtm,
} from './fields';
import { AUTH_CODE_PATTERN } from './authCode';
import { wireFields, type WireFields } from './signing';

/**
 * Builders from what the till means to the exact fields QFPay receives. The ledger stores these
 * fields before sending, so what is signed is what was logged. `mchid` is added by the gateway
 * client, which alone knows whether QFPay issued one.
 */

export type RequestFieldError =
  | 'amount_invalid'
  | 'out_trade_no_invalid'
  | 'till_id_invalid'
  | 'expired_time_out_of_range'
  | 'expired_time_not_supported'
  | 'option_not_supported'
  | 'rmb_tag_requires_cny'
  | 'syssn_missing'
  | 'query_empty'
  | 'query_window_invalid'
  | 'query_too_many'
  | 'page_size_out_of_range'
  | 'auth_code_invalid'
  | 'customer_code_not_supported';

export interface PaymentIntent {
  readonly wallet: WalletId;
  readonly amount: number;
  readonly outTradeNo: string;
  readonly requestedAt: Date | number;
  readonly tillId?: string;
  readonly goodsName?: string;
  /** Sent as `expired_time` only to wallets that document it. */
  readonly expiredTimeMinutes?: number;
  readonly alipayRegion?: AlipayRegion;
  readonly noCredit?: boolean;
  readonly rmbTag?: boolean;
}

function commonChecks(amount: number, outTradeNo: string, tillId: string | undefined): RequestFieldError | undefined {
  if (!isValidTxamt(amount)) return 'amount_invalid';
  if (!OUT_TRADE_NO_PATTERN.test(outTradeNo)) return 'out_trade_no_invalid';
  if (tillId !== undefined && !TILL_ID_PATTERN.test(tillId)) return 'till_id_invalid';
  return undefined;
}

export function paymentFields(intent: PaymentIntent): Result<WireFields, RequestFieldError> {
  const problem = commonChecks(intent.amount, intent.outTradeNo, intent.tillId);
  if (problem) return err(problem);
  const wallet = walletById(intent.wallet);

  if (intent.expiredTimeMinutes !== undefined) {
    if (!wallet.acceptsExpiredTime) return err('expired_time_not_supported');
    if (!isValidExpiredTime(intent.expiredTimeMinutes)) return err('expired_time_out_of_range');
  }
  if (intent.alipayRegion !== undefined && !wallet.options.includes('pay_tag')) return err('option_not_supported');
  if (intent.noCredit && !wallet.options.includes('limit_pay')) return err('option_not_supported');
  if (intent.rmbTag) {
    if (!wallet.options.includes('rmb_tag')) return err('option_not_supported');
    // QFPay: rmb_tag=Y goes with txcurrcd=CNY. The till settles in HKD, so it can never be sent.
    return err('rmb_tag_requires_cny');
  }

  return ok(
    wireFields({
      txamt: intent.amount,
      txcurrcd: TILL_CURRENCY,
      pay_type: wallet.payType,
      out_trade_no: intent.outTradeNo,
      txdtm: txdtm(intent.requestedAt),
      expired_time: intent.expiredTimeMinutes,
      goods_name: intent.goodsName === undefined ? undefined : sanitiseGoodsName(intent.goodsName),
      udid: intent.tillId,
      pay_tag: intent.alipayRegion,
      limit_pay: intent.noCredit ? 'no_credit' : undefined,
    }),
  );
}

export interface CustomerCodeIntent {
  readonly wallet: WalletId;
  readonly amount: number;
  readonly outTradeNo: string;
  readonly requestedAt: Date | number;
  /** The scanned code, already normalised (normaliseAuthCode). */
  readonly authCode: string;
  readonly tillId?: string;
  readonly goodsName?: string;
}

/**
 * A payment with the customer's own code (CPM): the same `/trade/v1/payment`, with `auth_code` and
 * the wallet's CPM pay type. No `expired_time` (QFPay documents it for MPM only: the customer's
 * code has its own short life), and none of the MPM options.
 */
export function customerCodeFields(intent: CustomerCodeIntent): Result<WireFields, RequestFieldError> {
  const problem = commonChecks(intent.amount, intent.outTradeNo, intent.tillId);
  if (problem) return err(problem);
  const wallet = walletById(intent.wallet);
  if (!wallet.cpm) return err('customer_code_not_supported');
  if (!AUTH_CODE_PATTERN.test(intent.authCode)) return err('auth_code_invalid');
  return ok(
    wireFields({
      txamt: intent.amount,
      txcurrcd: TILL_CURRENCY,
      pay_type: wallet.cpm.payType,
      out_trade_no: intent.outTradeNo,
      txdtm: txdtm(intent.requestedAt),
      auth_code: intent.authCode,
      goods_name: intent.goodsName === undefined ? undefined : sanitiseGoodsName(intent.goodsName),
      udid: intent.tillId,
    }),
  );
}

export interface RefundIntent {
  /** QFPay's id of the payment being refunded. */
  readonly syssn: string;
  /** A new number, never used by any payment or refund. */
  readonly outTradeNo: string;
  readonly amount: number;
  readonly requestedAt: Date | number;
  readonly tillId?: string;
}

export function refundFields(intent: RefundIntent): Result<WireFields, RequestFieldError> {
  const problem = commonChecks(intent.amount, intent.outTradeNo, intent.tillId);
  if (problem) return err(problem);
  if (intent.syssn.trim() === '') return err('syssn_missing');
  return ok(
    wireFields({
      syssn: intent.syssn,
      out_trade_no: intent.outTradeNo,
      txamt: intent.amount,
      txdtm: txdtm(intent.requestedAt),
      udid: intent.tillId,
    }),
  );
}

export interface CancelIntent {
  /** The original payment's numbers; QFPay accepts either, the till sends both when it has them. */
  readonly outTradeNo: string;
  readonly syssn?: string;
  readonly amount: number;
  /** The original payment's `txdtm`, as sent. */
  readonly originalTxdtm: string;
  readonly tillId?: string;
}

/** Fields for `/trade/v1/close` and `/trade/v1/reversal` (the same parameters). */
export function cancelFields(intent: CancelIntent): Result<WireFields, RequestFieldError> {
  const problem = commonChecks(intent.amount, intent.outTradeNo, intent.tillId);
  if (problem) return err(problem);
  return ok(
    wireFields({
      out_trade_no: intent.outTradeNo,
      syssn: intent.syssn,
      txamt: intent.amount,
      txdtm: intent.originalTxdtm,
      udid: intent.tillId,
    }),
  );
}

/** QFPay answers at most 100 records a page. */
export const QUERY_PAGE_SIZE_MAX = 100;

export interface QueryIntent {
  readonly outTradeNos?: readonly string[];
  readonly syssns?: readonly string[];
  /** `start_time`/`end_time` on QFPay's `sysdtm`, inside one calendar month: required for another month's orders. */
  readonly window?: { readonly start: string; readonly end: string };
  readonly page?: number;
  readonly pageSize?: number;
}

/**
 * One batched enquiry: several orders in one comma-separated `out_trade_no` (or `syssn`). Each
 * order can come back as several records (its refunds too), so a batch of N asks for a page big
 * enough to hold them and the caller pages on when `data` fills the page.
 */
export function queryFields(intent: QueryIntent): Result<WireFields, RequestFieldError> {
  const outTradeNos = intent.outTradeNos ?? [];
  const syssns = intent.syssns ?? [];
  const { window } = intent;
  if (outTradeNos.length === 0 && syssns.length === 0 && !window) return err('query_empty');
  if (window && (!isWellFormedTimestamp(window.start) || !isWellFormedTimestamp(window.end) || window.start.slice(0, 7) !== window.end.slice(0, 7) || window.start > window.end)) {
    return err('query_window_invalid');
  }
  if (outTradeNos.length > QUERY_PAGE_SIZE_MAX || syssns.length > QUERY_PAGE_SIZE_MAX) return err('query_too_many');
  if (outTradeNos.some((value) => !OUT_TRADE_NO_PATTERN.test(value))) return err('out_trade_no_invalid');
  if (syssns.some((value) => !/^[0-9A-Za-z]{1,40}$/.test(value))) return err('syssn_missing');
  const pageSize = intent.pageSize ?? QUERY_PAGE_SIZE_MAX;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > QUERY_PAGE_SIZE_MAX) return err('page_size_out_of_range');
  return ok(
    wireFields({
      out_trade_no: outTradeNos.join(','),
      syssn: syssns.join(','),
      start_time: window?.start,
      end_time: window?.end,
      page: intent.page ?? 1,
      page_size: pageSize,
    }),
  );
}

import type { GatewayEndpoint } from '../../shared/qfpay/endpoints';
import { formatHongKongTimestamp, isWellFormedTimestamp } from '../../shared/hkTime';
import { MAX_TXAMT } from '../../shared/money';
import {
  EXPIRED_TIME_DEFAULT,
  isAcceptableGoodsName,
  isValidExpiredTime,
  QFPAY_CURRENCIES,
} from '../../shared/qfpay/fields';
import { QUERY_PAGE_SIZE_MAX } from '../../shared/qfpay/requests';
import { describeRespcd } from '../../shared/qfpay/respcd';
import { signatureMatches, type SignType } from '../../shared/qfpay/signing';
import { walletFromAuthCode } from '../../shared/qfpay/authCode';
import { payKindOf } from '../../shared/wallets';
import type { SimOrder, SimStore } from './store';

/**
 * The QFPay Open API as the simulator answers it: the same checks the gateway makes, each refused
 * with the documented respcd (see the table in docs/development.md), and every field typed as QFPay sends it
 * (amounts, codes and pages as strings; `surcharge_fee` a number, as in QFPay's own sample).
 */

export interface SimCredentials {
  readonly appCode: string;
  readonly clientKey: string;
  readonly mchid?: string;
}

export interface SimContext {
  readonly store: SimStore;
  readonly credentials: SimCredentials;
  /** How many times faster than real time a QR expires (tests expire a 5-minute QR in seconds). */
  readonly timeScale: number;
  readonly now: () => number;
  /** The URL a customer opens to pay an order: the simulator's own wallet page. */
  readonly walletUrl: (syssn: string) => string;
  /** How the customers' wallets behave with their own codes (CPM); changed by `PUT /__sim__/cpm`. */
  readonly cpm: CpmBehaviour;
}

/**
 * Wallets ask for a password above a small-payment limit (their own, per customer): the simulator
 * asks from this amount (HK$500 by default), answering 1143 ("not paid, the password is being
 * entered", QFPay's status table) until the customer pays or declines on the wallet page or the
 * control surface. Below it the payment is made at once (0000). A code the customer does not
 * confirm lapses after `confirmMinutes` (the time scale applies), and is answered 1181 from then.
 */
export interface CpmBehaviour {
  passwordFromMinor: number;
  confirmMinutes: number;
  /**
   * How long a code the training wallet shows (its code page, `/__sim__/code`) may be charged,
   * from the moment it was shown; later it is QFPay's 1202 ("incorrect or expired payment code").
   * 60 s for every wallet, our choice: WeChat Pay's codes last one minute (its micropay guide),
   * and a wallet refreshes its code about that often; no wallet documents a longer life, so one
   * figure keeps the demo simple. The time scale applies. Codes the simulator never showed (a
   * test's, one typed at the CLI) have no known birth and are taken as fresh when first charged.
   */
  codeLifetimeSeconds: number;
  /**
   * A reversal of a customer's code payment that the customer completed just before it arrived.
   * QFPay's reversal page says a completed payment cannot be reversed ('refused': 1260, refund it
   * instead); the wallets' own reversal APIs, and QFPay's `cancel` = 1 ("reversed or refunded
   * (CPM)") on a record, say it may be reversed with the money going back ('reverses': 0000, and
   * the record then reads 0000 with `cancel` = 1). The till must be right either way.
   */
  reversalOfPaid: 'refused' | 'reverses';
}
export const DEFAULT_CPM_BEHAVIOUR: CpmBehaviour = { passwordFromMinor: 50_000, confirmMinutes: 2, codeLifetimeSeconds: 60, reversalOfPaid: 'refused' };

/** How long a shown code lives, in the simulator's milliseconds (the time scale applied). */
export const codeLifetimeMs = (context: Pick<SimContext, 'cpm' | 'timeScale'>) => Math.round((context.cpm.codeLifetimeSeconds * 1000) / context.timeScale);

export interface SimRequest {
  readonly endpoint: GatewayEndpoint;
  readonly fields: Readonly<Record<string, string>>;
  readonly appCode: string | undefined;
  readonly sign: string | undefined;
  readonly signType: string | undefined;
}

export type SimAnswer = { readonly respcd: string } & Readonly<Record<string, unknown>>;

class Refusal extends Error {
  constructor(
    readonly respcd: string,
    readonly detail: string,
  ) {
    super(detail);
  }
}

const refuse = (respcd: string, detail: string): never => {
  throw new Refusal(respcd, detail);
};

export function answerOpenApi(context: SimContext, request: SimRequest): SimAnswer {
  try {
    authenticate(context.credentials, request);
    switch (request.endpoint) {
      case 'payment':
        return payment(context, request.fields);
      case 'query':
        return query(context, request.fields);
      case 'close':
      case 'reversal':
        return cancel(context, request.endpoint, request.fields);
      case 'refund':
        return refund(context, request.fields);
    }
  } catch (error) {
    if (error instanceof Refusal) return { respcd: error.respcd, resperr: describeRespcd(error.respcd, 'en'), respmsg: error.detail };
    throw error;
  }
}

function authenticate(credentials: SimCredentials, request: SimRequest): void {
  // Unknown app code: 1250 ("forbidden"), kept apart from 1108 so "test connection" can tell them apart.
  if (!request.appCode || request.appCode !== credentials.appCode) refuse('1250', 'unknown app code');
  const signType: SignType | undefined =
    request.signType === undefined || request.signType === '' || request.signType.toUpperCase() === 'MD5'
      ? 'MD5'
      : request.signType.toUpperCase() === 'SHA256'
        ? 'SHA256'
        : undefined;
  if (!signType) refuse('1108', 'unsupported X-QF-SIGNTYPE');
  // Only non-empty parameters are signed.
  const signed = Object.fromEntries(Object.entries(request.fields).filter(([, value]) => value !== ''));
  if (!request.sign || !signatureMatches(signed, credentials.clientKey, signType as SignType, request.sign)) {
    refuse('1108', 'signature does not match');
  }
  const mchid = request.fields.mchid;
  if (credentials.mchid === undefined && mchid) refuse('1104', 'mchid was not issued to this app code: do not send it');
  if (credentials.mchid !== undefined && !mchid) refuse('1104', 'mchid is required for this app code');
  if (credentials.mchid !== undefined && mchid !== credentials.mchid) refuse('1250', 'mchid does not belong to this app code');
}

// Field checks: missing or out of range is 1104 (parameter error), malformed is 1103 (format error).
function required(fields: Readonly<Record<string, string>>, name: string): string {
  const value = fields[name];
  if (value === undefined || value === '') return refuse('1104', `${name} is required`);
  return value;
}

function amount(value: string, name = 'txamt'): number {
  if (!/^[1-9]\d{0,9}$/.test(value) || Number(value) > MAX_TXAMT) refuse('1103', `${name} must be a positive whole number of minor units`);
  return Number(value);
}

function timestamp(value: string, name: string): string {
  // Any zone is accepted (QFPay took UTC in practice); the form must be exact.
  if (!isWellFormedTimestamp(value)) refuse('1103', `${name} must be YYYY-MM-DD hh:mm:ss`);
  return value;
}

function outTradeNo(value: string): string {
  if (!/^[\x21-\x7e]{1,128}$/.test(value) || value.includes(',')) refuse('1103', 'out_trade_no must be 1-128 visible ASCII characters');
  return value;
}

function optional(fields: Readonly<Record<string, string>>, name: string): string | undefined {
  const value = fields[name];
  return value === undefined || value === '' ? undefined : value;
}

function payment(context: SimContext, fields: Readonly<Record<string, string>>): SimAnswer {
  const txamt = amount(required(fields, 'txamt'));
  const txcurrcd = required(fields, 'txcurrcd');
  if (!/^[A-Z]{3}$/.test(txcurrcd)) refuse('1103', 'txcurrcd must be three capital letters');
  if (!(QFPAY_CURRENCIES as readonly string[]).includes(txcurrcd)) refuse('1104', `currency ${txcurrcd} is not supported`);
  const payType = required(fields, 'pay_type');
  const kind = payKindOf(payType);
  if (!kind) return refuse('1104', `pay_type ${payType} is not enabled for this merchant`);
  const authCode = kind.mode === 'cpm' ? required(fields, 'auth_code') : undefined;
  if (authCode !== undefined && !/^[A-Za-z0-9]{1,128}$/.test(authCode)) refuse('1103', 'auth_code must be at most 128 letters or digits');
  const number = outTradeNo(required(fields, 'out_trade_no'));
  const txdtm = timestamp(required(fields, 'txdtm'), 'txdtm');

  let expiredMinutes = EXPIRED_TIME_DEFAULT;
  const expiredTime = optional(fields, 'expired_time');
  if (expiredTime !== undefined) {
    if (!/^\d{1,3}$/.test(expiredTime)) refuse('1103', 'expired_time must be a whole number of minutes');
    if (!isValidExpiredTime(Number(expiredTime))) refuse('1104', 'expired_time must be between 5 and 120 minutes');
    expiredMinutes = Number(expiredTime);
  }
  const goodsName = optional(fields, 'goods_name');
  if (goodsName !== undefined && !isAcceptableGoodsName(goodsName)) {
    refuse('1103', 'goods_name must be at most 20 characters with no special characters');
  }
  const udid = optional(fields, 'udid');
  if (udid !== undefined && udid.length > 40) refuse('1103', 'udid must be at most 40 characters');
  const payTag = optional(fields, 'pay_tag');
  if (payTag !== undefined && payTag !== 'ALIPAYHK' && payTag !== 'ALIPAYCN') refuse('1104', 'pay_tag must be ALIPAYHK or ALIPAYCN');
  const limitPay = optional(fields, 'limit_pay');
  if (limitPay !== undefined && limitPay !== 'no_credit') refuse('1104', 'limit_pay must be no_credit');
  const rmbTag = optional(fields, 'rmb_tag');
  if (rmbTag !== undefined && (rmbTag !== 'Y' || txcurrcd !== 'CNY' || payType !== '800201')) {
    refuse('1104', 'rmb_tag=Y is only for WeChat Pay with txcurrcd=CNY');
  }
  if (context.store.byOutTradeNo(number)) refuse('2011', 'out_trade_no was used before');
  if (authCode !== undefined) {
    // QFPay's 1202: "incorrect or expired payment code, please show the correct payment code or refresh it".
    // Said of a code already spent, of one shown longer ago than its life, and of one whose documented shape is another wallet's.
    if (context.store.authCodeUsed(authCode)) refuse('1202', 'the payment code was used before: ask the customer to refresh it');
    const issuedMs = context.store.codeIssuedAt(authCode);
    if (issuedMs !== undefined && context.now() >= issuedMs + codeLifetimeMs(context)) refuse('1202', 'the payment code has expired: ask the customer to refresh it');
    const shape = walletFromAuthCode(authCode);
    if (shape !== undefined && shape !== kind.wallet.id) refuse('1202', `the payment code is not a ${kind.wallet.names.en} code`);
    return customerCodePayment(context, { outTradeNo: number, payType, txamt, txcurrcd, txdtm, goodsName, udid, authCode });
  }

  const now = context.now();
  const order = context.store.createPayment(
    {
      outTradeNo: number,
      payType,
      txamt,
      txcurrcd,
      txdtm,
      expiresMs: now + Math.round((expiredMinutes * 60_000) / context.timeScale),
      goodsName,
      udid,
    },
    now,
  );
  return {
    surcharge_fee: 0,
    qrcode: context.walletUrl(order.syssn),
    pay_type: order.payType,
    surcharge_rate: 0,
    resperr: 'success',
    txdtm: order.txdtm,
    out_trade_no: order.outTradeNo,
    syssn: order.syssn,
    sysdtm: order.sysdtm,
    txcurrcd: order.txcurrcd,
    respmsg: '',
    chnlsn2: '',
    cardcd: '',
    udid: order.udid ?? '',
    txamt: String(order.txamt),
    respcd: '0000',
    chnlsn: '',
  };
}

/** A payment with the customer's own code: made at once, or waiting for the customer's password. */
function customerCodePayment(
  context: SimContext,
  payment: { outTradeNo: string; payType: string; txamt: number; txcurrcd: string; txdtm: string; goodsName?: string; udid?: string; authCode: string },
): SimAnswer {
  const now = context.now();
  const { passwordFromMinor, confirmMinutes } = context.cpm;
  const created = context.store.createPayment({ ...payment, expiresMs: now + Math.round((confirmMinutes * 60_000) / context.timeScale) }, now);
  const immediate = payment.txamt < passwordFromMinor;
  if (immediate) context.store.setPaymentState(created.syssn, 'paid', { paydtm: formatHongKongTimestamp(now) });
  const order = context.store.bySyssn(created.syssn) as SimOrder;
  return {
    // QFPay's CPM sample answers with paydtm and no QR.
    pay_type: order.payType,
    sysdtm: order.sysdtm,
    paydtm: order.paydtm ?? '',
    txdtm: order.txdtm,
    udid: order.udid ?? '',
    txcurrcd: order.txcurrcd,
    txamt: String(order.txamt),
    resperr: immediate ? 'success' : describeRespcd('1143', 'en'),
    respmsg: '',
    out_trade_no: order.outTradeNo,
    syssn: order.syssn,
    respcd: immediate ? '0000' : '1143',
    chnlsn: '',
  };
}

export function isExpired(order: SimOrder, nowMs: number): boolean {
  return order.state === 'waiting' && order.expiresMs !== null && nowMs >= order.expiresMs;
}

/** The transaction's own respcd and `cancel` flag, as an enquiry reports them. */
export function transactionStatus(order: SimOrder, nowMs: number): { respcd: string; cancel: string } {
  if (order.orderType === 'refund') return { respcd: '0000', cancel: '0' };
  switch (order.state) {
    case 'paid':
      return { respcd: '0000', cancel: order.refunded === 0 ? '0' : order.refunded === order.txamt ? '3' : '5' };
    case 'failed':
      return { respcd: order.failRespcd ?? '1205', cancel: '0' };
    case 'closed':
      return { respcd: '1264', cancel: '2' };
    case 'reversed':
      // Reversed after the customer paid (CpmBehaviour.reversalOfPaid): the money went back.
      return order.paydtm ? { respcd: '0000', cancel: '1' } : { respcd: '1263', cancel: '2' };
    default:
      // An MPM QR that expired unscanned is undocumented at QFPay; the simulator answers 1181.
      return { respcd: isExpired(order, nowMs) ? '1181' : '1143', cancel: '0' };
  }
}

/** An order as the enquiry reports it; a notification carries the same fields (notifier.ts). */
export function queryRecord(order: SimOrder, nowMs: number): Record<string, string> {
  const status = transactionStatus(order, nowMs);
  return {
    syssn: order.syssn,
    out_trade_no: order.outTradeNo,
    order_type: order.orderType,
    pay_type: order.payType,
    txamt: String(order.txamt),
    cash_fee: String(order.txamt),
    txcurrcd: order.txcurrcd,
    txdtm: order.txdtm,
    sysdtm: order.sysdtm,
    paydtm: order.paydtm ?? '',
    respcd: status.respcd,
    errmsg: status.respcd === '0000' ? 'success' : describeRespcd(status.respcd, 'en'),
    cancel: status.cancel,
    origssn: order.origSyssn ?? '',
    goods_name: order.goodsName ?? '',
    udid: order.udid ?? '',
    chnlsn: '',
  };
}

function query(context: SimContext, fields: Readonly<Record<string, string>>): SimAnswer {
  const { store } = context;
  const numbers = optional(fields, 'out_trade_no')?.split(',').filter(Boolean) ?? [];
  const syssns = optional(fields, 'syssn')?.split(',').filter(Boolean) ?? [];
  const startTime = optional(fields, 'start_time');
  const endTime = optional(fields, 'end_time');
  if ((startTime === undefined) !== (endTime === undefined)) refuse('1104', 'start_time and end_time go together');
  if (numbers.length === 0 && syssns.length === 0 && startTime === undefined) {
    refuse('1104', 'give syssn, out_trade_no, or start_time and end_time');
  }
  const page = optional(fields, 'page') ?? '1';
  const pageSize = optional(fields, 'page_size') ?? '10';
  if (!/^[1-9]\d{0,5}$/.test(page) || !/^[1-9]\d{0,5}$/.test(pageSize)) refuse('1103', 'page and page_size must be positive whole numbers');
  if (Number(pageSize) > QUERY_PAGE_SIZE_MAX) refuse('1104', `page_size is at most ${QUERY_PAGE_SIZE_MAX}`);

  let orders: SimOrder[];
  if (startTime !== undefined && endTime !== undefined) {
    timestamp(startTime, 'start_time');
    timestamp(endTime, 'end_time');
    if (startTime.slice(0, 7) !== endTime.slice(0, 7) || startTime > endTime) {
      refuse('1104', 'the time window must lie within one calendar month');
    }
    orders = store.inWindow(startTime, endTime);
    if (numbers.length > 0 || syssns.length > 0) {
      orders = orders.filter((order) => numbers.includes(order.outTradeNo) || syssns.includes(order.syssn));
    }
  } else {
    // QFPay's enquiry page: without start_time/end_time only the current month is searched
    // (跨月份查詢必填), so an order from last month comes back as if it did not exist.
    const currentMonth = formatHongKongTimestamp(context.now()).slice(0, 7);
    const seen = new Map<string, SimOrder>();
    const add = (order: SimOrder | undefined) => order && order.sysdtm.startsWith(currentMonth) && seen.set(order.syssn, order);
    for (const number of numbers) {
      const order = store.byOutTradeNo(number);
      add(order);
      // As integrators report: a payment's number also brings back its refunds.
      if (order?.orderType === 'payment') store.refundsOf(order.syssn).forEach(add);
    }
    for (const syssn of syssns) add(store.bySyssn(syssn));
    orders = [...seen.values()].sort((a, b) => a.createdMs - b.createdMs || a.syssn.localeCompare(b.syssn));
  }

  const now = context.now();
  const payTypes = optional(fields, 'pay_type')?.split(',');
  const respcdFilter = optional(fields, 'respcd');
  const records = orders
    .map((order) => queryRecord(order, now))
    .filter((record) => !payTypes || payTypes.includes(record.pay_type as string))
    .filter((record) => !respcdFilter || record.respcd === respcdFilter);
  const first = (Number(page) - 1) * Number(pageSize);
  return {
    respcd: '0000',
    resperr: 'success',
    respmsg: '',
    page,
    page_size: pageSize,
    data: records.slice(first, first + Number(pageSize)),
  };
}

function findPayment(store: SimStore, fields: Readonly<Record<string, string>>): SimOrder {
  const syssn = optional(fields, 'syssn');
  const number = optional(fields, 'out_trade_no');
  if (syssn === undefined && number === undefined) return refuse('1104', 'syssn or out_trade_no is required');
  const order = syssn !== undefined ? store.bySyssn(syssn) : store.byOutTradeNo(number as string);
  if (!order || order.orderType !== 'payment') return refuse('1136', 'no such payment');
  if (syssn !== undefined && number !== undefined && order.outTradeNo !== number) refuse('1267', 'syssn and out_trade_no name different orders');
  return order;
}

function cancel(context: SimContext, endpoint: 'close' | 'reversal', fields: Readonly<Record<string, string>>): SimAnswer {
  const txamt = amount(required(fields, 'txamt'));
  timestamp(required(fields, 'txdtm'), 'txdtm');
  const order = findPayment(context.store, fields);
  if (payKindOf(order.payType)?.cancelEndpoint !== endpoint) refuse('1150', `${endpoint} is not supported for pay_type ${order.payType}`);
  if (txamt !== order.txamt) refuse('1266', 'txamt does not match the order');
  const now = context.now();
  switch (order.state) {
    case 'paid':
      if (endpoint === 'reversal' && payKindOf(order.payType)?.mode === 'cpm' && context.cpm.reversalOfPaid === 'reverses') {
        context.store.setPaymentState(order.syssn, 'reversed', { paydtm: order.paydtm ?? order.sysdtm });
        return withdrawn(order);
      }
      return refuse('1260', 'the order is paid: refund it instead');
    case 'closed':
      return refuse('1264', 'the order is already closed');
    case 'reversed':
      return refuse('1263', 'the order is already cancelled');
    case 'failed':
      return refuse('1136', 'the order failed and cannot be cancelled');
    default:
      if (isExpired(order, now)) refuse('1181', 'the order has expired');
  }
  context.store.setPaymentState(order.syssn, endpoint === 'close' ? 'closed' : 'reversed');
  return withdrawn(order);
}

function withdrawn(order: SimOrder): SimAnswer {
  return {
    respcd: '0000',
    resperr: 'success',
    respmsg: '',
    syssn: order.syssn,
    orig_syssn: order.syssn,
    out_trade_no: order.outTradeNo,
    txamt: String(order.txamt),
    sysdtm: order.sysdtm,
  };
}

function refund(context: SimContext, fields: Readonly<Record<string, string>>): SimAnswer {
  const { store } = context;
  const originalSyssn = required(fields, 'syssn');
  const number = outTradeNo(required(fields, 'out_trade_no'));
  const txamt = amount(required(fields, 'txamt'));
  const txdtm = timestamp(required(fields, 'txdtm'), 'txdtm');
  // Field reports: reusing a refund's out_trade_no is answered 1251.
  if (store.byOutTradeNo(number)) refuse('1251', 'out_trade_no was used before');
  const original = store.bySyssn(originalSyssn);
  if (!original || original.orderType !== 'payment') return refuse('1136', 'no such payment');
  if (original.state !== 'paid') refuse('1261', 'only a paid order can be refunded');
  if (original.refunded === original.txamt) refuse('1262', 'the order is already fully refunded');
  if (txamt > original.txamt - original.refunded) refuse('1272', 'the refund exceeds the refundable amount');

  const created = store.createRefund({ outTradeNo: number, original, txamt, txdtm, udid: optional(fields, 'udid') }, context.now());
  return {
    respcd: '0000',
    resperr: 'success',
    respmsg: '',
    syssn: created.syssn,
    orig_syssn: original.syssn,
    out_trade_no: created.outTradeNo,
    txamt: String(created.txamt),
    txdtm: created.txdtm,
    sysdtm: created.sysdtm,
  };
}

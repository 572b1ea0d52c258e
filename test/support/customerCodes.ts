import { randomInt } from 'node:crypto';

/**
 * Customers' payment codes of the documented shapes (shared/qfpay/authCode.ts): a fresh one each
 * call, since a code is single use at the wallet and at the simulator alike.
 */
const digits = (count: number) => Array.from({ length: count }, () => String(randomInt(10))).join('');

export const customerCode = {
  /** 18 digits from 28: an Alipay code, like the seeds' samples. */
  alipay: () => `28${digits(16)}`,
  /** 18 digits from 13: a WeChat Pay code (mainland user). */
  wechat: () => `13${digits(16)}`,
  /** A code whose shape names no wallet: the cashier's pick decides. */
  unnamed: () => `62${digits(17)}`,
};

/**
 * QFPay's `respcd` codes and what the till must do about each. The meaning of a code depends on
 * the call (a 0000 from a payment means "QR issued", from a query record "paid"); this table says
 * how far the answer can be trusted, and the caller applies it to its own call.
 *
 * Sources: QFPay's status-code table and the notes in shared/qfpay-notes.md. Where the table is
 * silent on whether anything happened at the gateway, the code is "confirm_by_query": the till
 * asks the enquiry API before it believes anything, and never sends the payment again.
 */

export type RespcdOutcome =
  /** 0000: the call did what it asked. */
  | 'success'
  /** 1143 / 1145: not final yet; query again in a few seconds. */
  | 'pending'
  /** Refused, and nothing happened: safe to tell the cashier it failed. */
  | 'failed'
  /** The answer does not prove that nothing happened (network, bank busy, duplicate): ask by query. */
  | 'confirm_by_query'
  /** 1294: blocked by the bank for risk. Failed, and the till must not offer an automatic retry. */
  | 'never_retry'
  /** A code not in the table. Treated as "failed, confirm by query", never as a crash. */
  | 'unknown_code';

export interface RespcdInfo {
  readonly code: string;
  readonly outcome: Exclude<RespcdOutcome, 'unknown_code'>;
  readonly en: string;
  readonly 'zh-HK': string;
}

const table: readonly RespcdInfo[] = [
  { code: '0000', outcome: 'success', en: 'Successful', 'zh-HK': '成功' },
  { code: '1100', outcome: 'confirm_by_query', en: 'QFPay is under maintenance', 'zh-HK': 'QFPay 系統維護中' },
  { code: '1101', outcome: 'failed', en: 'Reversal error', 'zh-HK': '撤銷錯誤' },
  { code: '1102', outcome: 'confirm_by_query', en: 'Duplicate request', 'zh-HK': '重複請求' },
  { code: '1103', outcome: 'failed', en: 'Request format error', 'zh-HK': '請求格式錯誤' },
  { code: '1104', outcome: 'failed', en: 'Request parameter error', 'zh-HK': '請求參數錯誤' },
  { code: '1105', outcome: 'failed', en: 'Device not activated', 'zh-HK': '設備未啟用' },
  { code: '1106', outcome: 'failed', en: 'Invalid device', 'zh-HK': '無效設備' },
  { code: '1107', outcome: 'failed', en: 'Device not allowed', 'zh-HK': '設備無權限' },
  { code: '1108', outcome: 'failed', en: 'Signature rejected: check the client key and signature type', 'zh-HK': '簽名錯誤：請檢查密鑰及簽名類型' },
  { code: '1125', outcome: 'failed', en: 'Already refunded', 'zh-HK': '交易已退款' },
  { code: '1136', outcome: 'failed', en: 'No such transaction, or it cannot be operated on', 'zh-HK': '交易不存在或無法處理' },
  { code: '1142', outcome: 'failed', en: 'Order already closed', 'zh-HK': '訂單已關閉' },
  { code: '1143', outcome: 'pending', en: 'Not paid yet: the customer may be entering a password', 'zh-HK': '訂單尚未支付，顧客可能正在輸入密碼' },
  { code: '1145', outcome: 'pending', en: 'Processing, please wait', 'zh-HK': '處理中，請稍候' },
  { code: '1147', outcome: 'failed', en: 'WeChat Pay transaction error', 'zh-HK': '微信支付交易錯誤' },
  { code: '1150', outcome: 'failed', en: 'Cancelling is not supported for this payment', 'zh-HK': '此交易不支援撤銷' },
  { code: '1155', outcome: 'failed', en: 'Refund request denied', 'zh-HK': '退款請求被拒絕' },
  { code: '1181', outcome: 'failed', en: 'Order expired', 'zh-HK': '訂單已過期' },
  { code: '1201', outcome: 'failed', en: 'Insufficient balance: ask for another payment method', 'zh-HK': '餘額不足，請更換支付方式' },
  { code: '1202', outcome: 'failed', en: 'Payment code wrong or expired', 'zh-HK': '付款碼錯誤或過期' },
  { code: '1203', outcome: 'failed', en: 'Merchant account error', 'zh-HK': '商戶賬戶錯誤' },
  { code: '1204', outcome: 'failed', en: 'Bank error', 'zh-HK': '銀行錯誤' },
  { code: '1205', outcome: 'failed', en: 'Transaction failed, try again later', 'zh-HK': '交易失敗，請稍後再試' },
  { code: '1212', outcome: 'failed', en: 'Ask the customer to use an overseas UnionPay code', 'zh-HK': '請顧客使用銀聯境外碼付款' },
  { code: '1241', outcome: 'failed', en: 'Store does not exist or is not active', 'zh-HK': '門市不存在或狀態不正確' },
  { code: '1242', outcome: 'failed', en: 'Store configuration error', 'zh-HK': '門市配置異常' },
  { code: '1243', outcome: 'failed', en: 'Store disabled', 'zh-HK': '門市已被禁用' },
  { code: '1250', outcome: 'failed', en: 'Forbidden: the app code is not allowed to do this', 'zh-HK': '交易被禁止：此 app code 無權限' },
  { code: '1251', outcome: 'failed', en: 'Store misconfigured, or this refund number was used before', 'zh-HK': '門市配置異常，或退款編號已使用' },
  { code: '1252', outcome: 'confirm_by_query', en: 'System error while sending the transaction', 'zh-HK': '發送交易請求時發生系統錯誤' },
  { code: '1254', outcome: 'confirm_by_query', en: 'QFPay system error', 'zh-HK': '系統異常' },
  { code: '1260', outcome: 'failed', en: 'Order already paid', 'zh-HK': '該訂單已支付' },
  { code: '1261', outcome: 'failed', en: 'Order not paid', 'zh-HK': '該訂單未支付' },
  { code: '1262', outcome: 'failed', en: 'Order already refunded', 'zh-HK': '該訂單已退款' },
  { code: '1263', outcome: 'failed', en: 'Order cancelled', 'zh-HK': '該訂單已撤銷' },
  { code: '1264', outcome: 'failed', en: 'Order closed', 'zh-HK': '該訂單已關閉' },
  { code: '1265', outcome: 'failed', en: 'Refunds are not allowed now (23:30 to 00:30) or for this order', 'zh-HK': '此時段（23:30 至 00:30）或此訂單不可退款' },
  { code: '1266', outcome: 'failed', en: 'Wrong order amount', 'zh-HK': '訂單金額錯誤' },
  { code: '1267', outcome: 'failed', en: 'Order details do not match', 'zh-HK': '訂單信息不匹配' },
  { code: '1268', outcome: 'failed', en: 'No such order', 'zh-HK': '訂單不存在' },
  { code: '1269', outcome: 'failed', en: "Today's unsettled takings cannot cover this refund", 'zh-HK': '當日未結算金額不足以退款' },
  { code: '1270', outcome: 'failed', en: 'Partial refunds are not supported for this currency', 'zh-HK': '該幣種不支援部分退款' },
  { code: '1271', outcome: 'failed', en: 'Partial refunds are not supported for this transaction', 'zh-HK': '該交易不支援部分退款' },
  { code: '1272', outcome: 'failed', en: 'Refund exceeds the refundable amount', 'zh-HK': '退款金額超過可退款金額' },
  { code: '1294', outcome: 'never_retry', en: 'Blocked by the bank as risky: do not retry', 'zh-HK': '交易存在風險，已被銀行禁止：請勿重試' },
  { code: '1295', outcome: 'confirm_by_query', en: 'Network congested', 'zh-HK': '網絡擁擠' },
  { code: '1296', outcome: 'confirm_by_query', en: 'Network congested, try later', 'zh-HK': '網絡擁擠，請稍後重試' },
  { code: '1297', outcome: 'confirm_by_query', en: 'Bank system busy', 'zh-HK': '銀行系統繁忙' },
  { code: '1298', outcome: 'confirm_by_query', en: 'Network slow: the customer may have paid, checking', 'zh-HK': '網絡擁擠，顧客可能已付款，正在查詢' },
  { code: '2005', outcome: 'failed', en: 'Payment code wrong or expired', 'zh-HK': '付款碼錯誤或過期' },
  // A duplicate out_trade_no means an order with that number may already exist: look before deciding.
  { code: '2011', outcome: 'confirm_by_query', en: 'Duplicate transaction number', 'zh-HK': '交易流水號重複' },
];

const byCode = new Map(table.map((info) => [info.code, info]));

export const KNOWN_RESPCDS: readonly RespcdInfo[] = table;

export function classifyRespcd(code: string): RespcdOutcome {
  return byCode.get(code)?.outcome ?? 'unknown_code';
}

/** Words for a code, for the cashier or manager; unknown codes still say which code it was. */
export function describeRespcd(code: string, locale: 'en' | 'zh-HK'): string {
  const info = byCode.get(code);
  if (info) return info[locale];
  return locale === 'en' ? `Unrecognised QFPay answer (code ${code})` : `無法識別的 QFPay 回應（代碼 ${code}）`;
}

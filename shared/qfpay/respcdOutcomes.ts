/**
 * QFPay's `respcd` codes and what the till must do about each (their words, in both languages,
 * are the catalogues' qfpayAnswers: shared/qfpay/respcd.ts). The meaning of a code depends on
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

const table = [
  { code: '0000', outcome: 'success' },
  { code: '1100', outcome: 'confirm_by_query' },
  { code: '1101', outcome: 'failed' },
  { code: '1102', outcome: 'confirm_by_query' },
  { code: '1103', outcome: 'failed' },
  { code: '1104', outcome: 'failed' },
  { code: '1105', outcome: 'failed' },
  { code: '1106', outcome: 'failed' },
  { code: '1107', outcome: 'failed' },
  { code: '1108', outcome: 'failed' },
  { code: '1125', outcome: 'failed' },
  { code: '1136', outcome: 'failed' },
  { code: '1142', outcome: 'failed' },
  { code: '1143', outcome: 'pending' },
  { code: '1145', outcome: 'pending' },
  { code: '1147', outcome: 'failed' },
  { code: '1150', outcome: 'failed' },
  { code: '1155', outcome: 'failed' },
  { code: '1181', outcome: 'failed' },
  { code: '1201', outcome: 'failed' },
  { code: '1202', outcome: 'failed' },
  { code: '1203', outcome: 'failed' },
  { code: '1204', outcome: 'failed' },
  { code: '1205', outcome: 'failed' },
  { code: '1212', outcome: 'failed' },
  { code: '1241', outcome: 'failed' },
  { code: '1242', outcome: 'failed' },
  { code: '1243', outcome: 'failed' },
  { code: '1250', outcome: 'failed' },
  { code: '1251', outcome: 'failed' },
  { code: '1252', outcome: 'confirm_by_query' },
  { code: '1254', outcome: 'confirm_by_query' },
  { code: '1260', outcome: 'failed' },
  { code: '1261', outcome: 'failed' },
  { code: '1262', outcome: 'failed' },
  { code: '1263', outcome: 'failed' },
  { code: '1264', outcome: 'failed' },
  { code: '1265', outcome: 'failed' },
  { code: '1266', outcome: 'failed' },
  { code: '1267', outcome: 'failed' },
  { code: '1268', outcome: 'failed' },
  { code: '1269', outcome: 'failed' },
  { code: '1270', outcome: 'failed' },
  { code: '1271', outcome: 'failed' },
  { code: '1272', outcome: 'failed' },
  { code: '1294', outcome: 'never_retry' },
  { code: '1295', outcome: 'confirm_by_query' },
  { code: '1296', outcome: 'confirm_by_query' },
  { code: '1297', outcome: 'confirm_by_query' },
  { code: '1298', outcome: 'confirm_by_query' },
  { code: '2005', outcome: 'failed' },
  // A duplicate out_trade_no means an order with that number may already exist: look before deciding.
  { code: '2011', outcome: 'confirm_by_query' },
] as const satisfies readonly { readonly code: string; readonly outcome: Exclude<RespcdOutcome, 'unknown_code'> }[];

/** A code QFPay's table names. */
export type KnownRespcd = (typeof table)[number]['code'];

export const RESPCD_OUTCOMES: readonly { readonly code: KnownRespcd; readonly outcome: Exclude<RespcdOutcome, 'unknown_code'> }[] = table;

const byCode = new Map<string, Exclude<RespcdOutcome, 'unknown_code'>>(table.map((info) => [info.code, info.outcome]));

export function classifyRespcd(code: string): RespcdOutcome {
  return byCode.get(code) ?? 'unknown_code';
}

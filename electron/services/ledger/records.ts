import type { PaymentState, RefundState, TransitionCause } from '../../../shared/ledger/lifecycle';
import type { AttentionReason } from '../../../shared/ledger/evidence';
import type { WireFields } from '../../../shared/qfpay/signing';
import type { PaymentMode, WalletId } from '../../../shared/wallets';

/**
 * The ledger's records as the rest of the app sees them, the rows SQLite returns for them, and the
 * one mapping between the two. The query modules (queries/) read rows and hand out records.
 */

export interface OrderRecord {
  readonly id: number;
  readonly outTradeNo: string;
  readonly tillId: string;
  readonly environment: string;
  readonly wallet: WalletId;
  readonly payType: string;
  readonly amount: number;
  readonly currency: string;
  readonly goodsName: string | null;
  readonly requestFields: WireFields;
  readonly state: PaymentState;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** When the till stops showing the QR. */
  readonly qrDeadline: number;
  /** When QFPay itself stops accepting payment for it (plus a margin): the till watches until then. */
  readonly gatewayDeadline: number;
  readonly syssn: string | null;
  readonly qrcode: string | null;
  readonly sysdtm: string | null;
  readonly paydtm: string | null;
  readonly respcd: string | null;
  readonly message: string | null;
  readonly cancelRequestedAt: number | null;
  /** QFPay reported a status after which nobody can pay (closed, expired, failed). */
  readonly gatewaySettled: boolean;
  readonly lastCheckedAt: number | null;
  /** Sum of succeeded refunds. */
  readonly refunded: number;
  /** Where it was made: it is asked about, closed and refunded only through the same gateway. Null on orders from schema 1. */
  readonly gatewayUrl: string | null;
  readonly appCode: string | null;
  readonly mchid: string | null;
  /** Why a manager must look at it, and since when; null when nobody needs to. */
  readonly attention: AttentionReason | null;
  readonly attentionSince: number | null;
  /** Who showed the code: the till's QR (MPM) or the customer's wallet (CPM). */
  readonly mode: PaymentMode;
  /** CPM: the customer's code as the till keeps it (e.g. `28…5836`), never the code itself. */
  readonly authCodeMasked: string | null;
}

export interface RefundRecord {
  readonly id: number;
  readonly orderId: number;
  readonly outTradeNo: string;
  readonly tillId: string;
  readonly amount: number;
  readonly requestFields: WireFields;
  readonly state: RefundState;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly syssn: string | null;
  readonly sysdtm: string | null;
  readonly respcd: string | null;
  readonly message: string | null;
  readonly attention: AttentionReason | null;
  readonly attentionSince: number | null;
}

export type ManagerDecision = 'paid' | 'not_paid' | 'succeeded' | 'failed';

/** A manager's decision about an item QFPay gave no definitive answer about. */
export interface DecisionRecord {
  readonly decision: ManagerDecision;
  readonly reason: string;
  /** Why it was before the manager. */
  readonly attention: AttentionReason | null;
  readonly at: number;
}

export interface DecisionRow {
  decision: ManagerDecision;
  reason: string;
  attention: AttentionReason | null;
  at: number;
}

export interface TransitionRecord {
  readonly fromState: string | null;
  readonly toState: string;
  readonly cause: TransitionCause;
  readonly detail: string | null;
  readonly at: number;
}

export type OrderPatch = Partial<
  Pick<OrderRecord, 'syssn' | 'qrcode' | 'sysdtm' | 'paydtm' | 'respcd' | 'message' | 'cancelRequestedAt' | 'gatewaySettled' | 'lastCheckedAt'>
>;
export type RefundPatch = Partial<Pick<RefundRecord, 'syssn' | 'sysdtm' | 'respcd' | 'message'>>;

/** An order as SQLite returns it (with its succeeded refunds summed as `refunded`). */
export interface OrderRow {
  id: number;
  out_trade_no: string;
  till_id: string;
  environment: string;
  wallet: WalletId;
  pay_type: string;
  amount: number;
  currency: string;
  goods_name: string | null;
  request_fields: string;
  state: PaymentState;
  created_at: number;
  updated_at: number;
  qr_deadline: number;
  gateway_deadline: number;
  syssn: string | null;
  qrcode: string | null;
  sysdtm: string | null;
  paydtm: string | null;
  respcd: string | null;
  message: string | null;
  cancel_requested_at: number | null;
  gateway_settled: number;
  last_checked_at: number | null;
  refunded: number;
  gateway_url: string | null;
  app_code: string | null;
  mchid: string | null;
  attention: AttentionReason | null;
  attention_since: number | null;
  mode: PaymentMode;
  auth_code_masked: string | null;
}

export interface RefundRow {
  id: number;
  order_id: number;
  out_trade_no: string;
  till_id: string;
  amount: number;
  request_fields: string;
  state: RefundState;
  created_at: number;
  updated_at: number;
  syssn: string | null;
  sysdtm: string | null;
  respcd: string | null;
  message: string | null;
  attention: AttentionReason | null;
  attention_since: number | null;
}

export const toOrder = (row: OrderRow): OrderRecord => ({
  id: row.id,
  outTradeNo: row.out_trade_no,
  tillId: row.till_id,
  environment: row.environment,
  wallet: row.wallet,
  payType: row.pay_type,
  amount: row.amount,
  currency: row.currency,
  goodsName: row.goods_name,
  requestFields: JSON.parse(row.request_fields) as WireFields,
  state: row.state,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  qrDeadline: row.qr_deadline,
  gatewayDeadline: row.gateway_deadline,
  syssn: row.syssn,
  qrcode: row.qrcode,
  sysdtm: row.sysdtm,
  paydtm: row.paydtm,
  respcd: row.respcd,
  message: row.message,
  cancelRequestedAt: row.cancel_requested_at,
  gatewaySettled: row.gateway_settled === 1,
  lastCheckedAt: row.last_checked_at,
  refunded: row.refunded,
  gatewayUrl: row.gateway_url,
  appCode: row.app_code,
  mchid: row.mchid,
  attention: row.attention,
  attentionSince: row.attention_since,
  mode: row.mode,
  authCodeMasked: row.auth_code_masked,
});

export const toRefund = (row: RefundRow): RefundRecord => ({
  id: row.id,
  orderId: row.order_id,
  outTradeNo: row.out_trade_no,
  tillId: row.till_id,
  amount: row.amount,
  requestFields: JSON.parse(row.request_fields) as WireFields,
  state: row.state,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  syssn: row.syssn,
  sysdtm: row.sysdtm,
  respcd: row.respcd,
  message: row.message,
  attention: row.attention,
  attentionSince: row.attention_since,
});

export const toDecision = (row: DecisionRow): DecisionRecord => ({ decision: row.decision, reason: row.reason, attention: row.attention, at: row.at });

/** A history row as SQLite returns it. */
export interface HistoryRow {
  from_state: string | null;
  to_state: string;
  cause: TransitionCause;
  detail: string | null;
  at: number;
}

export const toHistory = (row: HistoryRow): TransitionRecord => ({
  fromState: row.from_state,
  toState: row.to_state,
  cause: row.cause,
  detail: row.detail,
  at: row.at,
});

/** What the till knows of an order before QFPay has answered: the record's own fields, nothing more. */
export type NewOrder = Pick<
  OrderRecord,
  | 'outTradeNo'
  | 'tillId'
  | 'environment'
  | 'gatewayUrl'
  | 'appCode'
  | 'mchid'
  | 'wallet'
  | 'payType'
  | 'amount'
  | 'currency'
  | 'goodsName'
  | 'requestFields'
  | 'createdAt'
  | 'qrDeadline'
  | 'gatewayDeadline'
> &
  Partial<Pick<OrderRecord, 'mode' | 'authCodeMasked'>>;

export type NewRefund = Pick<RefundRecord, 'orderId' | 'outTradeNo' | 'tillId' | 'amount' | 'requestFields' | 'createdAt'>;

export interface GatewayCall {
  readonly orderId?: number;
  readonly refundId?: number;
  readonly endpoint: string;
  readonly requestFields: WireFields;
  readonly resultKind: string;
  readonly respcd?: string;
  readonly detail?: string;
  readonly httpStatus?: number;
  readonly startedAt: number;
  readonly finishedAt: number;
}

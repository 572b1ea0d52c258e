import { z } from 'zod';
import { isValidDay } from '../hkTime';
import { MAX_TXAMT } from '../money';
import { PAYMENT_STATES, type PaymentState } from '../ledger/lifecycle';
import { OUT_TRADE_NO_PATTERN, TILL_ID_PATTERN } from '../qfpay/fields';
import { settingsUpdateSchema } from '../settings/tillSettings';
import { WALLET_IDS, type WalletId } from '../wallets';
import { MAX_DAY_ROWS } from './limits';

/**
 * Each command's request schema, parsed in the main process before any handler runs (see
 * electron/services/ipc/dispatch.ts). Kept apart from the contract's role table so that zod
 * stays out of the sandboxed preloads.
 */
const walletSchema = z.enum(WALLET_IDS as [WalletId, ...WalletId[]]);
const outTradeNoSchema = z.string().regex(OUT_TRADE_NO_PATTERN);
const daySchema = z.string().refine(isValidDay, 'a day is YYYY-MM-DD');
const stateSchema = z.enum(PAYMENT_STATES as unknown as [PaymentState, ...PaymentState[]]);
const dayPage = { day: daySchema, offset: z.number().int().min(0).max(1_000_000), limit: z.number().int().min(1).max(MAX_DAY_ROWS) };
/**
 * A range of business days for the manager's list, totals and export: `day` (or `from`) to `to`,
 * both included; `to` left out is the one day. A reversed or too long range is refused by the
 * handler in words (range_reversed, range_too_long), not here.
 */
const rangeEnd = { to: daySchema.optional() };
/** What the manager typed to find an order or refund (see ledger/queries/search.ts); blank finds every row. */
const searchSchema = z.string().trim().max(40);

export const COMMAND_SCHEMAS = {
  charge: z
    .object({
      amount: z.number().int().positive().max(MAX_TXAMT),
      wallet: walletSchema,
      alipayRegion: z.enum(['ALIPAYHK', 'ALIPAYCN']).optional(),
    })
    .strict(),
  // The code as the scanner typed it (the till reads spaces and full-width digits, and refuses the
  // rest in words); a refusal here names the field, never echoes its value.
  chargeCustomerCode: z
    .object({
      amount: z.number().int().positive().max(MAX_TXAMT),
      authCode: z.string().min(1).max(256),
      wallet: walletSchema.optional(),
    })
    .strict(),
  cancel: z.object({ outTradeNo: outTradeNoSchema }).strict(),
  orderStatus: z.object({ outTradeNo: outTradeNoSchema }).strict(),
  todayOrders: z.object({}).strict(),
  slipPreview: z.object({ kind: z.enum(['payment', 'refund']), ref: outTradeNoSchema }).strict(),
  printSlip: z.object({ kind: z.enum(['payment', 'refund']), ref: outTradeNoSchema }).strict(),
  readSettings: z.object({}).strict(),
  setLanguage: z.object({ language: z.enum(['en', 'zh-HK']) }).strict(),
  readDisplayState: z.object({}).strict(),
  readCounter: z.object({}).strict(),
  newSale: z.object({}).strict(),
  acknowledgeLatePayment: z.object({ outTradeNo: outTradeNoSchema }).strict(),
  managerUnlock: z.object({ pin: z.string().max(16) }).strict(),
  managerLock: z.object({}).strict(),
  // `stay`: the manager asked to stay unlocked; it keeps only access this screen still has.
  managerGate: z.object({ stay: z.boolean().optional() }).strict(),
  // Any short text: a new PIN that is not 6 to 8 digits is refused by the session with its own words.
  managerSetPin: z.object({ pin: z.string().max(16) }).strict(),
  managerDay: z.object({ day: daySchema }).strict(),
  managerDayOrders: z.object({ ...dayPage, ...rangeEnd, wallet: walletSchema.optional(), state: stateSchema.optional(), search: searchSchema.optional() }).strict(),
  managerDayRefunds: z.object({ ...dayPage, ...rangeEnd, search: searchSchema.optional(), wallet: walletSchema.optional() }).strict(),
  managerSales: z.object({ from: daySchema, to: daySchema }).strict(),
  managerOrder: z.object({ outTradeNo: outTradeNoSchema }).strict(),
  managerRefund: z.object({ outTradeNo: outTradeNoSchema, amount: z.number().int().positive().max(MAX_TXAMT).optional() }).strict(),
  managerKeepLatePayment: z.object({ outTradeNo: outTradeNoSchema }).strict(),
  managerResolveNow: z.object({}).strict(),
  managerDecide: z
    .object({
      /** An order's or a refund's out_trade_no. */
      outTradeNo: outTradeNoSchema,
      decision: z.enum(['paid', 'not_paid', 'succeeded', 'failed']),
      reason: z.string().max(400),
    })
    .strict(),
  managerReconcileDay: z.object({ day: daySchema }).strict(),
  managerExportDay: z.object({ day: daySchema, ...rangeEnd, environment: z.enum(['demo', 'sandbox', 'test', 'production', 'custom']).optional() }).strict(),
  managerClosePeriod: z.object({}).strict(),
  managerDemoPrinter: z.object({}).strict(),
  managerPrintReport: z.object({ report: z.union([z.literal('X'), z.number().int().positive().max(999_999)]) }).strict(),
  managerReadSettings: z.object({}).strict(),
  managerSaveSettings: settingsUpdateSchema,
  managerTestConnection: z.object({ settings: settingsUpdateSchema.optional() }).strict(),
  managerStoreDay: z.object({ day: daySchema, tillId: z.string().regex(TILL_ID_PATTERN).optional(), wallet: walletSchema.optional(), state: stateSchema.optional() }).strict(),
  managerStoreExport: z.object({ day: daySchema, environment: z.enum(['demo', 'sandbox', 'test', 'production', 'custom']).optional() }).strict(),
  managerStoreReconcile: z.object({ day: daySchema }).strict(),
} as const satisfies Record<string, z.ZodType>;

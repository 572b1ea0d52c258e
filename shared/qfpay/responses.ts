import { z } from 'zod';
import { MAX_TXAMT } from '../money';

/**
 * Gateway answers, parsed leniently (QFPay sends numbers as strings or numbers, and adds keys at
 * will) and validated strictly (a field we rely on that is missing or malformed makes the whole
 * answer "wrong shape", which the client reports as outcome unknown).
 */

const text = z.union([z.string(), z.number()]).transform(String);
const nonEmptyText = text.pipe(z.string().trim().min(1));

/** `respcd` is four digits; a number 0 is read as "0000". */
export const respcdSchema = z
  .union([z.string().regex(/^\d{1,4}$/), z.number().int().min(0).max(9999)])
  .transform((value) => String(value).padStart(4, '0'));

/** Minor units as QFPay sends them: "300" or 300. Never a fraction. */
export const minorUnitsSchema = z
  .union([z.string().regex(/^\d{1,10}$/), z.number().int().min(0)])
  .transform(Number)
  .pipe(z.number().int().min(0).max(MAX_TXAMT));

export const envelopeSchema = z.object({
  respcd: respcdSchema,
  resperr: text.optional(),
  respmsg: text.optional(),
});
export type Envelope = z.output<typeof envelopeSchema>;

export const paymentAnswerSchema = envelopeSchema
  .extend({
    syssn: nonEmptyText,
    out_trade_no: nonEmptyText,
    pay_type: nonEmptyText,
    txamt: minorUnitsSchema,
    txcurrcd: text.optional(),
    txdtm: text.optional(),
    sysdtm: text.optional(),
    // MPM returns `qrcode`; some pay types call it `pay_url`. Either is rendered unchanged.
    qrcode: text.optional(),
    pay_url: text.optional(),
  })
  .transform(({ qrcode, pay_url, ...rest }) => ({ ...rest, qrcode: qrcode || pay_url || '' }))
  .refine((answer) => answer.qrcode !== '', { message: 'payment answer has no qrcode', path: ['qrcode'] });
export type PaymentAnswer = z.output<typeof paymentAnswerSchema>;

/**
 * The answer to a payment with the customer's code (CPM): 0000 means paid, at once, so there is no
 * QR; `paydtm` says when. QFPay's own CPM sample echoes another pay_type than it was sent (800108
 * for 800208), so pay_type is read but never compared.
 */
export const customerCodeAnswerSchema = envelopeSchema.extend({
  syssn: nonEmptyText,
  out_trade_no: nonEmptyText,
  pay_type: text.optional(),
  txamt: minorUnitsSchema,
  txcurrcd: text.optional(),
  txdtm: text.optional(),
  sysdtm: text.optional(),
  paydtm: text.optional(),
});
export type CustomerCodeAnswer = z.output<typeof customerCodeAnswerSchema>;

/**
 * The rest of a payment answer whose code is not 0000, every field optional: a 1143/1145 can carry
 * the order's QR, and an echo of another order's number or amount makes the answer not ours.
 */
export const pendingPaymentAnswerSchema = z
  .object({
    syssn: nonEmptyText.optional().catch(undefined),
    out_trade_no: nonEmptyText.optional().catch(undefined),
    txamt: minorUnitsSchema.optional().catch(undefined),
    sysdtm: text.optional().catch(undefined),
    qrcode: text.optional().catch(undefined),
    pay_url: text.optional().catch(undefined),
  })
  .transform(({ qrcode, pay_url, ...rest }) => ({ ...rest, qrcode: qrcode || pay_url || undefined }));
export type PendingPaymentAnswer = z.output<typeof pendingPaymentAnswerSchema>;

// One out_trade_no can come back as several records (its refunds), and labels go missing: the
// label is kept as sent, and shared/ledger/recordMatching.ts picks records by their numbers.
export const queryRecordSchema = z.object({
  syssn: nonEmptyText,
  out_trade_no: text.optional(),
  order_type: text.optional(),
  pay_type: text.optional(),
  txamt: minorUnitsSchema,
  txcurrcd: text.optional(),
  txdtm: text.optional(),
  sysdtm: text.optional(),
  paydtm: text.optional(),
  respcd: respcdSchema,
  errmsg: text.optional(),
  cancel: text.optional(),
  origssn: text.optional(),
  /** The till that made it (QFPay shows `udid` in the merchant portal). */
  udid: text.optional(),
});
export type QueryRecord = z.output<typeof queryRecordSchema>;

export const queryAnswerSchema = envelopeSchema.extend({
  page: text.optional(),
  page_size: text.optional(),
  data: z.array(queryRecordSchema),
});
export type QueryAnswer = z.output<typeof queryAnswerSchema>;

export const cancelAnswerSchema = envelopeSchema.extend({
  syssn: text.optional(),
  orig_syssn: text.optional(),
  txamt: minorUnitsSchema.optional(),
});
export type CancelAnswer = z.output<typeof cancelAnswerSchema>;

export const refundAnswerSchema = envelopeSchema.extend({
  syssn: nonEmptyText,
  orig_syssn: text.optional(),
  out_trade_no: text.optional(),
  txamt: minorUnitsSchema,
  sysdtm: text.optional(),
});
export type RefundAnswer = z.output<typeof refundAnswerSchema>;

import type { z } from 'zod';
import { ENDPOINT_PATHS, type GatewayEndpoint } from '../../../shared/qfpay/endpoints';
import { classifyRespcd, type RespcdOutcome } from '../../../shared/qfpay/respcdOutcomes';
import {
  cancelAnswerSchema,
  customerCodeAnswerSchema,
  pendingPaymentAnswerSchema,
  envelopeSchema,
  paymentAnswerSchema,
  queryAnswerSchema,
  refundAnswerSchema,
  type CancelAnswer,
  type CustomerCodeAnswer,
  type PaymentAnswer,
  type PendingPaymentAnswer,
  type QueryAnswer,
  type RefundAnswer,
} from '../../../shared/qfpay/responses';
import { signatureHeaders, type SignType, type WireFields } from '../../../shared/qfpay/signing';

/**
 * The QFPay Open API over HTTPS. It signs, sends, and turns every way a call can end into a typed
 * result; it never retries and never throws for a gateway problem, because only the caller (the
 * ledger) knows whether a retry could charge twice.
 */

export interface GatewayCredentials {
  readonly appCode: string;
  readonly clientKey: string;
  /** Sent only when QFPay issued one: sending it otherwise is an error at the gateway. */
  readonly mchid?: string;
  readonly signType: SignType;
}

export interface GatewayClientOptions {
  readonly baseUrl: string;
  readonly credentials: GatewayCredentials;
  /**
   * Connect plus read, per call. QFPay documents none; 10 s is well past its normal answer time
   * and short enough that a cashier is told "checking" before they give up on the screen.
   */
  readonly timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/** Why a call has no trustworthy answer. The caller must query, never resend. */
export type UnknownReason =
  /** The connection was never made (refused, no such host, no route): no byte of the request left. */
  | 'not_sent'
  | 'timeout'
  | 'network'
  | 'rate_limited'
  | 'http_status'
  | 'not_json'
  | 'bad_shape'
  | 'mismatch';

export type GatewayResult<T> =
  /** respcd 0000 with every field the caller relies on. */
  | { readonly kind: 'success'; readonly body: T }
  /** A well-formed answer with another respcd. */
  | {
      readonly kind: 'answer';
      readonly respcd: string;
      readonly outcome: RespcdOutcome;
      readonly resperr?: string;
      readonly respmsg?: string;
      /** What a payment answer carried besides its code: a 1143/1145 may come with the QR to show. */
      readonly payment?: { readonly syssn?: string; readonly qrcode?: string; readonly sysdtm?: string };
    }
  /** No trustworthy answer: timeout, connection error, 5xx, 429, garbage, wrong shape. */
  | {
      readonly kind: 'unknown';
      readonly reason: UnknownReason;
      readonly httpStatus?: number;
      readonly retryAfterSeconds?: number;
      readonly detail: string;
    };

export interface GatewayClient {
  readonly baseUrl: string;
  readonly appCode: string;
  /** '' when QFPay issued none. */
  readonly mchid: string;
  readonly signType: SignType;
  payment(fields: WireFields): Promise<GatewayResult<PaymentAnswer>>;
  /** The same `/trade/v1/payment` with the customer's code (CPM): its 0000 carries no QR. */
  customerCode(fields: WireFields): Promise<GatewayResult<CustomerCodeAnswer>>;
  query(fields: WireFields): Promise<GatewayResult<QueryAnswer>>;
  close(fields: WireFields): Promise<GatewayResult<CancelAnswer>>;
  reversal(fields: WireFields): Promise<GatewayResult<CancelAnswer>>;
  refund(fields: WireFields): Promise<GatewayResult<RefundAnswer>>;
}

export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  // The key stays in this closure: the returned object has no property that holds it, so it
  // cannot leak through logging, JSON.stringify, util.inspect or structured cloning.
  const { appCode, clientKey, mchid, signType } = options.credentials;
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  async function post<S extends z.ZodType>(
    endpoint: GatewayEndpoint,
    fields: WireFields,
    schema: S,
    otherAnswerSchema?: typeof pendingPaymentAnswerSchema,
  ): Promise<GatewayResult<z.output<S>> & { echo?: PendingPaymentAnswer }> {
    const sent: WireFields = mchid ? { ...fields, mchid } : fields;
    let response: Response;
    let body: string;
    try {
      response = await fetch(baseUrl + ENDPOINT_PATHS[endpoint], {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8',
          ...signatureHeaders(sent, { appCode, clientKey, signType }),
        },
        body: new URLSearchParams(sent).toString(),
        // A payment gateway that redirects is not one we should follow with signed money requests.
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
      body = await response.text();
    } catch (error) {
      return transportFailure(error, timeoutMs);
    }

    if (response.status === 429) {
      return {
        kind: 'unknown',
        reason: 'rate_limited',
        httpStatus: 429,
        retryAfterSeconds: parseRetryAfter(response.headers.get('retry-after')),
        detail: 'QFPay rate limit reached (HTTP 429)',
      };
    }
    if (!response.ok) {
      return { kind: 'unknown', reason: 'http_status', httpStatus: response.status, detail: `HTTP ${response.status}` };
    }

    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return { kind: 'unknown', reason: 'not_json', httpStatus: response.status, detail: 'answer is not JSON' };
    }
    const envelope = envelopeSchema.safeParse(json);
    if (!envelope.success) return wrongShape(envelope.error);
    const { respcd, resperr, respmsg } = envelope.data;
    if (respcd !== '0000') {
      const answer = { kind: 'answer' as const, respcd, outcome: classifyRespcd(respcd), resperr, respmsg };
      // What else came with the code, read leniently: a field that does not parse is simply not there.
      const other = otherAnswerSchema?.safeParse(json);
      if (!other?.success) return answer;
      const { syssn, qrcode, sysdtm } = other.data;
      const carried = syssn !== undefined || qrcode !== undefined || sysdtm !== undefined;
      return { ...answer, echo: other.data, ...(carried ? { payment: { syssn, qrcode, sysdtm } } : {}) };
    }

    const parsed = schema.safeParse(json);
    if (!parsed.success) return wrongShape(parsed.error);
    return { kind: 'success', body: parsed.data };
  }

  return {
    baseUrl,
    appCode,
    mchid: mchid ?? '',
    signType,
    payment: async (fields) => ourPayment(fields, await post('payment', fields, paymentAnswerSchema, pendingPaymentAnswerSchema)),
    customerCode: async (fields) => ourPayment(fields, await post('payment', fields, customerCodeAnswerSchema, pendingPaymentAnswerSchema)),
    query: (fields) => post('query', fields, queryAnswerSchema),
    close: (fields) => post('close', fields, cancelAnswerSchema),
    reversal: (fields) => post('reversal', fields, cancelAnswerSchema),
    async refund(fields) {
      const result = await post('refund', fields, refundAnswerSchema);
      if (result.kind === 'success' && String(result.body.txamt) !== fields.txamt) {
        return { kind: 'unknown', reason: 'mismatch', detail: 'refund answer does not echo our txamt' };
      }
      return result;
    },
  };
}

/** An answer about another order or amount is not an answer about ours. */
function ourPayment<T extends { out_trade_no?: string; txamt?: number }>(fields: WireFields, result: GatewayResult<T> & { echo?: PendingPaymentAnswer }): GatewayResult<T> {
  const echo = result.kind === 'success' ? result.body : result.kind === 'answer' ? result.echo : undefined;
  if (echo && ((echo.out_trade_no !== undefined && echo.out_trade_no !== fields.out_trade_no) || (echo.txamt !== undefined && String(echo.txamt) !== fields.txamt))) {
    return { kind: 'unknown', reason: 'mismatch', detail: 'payment answer does not echo our out_trade_no and txamt' };
  }
  if (result.kind === 'answer') {
    const { echo: _echo, ...answer } = result;
    return answer;
  }
  return result;
}

/**
 * Errors that happen before a connection exists, so before any byte of the request is written:
 * the one transport failure that proves the request never reached anyone. A reset, a TLS or
 * socket error after connecting, or a timeout may come after the request left: those prove nothing.
 */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

function transportFailure(error: unknown, timeoutMs: number): GatewayResult<never> {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return { kind: 'unknown', reason: 'timeout', detail: `no answer within ${timeoutMs} ms` };
  }
  // Keep only the system error code (ECONNREFUSED, ENOTFOUND...): messages may carry URLs or bodies.
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : 'connection failed';
  return { kind: 'unknown', reason: NEVER_CONNECTED.has(code) ? 'not_sent' : 'network', detail: code };
}

function wrongShape(error: z.ZodError): GatewayResult<never> {
  // Paths only, never the values: an answer could echo anything back.
  const paths = error.issues.map((issue) => issue.path.join('.') || '(root)').slice(0, 5);
  return { kind: 'unknown', reason: 'bad_shape', detail: `unexpected answer shape at ${paths.join(', ')}` };
}

function parseRetryAfter(header: string | null): number | undefined {
  if (header === null || !/^\d{1,6}$/.test(header.trim())) return undefined;
  return Number(header.trim());
}

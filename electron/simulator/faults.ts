import { z } from 'zod';
import type { GatewayEndpoint } from '../../shared/qfpay/endpoints';

/**
 * Faults a test or a demo injects per endpoint, to see the till survive a bad gateway day.
 * `afterProcessing` decides whether the gateway did the work before the answer went wrong: the
 * "lost answer" case (the order exists, the till never heard) is the dangerous one.
 */
export const faultSchema = z
  .object({
    kind: z.enum(['delay', 'http_500', 'http_429', 'garbage', 'malformed', 'hang', 'respcd', 'empty', 'unlabelled', 'record_respcd']),
    /** Wait this long before answering (every kind; for `delay` it is the whole fault). */
    delayMs: z.number().int().min(0).max(600_000).default(0),
    /** The code to answer with, for `respcd` (e.g. 1298, 1294, 1143), or to put on every record, for `record_respcd`. */
    respcd: z.string().regex(/^\d{4}$/).optional(),
    /** Process the request first, then answer badly. */
    afterProcessing: z.boolean().default(false),
    /** Apply to the next N requests only; absent means until cleared. */
    times: z.number().int().positive().optional(),
  })
  .strict()
  .refine((fault) => (fault.kind !== 'respcd' && fault.kind !== 'record_respcd') || fault.respcd !== undefined, {
    message: 'a respcd fault needs a respcd',
    path: ['respcd'],
  });

/**
 * Faults that answer 0000 but say less than the truth about the records: the ambiguous answers a
 * real gateway gives (`empty`: no records; `unlabelled`: records without `order_type` or `origssn`;
 * `record_respcd`: every record carries the given code, e.g. one no table lists).
 */
export const RECORD_FAULTS: readonly Fault['kind'][] = ['empty', 'unlabelled', 'record_respcd'];

export function applyRecordFault(answer: Readonly<Record<string, unknown>>, fault: Fault): Record<string, unknown> {
  if (!Array.isArray(answer.data)) return { ...answer };
  const records = answer.data as Record<string, unknown>[];
  switch (fault.kind) {
    case 'empty':
      return { ...answer, data: [] };
    case 'unlabelled':
      return { ...answer, data: records.map(({ order_type: _type, origssn: _orig, ...rest }) => rest) };
    case 'record_respcd':
      return { ...answer, data: records.map((record) => ({ ...record, respcd: fault.respcd, errmsg: '' })) };
    default:
      return { ...answer };
  }
}

export type Fault = z.output<typeof faultSchema>;

export function createFaultBoard() {
  const faults = new Map<GatewayEndpoint, Fault>();
  return {
    set(endpoint: GatewayEndpoint, fault: Fault) {
      faults.set(endpoint, fault);
    },
    clear(endpoint?: GatewayEndpoint) {
      if (endpoint) faults.delete(endpoint);
      else faults.clear();
    },
    list: () => Object.fromEntries(faults),
    /** The fault for this request, counting it against `times`. */
    take(endpoint: GatewayEndpoint): Fault | undefined {
      const fault = faults.get(endpoint);
      if (!fault) return undefined;
      if (fault.times !== undefined) {
        if (fault.times <= 1) faults.delete(endpoint);
        else faults.set(endpoint, { ...fault, times: fault.times - 1 });
      }
      return fault;
    },
  };
}

export type FaultBoard = ReturnType<typeof createFaultBoard>;

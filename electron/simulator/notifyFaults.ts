import { z } from 'zod';

/**
 * Faults of QFPay's notifications, so that the relay, the tills' LISTEN side and the bench meet
 * the bad days a real notification service has: one lost (`drop`: never sent, not even retried),
 * sent twice (`duplicate`), signed with another key (`bad_signature`), late (`delay`), or
 * overtaken by the next one (`out_of_order`: held until the next notification has gone out, or
 * for `maxHoldMs` when no other comes).
 *
 * Each hits a share of notifications (`rate`, 1 by default), so that a bench can say "30%
 * dropped"; `times` ends it after that many hits, as the endpoint fault board does.
 */

const LONGEST_MS = 600_000;
const rate = z.number().min(0, 'rate is a share from 0 to 1').max(1, 'rate is a share from 0 to 1').default(1);
const times = z.number().int().positive().optional();

export const notifyFaultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('drop'), rate, times }).strict(),
  z.object({ kind: z.literal('duplicate'), rate, times }).strict(),
  z.object({ kind: z.literal('bad_signature'), rate, times }).strict(),
  z.object({ kind: z.literal('delay'), delayMs: z.number().int().min(1).max(LONGEST_MS), rate, times }).strict(),
  z.object({ kind: z.literal('out_of_order'), maxHoldMs: z.number().int().min(1).max(LONGEST_MS).default(10_000), rate, times }).strict(),
]);

/** One of each kind at most: two `drop` faults at 30% would be a 51% drop nobody asked for. */
export const notifyFaultListSchema = z
  .array(notifyFaultSchema)
  .max(5)
  .refine((faults) => new Set(faults.map((fault) => fault.kind)).size === faults.length, 'each fault kind may be given once');

export type NotifyFault = z.output<typeof notifyFaultSchema>;
export type NotifyFaultInput = z.input<typeof notifyFaultSchema>;
export type NotifyFaultKind = NotifyFault['kind'];

export function createNotifyFaultBoard(random: () => number) {
  let faults: NotifyFault[] = [];
  return {
    set(list: readonly NotifyFault[]) {
      faults = [...list];
    },
    list: (): readonly NotifyFault[] => [...faults],
    /**
     * The faults that hit the next notification, counted against their `times`. One draw per
     * fault, in the order given, so a test's fixed sequence of numbers decides each one. A dropped
     * notification suffers nothing else, so nothing else is counted for it.
     */
    roll(): readonly NotifyFault[] {
      const drawn = faults.filter((fault) => random() < fault.rate);
      const hits = drawn.some((fault) => fault.kind === 'drop') ? drawn.filter((fault) => fault.kind === 'drop') : drawn;
      faults = faults.flatMap((fault) => {
        if (!hits.includes(fault) || fault.times === undefined) return [fault];
        return fault.times > 1 ? [{ ...fault, times: fault.times - 1 }] : [];
      });
      return hits;
    },
  };
}

import { setTimeout as sleep } from 'node:timers/promises';
import { hongKongMonth, isWellFormedTimestamp, monthWindow } from '../../../shared/hkTime';
import { orderAttentionDue, paymentStep, proofOf, refundAttentionDue, refundStep, type PaymentStep } from '../../../shared/ledger/evidence';
import { matchPaymentRecord, matchRefundRecord } from '../../../shared/ledger/recordMatching';
import { QUERY_PAGE_SIZE_MAX, queryFields } from '../../../shared/qfpay/requests';
import { describeRespcd } from '../../../shared/qfpay/respcd';
import type { QueryRecord } from '../../../shared/qfpay/responses';
import type { GatewayResult } from '../gateway/client';
import type { OrderPatch, OrderRecord, RefundPatch, RefundRecord } from '../ledger/ledgerStore';
import { failureWords, type TillContext } from './tillContext';

/**
 * How far QFPay's `sysdtm` may be from our own clock. An item whose `sysdtm` we do not know, made
 * this close to a month end, is looked for in both months.
 */
const CLOCK_SKEW_MS = 10 * 60_000;
const RECORDS_MAX_WAIT_MS = 10 * 60_000;

export interface CheckReport {
  /** False when the gateway gave no usable answer; the orders stay as they were. */
  readonly ok: boolean;
  readonly queriedNumbers: number;
  readonly calls: number;
  readonly changed: number;
  readonly budgetExhausted: boolean;
  readonly retryAfterSeconds?: number;
  readonly failure?: string;
  /** Items newly put before a manager by this check. */
  readonly flagged: number;
}

/**
 * Asking QFPay about what is still open: batched enquiries whose records the evidence table turns
 * into steps, items put before a manager when their time is up, and the day's records for a
 * reconciliation. `withdrawOwed` sends the closes and reversals the ledger shows as still owed
 * (payments.ts).
 */
export function createGatewayChecks(till: TillContext, withdrawOwed: () => Promise<void>) {
  const { store, gateway, clock, budget, inFlight, isMine, announceOrder, announceRefund } = till;

  /**
   * Puts an item before a manager when its time is up. Only evidence or a manager's decision takes
   * it away again (see `clearedByEvidence`): time passing never does.
   */
  function reviewOrderAttention(order: OrderRecord, now: number): boolean {
    const due = orderAttentionDue(order, now);
    if (due === undefined || order.attention !== null) return false;
    announceOrder(store.flagOrder(order.id, due, now));
    return true;
  }

  function reviewRefundAttention(item: RefundRecord, now: number): boolean {
    const due = refundAttentionDue(item, now);
    if (due === undefined || item.attention !== null) return false;
    announceRefund(store.flagRefund(item.id, due, now));
    return true;
  }

  /** An item before a manager that QFPay has now answered about for good leaves the manager's list. */
  function clearedByEvidence<T extends { id: number; attention: string | null }>(item: T, final: boolean, clear: (id: number) => T): T {
    return final && item.attention !== null && item.attention !== 'contradiction' ? clear(item.id) : item;
  }

  /** The Hong Kong months QFPay may have filed an item under: its `sysdtm`'s, or its creation's, either side of a month end. */
  function monthsOf(sysdtm: string | null, createdAt: number): string[] {
    if (sysdtm && isWellFormedTimestamp(sysdtm)) return [sysdtm.slice(0, 7)];
    return [...new Set([hongKongMonth(createdAt - CLOCK_SKEW_MS), hongKongMonth(createdAt + CLOCK_SKEW_MS)])];
  }

  /**
   * One batched enquiry per Hong Kong month for every order and refund still open (and, when
   * asked, those watched for late payments or before a manager): a single `/trade/v1/query` per
   * 100 numbers and month, paged, with a `start_time`/`end_time` window inside that month, since
   * QFPay searches only the current month otherwise.
   */
  async function checkOpenOrders(options: { includeWatched: boolean; userRequested?: boolean; urgent?: boolean }): Promise<CheckReport> {
    const orders = new Map<number, OrderRecord>();
    for (const order of store.activeOrders()) {
      if (isMine(order) && !inFlight.has(order.id) && (order.attention === null || options.includeWatched)) orders.set(order.id, order);
    }
    if (options.includeWatched) for (const order of [...store.unsettledOrders(), ...store.flaggedOrders()]) if (isMine(order)) orders.set(order.id, order);
    const refunds = new Map<number, RefundRecord>();
    for (const item of [...store.activeRefunds(), ...(options.includeWatched ? store.flaggedRefunds() : [])]) {
      if ((item.attention === null || options.includeWatched) && isMine(store.order(item.orderId))) refunds.set(item.id, item);
    }

    const byMonth = new Map<string, Set<string>>();
    const file = (months: string[], number: string) => months.forEach((month) => byMonth.set(month, (byMonth.get(month) ?? new Set()).add(number)));
    for (const order of orders.values()) file(monthsOf(order.sysdtm, order.createdAt), order.outTradeNo);
    for (const item of refunds.values()) file(monthsOf(item.sysdtm, item.createdAt), item.outTradeNo);
    const numbers = new Set([...byMonth.values()].flatMap((set) => [...set]));

    const records: QueryRecord[] = [];
    const answered = new Set<string>();
    let calls = 0;
    let budgetExhausted = false;
    let failure: Extract<GatewayResult<unknown>, { kind: 'unknown' | 'answer' }> | undefined;
    months: for (const [month, set] of [...byMonth].sort(([a], [b]) => b.localeCompare(a))) {
      const monthNumbers = [...set];
      for (let start = 0; start < monthNumbers.length; start += QUERY_PAGE_SIZE_MAX) {
        const chunk = monthNumbers.slice(start, start + QUERY_PAGE_SIZE_MAX);
        for (let page = 1; ; page += 1) {
          // A person asked, or QFPay said a customer paid: the cashier's priority, not the background's.
          const slot = options.userRequested || options.urgent ? budget.tryTakeForAction() : budget.tryTakeForPoll();
          if (!slot) {
            budgetExhausted = true;
            break months;
          }
          const built = queryFields({ outTradeNos: chunk, page, pageSize: QUERY_PAGE_SIZE_MAX, window: monthWindow(month) });
          if (!built.ok) throw new Error(`query builder refused ${built.error}`);
          const result = await till.exchange('query', built.value, {}, () => gateway.query(built.value));
          calls += 1;
          if (result.kind !== 'success') {
            // The rest is asked next time: one failure usually means the next would fail too (429, outage).
            failure = result;
            break months;
          }
          records.push(...result.body.data);
          if (result.body.data.length < QUERY_PAGE_SIZE_MAX) {
            chunk.forEach((number) => answered.add(number));
            break;
          }
        }
      }
    }
    const failed = (number: string) => !answered.has(number) && !budgetExhausted;

    const at = clock();
    let changed = 0;
    let flagged = 0;
    for (const { id, outTradeNo } of orders.values()) {
      const current = store.order(id);
      if (answered.has(outTradeNo) || failed(outTradeNo)) {
        const match = answered.has(outTradeNo) ? matchPaymentRecord(current, records) : { answer: 'no_answer' as const, record: undefined };
        const step = paymentStep('payment_query', till.factsOf(current, at), proofOf('payment_query', match.answer));
        const applied = till.applyOrderStep(current, step, at, { lastCheckedAt: at, ...paymentRecordPatch(current, step, match.record) });
        const updated = clearedByEvidence(applied, Boolean(step.settle), (orderId) => store.flagOrder(orderId, null, at));
        if (step.to || (step.settle && !current.gatewaySettled) || updated.attention !== current.attention) {
          changed += 1;
          announceOrder(updated);
        }
      }
      if (reviewOrderAttention(store.order(id), at)) flagged += 1;
    }
    for (const { id, outTradeNo, orderId } of refunds.values()) {
      const current = store.refund(id);
      if (answered.has(outTradeNo) || failed(outTradeNo)) {
        const match = answered.has(outTradeNo) ? matchRefundRecord(current, store.order(orderId), records) : { answer: 'no_answer' as const, record: undefined };
        const step = refundStep('refund_query', current.state, proofOf('refund_query', match.answer));
        const record = match.record;
        const patch: RefundPatch =
          record && step.to === 'succeeded'
            ? { syssn: record.syssn, sysdtm: record.sysdtm ?? null, respcd: record.respcd, message: null }
            : record && step.to === 'failed'
              ? { respcd: record.respcd, message: record.errmsg || describeRespcd(record.respcd, 'en') }
              : record && !current.syssn && step.to === 'pending'
                ? { syssn: record.syssn }
                : {};
        const applied = till.applyRefundStep(current, step, at, patch);
        const updated = clearedByEvidence(applied, step.to === 'succeeded' || step.to === 'failed', (refundId) => store.flagRefund(refundId, null, at));
        if (step.to || updated.attention !== current.attention) {
          changed += 1;
          announceRefund(updated);
          till.settleLateDecision(updated);
        }
      }
      if (reviewRefundAttention(store.refund(id), at)) flagged += 1;
    }
    // What the steps asked to withdraw, and what an earlier withdrawal skipped (no call free) or
    // never sent: the ledger says which (see `withdrawalsOwed`), so a restart loses none of them.
    await withdrawOwed();

    const base = { queriedNumbers: numbers.size, calls, changed, flagged, budgetExhausted };
    if (budgetExhausted) return { ok: false, ...base };
    if (!failure) return { ok: true, ...base };
    return {
      ok: false,
      ...base,
      failure: failureWords(failure),
      retryAfterSeconds: failure.kind === 'unknown' ? failure.retryAfterSeconds : undefined,
    };
  }

  /**
   * Every record QFPay holds for a time window inside one month (and, if given, these numbers),
   * paged 100 at a time: the day's reconciliation. It paces itself within the till's share of the
   * merchant's limit, as polling does, leaving the reserve for the cashier's charges; it waits for
   * free slots rather than give up, for at most RECORDS_MAX_WAIT_MS in all.
   */
  async function recordsInWindow(window: { start: string; end: string }, numbers: readonly string[] = []): Promise<{ ok: true; records: QueryRecord[]; calls: number } | { ok: false; failure: string; calls: number }> {
    const records: QueryRecord[] = [];
    let calls = 0;
    let waited = 0;
    const chunks = numbers.length === 0 ? [[]] : Array.from({ length: Math.ceil(numbers.length / QUERY_PAGE_SIZE_MAX) }, (_, index) => numbers.slice(index * QUERY_PAGE_SIZE_MAX, (index + 1) * QUERY_PAGE_SIZE_MAX));
    for (const chunk of chunks) {
      for (let page = 1; ; page += 1) {
        while (!budget.tryTakeForPoll()) {
          const pause = Math.max(250, budget.msUntilFree());
          if (waited + pause > RECORDS_MAX_WAIT_MS) return { ok: false, failure: 'the gateway calls this till may make were used up for the minute', calls };
          await sleep(pause);
          waited += pause;
        }
        const built = queryFields({ outTradeNos: chunk, page, pageSize: QUERY_PAGE_SIZE_MAX, window });
        if (!built.ok) throw new Error(`query builder refused ${built.error}`);
        const result = await till.exchange('query', built.value, {}, () => gateway.query(built.value));
        calls += 1;
        if (result.kind !== 'success') return { ok: false, failure: failureWords(result), calls };
        records.push(...result.body.data);
        if (result.body.data.length < QUERY_PAGE_SIZE_MAX) break;
      }
    }
    return { ok: true, records, calls };
  }

  /** What a payment record adds to the order besides its state. */
  function paymentRecordPatch(order: OrderRecord, step: PaymentStep, record: QueryRecord | undefined): OrderPatch {
    if (!record) return {};
    const known = { syssn: order.syssn ?? record.syssn };
    if (step.to === 'paid' || step.to === 'paid_late') {
      return { ...known, respcd: record.respcd, paydtm: record.paydtm || record.sysdtm || null, sysdtm: order.sysdtm ?? record.sysdtm ?? null, message: null };
    }
    if (step.settle && step.to) return { ...known, respcd: record.respcd, message: record.errmsg || describeRespcd(record.respcd, 'en') };
    return { ...known, sysdtm: order.sysdtm ?? record.sysdtm ?? null };
  }

  return {
    checkOpenOrders,
    recordsInWindow,
    /** Whether QFPay's news of this number (a payment or refund of this till's gateway) is awaited: it is still open or watched. */
    awaitsNewsOf(outTradeNo: string): boolean {
      const orders = [...store.activeOrders(), ...store.unsettledOrders(), ...store.flaggedOrders()];
      if (orders.some((order) => order.outTradeNo === outTradeNo && isMine(order))) return true;
      return [...store.activeRefunds(), ...store.flaggedRefunds()].some((item) => item.outTradeNo === outTradeNo && isMine(store.order(item.orderId)));
    },
  };
}

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { OrderRecord } from '../electron/services/ledger/ledgerStore';
import { openTillRuntime, type TillRuntime } from '../electron/services/runtime/runtime';
import { ACTION_WAIT_MS } from '../electron/services/till/callBudget';
import { TillError } from '../shared/errors';
import { startSimulator } from '../electron/simulator/server';
import { localCallShare, MERCHANT_CALLS_PER_MINUTE } from '../shared/qfpay/callLimit';
import { WALLET_IDS, type WalletId } from '../shared/wallets';
import { paidEvent } from './storeBench';

/**
 * 11. Push: 40 tills of one merchant (each with its own ledger and its own connections to the
 * head office) against the simulator enforcing QFPay's 400 calls a minute (429 beyond), a real
 * PostgreSQL head office, and the relay in its own process receiving the simulator's signed
 * notifications. Three minutes of sales; then again with 30% of notifications lost.
 *
 * Confirmation is timed from the moment the simulator is asked to mark the order paid to the
 * till's ledger recording it (its 'paid' event is announced after the write). The counters' pace
 * is chosen within the limit: each sale costs at least two calls (the payment, and the query a
 * notification triggers), so 400 calls a minute confirm at most ~190 sales a minute; these
 * counters sell about 160 a minute (what 40 tills managed before pushes, at 158).
 * Figures, not a test; skipped, saying so, without PostgreSQL.
 */

const TILLS = 40;
const STAGGER_MS = 5_000;
const CONFIRM_GIVE_UP_MS = 60_000;
const PAY_AFTER_MS: readonly [number, number] = [1_000, 4_000];
const NEXT_SALE_AFTER_MS: readonly [number, number] = [8_000, 15_000];

const between = ([low, high]: readonly [number, number]) => low + Math.random() * (high - low);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
const tillIdOf = (index: number) => `till-${String(index + 1).padStart(2, '0')}`;

interface Tally {
  sales: number;
  unconfirmed: number;
  refused: number;
  readonly confirmMs: number[];
  readonly refusals: Map<string, number>;
}

interface PushResult {
  readonly tally: Tally;
  readonly status429: number;
  readonly callsPerMinute: number;
  readonly pushedShare: number;
  readonly notifications: { readonly delivered: number; readonly dropped: number };
}

/** A counter: charge, the customer pays 1-4 s after the QR, wait for "paid", the next customer 8-15 s later. */
async function counter(runtime: TillRuntime, simulatorUrl: string, deadline: number, tally: Tally): Promise<void> {
  while (Date.now() < deadline) {
    const wallet = WALLET_IDS[Math.floor(Math.random() * WALLET_IDS.length)] as WalletId;
    let order: OrderRecord;
    try {
      await runtime.till.budget.readyForAction?.(ACTION_WAIT_MS);
      order = await runtime.till.charge({ wallet, amount: 100 + Math.floor(Math.random() * 49_900) });
    } catch (error) {
      const reason = error instanceof TillError ? error.code : error instanceof Error ? error.message : String(error);
      tally.refused += 1;
      tally.refusals.set(reason, (tally.refusals.get(reason) ?? 0) + 1);
      await sleep(1_000);
      continue;
    }
    if (order.state !== 'waiting') {
      tally.refusals.set(`no QR (${order.state})`, (tally.refusals.get(`no QR (${order.state})`) ?? 0) + 1);
      await sleep(1_000);
      continue;
    }
    tally.sales += 1;
    await sleep(between(PAY_AFTER_MS));
    const confirmed = paidEvent(runtime, order.outTradeNo, CONFIRM_GIVE_UP_MS);
    const paidAt = performance.now();
    const response = await fetch(`${simulatorUrl}/__sim__/orders/${encodeURIComponent(order.outTradeNo)}/pay`, { method: 'POST' });
    await response.arrayBuffer();
    const recordedAt = await confirmed;
    if (recordedAt === undefined) tally.unconfirmed += 1;
    else tally.confirmMs.push(recordedAt - paidAt);
    await sleep(between(NEXT_SALE_AFTER_MS));
  }
}

async function runPush(folder: string, headOffice: URL, dropShare: number, sellMs: number): Promise<PushResult> {
  const { startRelayProcess } = await import('../test/support/relay');
  mkdirSync(folder, { recursive: true });
  const simulator = await startSimulator({ dbPath: join(folder, 'sim.sqlite'), rateLimitPerMinute: MERCHANT_CALLS_PER_MINUTE, requestLogLimit: 1_000_000 });
  const relay = await startRelayProcess({ headOffice: headOffice.href, appCode: simulator.credentials.appCode, clientKey: simulator.credentials.clientKey });
  simulator.notifier.configure({ url: relay.notifyUrl, faults: dropShare > 0 ? [{ kind: 'drop', rate: dropShare }] : [] });
  const runtimes: TillRuntime[] = [];
  try {
    for (let index = 0; index < TILLS; index += 1) {
      const tillId = tillIdOf(index);
      runtimes.push(
        await openTillRuntime(
          {
            environment: 'custom',
            baseUrl: simulator.url,
            credentials: { ...simulator.credentials, signType: 'SHA256' },
            tillId,
            dbPath: join(folder, tillId, 'till.sqlite'),
            pollIntervalMs: 3_000,
            callBudgetPerMinute: localCallShare(TILLS),
          },
          { headOffice },
        ),
      );
    }
    for (const runtime of runtimes) runtime.till.events.on('order', () => runtime.headOffice?.changed());

    const tally: Tally = { sales: 0, unconfirmed: 0, refused: 0, confirmMs: [], refusals: new Map() };
    const started = Date.now();
    const deadline = started + sellMs;
    let pushedSamples = 0;
    let samples = 0;
    const sampler = setInterval(() => {
      for (const runtime of runtimes) {
        samples += 1;
        if (runtime.push?.pushed()) pushedSamples += 1;
      }
    }, 1_000);
    const counters = runtimes.map(async (runtime, index) => {
      await sleep((index * STAGGER_MS) / TILLS);
      runtime.poller.start();
      runtime.headOffice?.start();
      await counter(runtime, simulator.url, deadline, tally);
    });
    const settled = await Promise.allSettled(counters);
    clearInterval(sampler);
    const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;

    const log = simulator.requests().filter((entry) => Date.parse(entry.at) >= started);
    const inWindow = log.filter((entry) => Date.parse(entry.at) < deadline);
    const deliveries = simulator.notifier.deliveries();
    return {
      tally,
      status429: log.filter((entry) => entry.httpStatus === 429).length,
      callsPerMinute: inWindow.length / (sellMs / 60_000),
      pushedShare: samples === 0 ? 0 : pushedSamples / samples,
      notifications: { delivered: deliveries.filter((item) => item.state === 'delivered').length, dropped: deliveries.filter((item) => item.state === 'dropped').length },
    };
  } finally {
    await Promise.allSettled(runtimes.map((runtime) => runtime.close()));
    await simulator.close();
    await relay.stop();
  }
}

function pushLine(label: string, result: PushResult): string {
  const sorted = [...result.tally.confirmMs].sort((a, b) => a - b);
  const s = (ms: number) => (Number.isNaN(ms) || ms === undefined ? '-' : (ms / 1000).toFixed(2));
  return `${label}: tills=${TILLS} p50=${s(percentile(sorted, 50))} p95=${s(percentile(sorted, 95))} max=${s(sorted.at(-1) ?? Number.NaN)} 429s=${result.status429} unconfirmed=${result.tally.unconfirmed} calls_per_min=${Math.round(result.callsPerMinute)}`;
}

export async function pushBench(folder: string, quick: boolean): Promise<void> {
  const { postgresAvailable, startPostgres } = await import('../test/support/postgres');
  const sellMinutes = quick ? 1 : 3;
  console.log(`\n11. Push: ${TILLS} tills of one merchant, QFPay's ${MERCHANT_CALLS_PER_MINUTE} calls a minute, notifications through the head office's relay (${sellMinutes} min of sales per run)`);
  if (!postgresAvailable) {
    console.log('PostgreSQL is not installed (apt-get install postgresql): not measured.');
    return;
  }
  // Each till holds three connections (its LISTEN, its share of the calls, its shipments).
  const postgres = await startPostgres({ maxConnections: 300 });
  try {
    const runs: [string, PushResult][] = [];
    for (const [label, dropShare] of [['push(dropped 30%)', 0.3], ['push', 0]] as const) {
      const result = await runPush(join(folder, `push-${dropShare}`), new URL(await postgres.createDatabase('push')), dropShare, sellMinutes * 60_000);
      const refusals = [...result.tally.refusals].map(([reason, count]) => `${reason} ${count}`).join(', ') || 'none';
      console.log(
        `- ${label}: ${result.tally.sales} sales; charges refused: ${refusals}; notifications delivered ${result.notifications.delivered}, dropped ${result.notifications.dropped}; tills in pushed mode ${(result.pushedShare * 100).toFixed(0)}% of the time`,
      );
      runs.push([label, result]);
    }
    console.log(`Each till: a random wallet and amount, the customer pays ${PAY_AFTER_MS[0] / 1000}-${PAY_AFTER_MS[1] / 1000} s after the QR, the next sale ${NEXT_SALE_AFTER_MS[0] / 1000}-${NEXT_SALE_AFTER_MS[1] / 1000} s after "paid"; tills started over ${STAGGER_MS / 1000} s.`);
    console.log('Targets: p95 ≤ 1.5 s with notifications, no 429, none unconfirmed after 60 s; with 30% dropped, none unconfirmed.');
    for (const [label, result] of runs) console.log(pushLine(label, result));
  } finally {
    await postgres.remove();
  }
}

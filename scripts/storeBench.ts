import { ACTION_WAIT_MS } from '../electron/services/till/callBudget';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { migrateHeadOffice } from '../electron/services/headOffice/postgresSchema';
import { shipPending } from '../electron/services/headOffice/shipper';
import { storeDay } from '../electron/services/headOffice/storeReport';
import { openLedgerDatabase } from '../electron/services/ledger/database';
import type { OrderRecord } from '../electron/services/ledger/ledgerStore';
import { openTillRuntime, type TillRuntime } from '../electron/services/runtime/runtime';
import { openSqlite } from '../electron/services/sqlite/openSqlite';
import { DEFAULT_TILL_SETTINGS } from '../electron/services/config/tillSettings';
import { TillError } from '../shared/errors';
import { startSimulator } from '../electron/simulator/server';
import { hongKongDay, hongKongDayRange } from '../shared/hkTime';
import { localCallShare, MERCHANT_CALLS_PER_MINUTE } from '../shared/qfpay/callLimit';
import { WALLET_IDS, type WalletId } from '../shared/wallets';

/**
 * 8. Store: 20 tills of one merchant (one simulator, one set of credentials) sharing QFPay's 400
 * calls a minute, each a busy counter, under three call budgets side by side: shared through the
 * head office's token bucket, each till 80 a minute on its own (the default), and each till its
 * local share (20). Then the head office's store day report over 40,000 shipped orders.
 * Figures, not a test; skipped, saying so, without PostgreSQL.
 */

const TILLS = 20;
const STAGGER_MS = 5_000;
const CONFIRM_GIVE_UP_MS = 60_000;
const LAG_SAMPLE_MS = 200;
const STORE_DAY_ORDERS_PER_TILL = 2_000;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
const seconds = (value: number | undefined) => (value === undefined ? '-' : `${(value / 1000).toFixed(2)} s`);
const between = (low: number, high: number) => low + Math.random() * (high - low);
const tillIdOf = (index: number) => `till-${String(index + 1).padStart(2, '0')}`;

interface Regime {
  readonly name: string;
  readonly perMinute: number;
  readonly headOffice: boolean;
}

interface Tally {
  sales: number;
  refused: number;
  /** Charges that came back without a QR (the payment request itself refused, e.g. a 429). */
  noQr: number;
  unconfirmed: number;
  /** The customer's pay POST was turned down (the QR was no longer payable). */
  payRefused: number;
  readonly confirmMs: number[];
  readonly refusals: Map<string, number>;
}

interface HeadOfficeLag {
  readonly shippedMs: number[];
  notShipped: number;
  maxBehind: number;
  behindSamples: number;
  unreachableSamples: number;
  samples: number;
  /** Tills seen drawing from their local share after the stagger (the head office not answering). */
  readonly everLocal: Set<string>;
  allSharedAtEnd: boolean;
}

interface RegimeResult {
  readonly regime: Regime;
  readonly tally: Tally;
  readonly status429: number;
  readonly callsPerMinute: number;
  readonly busiest: number;
  readonly perTill: number[];
  readonly tillCallsSum: number;
  readonly simulatorCalls: number;
  readonly lag?: HeadOfficeLag;
}

/** Waits for the till to say the order is paid: when it did (performance.now()), or undefined after `giveUpMs`. */
export function paidEvent(runtime: TillRuntime, outTradeNo: string, giveUpMs: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const onOrder = (order: OrderRecord) => {
      if (order.outTradeNo !== outTradeNo || order.state !== 'paid') return;
      finish(performance.now());
    };
    const timer = setTimeout(() => finish(undefined), giveUpMs);
    function finish(at: number | undefined) {
      clearTimeout(timer);
      runtime.till.events.off('order', onOrder);
      resolve(at);
    }
    runtime.till.events.on('order', onOrder);
  });
}

/** A busy counter: charge, the customer pays after 2-20 s, wait for "paid", a 3-10 s pause, again. */
async function busyCounter(runtime: TillRuntime, simulatorUrl: string, deadline: number, tally: Tally): Promise<void> {
  while (Date.now() < deadline) {
    const wallet = WALLET_IDS[Math.floor(Math.random() * WALLET_IDS.length)] as WalletId;
    const amount = 100 + Math.floor(Math.random() * (50_000 - 100 + 1));
    let order: OrderRecord;
    try {
      // As the cashier's screen does (posService): a shared call may be on its way.
      await runtime.till.budget.readyForAction?.(ACTION_WAIT_MS);
      order = await runtime.till.charge({ wallet, amount });
    } catch (error) {
      const reason = error instanceof TillError ? error.code : error instanceof Error ? error.message : String(error);
      tally.refused += 1;
      tally.refusals.set(reason, (tally.refusals.get(reason) ?? 0) + 1);
      await sleep(1_000);
      continue;
    }
    if (order.state !== 'waiting') {
      // Nothing for the customer to scan: the cashier tries again, as after a refusal.
      tally.noQr += 1;
      await sleep(1_000);
      continue;
    }
    tally.sales += 1;
    await sleep(between(2_000, 20_000));
    // Listening before the customer pays: a check may answer before the POST returns.
    const confirmed = paidEvent(runtime, order.outTradeNo, CONFIRM_GIVE_UP_MS);
    const paidAt = performance.now();
    const response = await fetch(`${simulatorUrl}/__sim__/orders/${encodeURIComponent(order.outTradeNo)}/pay`, { method: 'POST' });
    await response.arrayBuffer();
    if (!response.ok) tally.payRefused += 1;
    const recordedAt = await confirmed;
    if (recordedAt === undefined) tally.unconfirmed += 1;
    else tally.confirmMs.push(recordedAt - paidAt);
    await sleep(between(3_000, 10_000));
  }
}

/**
 * How far the head office lags: each paid order from the till's 'paid' event until PostgreSQL
 * holds its paid transition (one batched query of the ones still missing, every LAG_SAMPLE_MS),
 * and every second each till's sync status and call sharing.
 */
function watchHeadOffice(runtimes: TillRuntime[], pool: pg.Pool, staggerEnd: number) {
  const lag: HeadOfficeLag = { shippedMs: [], notShipped: 0, maxBehind: 0, behindSamples: 0, unreachableSamples: 0, samples: 0, everLocal: new Set(), allSharedAtEnd: false };
  const pending = new Map<string, { tillId: string; outTradeNo: string; at: number }>();
  const listeners = runtimes.map((runtime) => {
    const tillId = runtime.config.tillId;
    const onOrder = (order: OrderRecord) => {
      const key = `${tillId}/${order.outTradeNo}`;
      if (order.state === 'paid' && !pending.has(key)) pending.set(key, { tillId, outTradeNo: order.outTradeNo, at: Date.now() });
    };
    runtime.till.events.on('order', onOrder);
    return () => runtime.till.events.off('order', onOrder);
  });
  const found = new Set<string>();
  let running = true;

  const shipped = (async () => {
    while (running || pending.size > found.size) {
      const missing = [...pending.entries()].filter(([key]) => !found.has(key));
      if (missing.length > 0) {
        // A failed sample (the tills still creating the tables) is tried again at the next one.
        const rows = await pool
          .query<{ till_id: string; out_trade_no: string }>(
            `SELECT DISTINCT t.till_id, t.out_trade_no FROM transitions t JOIN unnest($1::text[], $2::text[]) AS p(till_id, out_trade_no) USING (till_id, out_trade_no)
              WHERE t.to_state IN ('paid', 'paid_late')`,
            [missing.map(([, item]) => item.tillId), missing.map(([, item]) => item.outTradeNo)],
          )
          .then(
            (result) => result.rows,
            () => [],
          );
        const now = Date.now();
        for (const row of rows) {
          const key = `${row.till_id}/${row.out_trade_no}`;
          const item = pending.get(key);
          if (item && !found.has(key)) {
            found.add(key);
            lag.shippedMs.push(now - item.at);
          }
        }
      }
      await sleep(LAG_SAMPLE_MS);
    }
  })();

  const statusTimer = setInterval(() => {
    lag.samples += 1;
    for (const runtime of runtimes) {
      const status = runtime.headOffice?.status();
      if (status?.state === 'behind') {
        lag.behindSamples += 1;
        lag.maxBehind = Math.max(lag.maxBehind, status.records);
      } else if (status?.state === 'unreachable' || status?.state === 'refused') lag.unreachableSamples += 1;
      if (Date.now() > staggerEnd && runtime.callBudget?.sharing().mode !== 'shared') lag.everLocal.add(runtime.config.tillId);
    }
  }, 1_000);

  return {
    lag,
    /** Stops watching; waits up to `graceMs` for paid orders the head office does not hold yet. */
    async stop(graceMs: number) {
      clearInterval(statusTimer);
      listeners.forEach((off) => off());
      lag.allSharedAtEnd = runtimes.every((runtime) => runtime.callBudget?.sharing().mode === 'shared');
      const until = Date.now() + graceMs;
      while (pending.size > found.size && Date.now() < until) await sleep(LAG_SAMPLE_MS);
      running = false;
      lag.notShipped = pending.size - found.size;
      // Whatever is still missing is counted, not waited for.
      found.clear();
      pending.clear();
      await shipped;
    },
  };
}

async function runRegime(folder: string, regime: Regime, sellMs: number, headOffice: URL | undefined): Promise<RegimeResult> {
  mkdirSync(folder, { recursive: true });
  const simulator = await startSimulator({ dbPath: join(folder, 'sim.sqlite'), rateLimitPerMinute: MERCHANT_CALLS_PER_MINUTE, requestLogLimit: 1_000_000 });
  const runtimes: TillRuntime[] = [];
  const lagPool = headOffice ? new pg.Pool({ connectionString: headOffice.href, max: 1 }) : undefined;
  try {
    for (let index = 0; index < TILLS; index += 1) {
      const tillId = tillIdOf(index);
      runtimes.push(
        await openTillRuntime(
          {
            environment: 'custom',
            baseUrl: simulator.url,
            // The same credentials at every till: one merchant, one 400-a-minute limit.
            credentials: { ...simulator.credentials, signType: 'SHA256' },
            tillId,
            dbPath: join(folder, tillId, 'till.sqlite'),
            pollIntervalMs: DEFAULT_TILL_SETTINGS.pollIntervalMs,
            callBudgetPerMinute: regime.perMinute,
          },
          { headOffice },
        ),
      );
    }
    // The head office hears of each change soon after, as the app's POS service has it.
    for (const runtime of runtimes) runtime.till.events.on('order', () => runtime.headOffice?.changed());

    const tally: Tally = { sales: 0, refused: 0, noQr: 0, unconfirmed: 0, payRefused: 0, confirmMs: [], refusals: new Map() };
    const started = Date.now();
    const deadline = started + sellMs;
    const watcher = lagPool ? watchHeadOffice(runtimes, lagPool, started + STAGGER_MS) : undefined;
    const counters = runtimes.map(async (runtime, index) => {
      await sleep((index * STAGGER_MS) / TILLS);
      runtime.poller.start();
      runtime.headOffice?.start();
      await busyCounter(runtime, simulator.url, deadline, tally);
    });
    const settled = await Promise.allSettled(counters);
    await watcher?.stop(30_000);
    const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;

    // Calls a minute over the selling window. The simulator's log does not name the till, so each
    // till's calls are counted in its own ledger: the till records every request it sends
    // (gateway_calls, written as each answer, a 429 included, comes back), so the rows started in
    // the window are exactly that till's calls to QFPay. Their sum is checked against the log.
    const minutes = sellMs / 60_000;
    const perTillCalls = runtimes.map(
      (runtime) => (runtime.store.db.prepare('SELECT COUNT(*) AS n FROM gateway_calls WHERE started_at >= ? AND started_at < ?').get(started, deadline) as { n: number }).n,
    );
    const log = simulator.requests().filter((entry) => Date.parse(entry.at) >= started);
    const inWindow = log.filter((entry) => Date.parse(entry.at) < deadline);
    // The busiest minute, as the gateway's rate limit counts: every call in any 60 s window.
    const times = log.map((entry) => Date.parse(entry.at));
    let busiest = 0;
    for (let first = 0, last = 0; last < times.length; last += 1) {
      while ((times[last] as number) - (times[first] as number) >= 60_000) first += 1;
      busiest = Math.max(busiest, last - first + 1);
    }
    return {
      regime,
      tally,
      status429: log.filter((entry) => entry.httpStatus === 429).length,
      callsPerMinute: inWindow.length / minutes,
      busiest,
      perTill: perTillCalls.map((calls) => calls / minutes).sort((a, b) => a - b),
      tillCallsSum: perTillCalls.reduce((sum, calls) => sum + calls, 0),
      simulatorCalls: inWindow.length,
      lag: watcher?.lag,
    };
  } finally {
    await Promise.allSettled(runtimes.map((runtime) => runtime.close()));
    await lagPool?.end();
    await simulator.close();
  }
}

/** A day of `count` paid orders in a ledger, by straight SQL through the same triggers (created, waiting, paid), as bench.ts seeds it; returns their total in cents. */
function seedPaidDay(dbPath: string, count: number, start: number, tillId: string, tillIndex: number): number {
  const db = openLedgerDatabase(dbPath);
  const insertNumber = db.prepare("INSERT INTO trade_numbers (out_trade_no, kind) VALUES (?, 'payment')");
  const insertOrder = db.prepare(`INSERT INTO orders (out_trade_no, till_id, environment, wallet, pay_type, amount, currency, goods_name,
    request_fields, state, created_at, updated_at, qr_deadline, gateway_deadline) VALUES (?, ?, 'demo', ?, ?, ?, 'HKD', ?, '{}', 'created', ?, ?, ?, ?)`);
  const pay = db.prepare("UPDATE orders SET state = ?, syssn = ?, paydtm = '2026-11-23 12:00:00', respcd = '0000' WHERE id = ?");
  // The history rows the till writes: the store's day counts each payment when it was first paid.
  const history = db.prepare('INSERT INTO transitions (order_id, from_state, to_state, cause, at) VALUES (?, ?, ?, ?, ?)');
  const wallets = [['alipay', '800101'], ['wechat', '800201'], ['payme', '805801'], ['unionpay', '800701'], ['fps', '802001'], ['octopus', '803701']] as const;
  let total = 0;
  db.transaction(() => {
    for (let index = 0; index < count; index += 1) {
      const number = `${tillId.toUpperCase()}-P${String(index).padStart(8, '0')}`;
      const syssn = `20261123${String(tillIndex).padStart(4, '0')}${String(index).padStart(14, '0')}`;
      const [wallet, payType] = wallets[index % wallets.length] as readonly [string, string];
      const at = start + Math.floor((index * 86_000_000) / count);
      // 100 to 50,000 cents, different at each till.
      const amount = 100 + ((index * 37 + tillIndex * 1_009) % 49_901);
      total += amount;
      insertNumber.run(number);
      const { lastInsertRowid } = insertOrder.run(number, tillId, wallet, payType, amount, index % 3 === 0 ? '凍檸茶' : 'Milk Tea', at, at, at + 300_000, at + 1_920_000);
      pay.run('waiting', syssn, lastInsertRowid);
      pay.run('paid', syssn, lastInsertRowid);
      history.run(lastInsertRowid, null, 'created', 'charge_requested', at);
      history.run(lastInsertRowid, 'created', 'waiting', 'qr_issued', at + 1_000);
      history.run(lastInsertRowid, 'waiting', 'paid', 'query_paid', at + 30_000);
    }
  })();
  db.close();
  return total;
}

/** 20 tills' days of 2,000 paid orders each, shipped by the real shipper, then the store's day report timed. */
async function storeDayBench(folder: string, connectionString: string) {
  const day = hongKongDay(Date.now());
  const { start } = hongKongDayRange(day);
  mkdirSync(folder, { recursive: true });
  const pool = new pg.Pool({ connectionString, max: 2 });
  try {
    let seeded = 0;
    const shipStarted = performance.now();
    const client = await pool.connect();
    try {
      await migrateHeadOffice(client);
      for (let index = 0; index < TILLS; index += 1) {
        const tillId = tillIdOf(index);
        const dbPath = join(folder, `${tillId}.sqlite`);
        seeded += seedPaidDay(dbPath, STORE_DAY_ORDERS_PER_TILL, start, tillId, index);
        const ledger = openSqlite(dbPath, { readonly: true });
        try {
          await shipPending(ledger, client, { tillId, batchSize: 500 });
        } finally {
          ledger.close();
        }
      }
    } finally {
      client.release();
    }
    const shipMs = performance.now() - shipStarted;
    const runs: number[] = [];
    let report: Awaited<ReturnType<typeof storeDay>> | undefined;
    for (let round = 0; round < 5; round += 1) {
      const started = performance.now();
      report = await storeDay(pool, day);
      runs.push(performance.now() - started);
    }
    const totals = (report?.store ?? []).map((environment) => environment.totals.payments);
    const orders = totals.reduce((sum, payments) => sum + payments.count, 0);
    const amount = totals.reduce((sum, payments) => sum + payments.amount, 0);
    const expectedOrders = TILLS * STORE_DAY_ORDERS_PER_TILL;
    const agrees = orders === expectedOrders && amount === seeded && report?.tills.length === TILLS;
    const dollars = (cents: number) => `HK$${Math.floor(cents / 100).toLocaleString('en')}.${String(cents % 100).padStart(2, '0')}`;
    console.log(`\nThe store day report over ${expectedOrders.toLocaleString('en')} orders (${TILLS} tills × ${STORE_DAY_ORDERS_PER_TILL.toLocaleString('en')}, seeded and shipped by the real shipper in ${(shipMs / 1000).toFixed(1)} s)`);
    console.log('| storeDay(pool, day) median of 5 | tills | orders | total | seeded total | check |');
    console.log('|---|---|---|---|---|---|');
    console.log(`| ${(percentile([...runs].sort((a, b) => a - b), 50)).toFixed(1)} ms | ${report?.tills.length ?? 0} | ${orders.toLocaleString('en')} | ${dollars(amount)} | ${dollars(seeded)} | ${agrees ? 'OK' : 'MISMATCH'} |`);
  } finally {
    await pool.end();
  }
}

export async function storeBench(folder: string, quick: boolean): Promise<void> {
  const { postgresAvailable, startPostgres } = await import('../test/support/postgres');
  const sellMinutes = quick ? 1 : 2;
  console.log(`\n8. Store: ${TILLS} tills of one merchant, QFPay's ${MERCHANT_CALLS_PER_MINUTE} calls a minute (${sellMinutes} min of busy counters per budget)`);
  if (!postgresAvailable) {
    console.log('PostgreSQL is not installed (apt-get install postgresql): not measured.');
    return;
  }
  const regimes: Regime[] = [
    { name: 'shared through the head office', perMinute: localCallShare(TILLS), headOffice: true },
    { name: `each till ${DEFAULT_TILL_SETTINGS.callBudgetPerMinute} a minute, no head office`, perMinute: DEFAULT_TILL_SETTINGS.callBudgetPerMinute, headOffice: false },
    { name: `each till its local share (${localCallShare(TILLS)} a minute), no head office`, perMinute: localCallShare(TILLS), headOffice: false },
  ];
  const postgres = await startPostgres();
  try {
    const results: RegimeResult[] = [];
    for (const [index, regime] of regimes.entries()) {
      const headOffice = regime.headOffice ? new URL(await postgres.createDatabase('store')) : undefined;
      results.push(await runRegime(join(folder, `store-${index + 1}`), regime, sellMinutes * 60_000, headOffice));
    }

    console.log(`Each till: charge a random wallet and amount, the customer pays after 2-20 s, wait for "paid" (give up at ${CONFIRM_GIVE_UP_MS / 1000} s), pause 3-10 s; tills started over ${STAGGER_MS / 1000} s.`);
    console.log(`Targets: no 429s; confirmation p95 ≤ 2 poll intervals (${(2 * DEFAULT_TILL_SETTINGS.pollIntervalMs) / 1000} s). Calls a minute over the selling window; busiest = any 60 s of the simulator's log.`);
    console.log('| budget | sales | refused charges | charges without QR | 429s | confirmed p50 | p95 | max | unconfirmed | calls/min total (average, busiest) | calls/min per till (min / median / max) |');
    console.log('|---|---|---|---|---|---|---|---|---|---|---|');
    for (const { regime, tally, status429, callsPerMinute, busiest, perTill } of results) {
      const sorted = [...tally.confirmMs].sort((a, b) => a - b);
      const [p50, p95] = sorted.length > 0 ? [percentile(sorted, 50), percentile(sorted, 95)] : [undefined, undefined];
      console.log(
        `| ${regime.name} | ${tally.sales} | ${tally.refused} | ${tally.noQr} | ${status429} | ${seconds(p50)} | ${seconds(p95)} | ${seconds(sorted.at(-1))} | ${tally.unconfirmed} | ${callsPerMinute.toFixed(1)}, ${busiest} | ${(perTill[0] ?? 0).toFixed(1)} / ${percentile(perTill, 50).toFixed(1)} / ${(perTill.at(-1) ?? 0).toFixed(1)} |`,
      );
    }
    for (const { regime, tally, tillCallsSum, simulatorCalls } of results) {
      const reasons = [...tally.refusals].map(([reason, count]) => `${reason} ${count}`).join(', ');
      const notes = [`tills counted ${tillCallsSum} calls, the simulator logged ${simulatorCalls}`, reasons && `refusals: ${reasons}`, tally.payRefused > 0 && `${tally.payRefused} customers could not pay`].filter(Boolean);
      console.log(`- ${regime.name}: ${notes.join('; ')}`);
    }

    const lag = results[0]?.lag;
    if (lag) {
      const sorted = [...lag.shippedMs].sort((a, b) => a - b);
      console.log(`\nHow far the head office lags (${regimes[0]?.name}): from the till's "paid" to PostgreSQL holding it, sampled every ${LAG_SAMPLE_MS} ms`);
      console.log('| paid orders shipped | p50 | p95 | max | not shipped after 30 s | max records behind (samples behind / all) | unreachable samples | every till shared at the end | tills that fell back to local |');
      console.log('|---|---|---|---|---|---|---|---|---|');
      console.log(
        `| ${sorted.length} | ${seconds(sorted.length ? percentile(sorted, 50) : undefined)} | ${seconds(sorted.length ? percentile(sorted, 95) : undefined)} | ${seconds(sorted.at(-1))} | ${lag.notShipped} | ${lag.maxBehind} (${lag.behindSamples} / ${lag.samples * TILLS}) | ${lag.unreachableSamples} | ${lag.allSharedAtEnd ? 'yes' : 'NO'} | ${lag.everLocal.size ? [...lag.everLocal].join(', ') : 'none'} |`,
      );
    }

    await storeDayBench(join(folder, 'store-day'), await postgres.createDatabase('storeday'));
  } finally {
    await postgres.remove();
  }
}

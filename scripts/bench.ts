import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createGatewayClient, type GatewayClient } from '../electron/services/gateway/client';
import { migrateHeadOffice } from '../electron/services/headOffice/postgresSchema';
import { shipPending } from '../electron/services/headOffice/shipper';
import { chainBench } from './chainBench';
import { salesBench } from './salesBench';
import { pushBench } from './pushBench';
import { historyBench } from './historyBench';
import { storeBench } from './storeBench';
import { webBench } from './webBench';
import { openLedgerDatabase } from '../electron/services/ledger/database';
import { createLedgerStore } from '../electron/services/ledger/ledgerStore';
import { refundedColumn } from '../electron/services/ledger/queries/refunded';
import { exportDay } from '../electron/services/reports/dayExport';
import { openSqlite } from '../electron/services/sqlite/openSqlite';
import { createPoller } from '../electron/services/till/poller';
import { createTill } from '../electron/services/till/till';
import { DEFAULT_TILL_SETTINGS } from '../electron/services/config/tillSettings';
import { startSimulator } from '../electron/simulator/server';
import { hongKongDay, hongKongDayRange } from '../shared/hkTime';
import { newOutTradeNo } from '../shared/qfpay/fields';
import { paymentFields } from '../shared/qfpay/requests';
import { signatureHeaders } from '../shared/qfpay/signing';

/**
 * `npm run bench [-- --quick] [-- --only charge|polling|export|manager|reconcile|confirmation|headoffice|store|chain|web|push|history|sales]`: figures, not tests. Everything compared is measured side by side in one run on
 * this machine, and reported as ratios, because absolute times on a shared 2-core machine are noise.
 *   1. charge-to-QR-ready through the till (ledger write, sign, POST, parse, ledger write) versus a
 *      bare signed POST of the same request, interleaved, with no added latency and with 50 ms;
 *   2. polling requests a minute with 1 and with 50 open orders (the real poller, 3 s interval);
 *   3. exporting a 100,000-order day versus the sqlite3 command-line tool's CSV of the same rows;
 *   4. the manager's day view of a 5,000-order day: the command's time and size, next to the
 *      ledger query alone (the screen then draws only the rows in view);
 *   5. `reconcile --day` of a 5,000-order day against the simulator: requests, and time next to
 *      reading the same records with bare signed queries, with the merchant's whole budget (400
 *      calls a minute) and with a till's default share (not in --quick);
 *   6. confirmation: through the real services (till, poller, customer display) and simulator, the
 *      customer pays at a random moment, and the time until the till records it and until the
 *      display says so, for single sales and back-to-back ones, with the calls a minute it took.
 *   9. the books' hash chain: verifying a 1,000,000-row ledger (300,000 in --quick) beside a bare
 *      read of the same rows, and a day's stretch at its end (scripts/chainBench.ts).
 *  10. history: the same day's work in a 10,000-order and a 1,000,000-order ledger, as ratios
 *      (scripts/historyBench.ts; the ledgers are seeded once and kept in the temp folder).
 *  11. push: 40 tills confirming by QFPay's notifications through the head office's relay under
 *      the merchant's 400 calls a minute, then with 30% of notifications lost (scripts/pushBench.ts).
 *  12. the manager's sales of a month (46,500 paid orders; 9,300 in --quick): the month's glance, a
 *      day's, and a search of the month by QFPay's last digits and by amount, beside a bare SQL sum
 *      of the same month (scripts/salesBench.ts).
 */

const { values } = parseArgs({ options: { quick: { type: 'boolean' }, charges: { type: 'string' }, only: { type: 'string' } } });
const runs = (part: string) => values.only === undefined || values.only === part;
const CHARGES = Number(values.charges ?? (values.quick ? 100 : 300));
const POLL_WINDOW_MS = values.quick ? 15_000 : 60_000;
const EXPORT_ORDERS = 100_000;

/** The one screen the bench's commands come from. */
const BENCH_SCREEN = { role: 'cashier', session: 'bench' } as const;

const identityOf = (gateway: GatewayClient) => ({ environment: 'demo', baseUrl: gateway.baseUrl, appCode: gateway.appCode, mchid: gateway.mchid });

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);
const ms = (value: number) => `${value.toFixed(2)} ms`;

async function chargeBench(folder: string) {
  const simulator = await startSimulator({ dbPath: join(folder, 'sim.sqlite'), rateLimitPerMinute: 0 });
  const credentials = { ...simulator.credentials, signType: 'SHA256' as const };
  const db = openLedgerDatabase(join(folder, 'charge-till.sqlite'));
  const gateway = createGatewayClient({ baseUrl: simulator.url, credentials });
  const till = createTill({
    store: createLedgerStore(db),
    gateway,
    settings: { ...DEFAULT_TILL_SETTINGS, tillId: 'bench', gateway: identityOf(gateway), callBudgetPerMinute: 1_000_000 },
  });
  const rows: string[] = [];
  for (const latency of [0, 50]) {
    if (latency > 0) simulator.faults.set('payment', { kind: 'delay', delayMs: latency, afterProcessing: false });
    else simulator.faults.clear();
    const app: number[] = [];
    const bare: number[] = [];
    // Warm both paths (JIT, connection pool) before measuring.
    for (let index = 0; index < 10; index += 1) {
      await till.charge({ wallet: 'wechat', amount: 100 });
      await barePost(simulator.url, credentials);
    }
    for (let index = 0; index < CHARGES; index += 1) {
      // Alternate which goes first so that drift on the machine hits both alike.
      const order = index % 2 === 0 ? ['app', 'bare'] : ['bare', 'app'];
      for (const which of order) {
        const started = performance.now();
        if (which === 'app') {
          const charged = await till.charge({ wallet: 'wechat', amount: 1230 });
          if (charged.state !== 'waiting') throw new Error(`bench charge ended ${charged.state}`);
          app.push(performance.now() - started);
        } else {
          await barePost(simulator.url, credentials);
          bare.push(performance.now() - started);
        }
      }
    }
    app.sort((a, b) => a - b);
    bare.sort((a, b) => a - b);
    const [appP50, appP95, bareP50, bareP95] = [percentile(app, 50), percentile(app, 95), percentile(bare, 50), percentile(bare, 95)];
    rows.push(
      `| ${latency} ms | ${ms(appP50)} | ${ms(appP95)} | ${ms(bareP50)} | ${ms(bareP95)} | ${(appP50 / bareP50).toFixed(2)}x | ${(appP95 / bareP95).toFixed(2)}x |`,
    );
  }
  db.close();
  await simulator.close();
  console.log(`\n1. Charge to QR ready, ${CHARGES} charges per path per latency, interleaved (simulator on 127.0.0.1)`);
  console.log('| added latency | till p50 | till p95 | bare POST p50 | bare POST p95 | ratio p50 | ratio p95 |');
  console.log('|---|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
}

async function barePost(url: string, credentials: { appCode: string; clientKey: string; signType: 'SHA256' }) {
  const built = paymentFields({ wallet: 'wechat', amount: 1230, outTradeNo: newOutTradeNo('bare', 'payment', Date.now(), randomBytes(5)), requestedAt: Date.now() });
  if (!built.ok) throw new Error(built.error);
  const response = await fetch(`${url}/trade/v1/payment`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8', ...signatureHeaders(built.value, credentials) },
    body: new URLSearchParams(built.value).toString(),
  });
  const answer = (await response.json()) as { respcd: string };
  if (answer.respcd !== '0000') throw new Error(`bare POST answered ${answer.respcd}`);
}

async function pollingBench(folder: string) {
  console.log(`\n2. Polling: query requests in ${POLL_WINDOW_MS / 1000} s with the real poller (interval ${DEFAULT_TILL_SETTINGS.pollIntervalMs / 1000} s), scaled to a minute`);
  console.log('| open orders | query requests | per minute | numbers per request |');
  console.log('|---|---|---|---|');
  for (const open of [1, 50]) {
    const simulator = await startSimulator({ dbPath: join(folder, `poll-sim-${open}.sqlite`), rateLimitPerMinute: 0 });
    const db = openLedgerDatabase(join(folder, `poll-till-${open}.sqlite`));
    const gateway = createGatewayClient({ baseUrl: simulator.url, credentials: { ...simulator.credentials, signType: 'SHA256' } });
    const till = createTill({
      store: createLedgerStore(db),
      gateway,
      settings: { ...DEFAULT_TILL_SETTINGS, tillId: 'bench', gateway: identityOf(gateway), callBudgetPerMinute: 1_000 },
    });
    for (let index = 0; index < open; index += 1) await till.charge({ wallet: 'fps', amount: 100 + index, qrLifetimeMinutes: 30 });
    const before = simulator.requests().length;
    const poller = createPoller(till);
    poller.start();
    await new Promise((resolve) => setTimeout(resolve, POLL_WINDOW_MS));
    await poller.stop();
    const queries = simulator.requests().slice(before).filter((entry) => entry.endpoint === 'query');
    const numbers = queries.length ? (queries[0]?.fields.out_trade_no ?? '').split(',').length : 0;
    console.log(`| ${open} | ${queries.length} | ${((queries.length * 60_000) / POLL_WINDOW_MS).toFixed(1)} | ${numbers} |`);
    db.close();
    await simulator.close();
  }
}

/** A day of `count` paid orders in a ledger, by straight SQL through the same triggers (created, waiting, paid). */
function seedPaidDay(dbPath: string, count: number, start: number) {
  const db = openLedgerDatabase(dbPath);
  // Straight SQL for speed, through the same triggers: every order is inserted created, then paid.
  const insertNumber = db.prepare("INSERT INTO trade_numbers (out_trade_no, kind) VALUES (?, 'payment')");
  const insertOrder = db.prepare(`INSERT INTO orders (out_trade_no, till_id, environment, wallet, pay_type, amount, currency, goods_name,
    request_fields, state, created_at, updated_at, qr_deadline, gateway_deadline) VALUES (?, 'bench', 'demo', ?, ?, ?, 'HKD', ?, '{}', 'created', ?, ?, ?, ?)`);
  const pay = db.prepare("UPDATE orders SET state = ?, syssn = ?, paydtm = '2026-11-23 12:00:00', respcd = '0000' WHERE id = ?");
  // The history rows the till writes: the export counts each payment on the day it was paid.
  const history = db.prepare('INSERT INTO transitions (order_id, from_state, to_state, cause, at) VALUES (?, ?, ?, ?, ?)');
  const wallets = [['alipay', '800101'], ['wechat', '800201'], ['payme', '805801'], ['unionpay', '800701'], ['fps', '802001'], ['octopus', '803701']] as const;
  db.transaction(() => {
    for (let index = 0; index < count; index += 1) {
      const number = `BENCH-P${String(index).padStart(8, '0')}`;
      const [wallet, payType] = wallets[index % wallets.length] as readonly [string, string];
      const at = start + Math.floor((index * 86_000_000) / count);
      insertNumber.run(number);
      const { lastInsertRowid } = insertOrder.run(number, wallet, payType, 100 + (index % 50_000), index % 3 === 0 ? '凍檸茶' : 'Milk Tea', at, at, at + 300_000, at + 1_920_000);
      pay.run('waiting', `2026112300000000${String(index).padStart(10, '0')}`, lastInsertRowid);
      pay.run('paid', `2026112300000000${String(index).padStart(10, '0')}`, lastInsertRowid);
      history.run(lastInsertRowid, null, 'created', 'charge_requested', at);
      history.run(lastInsertRowid, 'created', 'waiting', 'qr_issued', at + 1_000);
      history.run(lastInsertRowid, 'waiting', 'paid', 'query_paid', at + 30_000);
    }
  })();
  db.close();
}

/**
 * Shipping a 5,000-order day (15,000 history rows) to a throwaway PostgreSQL, beside the same rows
 * inserted bare (plain tables, no triggers, the same batches): what the head office's checks and
 * the row-by-row upserts cost. Skipped, saying so, without PostgreSQL.
 */
async function headOfficeBench(folder: string) {
  const { postgresAvailable, startPostgres } = await import('../test/support/postgres');
  console.log('\n7. Head office: shipping a 5,000-order day to PostgreSQL');
  if (!postgresAvailable) {
    console.log('PostgreSQL is not installed (apt-get install postgresql): not measured.');
    return;
  }
  const ORDERS = 5_000;
  const dbPath = join(folder, 'head-office-till.sqlite');
  seedPaidDay(dbPath, ORDERS, hongKongDayRange(hongKongDay(Date.now())).start);
  const ledger = openSqlite(dbPath, { readonly: true });
  const postgres = await startPostgres();
  try {
    const pool = new pg.Pool({ connectionString: await postgres.createDatabase() });
    const client = await pool.connect();
    await migrateHeadOffice(client);
    let started = performance.now();
    const shipped = await shipPending(ledger, client, { tillId: 'bench', batchSize: 500 });
    const shipMs = performance.now() - started;
    started = performance.now();
    await shipPending(ledger, client, { tillId: 'bench', batchSize: 500 });
    const idleMs = performance.now() - started;

    // Bare: the same rows into plain tables, one unnest insert per 500 history rows and their orders.
    await client.query('CREATE TABLE bare_orders (till_id text, out_trade_no text, amount bigint, state text, version bigint, PRIMARY KEY (till_id, out_trade_no))');
    await client.query('CREATE TABLE bare_transitions (till_id text, seq bigint, out_trade_no text, from_state text, to_state text, at bigint, PRIMARY KEY (till_id, seq))');
    const rows = ledger.prepare('SELECT t.id AS seq, o.out_trade_no, t.from_state, t.to_state, t.at, o.amount FROM transitions t JOIN orders o ON o.id = t.order_id ORDER BY t.id').all() as { seq: number; out_trade_no: string; from_state: string | null; to_state: string; at: number; amount: number }[];
    started = performance.now();
    for (let offset = 0; offset < rows.length; offset += 500) {
      const batch = rows.slice(offset, offset + 500);
      const last = new Map(batch.map((row) => [row.out_trade_no, row]));
      await client.query('BEGIN');
      await client.query('INSERT INTO bare_orders SELECT $1, * FROM unnest($2::text[], $3::bigint[], $4::text[], $5::bigint[]) ON CONFLICT (till_id, out_trade_no) DO UPDATE SET state = EXCLUDED.state, version = EXCLUDED.version', ['bench', [...last.keys()], [...last.values()].map((row) => row.amount), [...last.values()].map((row) => row.to_state), [...last.values()].map((row) => row.seq)]);
      await client.query('INSERT INTO bare_transitions SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::bigint[]) ON CONFLICT DO NOTHING', ['bench', batch.map((row) => row.seq), batch.map((row) => row.out_trade_no), batch.map((row) => row.from_state), batch.map((row) => row.to_state), batch.map((row) => row.at)]);
      await client.query('COMMIT');
    }
    const bareMs = performance.now() - started;
    client.release();
    await pool.end();
    const records = shipped.transitions + shipped.orders;
    console.log('| shipping | time | records/s |');
    console.log('|---|---|---|');
    console.log(`| the till's shipper (checks, upsert per item, ${shipped.batches} batches) | ${(shipMs / 1000).toFixed(2)} s | ${Math.round(records / (shipMs / 1000)).toLocaleString('en')} |`);
    console.log(`| bare inserts of the same rows (no triggers, unnest per batch) | ${(bareMs / 1000).toFixed(2)} s | ${Math.round(records / (bareMs / 1000)).toLocaleString('en')} |`);
    console.log(`ratio (shipper / bare): ${(shipMs / bareMs).toFixed(2)}x; a round with nothing pending: ${ms(idleMs)}`);
  } finally {
    ledger.close();
    await postgres.remove();
  }
}

async function exportBench(folder: string) {
  const dbPath = join(folder, 'export-till.sqlite');
  const day = hongKongDay(Date.now());
  const { start } = hongKongDayRange(day);
  const seeded = performance.now();
  seedPaidDay(dbPath, EXPORT_ORDERS, start);
  console.log(`\n3. Export of a ${EXPORT_ORDERS.toLocaleString('en')}-order day (seeded in ${((performance.now() - seeded) / 1000).toFixed(1)} s)`);

  const sqlite3 = spawnSync('sqlite3', ['--version'], { encoding: 'utf8' });
  // The same rows and the same work: each payment's first paid history row gives its counted time.
  const sql = `SELECT 'payment', datetime(o.created_at / 1000, 'unixepoch', '+8 hours'), o.paydtm, o.till_id, o.environment, o.wallet, o.pay_type, o.out_trade_no, o.syssn, '',
    printf('%d.%02d', o.amount / 100, o.amount % 100), o.currency, o.state,
    ${refundedColumn('o')},
    o.amount, o.goods_name, o.respcd, o.message, datetime(m.at / 1000, 'unixepoch', '+8 hours'), m.id
    FROM orders o LEFT JOIN transitions m ON m.id = (SELECT MIN(t.id) FROM transitions t WHERE t.order_id = o.id AND t.to_state IN ('paid', 'paid_late'))
    WHERE o.created_at >= ${start} AND o.created_at < ${start + 86_400_000} ORDER BY o.created_at, o.id;`;
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let round = 0; round < 3; round += 1) {
    let started = performance.now();
    const summary = await exportDay(dbPath, day, join(folder, 'ours.csv'), { environment: 'demo' });
    ours.push(performance.now() - started);
    if (summary.payments !== EXPORT_ORDERS) throw new Error(`exported ${summary.payments} rows`);
    if (sqlite3.status === 0) {
      started = performance.now();
      execFileSync('sqlite3', ['-readonly', '-csv', '-header', dbPath, `.output ${join(folder, 'theirs.csv')}`, sql], { stdio: ['ignore', 'ignore', 'inherit'] });
      theirs.push(performance.now() - started);
    }
  }
  const size = statSync(join(folder, 'ours.csv')).size;
  console.log('| exporter | median of 3 | file |');
  console.log('|---|---|---|');
  console.log(`| the app (exportDay: csv-stringify, BOM, neutralising, formatting) | ${ms(median(ours))} | ${(size / 1e6).toFixed(1)} MB |`);
  if (sqlite3.status === 0) {
    console.log(`| sqlite3 ${sqlite3.stdout.split(' ')[0]} -csv of the same rows | ${ms(median(theirs))} | ${(statSync(join(folder, 'theirs.csv')).size / 1e6).toFixed(1)} MB |`);
    console.log(`ratio (app / sqlite3): ${(median(ours) / median(theirs)).toFixed(2)}x`);
  } else {
    console.log('sqlite3 is not installed (apt-get install sqlite3): no comparison made.');
  }
}

async function managerBench(folder: string) {
  const ORDERS = 5_000;
  const { openTillRuntime } = await import('../electron/services/runtime/runtime');
  const { createPosService } = await import('../electron/services/app/posService');
  const { openSettingsService } = await import('../electron/services/settings/settingsService');
  const { userOnlyFileSecretStore } = await import('../electron/services/settings/secretStore');
  const { createDispatcher } = await import('../electron/services/ipc/dispatch');
  const dbPath = join(folder, 'manager', 'till.sqlite');
  const runtime = await openTillRuntime({ environment: 'demo', tillId: 'bench', dbPath, pollIntervalMs: 3000, callBudgetPerMinute: 30 });
  const day = hongKongDay(Date.now());
  const { start } = hongKongDayRange(day);
  const db = runtime.store.db;
  const insertNumber = db.prepare("INSERT INTO trade_numbers (out_trade_no, kind) VALUES (?, 'payment')");
  const insertOrder = db.prepare(`INSERT INTO orders (out_trade_no, till_id, environment, wallet, pay_type, amount, currency, goods_name,
    request_fields, state, created_at, updated_at, qr_deadline, gateway_deadline) VALUES (?, 'bench', 'demo', 'fps', '802001', ?, 'HKD', NULL, '{}', 'created', ?, ?, ?, ?)`);
  db.transaction(() => {
    for (let index = 0; index < ORDERS; index += 1) {
      const at = start + index * 10_000;
      insertNumber.run(`DAY-P${index}`);
      insertOrder.run(`DAY-P${index}`, 100 + index, at, at, at + 300_000, at + 1_920_000);
    }
  })();
  const settings = openSettingsService(join(folder, 'manager'), userOnlyFileSecretStore(join(folder, 'manager', 'client-key')));
  const pos = createPosService(runtime, settings);
  const dispatch = createDispatcher(pos.handlers, { managerAccess: () => 'open' });
  const command: number[] = [];
  const query: number[] = [];
  let size = 0;
  for (let round = 0; round < 7; round += 1) {
    let started = performance.now();
    const result = await dispatch(BENCH_SCREEN, 'managerDay', { day });
    command.push(performance.now() - started);
    size = JSON.stringify(result).length;
    started = performance.now();
    runtime.store.ordersCreatedBetween(start, start + 86_400_000);
    query.push(performance.now() - started);
  }
  console.log(`\n4. The manager's day view of a ${ORDERS.toLocaleString('en')}-order day (median of 7)`);
  console.log('| step | median | payload |');
  console.log('|---|---|---|');
  console.log(`| managerDay command (ledger + report + validation) | ${ms(median(command))} | ${(size / 1e6).toFixed(2)} MB |`);
  console.log(`| the ledger query alone | ${ms(median(query))} | |`);
  console.log(`ratio (command / query): ${(median(command) / median(query)).toFixed(2)}x; the table then renders about 24 rows, whatever the day's size.`);
  pos.close();
  await runtime.close();
}

async function reconcileBench(folder: string) {
  const ORDERS = 5_000;
  const { reconcileDay } = await import('../electron/services/reports/reconciliation');
  const { queryFields } = await import('../shared/qfpay/requests');
  const { dayWindow } = await import('../shared/hkTime');
  const simulator = await startSimulator({ dbPath: join(folder, 'reconcile-sim.sqlite'), rateLimitPerMinute: 0, requestLogLimit: 100_000 });
  const gateway = createGatewayClient({ baseUrl: simulator.url, credentials: { ...simulator.credentials, signType: 'SHA256' } });
  const seeded = performance.now();
  const till = (budget: number, db = openLedgerDatabase(join(folder, 'reconcile-till.sqlite'))) =>
    createTill({ store: createLedgerStore(db), gateway, settings: { ...DEFAULT_TILL_SETTINGS, tillId: 'bench', gateway: identityOf(gateway), callBudgetPerMinute: budget } });
  const seeding = till(1_000_000);
  // A busy day through the real till: half paid, a tenth refunded in part, the rest left open.
  for (let index = 0; index < ORDERS; index += 1) {
    const order = await seeding.charge({ wallet: 'fps', amount: 100 + index, qrLifetimeMinutes: 30 });
    if (index % 2 === 0) simulator.store.setPaymentState(order.syssn as string, 'paid', { paydtm: order.sysdtm ?? undefined });
  }
  await seeding.checkOpenOrders({ includeWatched: false });
  const store = createLedgerStore(openLedgerDatabase(join(folder, 'reconcile-till.sqlite')));
  const paid = store.ordersCreatedBetween(0, Date.now() + 1).filter((order) => order.state === 'paid');
  for (const order of paid.slice(0, ORDERS / 10)) await seeding.refund(order.id, 50);
  const records = ORDERS + ORDERS / 10;
  console.log(`\n5. reconcile --day of a ${ORDERS.toLocaleString('en')}-order day (${records.toLocaleString('en')} QFPay records; seeded in ${((performance.now() - seeded) / 1000).toFixed(1)} s)`);
  console.log('| path | budget | requests | time |');
  console.log('|---|---|---|---|');
  const day = hongKongDay(Date.now());
  // The floor: the same pages read with bare signed queries, nothing matched or stored.
  let started = performance.now();
  let bareRequests = 0;
  for (let page = 1; ; page += 1) {
    const built = queryFields({ window: dayWindow(day), page, pageSize: 100 });
    if (!built.ok) throw new Error(built.error);
    const answer = await gateway.query(built.value);
    bareRequests += 1;
    if (answer.kind !== 'success' || answer.body.data.length < 100) break;
  }
  const bare = performance.now() - started;
  console.log(`| bare signed queries of the day's pages | - | ${bareRequests} | ${ms(bare)} |`);
  for (const budget of values.quick ? [400] : [400, 30]) {
    const reconciling = till(budget);
    const before = simulator.requests().length;
    started = performance.now();
    const result = await reconcileDay({ store: createLedgerStore(openLedgerDatabase(join(folder, 'reconcile-till.sqlite'))), till: reconciling, clock: Date.now }, day);
    const took = performance.now() - started;
    if (result.qfpayRecords !== records) throw new Error(`read ${result.qfpayRecords} records`);
    console.log(`| reconcileDay (fetch, match ${result.counts.matched} + ${result.counts.open} open, store) | ${budget}/min | ${simulator.requests().length - before} | ${ms(took)} (${(took / bare).toFixed(2)}x) |`);
  }
  await simulator.close();
}

async function confirmationBench(folder: string) {
  const SALES = values.quick ? 10 : 30;
  const { openTillRuntime } = await import('../electron/services/runtime/runtime');
  const { createPosService } = await import('../electron/services/app/posService');
  const { openSettingsService } = await import('../electron/services/settings/settingsService');
  const { userOnlyFileSecretStore } = await import('../electron/services/settings/secretStore');
  const { DEFAULT_TILL_SETTINGS: defaults } = await import('../electron/services/config/tillSettings');
  const { WALLET_IDS } = await import('../shared/wallets');
  const simulator = await startSimulator({ dbPath: join(folder, 'confirm-sim.sqlite'), requestLogLimit: 100_000 });
  const runtime = await openTillRuntime({
    environment: 'custom',
    baseUrl: simulator.url,
    credentials: { ...simulator.credentials, signType: 'SHA256' },
    tillId: 'bench',
    dbPath: join(folder, 'confirm', 'till.sqlite'),
    pollIntervalMs: defaults.pollIntervalMs,
    callBudgetPerMinute: defaults.callBudgetPerMinute,
  });
  const pos = createPosService(runtime, openSettingsService(join(folder, 'confirm'), userOnlyFileSecretStore(join(folder, 'confirm', 'client-key'))));
  pos.start();
  const random = (low: number, high: number) => low + Math.random() * (high - low);
  const sleepMs = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /** One sale: charged, paid by the customer after `payAfterMs`; the times until the ledger and the display know. */
  async function sale(payAfterMs: number): Promise<{ recorded: number; shown: number }> {
    const wallet = WALLET_IDS[Math.floor(Math.random() * WALLET_IDS.length)] as (typeof WALLET_IDS)[number];
    const { order } = await pos.handlers.charge({ amount: Math.round(random(100, 50_000)), wallet }, BENCH_SCREEN);
    await sleepMs(payAfterMs);
    let recorded = 0;
    let shown = 0;
    let finish: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const check = () => recorded > 0 && shown > 0 && finish();
    const onOrder = (update: { outTradeNo: string; state: string }) => {
      if (update.outTradeNo === order.outTradeNo && update.state === 'paid' && recorded === 0) recorded = performance.now();
      check();
    };
    const onDisplay = (state: { mode: string; result?: string }) => {
      if (state.mode === 'result' && state.result === 'paid' && shown === 0) shown = performance.now();
      check();
    };
    runtime.till.events.on('order', onOrder);
    pos.events.on('displayChanged', onDisplay as never);
    const paidAt = performance.now();
    await fetch(`${simulator.url}/__sim__/orders/${order.outTradeNo}/pay`, { method: 'POST' });
    await done;
    runtime.till.events.off('order', onOrder);
    pos.events.off('displayChanged', onDisplay as never);
    return { recorded: recorded - paidAt, shown: shown - paidAt };
  }

  console.log(`\n6. Confirmation: the customer pays at a random moment; the till's default budget (${defaults.callBudgetPerMinute}/min), live QR checked every ${defaults.liveCheckIntervalMs} ms`);
  console.log('| sales | n | recorded p50 | p95 | max | display p50 | p95 | max | calls a minute (average, busiest minute) |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const mode of ['single', 'back-to-back'] as const) {
    const recorded: number[] = [];
    const shown: number[] = [];
    const before = simulator.requests().length;
    const started = performance.now();
    for (let index = 0; index < SALES; index += 1) {
      if (mode === 'single') await sleepMs(4_000); // the counter idle between customers
      else if (index % 4 === 3) {
        // A customer who walks away: cancelled, then watched for a late payment alongside the next sale.
        const { order } = await pos.handlers.charge({ amount: 999, wallet: 'payme' }, BENCH_SCREEN);
        await pos.handlers.cancel({ outTradeNo: order.outTradeNo }, BENCH_SCREEN);
      }
      const result = await sale(random(0, 6_000));
      recorded.push(result.recorded);
      shown.push(result.shown);
    }
    // The busiest minute, as the gateway's rate limit counts: every call in any 60 s window.
    const times = simulator.requests().slice(before).map((entry) => Date.parse(entry.at));
    let busiest = 0;
    for (let first = 0, last = 0; last < times.length; last += 1) {
      while ((times[last] as number) - (times[first] as number) >= 60_000) first += 1;
      busiest = Math.max(busiest, last - first + 1);
    }
    const minutes = (performance.now() - started) / 60_000;
    const calls = times.length;
    const stats = (list: number[]) => {
      const sorted = [...list].sort((a, b) => a - b);
      return `${(percentile(sorted, 50) / 1000).toFixed(2)} s | ${(percentile(sorted, 95) / 1000).toFixed(2)} s | ${((sorted.at(-1) ?? 0) / 1000).toFixed(2)} s`;
    };
    console.log(`| ${mode} | ${SALES} | ${stats(recorded)} | ${stats(shown)} | ${(calls / minutes).toFixed(1)}, ${busiest} |`);
  }
  pos.close();
  await runtime.close();
  await simulator.close();
}

const folder = mkdtempSync(join(tmpdir(), 'qfpos-bench-'));
try {
  console.log(`Benchmark on node ${process.version}, ${new Date().toISOString()}${values.quick ? ' (quick)' : ''}`);
  if (runs('charge')) await chargeBench(folder);
  if (runs('polling')) await pollingBench(folder);
  if (runs('export')) await exportBench(folder);
  if (runs('manager')) await managerBench(folder);
  if (runs('reconcile')) await reconcileBench(folder);
  if (runs('confirmation')) await confirmationBench(folder);
  if (runs('headoffice')) await headOfficeBench(folder);
  if (runs('store')) await storeBench(folder, Boolean(values.quick));
  if (runs('chain')) chainBench(folder, values.quick ? 300_000 : 1_000_000);
  if (runs('web')) await webBench(folder);
  if (runs('history')) await historyBench(folder);
  if (runs('push')) await pushBench(folder, Boolean(values.quick));
  if (runs('sales')) await salesBench(folder, values.quick ? 300 : 1_500);
} finally {
  rmSync(folder, { recursive: true, force: true });
}

import { execFileSync, spawn as spawnProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { hongKongDay } from '../shared/hkTime';
import { WALLET_IDS } from '../shared/wallets';
import { isExpired } from '../electron/simulator/openApi';
import { startSimulator } from '../electron/simulator/server';
import type { Fault } from '../electron/simulator/faults';
import { nodeEntryArgs } from './nodeEntries';

/**
 * `npm run trial -- [--kills N] [--seed S]`: the command-line till killed with SIGKILL at random
 * moments in charge (a QR, or the customer's own code), cancel, refund and reconcile, against a simulator whose faults are on (slow,
 * lost, empty, unlabelled answers, unknown codes). Then the faults are cleared, the till asks
 * QFPay about everything once more, and the books are checked against the gateway's own records:
 *
 * - no payment request sent twice for one order, and nothing at the gateway missing from the ledger;
 * - no refund over what was paid, and no refund the ledger calls failed that paid out;
 * - every ledger item either final with evidence that agrees with the gateway, or open and visible
 *   (still asked about, or before a manager);
 * - no customer's code (each one given to a single charge, as a customer shows a fresh one) in the
 *   ledger's files in full.
 *
 * It prints those counts and exits 1 if any rule was broken. Bounded: N kills (default 100).
 * The last check runs the till three hours later (faketime, when installed), when everything still
 * unproven must have been put before a manager.
 */

const { values } = parseArgs({ options: { kills: { type: 'string', default: '100' }, seed: { type: 'string' }, json: { type: 'boolean' } } });
const KILLS = Number(values.kills);
if (!Number.isInteger(KILLS) || KILLS < 1 || KILLS > 10_000) throw new Error('--kills must be a whole number from 1 to 10000');
const seed = values.seed === undefined ? Date.now() % 1_000_000_000 : Number(values.seed);

/** A small seeded generator (mulberry32), so a run can be repeated with --seed. */
function generator(start: number) {
  let state = start >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return { next, int: (low: number, high: number) => low + Math.floor(next() * (high - low + 1)), pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T };
}
const random = generator(seed);

const root = fileURLToPath(new URL('..', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'qfpos-trial-'));
const ledgerPath = join(folder, 'till.sqlite');
const credentials = { appCode: 'TRIALAPPCODE0123456789', clientKey: 'TRIAL-CLIENT-KEY-9f8e7d6c' };
// QR codes expire 20 times faster at the gateway, so expiries happen during the trial too.
const simulator = await startSimulator({ dbPath: join(folder, 'gateway.sqlite'), credentials, rateLimitPerMinute: 0, timeScale: 20, requestLogLimit: 1_000_000 });
const env = {
  ...process.env,
  QFPOS_GATEWAY: simulator.url,
  QFPOS_APP_CODE: credentials.appCode,
  QFPOS_CLIENT_KEY: credentials.clientKey,
  QFPOS_DB: ledgerPath,
  QFPOS_TILL: 'trial-1',
  QFPOS_CALL_BUDGET: '400',
};

function run(args: string[], options: { later?: string } = {}): { done: Promise<number | null | 'killed'>; kill: () => boolean } {
  const command = [process.execPath, ...nodeEntryArgs('cli'), ...args, '--json'];
  // `later` runs the till with its clock moved on (faketime '+3h'), as if hours had passed.
  const [file, ...rest] = options.later ? ['faketime', '-f', options.later, ...command] : command;
  const child = spawnProcess(file as string, rest, { cwd: root, env, stdio: 'ignore' });
  let exited = false;
  const done = new Promise<number | null | 'killed'>((resolve) =>
    child.on('exit', (code, signal) => {
      exited = true;
      resolve(signal === 'SIGKILL' ? 'killed' : code);
    }),
  );
  return { done, kill: () => !exited && child.kill('SIGKILL') };
}

/**
 * The ledger as it is, read only; before the first command has made it, empty. A first command
 * killed while it created the ledger leaves a file with no tables (the schema is written in one
 * transaction), which the next command makes: empty too. Any other failure stops the trial.
 */
function ledgerRows<T>(sql: string): T[] {
  if (!existsSync(ledgerPath)) return [];
  const db = new Database(ledgerPath, { readonly: true, fileMustExist: true });
  try {
    if (db.prepare('SELECT count(*) AS tables FROM sqlite_master').pluck().get() === 0) return [];
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

/** Faults that make answers slow, lost or ambiguous, so a kill lands in the middle of things. */
function someFault(endpoint: string): Fault | undefined {
  const delayMs = random.int(200, 1_500);
  const afterProcessing = random.next() < 0.5;
  const choices: Fault[] = [
    { kind: 'delay', delayMs, afterProcessing },
    { kind: 'http_500', delayMs: 0, afterProcessing },
    { kind: 'hang', delayMs: 0, afterProcessing },
    { kind: 'garbage', delayMs, afterProcessing },
  ];
  if (endpoint === 'payment') choices.push({ kind: 'respcd', respcd: random.pick(['1298', '1143', '1260', '2011']), delayMs, afterProcessing });
  if (endpoint === 'refund') choices.push({ kind: 'respcd', respcd: random.pick(['1145', '1251', '1298']), delayMs, afterProcessing: true });
  if (endpoint === 'query') choices.push({ kind: 'empty', delayMs, afterProcessing: false }, { kind: 'unlabelled', delayMs, afterProcessing: false }, { kind: 'record_respcd', respcd: '1999', delayMs, afterProcessing: false });
  return random.next() < 0.6 ? { ...random.pick(choices), times: random.int(1, 3) } : undefined;
}

type Action = { name: string; args: string[] } | undefined;

/** Every customer's code the trial showed the till: each to one charge only, as a wallet shows a fresh one each time. */
const shownCodes: string[] = [];
const digits = (count: number) => Array.from({ length: count }, () => String(random.int(0, 9))).join('');

/**
 * A charge with the customer's own code: Alipay's or WeChat Pay's shape (the wallet read from
 * it), or one of no documented shape with UnionPay or PayMe picked. From HK$500 the simulator's
 * wallets ask the customer for a password (1143), who pays on their phone like a QR's customer.
 */
function customerCodeCharge(): string[] {
  const shape = random.pick(['alipay', 'wechat', 'picked'] as const);
  const code = shape === 'alipay' ? `28${digits(16)}` : shape === 'wechat' ? `13${digits(16)}` : `62${digits(17)}`;
  shownCodes.push(code);
  const amount = random.next() < 0.3 ? `${random.int(500, 900)}.00` : `${random.int(1, 300)}.${String(random.int(0, 99)).padStart(2, '0')}`;
  return ['charge', '--amount', amount, '--auth-code', code, ...(shape === 'picked' ? ['--wallet', random.pick(['unionpay', 'payme'])] : [])];
}

function nextAction(): Action {
  const orders = ledgerRows<{ out_trade_no: string; state: string; amount: number }>("SELECT out_trade_no, state, amount FROM orders WHERE environment = 'custom'");
  const roll = random.next();
  // A sale left open by a killed charge holds the counter, and the next charge is refused: half
  // the time the shop cancels it first, so that charges (a QR's and a code's) keep being killed.
  const holding = orders.filter((order) => ['created', 'waiting', 'unknown'].includes(order.state));
  if (roll < 0.4 && holding.length > 0 && random.next() < 0.5) return { name: 'cancel', args: ['cancel', random.pick(holding).out_trade_no] };
  if (roll < 0.25 || orders.length === 0) {
    return { name: 'charge', args: ['charge', '--amount', `${random.int(1, 300)}.${String(random.int(0, 99)).padStart(2, '0')}`, '--wallet', random.pick(WALLET_IDS)] };
  }
  if (roll < 0.4) return { name: 'charge --auth-code', args: customerCodeCharge() };
  if (roll < 0.55) {
    const open = orders.filter((order) => ['created', 'waiting', 'unknown'].includes(order.state));
    return open.length ? { name: 'cancel', args: ['cancel', random.pick(open).out_trade_no] } : undefined;
  }
  if (roll < 0.8) {
    const paid = orders.filter((order) => order.state === 'paid' || order.state === 'paid_late');
    if (!paid.length) return undefined;
    const order = random.pick(paid);
    // Sometimes all that is left, sometimes a part, sometimes more than can be refunded.
    const amount = random.pick([undefined, Math.max(1, Math.floor(order.amount / random.int(2, 4))), order.amount + 100]);
    return { name: 'refund', args: ['refund', order.out_trade_no, ...(amount === undefined ? [] : ['--amount', (amount / 100).toFixed(2)])] };
  }
  if (roll < 0.93) return { name: 'reconcile', args: ['reconcile'] };
  return { name: 'reconcile --day', args: ['reconcile', '--day', hongKongDay(Date.now())] };
}

// How long a command takes here to start: about a second on a quiet machine, several on a busy
// one. Kills are timed from it, so that they land from start-up to the answer on either; a fixed
// window killed every command of a busy run before it wrote anything. The second start is the
// one measured: run from the sources, the first also fills tsx's cache, which a fresh clone does
// not have yet. (The test run starts the bundled CLI, scripts/nodeEntries.ts: about half the time.)
async function timedStart(): Promise<number> {
  const begun = Date.now();
  await run(['--help']).done;
  return Date.now() - begun;
}
await timedStart();
const startupMs = await timedStart();

const started = Date.now();
const tally = { kills: 0, finished: 0, byAction: {} as Record<string, { killed: number; finished: number }> };
while (tally.kills < KILLS) {
  simulator.faults.clear();
  for (const endpoint of ['payment', 'query', 'refund', 'close', 'reversal'] as const) {
    const fault = someFault(endpoint);
    if (fault) simulator.faults.set(endpoint, fault);
  }
  // Customers pay some of the QR codes on their phones, whatever the till is doing.
  for (const order of simulator.store.all().filter((candidate) => candidate.orderType === 'payment' && candidate.state === 'waiting')) {
    if (random.next() < 0.3) await fetch(`${simulator.url}/__sim__/orders/${order.outTradeNo}/pay`, { method: 'POST' });
  }
  const action = nextAction();
  if (!action) continue;
  const child = run(action.args);
  // Half the charges are killed at a random moment; the other half once QFPay has their request
  // (within 300 ms of it, or while its answer is held back), between the ledger's row and the
  // answer: where a charge could be lost or sent twice.
  const atGateway = action.name.startsWith('charge') && random.next() < 0.5;
  const requestsBefore = simulator.store.all().length;
  const killAt = atGateway
    ? (async () => {
        const giveUp = Date.now() + 3 * startupMs + 2_000;
        while (simulator.store.all().length === requestsBefore && Date.now() < giveUp) await sleep(10);
        await sleep(random.int(0, 300));
      })()
    : sleep(random.int(Math.round(startupMs / 3), startupMs + 1_000));
  const killed = await Promise.race([child.done.then(() => false), killAt.then(() => child.kill())]);
  await child.done;
  const entry = (tally.byAction[action.name] ??= { killed: 0, finished: 0 });
  if (killed) {
    tally.kills += 1;
    entry.killed += 1;
  } else {
    tally.finished += 1;
    entry.finished += 1;
  }
}

// The faults stop; the till asks QFPay about everything open, as it would after a restart, and
// once more three hours later, when anything still unproven must be before a manager.
simulator.faults.clear();
const faketime = (() => {
  try {
    return execFileSync('which', ['faketime'], { encoding: 'utf8' }).trim() !== '';
  } catch {
    return false;
  }
})();
const finalRuns = [await run(['reconcile']).done, await run(['reconcile']).done];
if (faketime) finalRuns.push(await run(['reconcile'], { later: '+3h' }).done);
// 0: all resolved; 4: something still open. Anything else is the till failing.
const finalRunsFailed = finalRuns.filter((code) => code !== 0 && code !== 4).length;

// The books, checked against the gateway's own records.
const gateway = simulator.store.all();
const gatewayByNumber = new Map(gateway.map((order) => [order.outTradeNo, order]));
const paymentRequests = new Map<string, number>();
for (const entry of simulator.requests()) {
  if (entry.endpoint !== 'payment' || !entry.fields.out_trade_no) continue;
  paymentRequests.set(entry.fields.out_trade_no, (paymentRequests.get(entry.fields.out_trade_no) ?? 0) + 1);
}
interface LedgerOrder {
  id: number;
  out_trade_no: string;
  state: string;
  amount: number;
  gateway_settled: number;
  attention: string | null;
  mode: string;
}
interface LedgerRefund {
  order_id: number;
  out_trade_no: string;
  state: string;
  amount: number;
  attention: string | null;
}
const orders = ledgerRows<LedgerOrder>('SELECT id, out_trade_no, state, amount, gateway_settled, attention, mode FROM orders');
const refunds = ledgerRows<LedgerRefund>('SELECT order_id, out_trade_no, state, amount, attention FROM refunds');
const ledgerNumbers = new Set([...orders.map((order) => order.out_trade_no), ...refunds.map((refund) => refund.out_trade_no)]);

const simNow = Date.now();
// The ledger's files as bytes: a customer's code may be there only as its mask.
const ledgerFiles = [ledgerPath, `${ledgerPath}-wal`].filter(existsSync).map((file) => readFileSync(file));
const counts = {
  paymentsSentTwice: [...paymentRequests.values()].filter((count) => count > 1).length,
  customerCodes: shownCodes.length,
  customerCodesInLedger: shownCodes.filter((code) => ledgerFiles.some((bytes) => bytes.includes(Buffer.from(code)))).length,
  atGatewayNotInLedger: gateway.filter((order) => !ledgerNumbers.has(order.outTradeNo)).length,
  refundedBeyondPaid: 0,
  refundsFailedButPaidOut: 0,
  refundsPaidOutNotInLedger: 0,
  finalWithEvidence: 0,
  finalContradictingGateway: 0,
  openAndVisible: 0,
  openNotBeforeManager: 0,
  beforeManager: 0,
  finalRunsFailed,
};

const refundsByOrder = new Map<number, LedgerRefund[]>();
for (const refund of refunds) refundsByOrder.set(refund.order_id, [...(refundsByOrder.get(refund.order_id) ?? []), refund]);
for (const order of orders) {
  const atGateway = gatewayByNumber.get(order.out_trade_no);
  const gatewayPaid = atGateway?.state === 'paid';
  const gatewayRefunded = atGateway?.refunded ?? 0;
  const ledgerPaid = order.state === 'paid' || order.state === 'paid_late';
  const own = refundsByOrder.get(order.id) ?? [];
  const ledgerRefunded = own.filter((refund) => refund.state === 'succeeded').reduce((sum, refund) => sum + refund.amount, 0);
  const ledgerHeld = own.filter((refund) => refund.state !== 'failed').reduce((sum, refund) => sum + refund.amount, 0);
  // Money out beyond what the ledger took in, or beyond the order's amount.
  if (gatewayRefunded > (ledgerPaid ? order.amount : 0) || ledgerRefunded > order.amount) counts.refundedBeyondPaid += 1;
  // Money out that the ledger neither counts as refunded nor holds as in flight: it could be paid out again.
  if (gatewayRefunded > ledgerHeld) counts.refundsPaidOutNotInLedger += 1;
  const settledNotPaid = ['failed', 'expired', 'cancelled'].includes(order.state) && order.gateway_settled === 1;
  const final = order.state === 'paid' || settledNotPaid;
  if (order.attention) counts.beforeManager += 1;
  if (final && order.attention === null) {
    counts.finalWithEvidence += 1;
    // Paid on both sides, or not paid on both: a settled order QFPay could still take payment for is wrong too.
    const gatewayStillPayable = atGateway !== undefined && atGateway.state === 'waiting' && !isExpired(atGateway, simNow);
    if (ledgerPaid !== gatewayPaid || (settledNotPaid && gatewayStillPayable)) counts.finalContradictingGateway += 1;
  } else {
    counts.openAndVisible += 1;
    // Three hours on, what is still unproven must be before a manager (a late payment is on its own list).
    if (faketime && order.attention === null && order.state !== 'paid_late') counts.openNotBeforeManager += 1;
  }
}
for (const refund of refunds) {
  const atGateway = gatewayByNumber.get(refund.out_trade_no);
  if (refund.state === 'failed' && atGateway) counts.refundsFailedButPaidOut += 1;
  if (refund.attention) counts.beforeManager += 1;
  if ((refund.state === 'succeeded' || refund.state === 'failed') && refund.attention === null) {
    counts.finalWithEvidence += 1;
    if ((refund.state === 'succeeded') !== Boolean(atGateway)) counts.finalContradictingGateway += 1;
  } else {
    counts.openAndVisible += 1;
    if (faketime && refund.attention === null) counts.openNotBeforeManager += 1;
  }
}

const broken =
  counts.paymentsSentTwice +
  counts.customerCodesInLedger +
  counts.atGatewayNotInLedger +
  counts.refundedBeyondPaid +
  counts.refundsFailedButPaidOut +
  counts.refundsPaidOutNotInLedger +
  counts.finalContradictingGateway +
  counts.openNotBeforeManager +
  counts.finalRunsFailed;
const summary = {
  seed,
  seconds: Math.round((Date.now() - started) / 1000),
  startupMs,
  kills: tally.kills,
  finishedUnkilled: tally.finished,
  byAction: tally.byAction,
  ledger: { orders: orders.length, byCustomerCode: orders.filter((order) => order.mode === 'cpm').length, refunds: refunds.length },
  gateway: { payments: gateway.filter((order) => order.orderType === 'payment').length, refunds: gateway.filter((order) => order.orderType === 'refund').length, paymentRequests: [...paymentRequests.values()].reduce((sum, count) => sum + count, 0) },
  ...counts,
  ok: broken === 0,
};

await simulator.close();
rmSync(folder, { recursive: true, force: true });

if (values.json) {
  console.log(JSON.stringify(summary));
} else {
  console.log(`kill -9 trial, seed ${seed}: ${summary.kills} kills in ${summary.seconds} s (${summary.finishedUnkilled} commands finished before their kill; a command starts in ${startupMs} ms here)`);
  for (const [name, entry] of Object.entries(tally.byAction)) console.log(`  ${name.padEnd(16)} killed ${entry.killed}, finished ${entry.finished}`);
  console.log(`ledger: ${orders.length} orders (${summary.ledger.byCustomerCode} by a customer's code), ${refunds.length} refunds; gateway: ${summary.gateway.payments} payments, ${summary.gateway.refunds} refunds, ${summary.gateway.paymentRequests} payment requests`);
  console.log(`payments sent twice: ${counts.paymentsSentTwice}`);
  console.log(`customers' codes shown: ${counts.customerCodes}, found in full in the ledger's files: ${counts.customerCodesInLedger}`);
  console.log(`at the gateway but not in the ledger: ${counts.atGatewayNotInLedger}`);
  console.log(`refunds over the paid amount: ${counts.refundedBeyondPaid}`);
  console.log(`refunds the ledger calls failed that paid out: ${counts.refundsFailedButPaidOut}`);
  console.log(`refunds paid out that the ledger neither counts nor holds: ${counts.refundsPaidOutNotInLedger}`);
  console.log(`final with evidence: ${counts.finalWithEvidence} (contradicting the gateway: ${counts.finalContradictingGateway})`);
  console.log(`open and visible: ${counts.openAndVisible} (before a manager: ${counts.beforeManager}${faketime ? `; unproven three hours on but not before a manager: ${counts.openNotBeforeManager}` : '; faketime not installed: the three-hours-on check was not made'})`);
  console.log(`final checks that failed to run: ${counts.finalRunsFailed}`);
  console.log(summary.ok ? 'books: OK' : 'books: BROKEN');
}
process.exit(summary.ok ? 0 : 1);

import { execFileSync, spawn as spawnProcess, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { hongKongDay } from '../shared/hkTime';
import { REQUEST_ABANDONED_AFTER_MS } from '../shared/ledger/evidence';
import type { PaymentState } from '../shared/ledger/lifecycle';
import { holdsCounter } from '../shared/ledger/saleInProgress';
import { PAYMENT_MODES, payKindOf, WALLET_IDS, type PaymentMode } from '../shared/wallets';
import { isExpired } from '../electron/simulator/openApi';
import { startSimulator, type RequestLogEntry } from '../electron/simulator/server';
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
 * - no customer's code (each a fresh one, but for a share shown again as a stale screen would) in
 *   the ledger's files in full.
 *
 * It prints those counts and exits 1 if any rule was broken. Bounded: N kills (default 100).
 * The last check runs the till three hours later (faketime, when installed), when everything still
 * unproven must have been put before a manager.
 *
 * Both modes are charged as a counter takes them. Before a charge the cashier frees the counter of
 * a sale that still holds it (its customer decides, the cashier checks it and cancels it), so that
 * charges reach QFPay rather than being refused (payment_in_progress); the next charge's mode is
 * the one with fewer orders at QFPay so far; and each charge with a customer's code is answered as
 * the trial arranges it at the simulator: paid at once, 1143 then confirmed, declined or lapsed,
 * 1145, the answer lost, refused unread, or a code used before (1202). Per mode it prints the
 * charges, the orders, how many reached QFPay, how many the till refused, QFPay's answers and
 * the orders' states at the end.
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
const MODE_NAMES: Record<PaymentMode, string> = { mpm: 'QR (MPM)', cpm: "customer's code (CPM)" };
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

/** Every command the trial started and that has not exited yet: killed if the trial itself stops early. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
// Stopped by hand (Ctrl-C) or by a test's timeout: through 'exit', so that no till is left running.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

function run(args: string[], options: { later?: string } = {}): { done: Promise<number | null | 'killed'>; output: Promise<string>; kill: () => boolean } {
  const command = [process.execPath, ...nodeEntryArgs('cli'), ...args, '--json'];
  // `later` runs the till with its clock moved on (faketime '+3h'), as if hours had passed.
  const [file, ...rest] = options.later ? ['faketime', '-f', options.later, ...command] : command;
  // Its JSON is read to tell a refused charge (payment_in_progress) from one killed before it wrote anything.
  const child = spawnProcess(file as string, rest, { cwd: root, env, stdio: ['ignore', 'pipe', 'ignore'] });
  running.add(child);
  let exited = false;
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const done = new Promise<number | null | 'killed'>((resolve) =>
    child.on('exit', (code, signal) => {
      exited = true;
      running.delete(child);
      resolve(signal === 'SIGKILL' ? 'killed' : code);
    }),
  );
  return { done, output: closed.then(() => stdout), kill: () => !exited && child.kill('SIGKILL') };
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

type Mode = PaymentMode;
interface OrderRow {
  out_trade_no: string;
  state: PaymentState;
  amount: number;
  mode: Mode;
  attention: string | null;
  created_at: number;
  cancel_requested_at: number | null;
}
const ledgerOrders = () => ledgerRows<OrderRow>("SELECT out_trade_no, state, amount, mode, attention, created_at, cancel_requested_at FROM orders WHERE environment = 'custom' ORDER BY id");
/** The sale that holds the counter, as the till decides it (shared/ledger/saleInProgress.ts): every order here is this till's. */
const holdingSale = () => ledgerOrders().filter(holdsCounter).at(-1);

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

/** The simulator's control surface (loopback only), as a test or a demo drives it. */
async function control(path: string, method: 'POST' | 'PUT', body?: unknown): Promise<boolean> {
  const response = await fetch(`${simulator.url}/__sim__/${path}`, {
    method,
    headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.ok;
}

/** What the customers did in their wallets: paid a QR, or paid or declined a code payment they were asked to confirm (1143/1145). */
const customers = { qrPaid: 0, codeConfirmed: 0, codeDeclined: 0 };
async function customerPays(outTradeNo: string, mode: Mode): Promise<void> {
  if (await control(`orders/${encodeURIComponent(outTradeNo)}/pay`, 'POST')) customers[mode === 'cpm' ? 'codeConfirmed' : 'qrPaid'] += 1;
}
async function customerDeclines(outTradeNo: string): Promise<void> {
  // Too little balance, or the wallet's own refusal: QFPay's 1201 and 1205.
  if (await control(`orders/${encodeURIComponent(outTradeNo)}/fail`, 'POST', { respcd: random.pick(['1201', '1205']) })) customers.codeDeclined += 1;
}
const payableAtGateway = (outTradeNo: string) => {
  const order = simulator.store.byOutTradeNo(outTradeNo);
  return order !== undefined && order.orderType === 'payment' && order.state === 'waiting' && !isExpired(order, Date.now());
};
const modeAtGateway = (payType: string): Mode => payKindOf(payType)?.mode ?? 'mpm';

/**
 * Customers pay some of the QR codes on their phones, whatever the till is doing; a customer asked
 * for a password (1143/1145) confirms or declines in the wallet, or is still deciding.
 */
async function customersAct(): Promise<void> {
  for (const order of simulator.store.all().filter((candidate) => payableAtGateway(candidate.outTradeNo))) {
    const roll = random.next();
    if (modeAtGateway(order.payType) === 'mpm') {
      if (roll < 0.3) await customerPays(order.outTradeNo, 'mpm');
    } else if (roll < 0.3) await customerPays(order.outTradeNo, 'cpm');
    else if (roll < 0.45) await customerDeclines(order.outTradeNo);
  }
}

/** Each customer's code the trial showed the till, with the charge's wallet option (a code of no documented shape needs one). */
const shownCodes: { code: string; walletArgs: string[] }[] = [];
const digits = (count: number) => Array.from({ length: count }, () => String(random.int(0, 9))).join('');
const smallAmount = () => `${random.int(1, 300)}.${String(random.int(0, 99)).padStart(2, '0')}`;
/** From HK$500 the simulator's wallets ask the customer for a password (CpmBehaviour.passwordFromMinor). */
const passwordAmount = () => `${random.int(500, 900)}.00`;

/**
 * How the gateway answers a charge with the customer's code, arranged at the simulator before it
 * is sent, so that each of QFPay's CPM answers is met, each with the kills:
 *
 * - `paid_at_once`: 0000, the money taken (a small amount);
 * - `password`: 1143, the customer is asked for a password, then confirms or declines in the
 *   wallet, or lets it lapse (the gateway's window is sometimes shorter than the till's minute);
 * - `pending_1145`: 1145 in place of the answer (either amount: made and paid at once, or waiting);
 * - `answer_lost`: the payment is made and its answer lost (a 500, HTML, or no answer at all);
 * - `not_processed`: the request is refused unread (a 500 or HTML before any work): nothing made;
 * - `code_used_before`: the customer shows a code already charged (a stale screen): 1202.
 */
const CPM_SCENARIOS = ['paid_at_once', 'password', 'pending_1145', 'answer_lost', 'not_processed', 'code_used_before'] as const;
type CpmScenario = (typeof CPM_SCENARIOS)[number];
const CPM_SCENARIO_WEIGHTS: Record<CpmScenario, number> = { paid_at_once: 0.22, password: 0.28, pending_1145: 0.14, answer_lost: 0.16, not_processed: 0.1, code_used_before: 0.1 };

function pickScenario(): CpmScenario {
  let roll = random.next();
  for (const scenario of CPM_SCENARIOS) {
    roll -= CPM_SCENARIO_WEIGHTS[scenario];
    if (roll < 0) return scenario;
  }
  return 'password';
}

/** A fresh code: Alipay's or WeChat Pay's shape (the wallet read from it), or one of no documented shape with UnionPay or PayMe picked. */
function freshCode(): { code: string; walletArgs: string[] } {
  const shape = random.pick(['alipay', 'wechat', 'picked'] as const);
  const code = shape === 'alipay' ? `28${digits(16)}` : shape === 'wechat' ? `13${digits(16)}` : `62${digits(17)}`;
  const shown = { code, walletArgs: shape === 'picked' ? ['--wallet', random.pick(['unionpay', 'payme'])] : [] };
  shownCodes.push(shown);
  return shown;
}

/** A charge with the customer's own code, and the gateway set to answer it as its scenario says. */
async function customerCodeCharge(): Promise<{ scenario: CpmScenario; args: string[] }> {
  let scenario = pickScenario();
  const spent = shownCodes.filter((shown) => simulator.store.authCodeUsed(shown.code));
  if (scenario === 'code_used_before' && spent.length === 0) scenario = 'paid_at_once';
  const { code, walletArgs } = scenario === 'code_used_before' ? random.pick(spent) : freshCode();
  const eitherAmount = () => (random.next() < 0.5 ? smallAmount() : passwordAmount());
  const amount = scenario === 'password' ? passwordAmount() : scenario === 'paid_at_once' || scenario === 'code_used_before' ? smallAmount() : eitherAmount();
  // This charge's payment fault is the scenario's, in place of the random one.
  simulator.faults.clear('payment');
  const delayMs = random.int(200, 1_500);
  if (scenario === 'paid_at_once' || scenario === 'password') {
    // Half the time the answer is held back after the work: a kill then loses an answer that was 0000 or 1143.
    if (random.next() < 0.5) simulator.faults.set('payment', { kind: 'delay', delayMs, afterProcessing: true, times: 1 });
  } else if (scenario === 'pending_1145') {
    simulator.faults.set('payment', { kind: 'respcd', respcd: '1145', delayMs: random.next() < 0.5 ? delayMs : 0, afterProcessing: true, times: 1 });
  } else if (scenario === 'answer_lost') {
    // No answer at all waits out the till's own timeout (10 s): the rarest of the three.
    const kind = random.next() < 0.2 ? 'hang' : random.pick(['http_500', 'garbage'] as const);
    simulator.faults.set('payment', { kind, delayMs: kind === 'hang' ? 0 : delayMs, afterProcessing: true, times: 1 });
  } else if (scenario === 'not_processed') {
    simulator.faults.set('payment', { kind: random.pick(['http_500', 'garbage'] as const), delayMs: random.next() < 0.5 ? delayMs : 0, afterProcessing: false, times: 1 });
  }
  // The customer has the till's minute to confirm (20 minutes at the trial's time scale), or a quarter of the time less than that.
  if (!(await control('cpm', 'PUT', { confirmMinutes: scenario === 'password' && random.next() < 0.25 ? 1 : 20 }))) throw new Error('the simulator refused PUT /__sim__/cpm');
  return { scenario, args: ['charge', '--amount', amount, '--auth-code', code, ...walletArgs] };
}

function qrCharge(): string[] {
  return ['charge', '--amount', smallAmount(), '--wallet', random.pick(WALLET_IDS)];
}

/** Payment requests the gateway has logged, by out_trade_no (a request refused unread is logged too). */
function paymentRequestsByNumber(): Map<string, RequestLogEntry[]> {
  const byNumber = new Map<string, RequestLogEntry[]>();
  for (const entry of simulator.requests()) {
    const number = entry.fields.out_trade_no;
    if (entry.endpoint === 'payment' && number) byNumber.set(number, [...(byNumber.get(number) ?? []), entry]);
  }
  return byNumber;
}

/**
 * The mode of the next charge: the one with fewer orders that reached QFPay so far is the likelier,
 * three to one, so both are well covered whichever the kills cut short.
 */
function nextMode(): Mode {
  const sent = paymentRequestsByNumber();
  const reached = { mpm: 0, cpm: 0 };
  for (const order of ledgerOrders()) if (sent.has(order.out_trade_no)) reached[order.mode] += 1;
  const codeChance = reached.cpm < reached.mpm ? 0.75 : reached.cpm > reached.mpm ? 0.25 : 0.5;
  return random.next() < codeChance ? 'cpm' : 'mpm';
}

type Plan = { kind: 'charge'; mode: Mode } | { kind: 'command'; name: string; args: string[] } | undefined;

/** The next thing the shop does; `charges: false` while the cashier waits for a sale that holds the counter. */
function nextAction(options: { charges: boolean }): Plan {
  const orders = ledgerOrders();
  if (orders.length === 0) return { kind: 'charge', mode: nextMode() };
  const roll = options.charges ? random.next() : 0.45 + random.next() * 0.55;
  if (roll < 0.45) return { kind: 'charge', mode: nextMode() };
  if (roll < 0.55) {
    const open = orders.filter((order) => ['created', 'waiting', 'unknown'].includes(order.state));
    return open.length ? { kind: 'command', name: 'cancel', args: ['cancel', random.pick(open).out_trade_no] } : undefined;
  }
  if (roll < 0.8) {
    const paid = orders.filter((order) => order.state === 'paid' || order.state === 'paid_late');
    if (!paid.length) return undefined;
    const order = random.pick(paid);
    // Sometimes all that is left, sometimes a part, sometimes more than can be refunded.
    const amount = random.pick([undefined, Math.max(1, Math.floor(order.amount / random.int(2, 4))), order.amount + 100]);
    return { kind: 'command', name: 'refund', args: ['refund', order.out_trade_no, ...(amount === undefined ? [] : ['--amount', (amount / 100).toFixed(2)])] };
  }
  if (roll < 0.93) return { kind: 'command', name: 'reconcile', args: ['reconcile'] };
  return { kind: 'command', name: 'reconcile --day', args: ['reconcile', '--day', hongKongDay(Date.now())] };
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

/**
 * When a command is killed: at a random moment from start-up to its answer; once QFPay has made
 * its order (within 300 ms of it, or while its answer is held back), between the ledger's row and
 * the answer, where a charge could be lost or sent twice; or not unless it outlasts the till's own
 * 10-second timeout, so that its answer is heard.
 */
type KillAt = 'random' | 'at_gateway' | 'after_answer';

const tally = { kills: 0, finished: 0, byAction: {} as Record<string, { killed: number; finished: number }> };

async function command(name: string, args: string[], killAt: KillAt): Promise<{ killed: boolean; output: string; endedAt: number }> {
  const child = run(args);
  const stop = new AbortController();
  const requestsBefore = simulator.store.all().length;
  // Drawn now, so the draws do not depend on how long the command took.
  const randomMs = random.int(Math.round(startupMs / 3), startupMs + 1_000);
  const afterGatewayMs = random.int(0, 300);
  const killTime = (async () => {
    if (killAt === 'random') return sleep(randomMs, undefined, { signal: stop.signal });
    if (killAt === 'after_answer') return sleep(2 * startupMs + 12_000, undefined, { signal: stop.signal });
    const giveUp = Date.now() + 3 * startupMs + 2_000;
    while (simulator.store.all().length === requestsBefore && Date.now() < giveUp) await sleep(10, undefined, { signal: stop.signal });
    await sleep(afterGatewayMs, undefined, { signal: stop.signal });
  })();
  const killed = await Promise.race([child.done.then(() => false), killTime.then(() => child.kill()).catch(() => false)]);
  stop.abort();
  await child.done;
  const endedAt = Date.now();
  const entry = (tally.byAction[name] ??= { killed: 0, finished: 0 });
  if (killed) {
    tally.kills += 1;
    entry.killed += 1;
  } else {
    tally.finished += 1;
    entry.finished += 1;
  }
  return { killed, output: killed ? '' : await child.output, endedAt };
}

/** What became of each charge the trial started. */
interface ChargeAttempt {
  mode: Mode;
  scenario: CpmScenario | 'qr';
  killed: boolean;
  /** Pressed while the ledger showed a sale holding the counter: the till must refuse it. */
  whileHeld: boolean;
  /** The CLI's error code when it refused (payment_in_progress: a sale held the counter). */
  error?: string;
  /** The order it wrote, if it got that far. */
  outTradeNo?: string;
  endedAt: number;
}
const attempts: ChargeAttempt[] = [];

/** A sale held the counter when a charge was due, and what the cashier did about it. */
const counter = { heldAtCharge: 0, cleared: 0, stillHeld: 0, waitedForSending: 0, chargedAnyway: 0 };

async function charge(mode: Mode, whileHeld: boolean): Promise<void> {
  const before = new Set(ledgerOrders().map((order) => order.out_trade_no));
  const { scenario, args } = mode === 'cpm' ? await customerCodeCharge() : { scenario: 'qr' as const, args: qrCharge() };
  // A third each: killed at random, killed once QFPay has it, or heard out. A charge pressed while
  // a sale holds the counter is heard out: its refusal is what the trial looks for.
  const killAt = whileHeld ? 'after_answer' : random.pick(['random', 'at_gateway', 'after_answer'] as const);
  const { killed, output, endedAt } = await command(mode === 'cpm' ? 'charge --auth-code' : 'charge', args, killAt);
  const made = ledgerOrders().find((order) => !before.has(order.out_trade_no));
  let error: string | undefined;
  if (!killed && !made) {
    try {
      error = (JSON.parse(output) as { error?: { code?: string } }).error?.code ?? 'no_order';
    } catch {
      error = 'unreadable_output';
    }
  }
  attempts.push({ mode, scenario, killed, whileHeld, error, outTradeNo: made?.out_trade_no, endedAt });
}

/**
 * The cashier frees the counter before the next charge, as the till asks ("finish or cancel it
 * first"): a customer still confirming a code payment in the wallet decides now (pays, declines,
 * or walks away), and a QR's customer may pay. The cashier checks the sale (status, which asks
 * QFPay, as the app's screen would show it) and cancels it if it still holds the counter. These
 * commands are killed a quarter of the time, at a random moment. A sale whose sending was cut off
 * stays `created` until QFPay's record of it is seen, or until the till can take its sender for
 * dead (30 s, REQUEST_ABANDONED_AFTER_MS): its cancel is recorded, and it is checked again then.
 */
async function clearCounter(held: OrderRow): Promise<void> {
  if (payableAtGateway(held.out_trade_no)) {
    const roll = random.next();
    if (held.mode === 'mpm') {
      if (roll < 0.4) await customerPays(held.out_trade_no, 'mpm');
    } else if (roll < 0.5) await customerPays(held.out_trade_no, 'cpm');
    else if (roll < 0.8) await customerDeclines(held.out_trade_no);
  }
  const killAt = (): KillAt => (random.next() < 0.25 ? 'random' : 'after_answer');
  const stillHeld = () => holdingSale()?.out_trade_no === held.out_trade_no;
  if ((await command('status', ['status', held.out_trade_no], killAt())).killed) return;
  if (stillHeld() && (await command('cancel', ['cancel', held.out_trade_no], killAt())).killed) return;
  const after = holdingSale();
  if (after?.out_trade_no === held.out_trade_no && after.state === 'created' && (Date.now() - after.created_at >= REQUEST_ABANDONED_AFTER_MS || simulator.store.byOutTradeNo(held.out_trade_no))) {
    await command('status', ['status', held.out_trade_no], killAt());
  }
}

const started = Date.now();
while (tally.kills < KILLS) {
  simulator.faults.clear();
  for (const endpoint of ['payment', 'query', 'refund', 'close', 'reversal'] as const) {
    const fault = someFault(endpoint);
    if (fault) simulator.faults.set(endpoint, fault);
  }
  await customersAct();
  // A sale whose sending was cut off, already cancelled, is freed by a check once QFPay has its
  // order; if QFPay has none, only once its sender is taken for dead: the shop does other things meanwhile.
  const held = holdingSale();
  const waiting =
    held !== undefined &&
    held.state === 'created' &&
    held.cancel_requested_at !== null &&
    Date.now() - held.created_at < REQUEST_ABANDONED_AFTER_MS &&
    simulator.store.byOutTradeNo(held.out_trade_no) === undefined;
  const plan = nextAction({ charges: !waiting }) ?? (waiting ? { kind: 'command', name: 'reconcile', args: ['reconcile'] } : undefined);
  if (!plan) continue;
  if (plan.kind === 'command') {
    await command(plan.name, plan.args, 'random');
    continue;
  }
  if (held) {
    counter.heldAtCharge += 1;
    // Now and then the cashier presses charge anyway: the till must refuse it (payment_in_progress).
    if (random.next() < 0.1) {
      counter.chargedAnyway += 1;
      await charge(plan.mode, true);
      continue;
    }
    await clearCounter(held);
    const after = holdingSale();
    if (after) {
      if (after.state === 'created' && after.cancel_requested_at !== null) counter.waitedForSending += 1;
      else counter.stillHeld += 1;
      continue;
    }
    counter.cleared += 1;
  }
  await charge(plan.mode, false);
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
  customerCodesInLedger: shownCodes.filter(({ code }) => ledgerFiles.some((bytes) => bytes.includes(Buffer.from(code)))).length,
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
  // The one-customer rule: a charge pressed while a sale held the counter that made an order anyway.
  chargedWhileHeld: attempts.filter((attempt) => attempt.whileHeld && attempt.outTradeNo !== undefined).length,
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

/**
 * Per mode, what the trial asked for and what became of it: the charges started, the orders they
 * wrote, how many of those reached QFPay (a request it logged, even one it refused unread) and were
 * made there, how many charges the till refused because a sale held the counter, QFPay's answer to
 * each order's request, the kills between QFPay's work and the till hearing of it, and the
 * ledger's state of each order at the end.
 */
const requestsByNumber = paymentRequestsByNumber();
const heardAt = new Map(
  ledgerRows<{ out_trade_no: string; at: number }>("SELECT o.out_trade_no, min(t.at) AS at FROM transitions t JOIN orders o ON o.id = t.order_id WHERE t.from_state = 'created' GROUP BY o.out_trade_no").map((row) => [row.out_trade_no, row.at]),
);
const countBy = (items: readonly string[]): Record<string, number> => {
  const counted: Record<string, number> = {};
  for (const item of items) counted[item] = (counted[item] ?? 0) + 1;
  return counted;
};
/** QFPay's answer to an order's payment request, as the simulator logged it (an injected code is the code the till saw). */
function answerOf(number: string, mode: Mode): string {
  const entry = (requestsByNumber.get(number) ?? [])[0];
  if (!entry) return 'not sent';
  if (entry.fault !== undefined && entry.fault !== 'respcd') return gatewayByNumber.has(number) ? 'made, answer lost' : 'not made, answer lost';
  if (entry.respcd === '0000') return mode === 'cpm' ? 'paid at once' : 'QR';
  return entry.respcd ?? 'no code';
}
const byMode = Object.fromEntries(
  PAYMENT_MODES.map((mode) => {
    const tried = attempts.filter((attempt) => attempt.mode === mode);
    const own = orders.filter((order) => order.mode === mode);
    const reached = own.filter((order) => requestsByNumber.has(order.out_trade_no));
    return [
      mode,
      {
        charges: tried.length,
        orders: own.length,
        reachedGateway: reached.length,
        madeAtGateway: own.filter((order) => gatewayByNumber.has(order.out_trade_no)).length,
        refusedSaleInProgress: tried.filter((attempt) => attempt.error === 'payment_in_progress').length,
        killedBeforeOrder: tried.filter((attempt) => attempt.killed && attempt.outTradeNo === undefined).length,
        otherErrors: countBy(tried.flatMap((attempt) => (attempt.error && attempt.error !== 'payment_in_progress' ? [attempt.error] : []))),
        // Killed after QFPay had the request and before the charge wrote any answer: the answer was lost to the till.
        killedBeforeAnswerHeard: tried.filter((attempt) => attempt.killed && attempt.outTradeNo !== undefined && requestsByNumber.has(attempt.outTradeNo) && !((heardAt.get(attempt.outTradeNo) ?? Infinity) <= attempt.endedAt)).length,
        scenarios: countBy(tried.map((attempt) => attempt.scenario)),
        answers: countBy(reached.map((order) => answerOf(order.out_trade_no, mode))),
        final: countBy(own.map((order) => order.state)),
        beforeManager: own.filter((order) => order.attention !== null).length,
      },
    ];
  }),
) as Record<Mode, { charges: number; orders: number; reachedGateway: number; madeAtGateway: number; refusedSaleInProgress: number; killedBeforeOrder: number; otherErrors: Record<string, number>; killedBeforeAnswerHeard: number; scenarios: Record<string, number>; answers: Record<string, number>; final: Record<string, number>; beforeManager: number }>;

const broken =
  counts.paymentsSentTwice +
  counts.customerCodesInLedger +
  counts.atGatewayNotInLedger +
  counts.refundedBeyondPaid +
  counts.refundsFailedButPaidOut +
  counts.refundsPaidOutNotInLedger +
  counts.finalContradictingGateway +
  counts.openNotBeforeManager +
  counts.finalRunsFailed +
  counts.chargedWhileHeld;
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
  byMode,
  customers,
  counterHeld: counter,
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
  const listed = (counted: Record<string, number>) => Object.entries(counted).sort(([, a], [, b]) => b - a).map(([name, count]) => `${name} ${count}`).join(', ') || 'none';
  console.log('charges by mode (orders per mode, how many reached QFPay, how many the till refused, and what became of them):');
  for (const mode of PAYMENT_MODES) {
    const figures = byMode[mode];
    const others = Object.values(figures.otherErrors).reduce((sum, count) => sum + count, 0);
    console.log(
      `  ${MODE_NAMES[mode]}: ${figures.charges} charges: ${figures.orders} orders, ${figures.reachedGateway} reached QFPay (${figures.madeAtGateway} made there); ${figures.refusedSaleInProgress} refused (a sale held the counter), ${figures.killedBeforeOrder} killed before writing their order${others ? `, ${others} other errors (${listed(figures.otherErrors)})` : ''}`,
    );
    if (mode === 'cpm') console.log(`    arranged at the gateway: ${listed(figures.scenarios)}`);
    console.log(`    QFPay answered: ${listed(figures.answers)}; killed before the till heard the answer: ${figures.killedBeforeAnswerHeard}`);
    console.log(mode === 'cpm' ? `    customers asked to confirm in their wallet: confirmed ${customers.codeConfirmed}, declined ${customers.codeDeclined}` : `    customers who paid a QR: ${customers.qrPaid}`);
    console.log(`    at the end: ${listed(figures.final)}; before a manager: ${figures.beforeManager}`);
  }
  console.log(`a sale held the counter when a charge was due: ${counter.heldAtCharge} times (the cashier freed it ${counter.cleared}; still held after status and cancel ${counter.stillHeld}; waited for a cut-off sale to be taken for dead ${counter.waitedForSending}; charged anyway, to be refused ${counter.chargedAnyway})`);
  console.log(`payments sent twice: ${counts.paymentsSentTwice}`);
  console.log(`customers' codes shown: ${counts.customerCodes}, found in full in the ledger's files: ${counts.customerCodesInLedger}`);
  console.log(`at the gateway but not in the ledger: ${counts.atGatewayNotInLedger}`);
  console.log(`refunds over the paid amount: ${counts.refundedBeyondPaid}`);
  console.log(`refunds the ledger calls failed that paid out: ${counts.refundsFailedButPaidOut}`);
  console.log(`refunds paid out that the ledger neither counts nor holds: ${counts.refundsPaidOutNotInLedger}`);
  console.log(`final with evidence: ${counts.finalWithEvidence} (contradicting the gateway: ${counts.finalContradictingGateway})`);
  console.log(`open and visible: ${counts.openAndVisible} (before a manager: ${counts.beforeManager}${faketime ? `; unproven three hours on but not before a manager: ${counts.openNotBeforeManager}` : '; faketime not installed: the three-hours-on check was not made'})`);
  console.log(`final checks that failed to run: ${counts.finalRunsFailed}`);
  console.log(`charges pressed while a sale held the counter that made an order: ${counts.chargedWhileHeld}`);
  console.log(summary.ok ? 'books: OK' : 'books: BROKEN');
}
process.exit(summary.ok ? 0 : 1);

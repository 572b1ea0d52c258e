import { parseArgs } from 'node:util';
import { formatHongKongTimestamp, hongKongDay, hongKongDayRange, isValidDay } from '../../shared/hkTime';
import { amountMessage } from '../../shared/i18n/amountMessages';
import { ACTIVE_PAYMENT_STATES, ACTIVE_REFUND_STATES } from '../../shared/ledger/lifecycle';
import { formatHKD, parseAmount } from '../../shared/money';
import { describeRespcd } from '../../shared/qfpay/respcd';
import { WALLET_IDS, walletById, type WalletId } from '../../shared/wallets';
import { appConfiguration } from '../services/appConfiguration';
import type { TillConfig } from '../services/config';
import { checkConnection, CONNECTION_WORDS } from '../services/gateway/connectionCheck';
import { openLedgerDatabase } from '../services/ledger/database';
import { createLedgerStore, type OrderRecord } from '../services/ledger/ledgerStore';
import { exportDay } from '../services/reports/dayExport';
import { buildZReport, closeDay, DayNotClosable, type ZReport } from '../services/reports/zReport';
import { openTillRuntime, type TillRuntime } from '../services/runtime';
import { TillError } from '../services/till/till';
import { EXIT } from './exitCodes';
import { historyLine, orderJson, orderLine, orderSentence, refundJson, refundLine } from './format';

/**
 * `npm run cli -- <command> [options]`: the till from the command line, against the embedded
 * simulator (no configuration) or a QFPay environment (QFPOS_* variables). `--json` on every
 * command prints one JSON document for scripts; the exit code says what happened (exitCodes.ts).
 */

const USAGE = `Usage: npm run cli -- <command> [options] [--json] [--db PATH]
  charge --amount 12.30 --wallet ${WALLET_IDS.join('|')} [--expires MIN] [--goods NAME] [--alipay-region hk|cn] [--wait]
  status OUT_TRADE_NO        the order, its refunds and its history (asks QFPay first if it is open)
  cancel OUT_TRADE_NO        withdraw the QR; the order is still watched for a late payment
  refund OUT_TRADE_NO [--amount X]   full refund, or part of it
  keep OUT_TRADE_NO          keep a payment that arrived after cancel or expiry
  orders [--date YYYY-MM-DD] the day's orders (Hong Kong business day; default today)
  export --date YYYY-MM-DD --out FILE   the day's CSV (UTF-8 with BOM)
  report --date YYYY-MM-DD [--close]    the end-of-day (Z) report; --close stores it for good
  reconcile                  ask QFPay about every open order now
  doctor                     configuration, database, gateway reachability, a signed query
Configuration: QFPOS_GATEWAY (demo|sandbox|test|production|URL), QFPOS_APP_CODE, QFPOS_CLIENT_KEY,
QFPOS_MCHID, QFPOS_SIGN_TYPE (SHA256|MD5), QFPOS_TILL, QFPOS_DB, QFPOS_POLL_INTERVAL_MS (2000-10000),
QFPOS_CALL_BUDGET (gateway calls a minute for this till, 6-400; default 30).`;

class UsageError extends Error {
  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(message);
  }
}

interface Outcome {
  readonly exitCode: number;
  readonly lines: readonly string[];
  readonly json: Readonly<Record<string, unknown>>;
}

const done = (exitCode: number, lines: string[], json: Record<string, unknown>): Outcome => ({ exitCode, lines, json: { ok: exitCode === EXIT.ok, ...json } });

type Options = Record<string, string | boolean | undefined>;

function parse(args: string[], options: Record<string, { type: 'string' | 'boolean' }>, positionals: number): { values: Options; positionals: string[] } {
  try {
    const parsed = parseArgs({ args, options: { ...options, json: { type: 'boolean' }, db: { type: 'string' } }, allowPositionals: true, strict: true });
    if (parsed.positionals.length !== positionals) {
      throw new UsageError(positionals === 1 ? 'OUT_TRADE_NO' : parsed.positionals[0] ?? '', positionals === 1 ? 'give exactly one OUT_TRADE_NO' : `unexpected argument ${parsed.positionals[0]}`);
    }
    return parsed as { values: Options; positionals: string[] };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const message = error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error);
    throw new UsageError(/'(--?[\w-]+)'/.exec(message)?.[1] ?? 'arguments', message);
  }
}

function amountOption(text: string | boolean | undefined, argument: string): number | undefined {
  if (text === undefined) return undefined;
  const parsed = parseAmount(String(text));
  if (!parsed.ok) throw new UsageError(argument, amountMessage(parsed.error, 'en'));
  return parsed.value;
}

function dayOption(text: string | boolean | undefined, required: boolean): string {
  if (text === undefined) {
    if (required) throw new UsageError('--date', 'give the day as YYYY-MM-DD');
    return hongKongDay(Date.now());
  }
  if (!isValidDay(String(text))) throw new UsageError('--date', `"${String(text)}" is not a day: use YYYY-MM-DD`);
  return String(text);
}

/** Till errors to exit codes, naming the argument where the cashier can fix it. */
function tillFailure(error: TillError): Outcome {
  const argument: Partial<Record<TillError['code'], string>> = {
    amount_invalid: '--amount',
    refund_amount_invalid: '--amount',
    refund_exceeds_refundable: '--amount',
    qr_lifetime_out_of_range: '--expires',
    option_not_supported: '--alipay-region',
    wallet_unknown: '--wallet',
  };
  const exitCode = error.code === 'order_not_found' ? EXIT.notFound : argument[error.code] && error.code !== 'refund_exceeds_refundable' ? EXIT.usage : EXIT.refused;
  const named = argument[error.code];
  return done(exitCode, [`error: ${named ? `${named}: ` : ''}${error.message}`], { error: { code: error.code, argument: named, message: error.message, details: error.details } });
}

function stateExit(order: OrderRecord): number {
  if (order.state === 'paid' || order.state === 'waiting') return EXIT.ok;
  if (order.state === 'unknown' || order.state === 'created') return EXIT.unknown;
  return EXIT.refused;
}

async function withRuntime(config: TillConfig, work: (runtime: TillRuntime) => Promise<Outcome>): Promise<Outcome> {
  const runtime = await openTillRuntime(config);
  try {
    return await work(runtime);
  } finally {
    await runtime.close();
  }
}

function withLedger<T>(config: TillConfig, work: (store: ReturnType<typeof createLedgerStore>) => T): T {
  const db = openLedgerDatabase(config.dbPath);
  try {
    return work(createLedgerStore(db));
  } finally {
    db.close();
  }
}

async function charge(args: string[], config: TillConfig): Promise<Outcome> {
  const { values } = parse(args, { amount: { type: 'string' }, wallet: { type: 'string' }, expires: { type: 'string' }, goods: { type: 'string' }, 'alipay-region': { type: 'string' }, wait: { type: 'boolean' } }, 0);
  if (values.amount === undefined) throw new UsageError('--amount', 'give the amount, e.g. --amount 12.30');
  const amount = amountOption(values.amount, '--amount') as number;
  const wallet = String(values.wallet ?? '') as WalletId;
  if (!WALLET_IDS.includes(wallet)) throw new UsageError('--wallet', `choose one of ${WALLET_IDS.join(', ')}`);
  let qrLifetimeMinutes: number | undefined;
  if (values.expires !== undefined) {
    if (!/^\d{1,3}$/.test(String(values.expires))) throw new UsageError('--expires', 'give whole minutes, e.g. --expires 10');
    qrLifetimeMinutes = Number(values.expires);
  }
  const region = values['alipay-region'];
  if (region !== undefined && region !== 'hk' && region !== 'cn') throw new UsageError('--alipay-region', 'choose hk (AlipayHK) or cn (mainland Alipay)');
  if (region !== undefined && wallet !== 'alipay') throw new UsageError('--alipay-region', 'only Alipay has a region');

  return withRuntime(config, async (runtime) => {
    let order = await runtime.till.charge({
      wallet,
      amount,
      qrLifetimeMinutes,
      goodsName: values.goods === undefined ? undefined : String(values.goods),
      alipayRegion: region === 'hk' ? 'ALIPAYHK' : region === 'cn' ? 'ALIPAYCN' : undefined,
    });
    const lines = [`${order.outTradeNo}  ${walletById(wallet).names.en}  ${orderSentence(order)}`];
    if (order.qrcode) lines.push(`QR: ${order.qrcode}`);
    if (order.qrcode && config.environment === 'demo') {
      lines.push(
        values.wait
          ? 'Demo mode: open the QR link in a browser and press Pay. No real money moves.'
          : 'Demo mode: the demo gateway stops when this command ends, so this link will not open; add --wait to pay it in a browser.',
      );
    }
    if (values.wait && (order.state === 'waiting' || order.state === 'unknown')) {
      for (const line of lines) print(line, Boolean(values.json));
      lines.length = 0;
      order = await waitUntilSettled(runtime, order);
      lines.push(`${order.outTradeNo}  ${orderSentence(order)}`);
    }
    return done(stateExit(order), lines, { order: orderJson(order) });
  });
}

/** Follows an order with the poller until QFPay gives a final answer. */
function waitUntilSettled(runtime: TillRuntime, order: OrderRecord): Promise<OrderRecord> {
  return new Promise((resolve) => {
    const settled = (candidate: OrderRecord) => !ACTIVE_PAYMENT_STATES.includes(candidate.state);
    const listener = (update: OrderRecord) => {
      if (update.id === order.id && settled(update)) {
        runtime.till.events.off('order', listener);
        resolve(update);
      }
    };
    runtime.till.events.on('order', listener);
    runtime.poller.start();
    const current = runtime.store.order(order.id);
    if (settled(current)) listener(current);
  });
}

async function status(args: string[], config: TillConfig): Promise<Outcome> {
  const { positionals } = parse(args, {}, 1);
  const number = positionals[0] as string;
  return withRuntime(config, async (runtime) => {
    let order = runtime.store.orderByNumber(number);
    if (!order) return done(EXIT.notFound, [`error: no order ${number} at this till`], { error: { code: 'order_not_found' } });
    if (ACTIVE_PAYMENT_STATES.includes(order.state) || runtime.store.refundsOf(order.id).some((refund) => ACTIVE_REFUND_STATES.includes(refund.state))) {
      await runtime.poller.reconcile();
      order = runtime.store.order(order.id);
    }
    const refunds = runtime.store.refundsOf(order.id);
    const history = runtime.store.history(order.id);
    const lines = [orderLine(order), `  ${orderSentence(order)}`, ...refunds.map(refundLine), 'History:', ...history.map(historyLine)];
    return done(stateExit(order) === EXIT.unknown ? EXIT.unknown : EXIT.ok, lines, { order: orderJson(order), refunds: refunds.map(refundJson), history });
  });
}

async function cancel(args: string[], config: TillConfig): Promise<Outcome> {
  const { positionals } = parse(args, {}, 1);
  return withRuntime(config, async (runtime) => {
    const order = await runtime.till.cancel(positionals[0] as string);
    const note = order.state === 'cancelled' && !order.gatewaySettled ? ' QFPay cannot withdraw this wallet’s QR: the till keeps watching it for a late payment.' : '';
    return done(EXIT.ok, [`${order.outTradeNo}  ${orderSentence(order)}${note}`], { order: orderJson(order) });
  });
}

async function refund(args: string[], config: TillConfig): Promise<Outcome> {
  const { values, positionals } = parse(args, { amount: { type: 'string' } }, 1);
  const amount = amountOption(values.amount, '--amount');
  return withRuntime(config, async (runtime) => {
    const made = await runtime.till.refund(positionals[0] as string, amount);
    const words =
      made.state === 'succeeded'
        ? `refunded ${formatHKD(made.amount, 'en')}`
        : made.state === 'failed'
          ? `QFPay refused the refund: ${made.respcd ? describeRespcd(made.respcd, 'en') : made.message}`
          : `refund of ${formatHKD(made.amount, 'en')} sent, outcome unknown: checking with QFPay (do not refund again)`;
    const exitCode = made.state === 'succeeded' ? EXIT.ok : made.state === 'failed' ? EXIT.refused : EXIT.unknown;
    return done(exitCode, [`${made.outTradeNo}  ${words}`], { refund: refundJson(made) });
  });
}

function keep(args: string[], config: TillConfig): Promise<Outcome> {
  const { positionals } = parse(args, {}, 1);
  return withRuntime(config, async (runtime) => {
    const order = runtime.till.keepLatePayment(positionals[0] as string);
    return done(EXIT.ok, [`${order.outTradeNo}  kept: ${orderSentence(order)}`], { order: orderJson(order) });
  });
}

function orders(args: string[], config: TillConfig): Outcome {
  const { values } = parse(args, { date: { type: 'string' } }, 0);
  const day = dayOption(values.date, false);
  return withLedger(config, (store) => {
    const { start, end } = hongKongDayRange(day);
    const list = store.ordersCreatedBetween(start, end);
    const open = list.filter((order) => ACTIVE_PAYMENT_STATES.includes(order.state)).length;
    const lines = [`${list.length} orders on ${day} (Hong Kong time), ${open} still open`, ...list.map(orderLine)];
    return done(EXIT.ok, lines, { day, orders: list.map(orderJson), open });
  });
}

async function exportCommand(args: string[], config: TillConfig): Promise<Outcome> {
  const { values } = parse(args, { date: { type: 'string' }, out: { type: 'string' } }, 0);
  const day = dayOption(values.date, true);
  if (typeof values.out !== 'string' || values.out === '') throw new UsageError('--out', 'give the file to write, e.g. --out day.csv');
  withLedger(config, () => undefined); // creates or migrates the ledger before it is read
  const summary = await exportDay(config.dbPath, day, values.out);
  return done(EXIT.ok, [`wrote ${summary.payments} payments and ${summary.refunds} refunds of ${day} to ${summary.file}`], { ...summary });
}

function reportLines(report: ZReport): string[] {
  const title = report.number === null ? `Z report preview for ${report.day} (not closed)` : `Z report no. ${report.number} for ${report.day}, closed ${formatHongKongTimestamp(report.closedAt as number)}`;
  const lines = [title, `till ${report.tillId}, amounts in HKD`, 'wallet       payments            refunds             net'];
  for (const wallet of report.wallets) {
    lines.push(`${walletById(wallet.wallet).names.en.padEnd(12)} ${String(wallet.payments.count).padStart(3)} ${formatHKD(wallet.payments.amount, 'en').padStart(14)}  ${String(wallet.refunds.count).padStart(3)} ${formatHKD(wallet.refunds.amount, 'en').padStart(14)}  ${formatHKD(wallet.net, 'en').padStart(14)}`);
  }
  const { totals, unresolved } = report;
  lines.push(`${'total'.padEnd(12)} ${String(totals.payments.count).padStart(3)} ${formatHKD(totals.payments.amount, 'en').padStart(14)}  ${String(totals.refunds.count).padStart(3)} ${formatHKD(totals.refunds.amount, 'en').padStart(14)}  ${formatHKD(totals.net, 'en').padStart(14)}`);
  lines.push(`not paid (failed, expired, cancelled): ${report.notPaid}`);
  lines.push(`unresolved: ${unresolved.orders} open orders, ${unresolved.latePayments} late payments to decide, ${unresolved.refunds} open refunds`);
  return lines;
}

function report(args: string[], config: TillConfig): Outcome {
  const { values } = parse(args, { date: { type: 'string' }, close: { type: 'boolean' } }, 0);
  const day = dayOption(values.date, true);
  return withLedger(config, (store) => {
    if (!values.close) {
      const preview = buildZReport(store, day, config.tillId, Date.now());
      return done(EXIT.ok, reportLines(preview), { report: preview });
    }
    try {
      const closed = closeDay(store, day, config.tillId, Date.now());
      return done(EXIT.ok, reportLines(closed), { report: closed });
    } catch (error) {
      if (!(error instanceof DayNotClosable)) throw error;
      return done(EXIT.refused, [`error: ${day} cannot be closed: ${error.message}. Run reconcile, decide late payments, then close.`], { error: { code: 'day_not_closable', unresolved: error.unresolved } });
    }
  });
}

async function reconcile(args: string[], config: TillConfig): Promise<Outcome> {
  parse(args, {}, 0);
  return withRuntime(config, async (runtime) => {
    const result = await runtime.poller.reconcile();
    const open = runtime.store.activeOrders();
    const late = runtime.store.paidLateOrders();
    const lines = [
      result.ok ? `asked QFPay about ${result.queriedNumbers} orders and refunds in ${result.calls} request(s); ${result.changed} changed` : `QFPay could not be asked: ${result.failure ?? 'budget exhausted'}`,
      `${open.length} orders still open${open.length ? ':' : ''}`,
      ...open.map(orderLine),
      ...(late.length ? [`${late.length} late payments for a manager to refund or keep:`, ...late.map(orderLine)] : []),
    ];
    return done(result.ok ? EXIT.ok : EXIT.unknown, lines, { check: result, open: open.map(orderJson), paidLate: late.map(orderJson) });
  });
}

async function doctor(args: string[], config: TillConfig): Promise<Outcome> {
  parse(args, {}, 0);
  const lines = [
    `environment: ${config.environment}${config.baseUrl ? ` (${config.baseUrl})` : ' (embedded simulator, no real money)'}`,
    `till: ${config.tillId}`,
    `app code: ${config.credentials ? config.credentials.appCode : '(demo)'}`,
    `client key: ${config.credentials ? 'set' : '(demo)'}`,
    `mchid: ${config.credentials?.mchid ?? '(none)'}`,
    `signature: ${config.credentials?.signType ?? 'SHA256'}`,
    `database: ${config.dbPath}`,
  ];
  return withRuntime(config, async (runtime) => {
    const integrity = runtime.store.db.pragma('quick_check', { simple: true });
    const schema = runtime.store.db.pragma('user_version', { simple: true });
    lines.push(`database check: ${String(integrity)}, schema ${String(schema)}, ${runtime.store.activeOrders().length} open orders`);
    const checked = await checkConnection(runtime.gateway, Date.now());
    const gateway = { ok: checked.verdict === 'ok', says: `${CONNECTION_WORDS[checked.verdict].en}${checked.detail ? ` (${checked.detail})` : ''}` };
    lines.push(`gateway: ${gateway.says}`);
    const healthy = integrity === 'ok' && gateway.ok;
    return done(healthy ? EXIT.ok : checked.verdict === 'unreachable' ? EXIT.unknown : EXIT.refused, lines, { environment: config.environment, database: { integrity, schema }, gateway });
  });
}

const COMMANDS: Record<string, (args: string[], config: TillConfig) => Outcome | Promise<Outcome>> = {
  charge,
  status,
  cancel,
  refund,
  keep,
  orders,
  export: exportCommand,
  report,
  reconcile,
  doctor,
};

/** Progress while a command waits; JSON output stays one document at the end. */
function print(line: string, json: boolean) {
  if (!json) console.log(line);
}

export async function runCli(argv: string[], env: NodeJS.ProcessEnv): Promise<Outcome> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === 'help') return done(name ? EXIT.ok : EXIT.usage, [USAGE], {});
  const command = COMMANDS[name];
  if (!command) return done(EXIT.usage, [`error: ${name}: no such command`, USAGE], { error: { code: 'usage', argument: name, message: 'no such command' } });
  const dbIndex = args.indexOf('--db');
  // QFPOS_* variables when set; otherwise the settings the app keeps beside the ledger.
  const { config } = appConfiguration(env, { dbPath: dbIndex >= 0 ? args[dbIndex + 1] : undefined });
  if (!config.ok) return done(EXIT.usage, [`error: ${config.error.message}`], { error: { code: 'config', argument: config.error.variable, message: config.error.message } });
  try {
    return await command(args, config.value);
  } catch (error) {
    if (error instanceof UsageError) return done(EXIT.usage, [`error: ${error.argument}: ${error.message}`], { error: { code: 'usage', argument: error.argument, message: error.message } });
    if (error instanceof TillError) return tillFailure(error);
    const message = error instanceof Error ? error.message : String(error);
    return done(EXIT.internal, [`error: ${message}`], { error: { code: 'internal', message } });
  }
}


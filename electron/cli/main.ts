import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { hongKongDay, hongKongDayRange, isValidDay } from '../../shared/hkTime';
import { amountMessage } from '../../shared/i18n/amountMessages';
import { ACTIVE_PAYMENT_STATES, ACTIVE_REFUND_STATES } from '../../shared/ledger/lifecycle';
import type { GatewayEnvironment } from '../../shared/qfpay/environments';
import { ENVIRONMENTS } from '../../shared/settings/tillSettings';
import { formatHKD, parseAmount } from '../../shared/money';
import { describeRespcd } from '../../shared/qfpay/respcd';
import { WALLET_IDS, walletById, type WalletId } from '../../shared/wallets';
import { appConfiguration } from '../services/composition/appConfiguration';
import { resolveConfig, userDataDir, type TillConfig } from '../services/config/config';
import { checkConnection, CONNECTION_WORDS } from '../services/gateway/connectionCheck';
import { LedgerInUse, listBackups, restoreBackup } from '../services/ledger/backups';
import { asLedgerDamage, ledgerIdOf, LedgerUnusable, schemaVersion } from '../services/ledger/database';
import { markVerified } from '../services/ledger/booksVerified';
import { createLedgerStore, LedgerRefusal, type OrderRecord } from '../services/ledger/ledgerStore';
import { closeWithChecks } from '../services/reports/closing';
import { exportDay } from '../services/reports/dayExport';
import { closedPeriod, PeriodNotClosable, periodsTouching, totalsBetweenTimes, unresolvedItems, xReport } from '../services/reports/periods';
import { DayInFuture, reconcileDay, ReconciliationUnavailable } from '../services/reports/reconciliation';
import { openTillLedger, openTillRuntime, type TillRuntime } from '../services/runtime/runtime';
import { NoSettingsBackup, restoreSettings, SettingsUnreadable, type SettingsService } from '../services/settings/settingsService';
import { AdoptionRefused, adoptLedger, adoptLedgerWithKey, resetNeedsPin, resetTill } from '../services/composition/tillIdentity';
import { createGatewayClient, type GatewayClient } from '../services/gateway/client';
import { headOfficeError, headOfficePool, parseHeadOfficeUrl, redactedHeadOfficeUrl, tlsFailure } from '../services/headOffice/connection';
import { exportStoreDay, StoreExportRefused } from '../services/headOffice/storeExport';
import { createPrintService, SlipNotFound, type SlipKind } from '../services/printing/printService';
import { slipToText, type PaperWidth } from '../services/printing/renderSlip';
import { parsePrinterTarget } from '../services/printing/tcpPrinter';
import { reconcileStoreDay } from '../services/headOffice/storeReconciliation';
import { storeDay } from '../services/headOffice/storeReport';
import { syncOnce } from '../services/headOffice/syncOnce';
import { BooksTampered } from '../services/headOffice/chainCheck';
import { chainHeadAt, checkLedgerChain } from '../services/ledger/chain';
import { provesTampering } from '../../shared/ledger/chain';
import { TillError } from '../../shared/errors';
import { EXIT } from './exitCodes';
import type pg from 'pg';
import { catalogues, words } from '../../shared/i18n/words';
import { chainProblemLines, chainProblemsSaid, historyLine, orderJson, orderLine, orderSentence, periodLines, reconciliationLines, refundJson, refundLine } from './format';

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
  decide NUMBER --as paid|not_paid|succeeded|failed --reason TEXT
                             a manager's decision about an item QFPay gave no final answer about
  orders [--date YYYY-MM-DD] the day's orders (Hong Kong business day; default today)
  export --date YYYY-MM-DD --out FILE [--environment ENV]   the day's CSV for one environment (UTF-8 with BOM)
  report [--close]           the X report of the open period; --close closes it as a numbered Z report
  report --z N               a closed Z report
  report --date YYYY-MM-DD   a day's net and the share of each report that touches it
  reconcile                  ask QFPay about every open order now
  reconcile --day YYYY-MM-DD compare the day with QFPay's own records: exit 0 agrees, 6 differs, 4 still open
  backups                    the ledger's backups (one is taken at every close)
  restore BACKUP_FILE        put a backup in the ledger's place (quit the app first)
  settings restore | settings adopt [--with-key] | settings reset --confirm
                             mend a damaged or missing settings file (adopt and a reset beside real
                             money ask for the ledger's manager PIN on the terminal; --with-key
                             proves the ledger by its merchant's QFPay key, from QFPOS_* instead)
  doctor                     configuration, database, gateway reachability, a signed query
  sync                       ship this till's history to the head office (QFPOS_HEAD_OFFICE) now
  receipt OUT_TRADE_NO [--print] [--svg FILE]   an order's or refund's slip: as text, previewed, or printed
  receipt --z N|X [--print] [--svg FILE]        a Z report (X: the open period) on the receipt printer
  store report --day YYYY-MM-DD   the store's day across every till, from the head office
  store export --day YYYY-MM-DD --out FILE [--environment E]
                             the store's day as one CSV: the till's columns, every till
  store reconcile --day YYYY-MM-DD
                             the store's day compared with QFPay: other tills' payments matched
Configuration: QFPOS_GATEWAY (demo|sandbox|test|production|URL), QFPOS_APP_CODE, QFPOS_CLIENT_KEY,
QFPOS_MCHID, QFPOS_SIGN_TYPE (SHA256|MD5), QFPOS_TILL, QFPOS_DB, QFPOS_POLL_INTERVAL_MS (2000-10000),
QFPOS_CALL_BUDGET (gateway calls a minute for this till, 6-400; default 80),
QFPOS_HEAD_OFFICE (postgres://USER:PASSWORD@HOST:5432/DATABASE: the head office's PostgreSQL),
QFPOS_PRINTER (tcp://HOST:9100: the receipt printer), QFPOS_PAPER (58 or 80 mm, 80 by default).`;

/** The CLI's sentences, in English: the catalogue's cli section (shared/i18n/catalogue/). */
const say = words('en');
const { usage, says } = catalogues.en.cli;

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
      throw new UsageError(positionals === 1 ? 'OUT_TRADE_NO' : parsed.positionals[0] ?? '', positionals === 1 ? usage.oneNumber : say('cli.usage.unexpectedArgument', { argument: parsed.positionals[0] }));
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
    if (required) throw new UsageError('--date', usage.dayNeeded);
    return hongKongDay(Date.now());
  }
  if (!isValidDay(String(text))) throw new UsageError('--date', say('cli.usage.notADay', { text: String(text) }));
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

/** What every command gets: the till's configuration and its settings (which remember its ledger). */
interface CliContext {
  readonly config: TillConfig;
  readonly settings: SettingsService;
  readonly env: NodeJS.ProcessEnv;
}

async function withRuntime({ config, settings }: Pick<CliContext, 'config' | 'settings'>, work: (runtime: TillRuntime) => Promise<Outcome>): Promise<Outcome> {
  const runtime = await openTillRuntime(config, { settings });
  try {
    return await work(runtime);
  } finally {
    await runtime.close();
  }
}

function withLedger<T>({ config, settings }: Pick<CliContext, 'config' | 'settings'>, work: (store: ReturnType<typeof createLedgerStore>) => T): T {
  const db = openTillLedger(config.dbPath, settings);
  try {
    return work(createLedgerStore(db));
  } finally {
    db.close();
  }
}

/** As withLedger, for work that waits (a printer): the ledger stays open until it is done. */
async function withLedgerWhile<T>({ config, settings }: Pick<CliContext, 'config' | 'settings'>, work: (store: ReturnType<typeof createLedgerStore>) => Promise<T>): Promise<T> {
  const db = openTillLedger(config.dbPath, settings);
  try {
    return await work(createLedgerStore(db));
  } finally {
    db.close();
  }
}

async function charge(args: string[], { config, settings }: CliContext): Promise<Outcome> {
  const { values } = parse(args, { amount: { type: 'string' }, wallet: { type: 'string' }, expires: { type: 'string' }, goods: { type: 'string' }, 'alipay-region': { type: 'string' }, wait: { type: 'boolean' } }, 0);
  if (values.amount === undefined) throw new UsageError('--amount', usage.amountNeeded);
  const amount = amountOption(values.amount, '--amount') as number;
  const wallet = String(values.wallet ?? '') as WalletId;
  if (!WALLET_IDS.includes(wallet)) throw new UsageError('--wallet', say('cli.usage.chooseOneOf', { list: WALLET_IDS.join(', ') }));
  let qrLifetimeMinutes: number | undefined;
  if (values.expires !== undefined) {
    if (!/^\d{1,3}$/.test(String(values.expires))) throw new UsageError('--expires', usage.wholeMinutes);
    qrLifetimeMinutes = Number(values.expires);
  }
  const region = values['alipay-region'];
  if (region !== undefined && region !== 'hk' && region !== 'cn') throw new UsageError('--alipay-region', usage.alipayRegion);
  if (region !== undefined && wallet !== 'alipay') throw new UsageError('--alipay-region', usage.regionOnlyAlipay);

  return withRuntime({ config, settings }, async (runtime) => {
    // The one-customer rule binds the CLI too: it refuses while a sale of this till holds the counter.
    let order = await runtime.till.chargeNextCustomer({
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
          ? says.demoWait
          : says.demoNoWait,
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

async function status(args: string[], { config, settings }: CliContext): Promise<Outcome> {
  const { positionals } = parse(args, {}, 1);
  const number = positionals[0] as string;
  return withRuntime({ config, settings }, async (runtime) => {
    let order = runtime.store.orderByNumber(number);
    if (!order) return done(EXIT.notFound, [`error: ${say('cli.says.noOrder', { number })}`], { error: { code: 'order_not_found' } });
    if (ACTIVE_PAYMENT_STATES.includes(order.state) || runtime.store.refundsOf(order.id).some((refund) => ACTIVE_REFUND_STATES.includes(refund.state))) {
      await runtime.poller.reconcile();
      order = runtime.store.order(order.id);
    }
    const refunds = runtime.store.refundsOf(order.id);
    const history = runtime.store.history(order.id);
    const lines = [orderLine(order), `  ${orderSentence(order)}`, ...refunds.map(refundLine), says.history, ...history.map(historyLine)];
    return done(stateExit(order) === EXIT.unknown ? EXIT.unknown : EXIT.ok, lines, { order: orderJson(order), refunds: refunds.map(refundJson), history });
  });
}

async function cancel(args: string[], { config, settings }: CliContext): Promise<Outcome> {
  const { positionals } = parse(args, {}, 1);
  return withRuntime({ config, settings }, async (runtime) => {
    const order = await runtime.till.cancel(positionals[0] as string);
    const note = order.state === 'cancelled' && !order.gatewaySettled ? ' QFPay cannot withdraw this wallet’s QR: the till keeps watching it for a late payment.' : '';
    return done(EXIT.ok, [`${order.outTradeNo}  ${orderSentence(order)}${note}`], { order: orderJson(order) });
  });
}

async function refund(args: string[], { config, settings }: CliContext): Promise<Outcome> {
  const { values, positionals } = parse(args, { amount: { type: 'string' } }, 1);
  const amount = amountOption(values.amount, '--amount');
  return withRuntime({ config, settings }, async (runtime) => {
    const made = await runtime.till.refund(positionals[0] as string, amount);
    const words =
      made.state === 'succeeded'
        ? say('cli.refunded', { amount: formatHKD(made.amount, 'en') })
        : made.state === 'failed'
          ? say('cli.says.refundRefused', { reason: made.respcd ? describeRespcd(made.respcd, 'en') : made.message })
          : say('cli.says.refundUnknown', { amount: formatHKD(made.amount, 'en') });
    const exitCode = made.state === 'succeeded' ? EXIT.ok : made.state === 'failed' ? EXIT.refused : EXIT.unknown;
    return done(exitCode, [`${made.outTradeNo}  ${words}`], { refund: refundJson(made) });
  });
}

function keep(args: string[], { config, settings }: CliContext): Promise<Outcome> {
  const { positionals } = parse(args, {}, 1);
  return withRuntime({ config, settings }, async (runtime) => {
    const order = runtime.till.keepLatePayment(positionals[0] as string);
    return done(EXIT.ok, [`${order.outTradeNo}  ${say('cli.says.kept', { sentence: orderSentence(order) })}`], { order: orderJson(order) });
  });
}

function orders(args: string[], { config, settings }: CliContext): Outcome {
  const { values } = parse(args, { date: { type: 'string' } }, 0);
  const day = dayOption(values.date, false);
  return withLedger({ config, settings }, (store) => {
    const { start, end } = hongKongDayRange(day);
    const list = store.ordersCreatedBetween(start, end);
    const open = list.filter((order) => ACTIVE_PAYMENT_STATES.includes(order.state)).length;
    const lines = [say('cli.says.ordersOfDay', { orders: list.length, day, open }), ...list.map(orderLine)];
    return done(EXIT.ok, lines, { day, orders: list.map(orderJson), open });
  });
}

async function exportCommand(args: string[], { config, settings }: CliContext): Promise<Outcome> {
  const { values } = parse(args, { date: { type: 'string' }, out: { type: 'string' }, environment: { type: 'string' } }, 0);
  const day = dayOption(values.date, true);
  if (typeof values.out !== 'string' || values.out === '') throw new UsageError('--out', say('cli.usage.outNeeded', { example: 'day.csv' }));
  const environment = values.environment === undefined ? config.environment : String(values.environment);
  if (!ENVIRONMENTS.includes(environment as GatewayEnvironment)) throw new UsageError('--environment', say('cli.usage.chooseOneOf', { list: ENVIRONMENTS.join(', ') }));
  withLedger({ config, settings }, () => undefined); // checks, creates or migrates the ledger before it is read
  const summary = await exportDay(config.dbPath, day, values.out, { environment });
  const lines = [say('cli.says.exported', { payments: summary.payments, refunds: summary.refunds, day, environment, file: summary.file, net: formatHKD(summary.net, 'en') })];
  if (summary.otherEnvironments.length > 0) {
    lines.push(say('cli.says.leftOut', { environments: summary.otherEnvironments.join(', '), first: summary.otherEnvironments[0] }));
  }
  return done(EXIT.ok, lines, { ...summary });
}

/** The X report now, a closed Z report, or the reports touching a day; `--close` closes the period. */
async function report(args: string[], context: CliContext): Promise<Outcome> {
  const { values } = parse(args, { date: { type: 'string' }, close: { type: 'boolean' }, z: { type: 'string' } }, 0);
  if (values.close && (values.date !== undefined || values.z !== undefined)) {
    throw new UsageError(values.date !== undefined ? '--date' : '--z', usage.closeTakesNothing);
  }
  if (values.z !== undefined) {
    if (!/^\d{1,6}$/.test(String(values.z))) throw new UsageError('--z', usage.zNumber);
    const found = withLedger(context, (store) => closedPeriod(store, Number(values.z)));
    if (!found) return done(EXIT.notFound, [`error: ${say('cli.says.noZ', { number: String(values.z) })}`], { error: { code: 'z_not_found' } });
    return done(EXIT.ok, periodLines(found), { report: found });
  }
  if (values.date !== undefined) {
    const day = dayOption(values.date, true);
    if (day > hongKongDay(Date.now())) throw new UsageError('--date', say('cli.usage.dayInFuture', { day }));
    return withLedger(context, (store) => {
      const touching = periodsTouching(store, day);
      const open = xReport(store, { tillId: context.config.tillId, now: Date.now(), isMine: () => true, alsoDays: [day] });
      const { start, end } = hongKongDayRange(day);
      const totals = totalsBetweenTimes(store, start, end);
      const lines = [say('cli.says.dayHeading', { day })];
      for (const environment of totals) {
        lines.push(`${environment.environment}${environment.training ? ` (${says.training})` : ''}: ${say('cli.says.dayNet', { net: formatHKD(environment.totals.net, 'en') })}`);
        for (const period of [...touching, open]) {
          const share = period.environments.find((item) => item.environment === environment.environment)?.days.find((item) => item.day === day)?.net;
          if (share !== undefined) lines.push(`  ${period.kind === 'Z' ? `Z ${period.number}` : say('cli.says.openPeriod', { number: period.number })}: ${formatHKD(share, 'en')}`);
        }
      }
      if (totals.length === 0) lines.push(says.noMoneyOnDay);
      return done(EXIT.ok, lines, { day, totals, reports: touching, open });
    });
  }
  return withRuntime(context, async (runtime) => {
    if (!values.close) {
      const preview = xReport(runtime.store, { tillId: context.config.tillId, now: Date.now(), isMine: runtime.till.isMine });
      return done(EXIT.ok, periodLines(preview), { report: preview });
    }
    try {
      const closed = await closeWithChecks(runtime);
      const lines = [...periodLines(closed.report), closed.backup.ok ? say('cli.says.backup', { file: closed.backup.file }) : say('cli.says.backupFailed', { error: closed.backup.error })];
      return done(closed.backup.ok ? EXIT.ok : EXIT.internal, lines, { report: closed.report, backup: closed.backup });
    } catch (error) {
      if (!(error instanceof PeriodNotClosable)) throw error;
      return done(EXIT.refused, [`error: ${say('cli.says.notClosable', { reason: error.message })}`], {
        error: { code: 'period_not_closable', unresolved: error.unresolved },
      });
    }
  });
}

async function reconcile(args: string[], context: CliContext): Promise<Outcome> {
  const { values } = parse(args, { day: { type: 'string' } }, 0);
  return withRuntime(context, async (runtime) => {
    const result = await runtime.poller.reconcile();
    const open = runtime.store.activeOrders().filter(runtime.till.isMine);
    const late = runtime.store.paidLateOrders().filter(runtime.till.isMine);
    const flagged = [...runtime.store.flaggedOrders().map(orderLine), ...runtime.store.flaggedRefunds().map(refundLine)];
    const check = [
      result.ok ? say('cli.says.asked', { numbers: result.queriedNumbers, calls: result.calls, changed: result.changed }) : say('cli.says.notAsked', { reason: result.failure ?? says.budgetExhausted }),
      `${say('cli.says.stillOpen', { orders: open.length })}${open.length ? ':' : ''}`,
      ...open.map(orderLine),
      ...(late.length ? [say('cli.says.lateForManager', { late: late.length }), ...late.map(orderLine)] : []),
      ...(flagged.length ? [say('cli.says.beforeManager', { items: flagged.length }), ...flagged] : []),
    ];
    const checked = { check: result, open: open.map(orderJson), paidLate: late.map(orderJson), beforeManager: { orders: runtime.store.flaggedOrders().map(orderJson), refunds: runtime.store.flaggedRefunds().map(refundJson) } };
    if (values.day === undefined) return done(result.ok ? EXIT.ok : EXIT.unknown, check, checked);

    const day = dayOption(values.day, true);
    try {
      const started = Date.now();
      const day_ = await reconcileDay(runtime, day);
      const lines = [...reconciliationLines(day_), say('cli.says.requestsTook', { requests: day_.requests, ms: Date.now() - started })];
      const exitCode = day_.counts.differs + day_.counts.atQfpayOnly > 0 ? EXIT.differs : day_.counts.open > 0 ? EXIT.unknown : EXIT.ok;
      return done(exitCode, lines, { reconciliation: day_, ...checked });
    } catch (error) {
      if (error instanceof DayInFuture) throw new UsageError('--day', error.message);
      if (error instanceof ReconciliationUnavailable) return done(EXIT.unknown, [`error: ${error.message}`], { error: { code: 'qfpay_unreachable', message: error.message } });
      throw error;
    }
  });
}

/** A manager's decision about an item QFPay gave no final answer about in time, with the reason. */
function decide(args: string[], context: CliContext): Promise<Outcome> {
  const { values, positionals } = parse(args, { as: { type: 'string' }, reason: { type: 'string' } }, 1);
  const number = positionals[0] as string;
  const decision = String(values.as ?? '');
  if (!['paid', 'not_paid', 'succeeded', 'failed'].includes(decision)) throw new UsageError('--as', usage.decisionAs);
  if (typeof values.reason !== 'string') throw new UsageError('--reason', usage.decisionReason);
  const reason = values.reason;
  return withRuntime(context, async (runtime) => {
    if (decision === 'succeeded' || decision === 'failed') {
      const refundDecided = runtime.till.decideRefund(number, decision, reason);
      return done(EXIT.ok, [refundLine(refundDecided)], { refund: refundJson(refundDecided) });
    }
    const order = await runtime.till.decideOrder(number, decision as 'paid' | 'not_paid', reason);
    return done(EXIT.ok, [`${order.outTradeNo}  ${say('cli.says.decided', { sentence: orderSentence(order) })}`], { order: orderJson(order) });
  });
}

function backups(args: string[], { config }: CliContext): Outcome {
  parse(args, {}, 0);
  const list = listBackups(config.dbPath);
  const lines = list.length === 0 ? [says.noBackups] : list.map((backup) => `${backup.file}  ${(backup.bytes / 1024).toFixed(0)} kB`);
  return done(EXIT.ok, lines, { backups: list });
}

/** doctor's signed query, in words, with the exit code it gives. */
async function gatewayCheck(gateway: GatewayClient): Promise<{ ok: boolean; says: string; exitCode: number }> {
  const checked = await checkConnection(gateway, Date.now());
  const says = `${CONNECTION_WORDS[checked.verdict].en}${checked.detail ? ` (${checked.detail})` : ''}`;
  return { ok: checked.verdict === 'ok', says, exitCode: checked.verdict === 'ok' ? EXIT.ok : checked.verdict === 'unreachable' ? EXIT.unknown : EXIT.refused };
}

async function doctor(args: string[], context: CliContext): Promise<Outcome> {
  parse(args, {}, 0);
  const { config, settings } = context;
  const lines = [
    `environment: ${config.environment}${config.baseUrl ? ` (${config.baseUrl})` : ' (embedded simulator, no real money)'}`,
    `till: ${config.tillId}`,
    `app code: ${config.credentials ? config.credentials.appCode : '(demo)'}`,
    `client key: ${config.credentials ? 'set' : '(demo)'}`,
    `mchid: ${config.credentials?.mchid ?? '(none)'}`,
    `signature: ${config.credentials?.signType ?? 'SHA256'}`,
    `database: ${config.dbPath}`,
  ];
  // A check creates nothing: where no ledger is expected and none is there, a new till (or a
  // mistyped path) is said as such, and only the gateway is checked.
  if (!existsSync(config.dbPath) && settings.ledgerId() === undefined) {
    lines.push(`database: none yet at ${config.dbPath}: a new till starts its ledger at its first sale (if this till has sold before, QFPOS_DB or --db names the wrong file)`);
    if (!config.baseUrl || !config.credentials) {
      lines.push('gateway: the embedded simulator (demo mode), started with the till');
      return done(EXIT.ok, lines, { environment: config.environment, database: null });
    }
    const gateway = await gatewayCheck(createGatewayClient({ baseUrl: config.baseUrl, credentials: config.credentials }));
    lines.push(`gateway: ${gateway.says}`);
    return done(gateway.exitCode, lines, { environment: config.environment, database: null, gateway });
  }
  // The ledger is checked as it opens (missing, empty, replaced, a damaged header): a refusal is
  // the answer. Then every page, as only doctor, a close and the first sale of a process check it.
  return withRuntime(context, async (runtime) => {
    runtime.ledgerCheck.beforeMoney();
    const schema = schemaVersion(runtime.store.db);
    const unresolved = unresolvedItems(runtime.store, runtime.till.isMine);
    const ledgerId = ledgerIdOf(runtime.store.db);
    lines.push(`database check: ok (ledger ${ledgerId.slice(0, 8)}, named by ${settings.path}), schema ${String(schema)}, ${unresolved.orders} open orders, ${unresolved.beforeManager} items before a manager`);
    // The whole history, once: a person asked for the full check (the screens check a day or a period).
    const newest = runtime.store.lastTransitionId();
    const books = checkLedgerChain(runtime.store.db, ledgerId, 0, newest);
    markVerified(runtime.store.db, ledgerId, newest, books);
    lines.push(
      books.problems.length === 0
        ? `books: all ${books.checked} history rows verified against the chain (head ${(chainHeadAt(runtime.store.db, ledgerId, newest) ?? '').slice(0, 16)})`
        : `books: DO NOT VERIFY: ${chainProblemsSaid(books.problems)}`,
    );
    const gateway = await gatewayCheck(runtime.gateway);
    lines.push(`gateway: ${gateway.says}`);
    return done(books.problems.length > 0 ? EXIT.booksBroken : gateway.exitCode, lines, { environment: config.environment, database: { integrity: 'ok', schema }, books, unresolved, gateway });
  });
}

async function sync(args: string[], { config, settings, env }: CliContext): Promise<Outcome> {
  parse(args, {}, 0);
  const url = headOfficeUrl(env);
  const ledger = openTillLedger(config.dbPath, settings);
  const pool = headOfficePool(url);
  try {
    const outcome = await syncOnce(ledger, pool, url, config.tillId, { migrate: true, verify: 'open period' });
    const where = redactedHeadOfficeUrl(url);
    if (!outcome.ok && outcome.problem === 'tampered') {
      const whose = outcome.where === 'till' ? says.tamperedTill : say('cli.says.tamperedHeadOffice', { where });
      const lines = [`error: ${say('cli.says.shippingStopped', { whose })}`, ...chainProblemLines(outcome.problems)];
      return done(EXIT.booksBroken, lines, { headOffice: where, ...outcome });
    }
    if (!outcome.ok) {
      const lines = [`error: ${outcome.problem === 'conflict' || outcome.problem === 'insecure' ? outcome.message : say('cli.says.headOfficeUnreachable', { where, reason: outcome.message })}`];
      return done(outcome.problem === 'unreachable' ? EXIT.unknown : EXIT.refused, lines, { headOffice: where, ...outcome });
    }
    const lines = [
      say('cli.says.shipped', { where, transitions: outcome.transitions, orders: outcome.orders, refunds: outcome.refunds, zReports: outcome.zReports, batches: outcome.batches }),
      say('cli.says.shippedVerified', { checked: outcome.books?.checked ?? 0 }),
      outcome.behind === 0 ? says.inSync : say('cli.says.behind', { records: outcome.behind }),
    ];
    return done(EXIT.ok, lines, { headOffice: where, ...outcome });
  } finally {
    ledger.close();
    await pool.end();
  }
}

function headOfficeUrl(env: NodeJS.ProcessEnv): URL {
  if (!env.QFPOS_HEAD_OFFICE) throw new UsageError('QFPOS_HEAD_OFFICE', usage.noHeadOffice);
  try {
    return parseHeadOfficeUrl(env.QFPOS_HEAD_OFFICE);
  } catch (error) {
    throw new UsageError('QFPOS_HEAD_OFFICE', (error as Error).message);
  }
}

/** `store report --day D` and `store export --day D --out F`: the store's day across every till, from the head office. */
async function store(args: string[], context: CliContext): Promise<Outcome> {
  const { env } = context;
  const { values, positionals } = parse(args, { day: { type: 'string' }, out: { type: 'string' }, environment: { type: 'string' } }, 1);
  const action = positionals[0];
  if (action !== 'report' && action !== 'export' && action !== 'reconcile') throw new UsageError(action ?? 'store', usage.storeAction);
  const day = typeof values.day === 'string' ? values.day : '';
  if (!isValidDay(day)) throw new UsageError('--day', usage.businessDay);
  if (action === 'export' && (typeof values.out !== 'string' || values.out === '')) throw new UsageError('--out', say('cli.usage.outNeeded', { example: 'store-day.csv' }));
  if (values.environment !== undefined && !ENVIRONMENTS.includes(String(values.environment) as GatewayEnvironment)) throw new UsageError('--environment', say('cli.usage.chooseOneOf', { list: ENVIRONMENTS.join(', ') }));
  const url = headOfficeUrl(env);
  const pool = headOfficePool(url);
  try {
    if (action === 'export') return await storeExport(pool, day, String(values.out), values.environment === undefined ? undefined : String(values.environment));
    if (action === 'reconcile') return await storeReconcile(pool, day, context);
    const report = await storeDay(pool, day);
    const problems = report.books.flatMap((till) => till.books.problems);
    const broken = problems.filter(provesTampering);
    const unverifiable = problems.filter((problem) => !provesTampering(problem));
    const checked = report.books.reduce((sum, till) => sum + till.books.checked, 0);
    const lines = [say('cli.says.storeHeading', { day, where: redactedHeadOfficeUrl(url), tills: report.tills.length })];
    if (broken.length > 0) lines.push(says.storeBroken, ...chainProblemLines(broken));
    if (unverifiable.length > 0) lines.push(says.storeUnverifiable, ...chainProblemLines(unverifiable));
    for (const totals of report.store) {
      lines.push(
        `${totals.environment}${totals.training ? ` (${says.trainingNoMoney})` : ''}: ${say('cli.says.storeTotals', { payments: totals.totals.payments.count, paid: formatHKD(totals.totals.payments.amount, 'en'), refunds: totals.totals.refunds.count, refunded: formatHKD(totals.totals.refunds.amount, 'en'), net: formatHKD(totals.totals.net, 'en') })}`,
      );
      for (const till of report.byTill) {
        const share = till.totals.find((candidate) => candidate.environment === totals.environment);
        if (share) lines.push(`  ${till.tillId}: ${say('cli.says.tillNet', { net: formatHKD(share.totals.net, 'en') })}`);
      }
    }
    if (problems.length === 0) lines.push(say('cli.says.storeVerified', { checked }));
    return done(broken.length > 0 ? EXIT.booksBroken : EXIT.ok, lines, { report });
  } catch (error) {
    const tls = tlsFailure(error instanceof Error ? error.message : String(error), url.hostname);
    if (tls) return done(EXIT.refused, [`error: ${tls}`], { error: { code: 'head_office_insecure' } });
    return done(EXIT.unknown, [`error: ${say('cli.says.headOfficeUnreachableNow', { where: redactedHeadOfficeUrl(url), reason: headOfficeError(error, url) })}`], { error: { code: 'head_office_unreachable' } });
  } finally {
    await pool.end();
  }
}

/** The day compared with QFPay over every till of this merchant at the head office; exit codes as `reconcile --day`. */
function storeReconcile(pool: pg.Pool, day: string, context: CliContext): Promise<Outcome> {
  return withRuntime(context, async (runtime) => {
    try {
      const result = await reconcileStoreDay(pool, runtime.till, day);
      const lines = [say('cli.says.storeReconcile', { tills: result.tills.length, list: result.tills.join(', ') || says.none }), ...reconciliationLines(result, 'head office'), say('cli.says.requests', { requests: result.requests })];
      const exitCode = result.counts.differs + result.counts.atQfpayOnly > 0 ? EXIT.differs : result.counts.open > 0 ? EXIT.unknown : EXIT.ok;
      return done(exitCode, lines, { reconciliation: result });
    } catch (error) {
      if (error instanceof DayInFuture) throw new UsageError('--day', error.message);
      if (error instanceof ReconciliationUnavailable) return done(EXIT.unknown, [`error: ${error.message}`], { error: { code: 'qfpay_unreachable', message: error.message } });
      throw error;
    }
  });
}

async function storeExport(pool: pg.Pool, day: string, out: string, environment: string | undefined): Promise<Outcome> {
  try {
    const summary = await exportStoreDay(pool, day, out, { environment });
    const lines = [say('cli.says.storeExported', { payments: summary.payments, refunds: summary.refunds, day, environment: summary.environment, tills: summary.tills.length, file: summary.file, net: formatHKD(summary.net, 'en') })];
    if (summary.otherEnvironments.length > 0) lines.push(say('cli.says.leftOut', { environments: summary.otherEnvironments.join(', '), first: summary.otherEnvironments[0] }));
    if (summary.unverifiable.length > 0) lines.push(says.exportUnverifiable, ...chainProblemLines(summary.unverifiable));
    return done(EXIT.ok, lines, { ...summary });
  } catch (error) {
    if (error instanceof StoreExportRefused) return done(EXIT.usage, [`error: ${error.message}`], { error: { code: 'environment_needed', environments: error.environments } });
    if (error instanceof BooksTampered) {
      const lines = [`error: ${says.nothingWritten}`, ...chainProblemLines(error.problems)];
      return done(EXIT.booksBroken, lines, { error: { code: 'books_tampered', problems: error.problems } });
    }
    throw error;
  }
}

/**
 * `receipt NUMBER [--print] [--svg FILE]` (an order or a refund) or `receipt --z N|X`: the slip as
 * text, its preview as SVG, or printed on QFPOS_PRINTER (tcp://HOST:9100). A printer that is off
 * leaves it queued in the ledger (exit 4); the money is never touched.
 */
async function receipt(args: string[], { config, settings, env }: CliContext): Promise<Outcome> {
  // A Z report is named by --z and takes no number; an order or refund is its number.
  const { values, positionals } = parse(args, { print: { type: 'boolean' }, svg: { type: 'string' }, z: { type: 'string' } }, args.some((arg) => arg === '--z' || arg.startsWith('--z=')) ? 0 : 1);
  const number = positionals[0];
  if ((number === undefined) === (values.z === undefined)) throw new UsageError(number ?? 'receipt', usage.receiptWhich);
  if (values.z !== undefined && !/^(\d{1,6}|X)$/.test(String(values.z))) throw new UsageError('--z', usage.receiptZ);
  const paperText = env.QFPOS_PAPER ?? '80';
  if (paperText !== '58' && paperText !== '80') throw new UsageError('QFPOS_PAPER', usage.paper);
  const printerText = env.QFPOS_PRINTER;
  const printer = printerText === undefined ? undefined : parsePrinterTarget(printerText);
  if (printerText !== undefined && !printer) throw new UsageError('QFPOS_PRINTER', usage.printerFormat);
  if (values.print && printer?.kind === 'system') throw new UsageError('QFPOS_PRINTER', usage.systemPrinter);
  if (values.print && !printer) throw new UsageError('--print', usage.noPrinter);
  return withLedgerWhile({ config, settings }, async (store) => {
    const slips = createPrintService({ store, printer: () => printer, paper: () => Number(paperText) as PaperWidth, header: () => ({ shopName: settings.view().shopName, tillId: config.tillId }) });
    const kind: SlipKind = values.z !== undefined ? 'period' : store.orderByNumber(number as string) ? 'payment' : 'refund';
    const ref = values.z !== undefined ? String(values.z) : (number as string);
    let markup: string;
    try {
      markup = slips.markup(kind, ref);
    } catch (error) {
      if (error instanceof SlipNotFound) return done(EXIT.notFound, [`error: ${error.message}`], { error: { code: 'slip_not_found' } });
      throw error;
    }
    const lines = [slipToText(markup, Number(paperText) as PaperWidth).trimEnd()];
    if (typeof values.svg === 'string') {
      writeFileSync(values.svg, slips.preview(kind, ref));
      lines.push(say('cli.says.previewWritten', { file: values.svg }));
    }
    if (!values.print) return done(EXIT.ok, lines, { kind, ref, svg: values.svg ?? null });
    // A person asked to print: what waited in the queue goes first, then this slip.
    await slips.retryNow();
    const slip = await slips.printNow(kind, ref);
    await slips.stop();
    if (slip.state === 'printed') return done(EXIT.ok, [...lines, say('cli.says.printedOn', { printer: printerText })], { kind, ref, slip });
    return done(EXIT.unknown, [...lines, say('cli.says.notPrinted', { reason: slip.lastError ?? says.unknownReason })], { kind, ref, slip });
  });
}

const COMMANDS: Record<string, (args: string[], context: CliContext) => Outcome | Promise<Outcome>> = {
  charge,
  status,
  cancel,
  refund,
  keep,
  decide,
  orders,
  export: exportCommand,
  report,
  reconcile,
  backups,
  doctor,
  sync,
  store,
  receipt,
};

/** How the CLI asks a person for a secret (the manager PIN): never from an argument, which shells keep in their history. */
export interface CliIo {
  readSecret(prompt: string): Promise<string | undefined>;
}
const NO_TERMINAL: CliIo = { readSecret: async () => undefined };

/**
 * Commands that mend what keeps the others from starting (a damaged or missing settings file, a
 * ledger to adopt or restore), so they run before the configuration is read.
 */
async function settingsCommand(args: string[], dbPath: string, io: CliIo, env: NodeJS.ProcessEnv): Promise<Outcome> {
  const { values, positionals } = parse(args, { confirm: { type: 'boolean' }, 'with-key': { type: 'boolean' } }, 1);
  const action = positionals[0];
  const folder = dirname(dbPath);
  if (action === 'restore') {
    const restored = restoreSettings(folder);
    return done(EXIT.ok, [`settings restored from ${restored.restoredFrom}`], restored);
  }
  if (action === 'adopt' && values['with-key']) {
    const config = resolveConfig(env, { db: dbPath });
    if (!config.ok) throw new UsageError(config.error.variable, config.error.message);
    const gateway = config.value.baseUrl && config.value.credentials ? createGatewayClient({ baseUrl: config.value.baseUrl, credentials: config.value.credentials }) : undefined;
    const adopted = await adoptLedgerWithKey(dbPath, config.value, gateway, Date.now());
    const pin = adopted.pinKept ? "; its manager PIN is the ledger's" : ': set a manager PIN at once (Manager, on this till)';
    return done(EXIT.ok, [`QFPay accepted the merchant's key: this till now keeps ledger ${adopted.ledgerId.slice(0, 8)}${pin}`], adopted);
  }
  if (action === 'adopt') {
    const pin = await io.readSecret('Manager PIN of the ledger to adopt: ');
    const adopted = await adoptLedger(dbPath, pin ?? '');
    const lines = [`this till now keeps ledger ${adopted.ledgerId.slice(0, 8)}${adopted.previousLedgerId && adopted.previousLedgerId !== adopted.ledgerId ? ` (its settings named ledger ${adopted.previousLedgerId.slice(0, 8)} before)` : ''}; its manager PIN is the ledger's`];
    return done(EXIT.ok, lines, adopted);
  }
  if (action === 'reset') {
    if (!values.confirm) throw new UsageError('--confirm', usage.resetConfirm);
    const pin = resetNeedsPin(dbPath) ? await io.readSecret('This ledger holds real money. Its manager PIN: ') : undefined;
    const reset = await resetTill(dbPath, pin);
    const kept = reset.ledgerId ? `, keeping ledger ${reset.ledgerId.slice(0, 8)}${reset.pinKept ? ' and its manager PIN' : ''}` : '';
    return done(EXIT.ok, [`settings set up again in training mode${kept}: set the gateway${reset.pinKept ? '' : ' and the manager PIN'} in Manager → Settings`], reset);
  }
  throw new UsageError(action ?? 'settings', usage.settingsAction);
}

function restoreCommand(args: string[], dbPath: string, env: NodeJS.ProcessEnv): Outcome {
  const { positionals } = parse(args, {}, 1);
  const configured = appConfiguration(env, { dbPath });
  // The settings say which ledger this till keeps; unreadable, they cannot vouch for a backup.
  if (!configured.settings) return done(EXIT.usage, [`error: ${configured.config.ok ? 'no settings' : configured.config.error.message}`], { error: { code: 'settings_unreadable' } });
  const expected = configured.settings.ledgerId();
  const restored = restoreBackup(dbPath, positionals[0] as string, expected, Date.now());
  const lines = [`ledger ${restored.ledgerId.slice(0, 8)} restored from ${restored.replacedBy}`];
  if (restored.setAside) lines.push(`the ledger it replaced is kept as ${restored.setAside}`);
  lines.push('Anything taken after that backup is missing from it: run `reconcile --day` for each day since, to see what QFPay holds that this ledger does not.');
  return done(EXIT.ok, lines, restored);
}

/** Progress while a command waits; JSON output stays one document at the end. */
function print(line: string, json: boolean) {
  if (!json) console.log(line);
}

export async function runCli(argv: string[], env: NodeJS.ProcessEnv, io: CliIo = NO_TERMINAL): Promise<Outcome> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === 'help') return done(name ? EXIT.ok : EXIT.usage, [USAGE], {});
  const command = COMMANDS[name];
  if (!command && name !== 'settings' && name !== 'restore') return done(EXIT.usage, [`error: ${name}: no such command`, USAGE], { error: { code: 'usage', argument: name, message: 'no such command' } });
  const dbIndex = args.indexOf('--db');
  const dbPath = (dbIndex >= 0 ? args[dbIndex + 1] : undefined) ?? env.QFPOS_DB ?? join(userDataDir(), 'till.sqlite');
  try {
    if (name === 'settings') return await settingsCommand(args, dbPath, io, env);
    if (name === 'restore') return restoreCommand(args, dbPath, env);
    // QFPOS_* variables when set; otherwise the settings the app keeps beside the ledger.
    const configured = appConfiguration(env, { dbPath });
    if (!configured.ok) return done(EXIT.usage, [`error: ${configured.config.error.message}`], { error: { code: 'config', argument: configured.config.error.variable, message: configured.config.error.message } });
    return await (command as (typeof COMMANDS)[string])(args, { config: configured.config.value, settings: configured.settings, env });
  } catch (thrown) {
    const error = asLedgerDamage(thrown, dbPath);
    if (error instanceof UsageError) return done(EXIT.usage, [`error: ${error.argument}: ${error.message}`], { error: { code: 'usage', argument: error.argument, message: error.message } });
    if (error instanceof TillError) return tillFailure(error);
    // A ledger or settings file that cannot be used is refused in words, with the way back.
    if (error instanceof LedgerUnusable || error instanceof SettingsUnreadable) return done(EXIT.usage, [`error: ${error.message}`], { error: { code: error instanceof LedgerUnusable ? `ledger_${error.problem}` : 'settings_unreadable', message: error.message } });
    if (error instanceof LedgerRefusal && error.code === 'books_broken') return done(EXIT.booksBroken, [`error: ${error.message}`], { error: { code: 'books_broken', message: error.message } });
    if (error instanceof LedgerInUse) return done(EXIT.refused, [`error: ${error.message}`], { error: { code: 'ledger_in_use', message: error.message } });
    if (error instanceof AdoptionRefused) return done(error.reason === 'no_ledger' ? EXIT.notFound : EXIT.refused, [`error: ${error.message}`], { error: { code: `adoption_${error.reason}`, message: error.message } });
    if (error instanceof NoSettingsBackup) return done(EXIT.notFound, [`error: ${error.message}`], { error: { code: 'no_settings_backup', message: error.message } });
    const message = error instanceof Error ? error.message : String(error);
    return done(EXIT.internal, [`error: ${message}`], { error: { code: 'internal', message } });
  }
}

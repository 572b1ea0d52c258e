import { existsSync, writeFileSync } from 'node:fs';
import { hongKongDay, hongKongDayRange, isValidDay } from '../../../shared/hkTime';
import type { GatewayEnvironment } from '../../../shared/qfpay/environments';
import { ENVIRONMENTS } from '../../../shared/settings/tillSettings';
import { formatHKD } from '../../../shared/money';
import { checkConnection, CONNECTION_WORDS } from '../../services/gateway/connectionCheck';
import { listBackups } from '../../services/ledger/backups';
import { ledgerIdOf, schemaVersion } from '../../services/ledger/database';
import { markVerified } from '../../services/ledger/booksVerified';
import { closeWithChecks } from '../../services/reports/closing';
import { exportDay } from '../../services/reports/dayExport';
import { dayRange } from '../../services/reports/sales';
import { TillError } from '../../../shared/errors';
import { catalogues } from '../../../shared/i18n/words';
import { closedPeriod, PeriodNotClosable, periodsTouching, totalsBetweenTimes, unresolvedItems, xReport } from '../../services/reports/periods';
import { DayInFuture, reconcileDay, ReconciliationUnavailable } from '../../services/reports/reconciliation';
import { createGatewayClient, type GatewayClient } from '../../services/gateway/client';
import { createPrintService, SlipNotFound, type SlipKind } from '../../services/printing/printService';
import { slipToText } from '../../services/printing/renderSlip';
import type { SlipPaper } from '../../../shared/receipts/slips';
import { parsePrinterTarget } from '../../services/printing/tcpPrinter';
import { chainHeadAt, checkLedgerChain } from '../../services/ledger/chain';
import { EXIT } from '../exitCodes';
import { chainProblemsSaid, orderJson, orderLine, orderSentence, periodLines, reconciliationLines, refundJson, refundLine } from '../format';

import { say, usage, says, UsageError, type Outcome, done, parse, dayOption, type CliContext, withRuntime, withLedger, withLedgerWhile } from '../command';

/** The books: the day's export, X and Z reports, the day compared with QFPay, backups, the file's health, a slip. */

/** The day's CSV, or with `--to` the days from `--date` to it (both included, at most 31) in one file, as the manager's screen exports them. */
export async function exportCommand(args: string[], { config, settings }: CliContext): Promise<Outcome> {
  const { values } = parse(args, { date: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' }, environment: { type: 'string' } }, 0);
  const day = dayOption(values.date, true);
  if (values.to !== undefined && !isValidDay(String(values.to))) throw new UsageError('--to', say('cli.usage.notADay', { text: String(values.to) }));
  const to = values.to === undefined ? day : String(values.to);
  try {
    dayRange(day, to);
  } catch (error) {
    // A reversed or too long range, in the screen's words.
    if (error instanceof TillError) throw new UsageError('--to', catalogues.en.commandErrors[error.code]);
    throw error;
  }
  if (typeof values.out !== 'string' || values.out === '') throw new UsageError('--out', say('cli.usage.outNeeded', { example: 'day.csv' }));
  const environment = values.environment === undefined ? config.environment : String(values.environment);
  if (!ENVIRONMENTS.includes(environment as GatewayEnvironment)) throw new UsageError('--environment', say('cli.usage.chooseOneOf', { list: ENVIRONMENTS.join(', ') }));
  withLedger({ config, settings }, () => undefined); // checks, creates or migrates the ledger before it is read
  const summary = await exportDay(config.dbPath, day, values.out, { environment, to });
  const days = to === day ? day : `${day} to ${to}`;
  const lines = [say('cli.says.exported', { payments: summary.payments, refunds: summary.refunds, day: days, environment, file: summary.file, net: formatHKD(summary.net, 'en') })];
  if (summary.otherEnvironments.length > 0) {
    lines.push(say('cli.says.leftOut', { environments: summary.otherEnvironments.join(', '), first: summary.otherEnvironments[0] }));
  }
  return done(EXIT.ok, lines, { ...summary });
}

/** The X report now, a closed Z report, or the reports touching a day; `--close` closes the period. */
export async function report(args: string[], context: CliContext): Promise<Outcome> {
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

export async function reconcile(args: string[], context: CliContext): Promise<Outcome> {
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
export function decide(args: string[], context: CliContext): Promise<Outcome> {
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

export function backups(args: string[], { config }: CliContext): Outcome {
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

export async function doctor(args: string[], context: CliContext): Promise<Outcome> {
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

export async function receipt(args: string[], { config, settings, env }: CliContext): Promise<Outcome> {
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
    const slips = createPrintService({ store, printer: () => printer, paper: () => Number(paperText) as SlipPaper, header: () => ({ shopName: settings.view().shopName, tillId: config.tillId }) });
    const kind: SlipKind = values.z !== undefined ? 'period' : store.orderByNumber(number as string) ? 'payment' : 'refund';
    const ref = values.z !== undefined ? String(values.z) : (number as string);
    let markup: string;
    try {
      markup = slips.markup(kind, ref);
    } catch (error) {
      if (error instanceof SlipNotFound) return done(EXIT.notFound, [`error: ${error.message}`], { error: { code: 'slip_not_found' } });
      throw error;
    }
    const lines = [slipToText(markup, Number(paperText) as SlipPaper).trimEnd()];
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

import { isValidDay } from '../../../shared/hkTime';
import type { GatewayEnvironment } from '../../../shared/qfpay/environments';
import { ENVIRONMENTS } from '../../../shared/settings/tillSettings';
import { formatHKD } from '../../../shared/money';
import { DayInFuture, ReconciliationUnavailable } from '../../services/reports/reconciliation';
import { openTillLedger } from '../../services/runtime/runtime';
import { headOfficeError, headOfficePool, parseHeadOfficeUrl, redactedHeadOfficeUrl, tlsFailure } from '../../services/headOffice/connection';
import { exportStoreDay, StoreExportRefused } from '../../services/headOffice/storeExport';
import { reconcileStoreDay } from '../../services/headOffice/storeReconciliation';
import { storeDay } from '../../services/headOffice/storeReport';
import { syncOnce } from '../../services/headOffice/syncOnce';
import { BooksTampered } from '../../services/headOffice/chainCheck';
import { provesTampering } from '../../../shared/ledger/chain';
import { EXIT } from '../exitCodes';
import type pg from 'pg';
import { chainProblemLines, reconciliationLines } from '../format';

import { say, usage, says, UsageError, type Outcome, done, parse, type CliContext, withRuntime } from '../command';

/** The head office: shipping this till's books, and the store's day across its tills. */

export async function sync(args: string[], { config, settings, env }: CliContext): Promise<Outcome> {
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
export async function store(args: string[], context: CliContext): Promise<Outcome> {
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

import { join } from 'node:path';
import { CPM_WALLET_IDS, WALLET_IDS } from '../../shared/wallets';
import { appConfiguration } from '../services/composition/appConfiguration';
import { userDataDir } from '../services/config/config';
import { LedgerInUse } from '../services/ledger/backups';
import { asLedgerDamage, LedgerUnusable } from '../services/ledger/database';
import { LedgerRefusal } from '../services/ledger/ledgerStore';
import { NoSettingsBackup, SettingsUnreadable } from '../services/settings/settingsService';
import { AdoptionRefused } from '../services/composition/tillIdentity';
import { TillError } from '../../shared/errors';
import { EXIT } from './exitCodes';

import { charge, status, cancel, refund, keep, orders } from './commands/sales';
import { exportCommand, report, reconcile, decide, backups, doctor, receipt } from './commands/books';
import { sync, store } from './commands/headOffice';
import { NO_TERMINAL, pinCommand, restoreCommand, settingsCommand, type CliIo } from './commands/settings';
import { UsageError, type Outcome, done, tillFailure, type CliContext } from './command';

export type { CliIo } from './commands/settings';
/**
 * `npm run cli -- <command> [options]`: the till from the command line, against the embedded
 * simulator (no configuration) or a QFPay environment (QFPOS_* variables). `--json` on every
 * command prints one JSON document for scripts; the exit code says what happened (exitCodes.ts).
 */

const USAGE = `Usage: npm run cli -- <command> [options] [--json] [--db PATH]
  charge --amount 12.30 --wallet ${WALLET_IDS.join('|')} [--expires MIN] [--goods NAME] [--alipay-region hk|cn] [--wait]
  charge --amount 12.30 --auth-code CODE|- [--wallet ${CPM_WALLET_IDS.join('|')}] [--goods NAME] [--wait]
  status OUT_TRADE_NO        the order, its refunds and its history (asks QFPay first if it is open)
  cancel OUT_TRADE_NO        withdraw the QR; the order is still watched for a late payment
  refund OUT_TRADE_NO [--amount X]   full refund, or part of it
  keep OUT_TRADE_NO          keep a payment that arrived after cancel or expiry
  decide NUMBER --as paid|not_paid|succeeded|failed --reason TEXT
                             a manager's decision about an item QFPay gave no final answer about
  orders [--date YYYY-MM-DD] the day's orders (Hong Kong business day; default today)
  export --date YYYY-MM-DD --out FILE [--environment ENV]   the day's CSV for one environment (UTF-8 with BOM)
  export --date YYYY-MM-DD --to YYYY-MM-DD --out FILE [--environment ENV]
                             the days from --date to --to (both included, at most 31) in one CSV
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
  pin reset --confirm        the owner's way back from a forgotten or locked manager PIN (quit the app
                             first; run as the till's own account): the next Manager sets a new PIN
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
  pin: pinCommand,
};

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
    return await (command as (typeof COMMANDS)[string])(args, { config: configured.config.value, settings: configured.settings, env, io });
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

import { dirname } from 'node:path';
import { appConfiguration } from '../../services/composition/appConfiguration';
import { resolveConfig } from '../../services/config/config';
import { restoreBackup } from '../../services/ledger/backups';
import { restoreSettings } from '../../services/settings/settingsService';
import { adoptLedger, adoptLedgerWithKey, resetNeedsPin, resetTill } from '../../services/composition/tillIdentity';
import { createGatewayClient } from '../../services/gateway/client';
import { EXIT } from '../exitCodes';

import { usage, UsageError, type CliContext, type CliIo, type Outcome, done, parse } from '../command';

/** Commands that mend what keeps the others from starting: the settings file, the ledger's identity, a backup to restore. */

export type { CliIo };
export const NO_TERMINAL: CliIo = { readSecret: async () => undefined };

/**
 * Commands that mend what keeps the others from starting (a damaged or missing settings file, a
 * ledger to adopt or restore), so they run before the configuration is read.
 */
export async function settingsCommand(args: string[], dbPath: string, io: CliIo, env: NodeJS.ProcessEnv): Promise<Outcome> {
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

export function restoreCommand(args: string[], dbPath: string, env: NodeJS.ProcessEnv): Outcome {
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


/**
 * `pin reset --confirm`: the owner's way back from a forgotten manager PIN, or a lock from wrong
 * PINs that cannot be waited out. Run on the till's computer with the account the app runs as
 * (the only account that can write its settings file, so nothing more is proved than that file
 * already gives), with the app quit: a running app would write back the PIN it holds. The sales
 * and the books are untouched; the next person to open Manager sets a new PIN.
 */
export function pinCommand(args: string[], { settings }: CliContext): Outcome {
  const { values, positionals } = parse(args, { confirm: { type: 'boolean' } }, 1);
  if (positionals[0] !== 'reset') throw new UsageError(positionals[0] ?? 'pin', usage.pinAction);
  if (!values.confirm) throw new UsageError('--confirm', usage.pinResetConfirm);
  const reset = settings.resetPin();
  const lines = [
    reset.hadPin ? `the manager PIN is removed${reset.wasLocked ? ', and its lock lifted' : ''}` : `no manager PIN was set${reset.wasLocked ? '; its lock is lifted' : ''}`,
    'Start the app and open Manager: it asks at once for a new PIN (6 to 8 digits).',
  ];
  return done(EXIT.ok, lines, reset);
}

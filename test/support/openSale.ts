import { appConfiguration } from '../../electron/services/composition/appConfiguration';
import type { OrderRecord } from '../../electron/services/ledger/ledgerStore';
import { openTillRuntime } from '../../electron/services/runtime/runtime';
import type { ChargeInput } from '../../electron/services/till/payments';

/**
 * A sale left open on a till's ledger by another process (one that was killed, or lost its
 * gateway): the till's own charge, without the counter's one-customer rule that the CLI and the
 * app obey. For set-ups that need several open orders on one ledger at once.
 */
export async function leaveOpenSale(env: NodeJS.ProcessEnv, input: ChargeInput): Promise<OrderRecord> {
  const configured = appConfiguration(env, { dbPath: env.QFPOS_DB });
  if (!configured.ok) throw new Error(configured.config.ok ? 'no settings' : configured.config.error.message);
  const runtime = await openTillRuntime(configured.config.value, { settings: configured.settings });
  try {
    return await runtime.till.charge(input);
  } finally {
    await runtime.close();
  }
}

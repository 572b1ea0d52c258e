import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Result } from '../../shared/result';
import { resolveConfig, userDataDir, type ConfigError, type TillConfig } from './config';
import { openSettingsService, type SettingsService } from './settings/settingsService';
import { userOnlyFileSecretStore, type SecretStore } from './settings/secretStore';

/**
 * Where the app's configuration comes from: QFPOS_* variables when any gateway variable is set
 * (as for the CLI, and the tests), otherwise the settings the manager keeps in the app. The
 * settings file and the client key sit beside the ledger.
 */
export function appConfiguration(
  env: NodeJS.ProcessEnv,
  options: { dbPath?: string; secretStore?: (folder: string) => SecretStore } = {},
): { settings: SettingsService; config: Result<TillConfig, ConfigError> } {
  const dbPath = options.dbPath ?? env.QFPOS_DB ?? join(userDataDir(), 'till.sqlite');
  const folder = dirname(dbPath);
  const secrets = (options.secretStore ?? ((where) => userOnlyFileSecretStore(join(where, 'client-key'))))(folder);
  const settings = openSettingsService(folder, secrets);
  if (env.QFPOS_GATEWAY || env.QFPOS_APP_CODE || env.QFPOS_CLIENT_KEY) return { settings, config: resolveConfig(env, { db: dbPath }) };
  const fromSettings = settings.tillConfig(dbPath);
  if (fromSettings.ok) return { settings, config: fromSettings };
  let message = 'the custom gateway URL in Settings is not valid';
  if (fromSettings.error === 'client_key_missing') {
    // The desktop app keeps the key encrypted by the operating system, which only it can open.
    message = existsSync(join(folder, 'client-key.enc'))
      ? 'the client key is kept encrypted by the desktop app: set QFPOS_GATEWAY, QFPOS_APP_CODE and QFPOS_CLIENT_KEY to use this till from here'
      : 'the client key for this environment is missing. To enter it again, start once in training mode with QFPOS_GATEWAY=demo, open Manager, Settings, and save the key; the next normal start uses it.';
  }
  return { settings, config: { ok: false, error: { variable: 'settings', message } } };
}

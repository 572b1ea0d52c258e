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
  return {
    settings,
    config: fromSettings.ok
      ? fromSettings
      : { ok: false, error: { variable: 'settings', message: fromSettings.error === 'client_key_missing' ? 'the client key for this environment is missing: enter it again in Settings' : 'the custom gateway URL in Settings is not valid' } },
  };
}

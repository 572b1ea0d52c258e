import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Result } from '../../../shared/result';
import { resolveConfig, userDataDir, type ConfigError, type TillConfig } from '../config/config';
import { openSettingsService, SettingsUnreadable, type SecretName, type SettingsService } from '../settings/settingsService';
import { userOnlyFileSecretStore, type SecretStore } from '../settings/secretStore';
import { ledgerIdentityRefusal } from './tillIdentity';

/**
 * Where the app's configuration comes from: QFPOS_* variables when any gateway variable is set
 * (as for the CLI, and the tests), otherwise the settings the manager keeps in the app. The
 * settings file and the client key sit beside the ledger.
 *
 * A settings file that is damaged is refused in one line with the way back: it is never replaced
 * by defaults, which would start a real till in training mode with no manager PIN. Nor is a ledger
 * the settings do not name (tillIdentity.ts), whichever way the gateway is configured.
 */
export type AppConfiguration =
  | { readonly ok: true; readonly settings: SettingsService; readonly config: { ok: true; value: TillConfig } }
  | { readonly ok: false; readonly settings?: SettingsService; readonly config: { ok: false; error: ConfigError } };

/** Where each secret is kept: a file only this user can read, or the desktop app's OS-encrypted store. */
export type SecretKeeper = (folder: string, name: SecretName) => SecretStore;

export function appConfiguration(env: NodeJS.ProcessEnv, options: { dbPath?: string; secretStore?: SecretKeeper } = {}): AppConfiguration {
  const dbPath = options.dbPath ?? env.QFPOS_DB ?? join(userDataDir(), 'till.sqlite');
  const folder = dirname(dbPath);
  const keep: SecretKeeper = options.secretStore ?? ((where, name) => userOnlyFileSecretStore(join(where, name)));
  let settings: SettingsService;
  try {
    settings = openSettingsService(folder, keep(folder, 'client-key'), keep(folder, 'head-office-password'));
  } catch (error) {
    if (error instanceof SettingsUnreadable) return { ok: false, config: { ok: false, error: { variable: 'settings', message: error.message } } };
    throw error;
  }
  const fromEnvironment = Boolean(env.QFPOS_GATEWAY || env.QFPOS_APP_CODE || env.QFPOS_CLIENT_KEY);
  const environment = fromEnvironment ? resolveConfig(env, { db: dbPath }) : undefined;
  const refusal = ledgerIdentityRefusal(settings, dbPath, environment ? (environment.ok ? environment.value.environment : undefined) : settings.values().environment);
  if (refusal) return { ok: false, settings, config: { ok: false, error: { variable: 'settings', message: refusal } } };
  if (environment) return withSettings(settings, environment);

  const fromSettings = settings.tillConfig(dbPath);
  if (fromSettings.ok) return { ok: true, settings, config: fromSettings };
  let message = 'the custom gateway URL in Settings is not valid';
  if (fromSettings.error === 'client_key_missing') {
    // The desktop app keeps the key encrypted by the operating system, which only it can open.
    message = existsSync(join(folder, 'client-key.enc'))
      ? 'the client key is kept encrypted by the desktop app: set QFPOS_GATEWAY, QFPOS_APP_CODE and QFPOS_CLIENT_KEY to use this till from here'
      : 'the client key for this environment is missing. To enter it again, start once in training mode with QFPOS_GATEWAY=demo, open Manager, Settings, and save the key; the next normal start uses it.';
  }
  return { ok: false, settings, config: { ok: false, error: { variable: 'settings', message } } };
}

function withSettings(settings: SettingsService, config: Result<TillConfig, ConfigError>): AppConfiguration {
  return config.ok ? { ok: true, settings, config } : { ok: false, settings, config };
}

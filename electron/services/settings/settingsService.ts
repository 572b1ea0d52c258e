import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { parseGatewayUrl, QFPAY_HOSTS } from '../../../shared/qfpay/environments';
import { err, ok, type Result } from '../../../shared/result';
import { settingsProblems, settingsUpdateSchema, tillSettingsSchema, type SettingsProblem, type SettingsUpdate, type TillSettingsValues } from '../../../shared/settings/tillSettings';
import type { TillConfig } from '../config';
import { DEFAULT_TILL_SETTINGS } from '../till/till';
import { hashPin, pinHashSchema, PIN_PATTERN, type PinHash } from './managerPin';
import type { SecretStore } from './secretStore';

/**
 * The app's settings, kept in `settings.json` beside the ledger (no secrets in it), with the
 * client key in its own store and the manager PIN as a hash. It turns them into the till's
 * configuration; a change is validated as a whole and saved atomically, or not at all.
 */

const fileSchema = tillSettingsSchema.extend({ managerPin: pinHashSchema.optional() });
type SettingsFile = z.output<typeof fileSchema>;

/** What the manager's screen may see: everything but the key, and whether a key and a PIN are set. */
export type SettingsView = TillSettingsValues & { clientKeySet: boolean; pinSet: boolean; keyProtection: SecretStore['protection'] };

export function openSettingsService(folder: string, secrets: SecretStore) {
  const path = join(folder, 'settings.json');
  let current: SettingsFile = fileSchema.parse({});
  if (existsSync(path)) {
    const parsed = fileSchema.safeParse(safeJson(readFileSync(path, 'utf8')));
    // A file that does not parse is set aside (kept for inspection), never half-trusted.
    if (parsed.success) current = parsed.data;
    else renameSync(path, `${path}.unreadable-${Date.now()}`);
  }

  function persist(next: SettingsFile): void {
    writeFileSync(`${path}.tmp`, JSON.stringify(next, null, 2), { mode: 0o600 });
    renameSync(`${path}.tmp`, path);
    current = next;
  }

  const view = (): SettingsView => {
    const { managerPin, ...values } = current;
    return { ...values, clientKeySet: secrets.read() !== undefined, pinSet: managerPin !== undefined, keyProtection: secrets.protection };
  };

  return {
    view,
    values: (): TillSettingsValues => view(),
    pinHash: (): PinHash | undefined => current.managerPin,

    /** Validates and saves a change; the key is written only after everything else passed. */
    update(input: unknown): Result<SettingsView, SettingsProblem[] | 'invalid_request'> {
      const parsed = settingsUpdateSchema.safeParse(input);
      if (!parsed.success) return err('invalid_request');
      const { clientKey, confirmLeaveDemo: _consent, ...fields } = parsed.data as SettingsUpdate;
      const next: SettingsFile = { ...current, ...fields, shopName: (fields.shopName ?? current.shopName).trim() };
      const keyWillBeSet = clientKey !== undefined && clientKey !== '' ? true : clientKey === '' ? false : secrets.read() !== undefined;
      const problems = settingsProblems(next, parsed.data, keyWillBeSet, current);
      if (problems.length > 0) return err(problems);
      persist(next);
      if (clientKey === '') secrets.clear();
      else if (clientKey !== undefined) secrets.write(clientKey);
      return ok(view());
    },

    setPin(pin: string): boolean {
      if (!PIN_PATTERN.test(pin)) return false;
      persist({ ...current, managerPin: hashPin(pin) });
      return true;
    },

    /**
     * The till's configuration from these settings; the ledger path is the app's. A real
     * environment whose key has gone missing is an error, never a quiet fall back to demo mode:
     * the cashier must not believe they took real money when they did not, or the reverse.
     */
    tillConfig(dbPath: string): Result<TillConfig, 'client_key_missing' | 'custom_url_invalid'> {
      const base = { tillId: current.tillId, dbPath, pollIntervalMs: current.pollIntervalMs, callBudgetPerMinute: DEFAULT_TILL_SETTINGS.callBudgetPerMinute };
      if (current.environment === 'demo') return ok({ environment: 'demo', ...base });
      const clientKey = secrets.read();
      if (!clientKey) return err('client_key_missing');
      let baseUrl: string;
      if (current.environment === 'custom') {
        const custom = parseGatewayUrl(current.customUrl);
        if (!custom.ok) return err('custom_url_invalid');
        baseUrl = custom.value;
      } else {
        baseUrl = QFPAY_HOSTS[current.environment];
      }
      return ok({
        environment: current.environment,
        baseUrl,
        credentials: { appCode: current.appCode, clientKey, mchid: current.mchid || undefined, signType: current.signType },
        ...base,
      });
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export type SettingsService = ReturnType<typeof openSettingsService>;

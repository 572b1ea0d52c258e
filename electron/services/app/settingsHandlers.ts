import type { ManagerSettingsView } from '../../../shared/ipc/contract';
import type { SettingsUpdate } from '../../../shared/settings/tillSettings';
import { createGatewayClient } from '../gateway/client';
import { checkConnection, CONNECTION_WORDS } from '../gateway/connectionCheck';
import type { TillRuntime } from '../runtime/runtime';
import type { SettingsService } from '../settings/settingsService';
import { TillError } from '../../../shared/errors';
import type { CommandHandlers } from '../ipc/commandHandlers';

/** Settings that change how the till talks to QFPay or its head office: they take effect when the app starts again. */
const RESTART_FIELDS: readonly (keyof SettingsUpdate)[] = [
  'environment',
  'customUrl',
  'appCode',
  'mchid',
  'signType',
  'clientKey',
  'tillId',
  'pollIntervalMs',
  'qrLifetimeMinutes',
  'headOfficeUrl',
  'headOfficePassword',
  'merchantTills',
];

export function createSettingsHandlers(runtime: TillRuntime, settings: SettingsService, changed: () => void) {
  const view = (): ManagerSettingsView => ({ ...settings.view(), activeEnvironment: runtime.config.environment });

  const handlers: Pick<CommandHandlers, 'managerReadSettings' | 'managerSaveSettings' | 'managerTestConnection'> = {
    async managerReadSettings() {
      return { settings: view() };
    },
    async managerSaveSettings(update) {
      // Only what really changes counts: the form sends every field, changed or not.
      const changing = settings.changedFields(update);
      const saved = settings.update(update);
      if (!saved.ok) throw new TillError('settings_invalid', 'settings not saved', { problems: saved.error === 'invalid_request' ? [] : saved.error });
      changed();
      return { settings: view(), restartNeeded: RESTART_FIELDS.some((field) => changing.includes(field)) };
    },
    /** Tests the form's values when they are given (nothing is saved), otherwise the saved settings. */
    async managerTestConnection({ settings: form }) {
      const config = form === undefined ? settings.tillConfig(runtime.config.dbPath) : settings.configFor(form, runtime.config.dbPath);
      if (!config.ok) {
        if (Array.isArray(config.error)) throw new TillError('settings_invalid', 'settings not valid', { problems: config.error });
        return { verdict: 'unreachable', message: CONNECTION_WORDS.unreachable, detail: String(config.error) };
      }
      const gateway =
        config.value.environment === 'demo' || !config.value.baseUrl || !config.value.credentials
          ? runtime.gateway
          : createGatewayClient({ baseUrl: config.value.baseUrl, credentials: config.value.credentials });
      const checked = await checkConnection(gateway, runtime.clock());
      return { verdict: checked.verdict, message: CONNECTION_WORDS[checked.verdict], detail: checked.detail };
    },
  };
  return handlers;
}

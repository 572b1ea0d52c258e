import type { ManagerSettingsView } from '../../../shared/ipc/contract';
import type { SettingsUpdate } from '../../../shared/settings/tillSettings';
import { createGatewayClient } from '../gateway/client';
import { checkConnection, CONNECTION_WORDS } from '../gateway/connectionCheck';
import type { TillRuntime } from '../runtime';
import type { SettingsService } from '../settings/settingsService';
import { TillError } from '../till/till';
import type { CommandHandlers } from './posService';

/** Settings that change how the till talks to QFPay: they take effect when the app starts again. */
const GATEWAY_FIELDS: readonly (keyof SettingsUpdate)[] = ['environment', 'customUrl', 'appCode', 'mchid', 'signType', 'clientKey', 'tillId', 'pollIntervalMs', 'qrLifetimeMinutes'];

export function createSettingsHandlers(runtime: TillRuntime, settings: SettingsService, changed: () => void) {
  const view = (): ManagerSettingsView => ({ ...settings.view(), activeEnvironment: runtime.config.environment });

  const handlers: Pick<CommandHandlers, 'managerReadSettings' | 'managerSaveSettings' | 'managerTestConnection'> = {
    async managerReadSettings() {
      return { settings: view() };
    },
    async managerSaveSettings(update) {
      const saved = settings.update(update);
      if (!saved.ok) throw new TillError('settings_invalid', 'settings not saved', { problems: saved.error === 'invalid_request' ? [] : saved.error });
      changed();
      return { settings: view(), restartNeeded: GATEWAY_FIELDS.some((field) => update[field] !== undefined) };
    },
    /** Tests the settings as saved, which may not be the ones the running till uses yet. */
    async managerTestConnection() {
      const config = settings.tillConfig(runtime.config.dbPath);
      if (!config.ok) return { verdict: 'unreachable', message: CONNECTION_WORDS.unreachable, detail: config.error };
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

import { appConfiguration, type SecretKeeper } from './appConfiguration';
import { HeadOfficeUrlInvalid, parseHeadOfficeUrl } from '../headOffice/connection';
import type { SystemPrint } from '../printing/printService';
import { parsePrinterTarget } from '../printing/tcpPrinter';
import { createDispatcher, type Dispatch } from '../ipc/dispatch';
import { LedgerUnusable } from '../ledger/database';
import { openTillRuntime, type TillRuntime } from '../runtime/runtime';
import type { SettingsService } from '../settings/settingsService';
import { SqliteBindingUnusable } from '../sqlite/openSqlite';
import { createPosService, type PosService } from '../app/posService';

/**
 * Everything behind the windows, opened in one place for the Electron shell and web mode: the
 * configuration, the ledger and gateway, the services, and the one dispatcher every command
 * crosses. A configuration or ledger that cannot be used comes back as words to show, not a stack.
 */
export type OpenedTill =
  | { readonly ok: true; readonly runtime: TillRuntime; readonly pos: PosService; readonly dispatch: Dispatch; close(): Promise<void> }
  | { readonly ok: false; readonly message: string };

export async function openTill(env: NodeJS.ProcessEnv, options: { dbPath?: string; secretStore?: SecretKeeper; systemPrint?: SystemPrint } = {}): Promise<OpenedTill> {
  let runtime: TillRuntime;
  let settings: SettingsService;
  try {
    const configured = appConfiguration(env, options);
    if (!configured.ok) return { ok: false, message: configured.config.error.message };
    settings = configured.settings;
    // QFPOS_HEAD_OFFICE (the CLI's way) wins over the manager's settings, as QFPOS_GATEWAY does.
    const headOffice = env.QFPOS_HEAD_OFFICE ? parseHeadOfficeUrl(env.QFPOS_HEAD_OFFICE) : settings.headOffice();
    const printer = env.QFPOS_PRINTER ? parsePrinterTarget(env.QFPOS_PRINTER) : undefined;
    if (env.QFPOS_PRINTER && !printer) return { ok: false, message: "QFPOS_PRINTER must be a receipt printer: tcp://HOST:9100 (e.g. tcp://192.168.1.50:9100), or system:NAME for one of this computer's printers" };
    runtime = await openTillRuntime(configured.config.value, { settings, headOffice, printer });
  } catch (error) {
    if (error instanceof LedgerUnusable || error instanceof SqliteBindingUnusable || error instanceof HeadOfficeUrlInvalid) return { ok: false, message: error.message };
    throw error;
  }
  const pos = createPosService(runtime, settings, { systemPrint: options.systemPrint });
  const dispatch = createDispatcher(pos.handlers, { managerAccess: pos.managerAccess });
  return {
    ok: true,
    runtime,
    pos,
    dispatch,
    async close() {
      pos.close();
      await runtime.close();
    },
  };
}

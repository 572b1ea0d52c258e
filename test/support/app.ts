import { join } from 'node:path';
import { createPosService } from '../../electron/services/app/posService';
import { resolveConfig } from '../../electron/services/config';
import { createDispatcher } from '../../electron/services/ipc/dispatch';
import { userOnlyFileSecretStore } from '../../electron/services/settings/secretStore';
import { openSettingsService } from '../../electron/services/settings/settingsService';
import { openTillRuntime } from '../../electron/services/runtime';
import { startBridge } from '../../electron/web/bridgeServer';
import type { PrinterTarget } from '../../electron/services/printing/tcpPrinter';
import { TEST_PIN_COST } from './pinCost';
import { tempFolder, tillEnvironment, type TestSimulator } from './simulator';

// From the working directory (the project root under vitest): jsdom's import.meta.url is not a file URL.
export const RENDERER_DIR = join(process.cwd(), 'out', 'renderer');

/**
 * The app's main-process side (ledger, till, poller, POS service, web bridge) against a test
 * simulator, with a movable clock. `restartOf` starts it again on a stopped app's folder, address
 * and screen links, as a restart of `npm run web` does.
 */
/** What a restart keeps of a stopped app: its folder, and the bridge's address and screen tokens. */
export interface KeptApp {
  readonly folder: { readonly path: string; remove(): void };
  readonly bridge: { readonly port: number; readonly tokens: Readonly<Record<'cashier' | 'display', string>> };
}

export async function startTestApp(simulator: TestSimulator | undefined, extra: NodeJS.ProcessEnv = {}, options: { poll?: boolean; restartOf?: KeptApp; headOffice?: URL; printer?: PrinterTarget } = {}) {
  const folder = options.restartOf?.folder ?? tempFolder('qfpos-app-');
  // Without a simulator the app runs in demo mode on its own embedded one, as `npm start` does.
  const environment = simulator ? tillEnvironment(simulator, folder.path, { QFPOS_POLL_INTERVAL_MS: '2000', ...extra }) : { QFPOS_DB: join(folder.path, 'till.sqlite'), ...extra };
  const config = resolveConfig(environment);
  if (!config.ok) throw new Error(config.error.message);
  let offset = 0;
  const clock = () => Date.now() + offset;
  const runtime = await openTillRuntime(config.value, { clock, headOffice: options.headOffice, printer: options.printer });
  const settings = openSettingsService(folder.path, userOnlyFileSecretStore(join(folder.path, 'client-key')), undefined, { pinCost: TEST_PIN_COST });
  if (!options.restartOf) settings.update({ shopName: '茶餐廳 Tea House' });
  const pos = createPosService(runtime, settings);
  const dispatch = createDispatcher(pos.handlers, { managerUnlocked: pos.managerUnlocked, log: () => undefined });
  const kept = options.restartOf?.bridge;
  const bridge = await startBridge({ pos, dispatch, rendererDir: RENDERER_DIR, port: kept?.port, tokens: kept?.tokens });
  if (options.poll !== false) pos.start();
  let stopped = false;
  const shutDown = async () => {
    if (stopped) return;
    stopped = true;
    await bridge.close();
    pos.close();
    await runtime.close();
  };
  return {
    runtime,
    pos,
    dispatch,
    bridge,
    folder,
    settingsPath: join(folder.path, 'settings.json'),
    advance(ms: number) {
      offset += ms;
    },
    /** The main process gone (a crash, a restart): its folder is kept for `restartOf`. */
    shutDown,
    async stop() {
      await shutDown();
      folder.remove();
    },
  };
}

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;

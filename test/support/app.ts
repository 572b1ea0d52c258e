import { join } from 'node:path';
import { beforeAll } from 'vitest';
import { createPosService } from '../../electron/services/app/posService';
import { resolveConfig } from '../../electron/services/config/config';
import { createDispatcher } from '../../electron/services/ipc/dispatch';
import { userOnlyFileSecretStore } from '../../electron/services/settings/secretStore';
import { openSettingsService } from '../../electron/services/settings/settingsService';
import { openTillRuntime } from '../../electron/services/runtime/runtime';
import { startBridge, type BridgeOptions } from '../../electron/web/bridgeServer';
import { readWebLinks, saveWebLinks } from '../../electron/web/webLinks';
import type { EventName, Role } from '../../shared/ipc/contract';
import type { PrinterTarget } from '../../electron/services/printing/tcpPrinter';
import { TEST_PIN_COST } from './pinCost';
import { lateBound, sharedByBlock } from './scope';
import { startTestSimulator, tempFolder, tillEnvironment, type TestSimulator } from './simulator';

// From the working directory (the project root under vitest): jsdom's import.meta.url is not a file URL.
export const RENDERER_DIR = join(process.cwd(), 'out', 'renderer');

/**
 * The app's main-process side (ledger, till, poller, POS service, web bridge) against a test
 * simulator, with a movable clock. `restartOf` starts it again on a stopped app's folder and
 * address, with the screens paired before (web-links.json in its folder), as a restart of
 * `npm run web` does. Screens are opened from `app.bridge.pairingLink(role)`: a new one-time link
 * each time, as the till prints them.
 */
/** What a restart keeps of a stopped app: its folder (with web-links.json), and the bridge's address. */
export interface KeptApp {
  readonly folder: { readonly path: string; remove(): void };
  readonly bridge: { readonly port: number };
}

/** The test's own calls (not a screen's): one screen of their own, as a script at the till would be. */
export const HARNESS_SCREEN = 'test-harness';

export interface TestAppOptions {
  readonly poll?: boolean;
  readonly restartOf?: KeptApp;
  readonly headOffice?: URL;
  readonly printer?: PrinterTarget;
  /** Web mode's bridge as `npm run web -- --host` would start it, and its limits. */
  readonly bridge?: Pick<BridgeOptions, 'host' | 'limits' | 'streamLimits' | 'pairingTtlMs'>;
}

export async function startTestApp(simulator: TestSimulator | undefined, extra: NodeJS.ProcessEnv = {}, options: TestAppOptions = {}) {
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
  const dispatchAs = createDispatcher(pos.handlers, { managerAccess: pos.managerAccess, log: () => undefined });
  // As web mode does: the paired screens kept beside the ledger, read again at a restart.
  const kept = options.restartOf ? readWebLinks(folder.path).links : undefined;
  let port = 0;
  const bridge = await startBridge({
    pos,
    dispatch: dispatchAs,
    rendererDir: RENDERER_DIR,
    port: options.restartOf?.bridge.port,
    paired: kept?.screens,
    keepPaired: (screens) => saveWebLinks(folder.path, { port, screens }),
    certificateFolder: folder.path,
    ...options.bridge,
  });
  port = bridge.port;
  /** A command as the test's own screen sends it (or another named screen's). */
  const dispatch = (role: Role, name: string, payload: unknown, session = HARNESS_SCREEN) => dispatchAs({ role, session }, name, payload);
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

/**
 * A window's event subscription straight onto the app's services, as a PosTransport's `subscribe`.
 * fileSaved is the Electron shell's own event (no service raises it): nothing is heard of it here.
 */
export function subscribeToServices(app: TestApp) {
  return (event: EventName, listener: (payload: unknown) => void): (() => void) => {
    if (event === 'fileSaved') return () => undefined;
    app.pos.events.on(event, listener);
    return () => app.pos.events.off(event, listener);
  };
}

/**
 * A sale charged as the cashier's screen charges it (`charge`: the command's payload), paid by the
 * customer at the simulator, and the till told at once, as its poller would be: the order's number.
 */
export async function chargeAndPay(app: TestApp, simulator: TestSimulator, charge: { readonly amount: number; readonly wallet: string; readonly [field: string]: unknown }): Promise<string> {
  const charged = (await app.dispatch('cashier', 'charge', charge)) as { ok: boolean; value: { order: { outTradeNo: string } } };
  if (!charged.ok) throw new Error(`charge refused: ${JSON.stringify(charged)}`);
  const number = charged.value.order.outTradeNo;
  await simulator.control('POST', `orders/${number}/pay`);
  await app.runtime.poller.reconcile();
  return number;
}

/** How a block's app starts: fixed, or from what the block's own beforeAll made (a printer, a head office). */
export type AppOptionsOf = TestAppOptions | (() => TestAppOptions | Promise<TestAppOptions>);

/**
 * A simulator and an app on it for the file or describe block this is called in: started before
 * its tests, stopped after them. No background poller unless `options` asks for one: the test
 * decides when the till asks QFPay. `extra`: the app's environment beyond the simulator's
 * (QFPOS_CALL_BUDGET, say). `restartApp()` restarts that app on its folder and address, as it was
 * started, and `app` is the new one from then on. `options: false` starts no app: the tests start
 * their own with `startApp` (startTestApp on this simulator, its poller on unless they say
 * otherwise), each stopped after the test that started it, or after the block when its set-up
 * did. `app` and `simulator` may be destructured at the top of a file (see lateBound).
 */
export function appOnSimulator(extra: NodeJS.ProcessEnv = {}, options: AppOptionsOf | false = {}) {
  const { service: simulator, started, closeAfterUse } = sharedByBlock('appOnSimulator', () => startTestSimulator(), (stopping) => stopping.stop());
  let app: TestApp | undefined;
  let appOptions: TestAppOptions = {};
  const startApp = async (env: NodeJS.ProcessEnv = extra, startOptions: TestAppOptions = {}): Promise<TestApp> => {
    const starting = await startTestApp(simulator, env, startOptions);
    closeAfterUse(() => starting.stop());
    return starting;
  };
  if (options !== false) {
    beforeAll(async () => {
      appOptions = { poll: false, ...(typeof options === 'function' ? await options() : options) };
      app = await startTestApp(started(), extra, appOptions);
      // Whichever app is the block's by then (restartApp replaces it).
      closeAfterUse(() => app?.stop());
    }, 30_000);
  }
  return {
    app: lateBound('appOnSimulator', () => app, options === false ? 'it starts no app of the block (options: false); see startApp' : undefined),
    simulator,
    startApp,
    /** The block's app shut down (unless it is already) and started again on its folder and address. */
    async restartApp(): Promise<TestApp> {
      const stopped = app;
      if (!stopped) throw new Error('appOnSimulator: restartApp with no app of the block running');
      await stopped.shutDown();
      app = await startTestApp(simulator, extra, { ...appOptions, restartOf: stopped });
      return app;
    },
  };
}

import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DEMO_GATEWAY_URL, type GatewayIdentity } from '../../../shared/qfpay/environments';
import type { TillConfig } from '../config/config';
import { headOfficeLink, headOfficePool } from '../headOffice/connection';
import { createSharedCallBudget, merchantKey, postgresDrawCalls } from '../headOffice/sharedCallBudget';
import { createHeadOfficeSync } from '../headOffice/syncService';
import type { PrinterTarget } from '../printing/tcpPrinter';
import { startVirtualPrinter } from '../printing/virtualPrinter';
import { createGatewayClient, type GatewayClient } from '../gateway/client';
import { ledgerIdOf, openLedgerDatabase, type LedgerDatabase } from '../ledger/database';
import { holdsRealMoney } from '../ledger/queries/ownership';
import { createLedgerCheck } from '../ledger/integrity';
import { keepManagerPin, ledgerManagerPin } from '../ledger/ledgerPin';
import type { PinHash } from '../settings/managerPin';
import { markRunning } from '../ledger/runningMarks';
import { createLedgerStore } from '../ledger/ledgerStore';
import { startSimulator } from '../../simulator/server';
import { createPoller, type Poller } from '../till/poller';
import { createPushedConfirmations } from '../headOffice/pushedConfirmations';
import { createTill } from '../till/till';
import { DEFAULT_TILL_SETTINGS, type TillSettings } from '../config/tillSettings';

/** What the settings know of the ledger: the one they expect, and how to remember a new one. */
export interface LedgerMemory {
  ledgerId(): string | undefined;
  rememberLedger(id: string, ledgerHoldsRealMoney: boolean, ledgerPin?: PinHash): void;
  /** The manager PIN's hash, which the ledger keeps a copy of so that it can be adopted with it alone. */
  pinHash?(): PinHash | undefined;
  onPinSet?(listener: (hash: PinHash) => void): () => void;
}

/**
 * Opens the till's ledger as its settings expect it (an empty or replaced one is refused), and
 * has the settings remember the ledger the first time one is opened.
 */
export function openTillLedger(dbPath: string, memory?: LedgerMemory): LedgerDatabase {
  mkdirSync(dirname(dbPath), { recursive: true, mode: 0o700 });
  const db = openLedgerDatabase(dbPath, { ledgerId: memory?.ledgerId() });
  // While it is open, a restore refuses to swap the file away from under this process.
  const release = markRunning(dbPath);
  const close = db.close.bind(db);
  db.close = () => {
    release();
    return close();
  };
  try {
    if (memory && memory.ledgerId() === undefined) memory.rememberLedger(ledgerIdOf(db), holdsRealMoney(db), ledgerManagerPin(db));
    if (memory?.ledgerId() === ledgerIdOf(db)) keepManagerPin(db, memory.pinHash?.());
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * Everything a till needs, opened from its configuration: the ledger, the gateway (QFPay, or in
 * demo mode the embedded simulator with its own SQLite file beside the ledger), the till and its
 * poller. The CLI uses it; the desktop app and web mode use it too.
 *
 * `clock` lets tests move the till's time (a QR deadline) without waiting for it; `settings`
 * remember which ledger this till keeps.
 */
export async function openTillRuntime(
  config: TillConfig,
  options: {
    clock?: () => number;
    gateway?: GatewayClient;
    settings?: LedgerMemory;
    headOffice?: URL;
    printer?: PrinterTarget;
    /** Paces a test or a bench sets (the pushed safety net, the live QR's checks). */
    pace?: Partial<Pick<TillSettings, 'liveCheckIntervalMs' | 'pushedCheckIntervalMs'>>;
  } = {},
) {
  const db = openTillLedger(config.dbPath, options.settings);
  const store = createLedgerStore(db);
  const ledgerCheck = createLedgerCheck(db, config.dbPath);
  const stopKeepingPin = options.settings?.onPinSet?.((hash) => keepManagerPin(db, hash));

  let simulator: Awaited<ReturnType<typeof startSimulator>> | undefined;
  let gateway: GatewayClient;
  try {
    if (options.gateway) {
      gateway = options.gateway;
    } else if (config.environment === 'demo') {
      // The demo gateway's orders live beside the ledger, so demo orders survive a restart too.
      simulator = await startSimulator({
        dbPath: join(dirname(config.dbPath), 'demo-gateway.sqlite'),
        stablePort: true,
        // Its training wallet page counts down the till's own lifetime of the QR, as the screens do.
        tillDeadline: (outTradeNo) => (db.open ? store.orderByNumber(outTradeNo)?.qrDeadline : undefined),
      });
      gateway = createGatewayClient({ baseUrl: simulator.url, credentials: { ...simulator.credentials, signType: 'SHA256' } });
    } else {
      if (!config.baseUrl || !config.credentials) throw new Error('a real gateway needs a URL and credentials');
      gateway = createGatewayClient({ baseUrl: config.baseUrl, credentials: config.credentials });
    }
  } catch (error) {
    stopKeepingPin?.();
    db.close();
    throw error;
  }
  // Training prints on paper only if a printer is named; otherwise to a printer of its own, whose slips the demo page shows.
  const virtualPrinter = config.environment === 'demo' && !options.printer ? await startVirtualPrinter() : undefined;

  // Where this till's orders are made: the embedded demo gateway's address changes at each launch.
  const identity: GatewayIdentity = {
    environment: config.environment,
    baseUrl: config.environment === 'demo' ? DEMO_GATEWAY_URL : gateway.baseUrl,
    appCode: gateway.appCode,
    mchid: gateway.mchid,
  };
  // With a head office, the merchant's calls are shared by its tills; its own pool, so that a
  // draw never queues behind a shipment.
  // An address refused for want of TLS shares nothing: the till keeps to its local share, and the head office line says why.
  const sharedThrough = options.headOffice && headOfficeLink(options.headOffice).ok ? options.headOffice : undefined;
  const budgetPool = sharedThrough ? headOfficePool(sharedThrough, { max: 1, timeoutMs: 2_000 }) : undefined;
  const callBudget =
    options.headOffice && budgetPool
      ? createSharedCallBudget({
          draw: postgresDrawCalls(budgetPool, options.headOffice, merchantKey(identity.environment, identity.appCode), config.tillId),
          localPerMinute: config.callBudgetPerMinute,
          clock: options.clock,
        })
      : undefined;
  const till = createTill({
    store,
    gateway,
    clock: options.clock,
    callBudget,
    beforeMoney: ledgerCheck.beforeMoney,
    settings: { ...DEFAULT_TILL_SETTINGS, ...options.pace, tillId: config.tillId, gateway: identity, pollIntervalMs: config.pollIntervalMs, callBudgetPerMinute: config.callBudgetPerMinute },
  });
  // With a head office, QFPay's pushes tell the till when to look; its own checks become a safety net.
  const push = sharedThrough
    ? createPushedConfirmations({
        url: sharedThrough,
        tillId: config.tillId,
        appCode: identity.appCode,
        till,
        clock: options.clock,
        lookNow: () => poller.lookNow(),
        paceChanged: () => poller.paceChanged(),
      })
    : undefined;
  const poller: Poller = createPoller(till, options.clock, push);
  // A live QR under pushes needs no calls held for its checks: the notification's one query is the cashier's priority.
  callBudget?.watchLive(() => till.hasLiveQr() && !push?.pushed());
  const headOffice = options.headOffice ? createHeadOfficeSync({ url: options.headOffice, ledgerPath: config.dbPath, tillId: config.tillId, clock: options.clock }) : undefined;
  return {
    config,
    clock: options.clock ?? Date.now,
    store,
    gateway,
    till,
    poller,
    simulator,
    /** Background shipping to the head office, when one is configured: started with the app, not by the CLI. */
    headOffice,
    /** The merchant's calls shared through the head office, when one is configured. */
    callBudget,
    /** QFPay's pushes through the head office's relay, when one is configured. */
    push,
    /** The head office's address (with its password: for the main process only). */
    headOfficeUrl: options.headOffice,
    /** QFPOS_PRINTER, which wins over the printer in Settings (as QFPOS_GATEWAY does). */
    printerOverride: options.printer,
    /** Demo mode's own receipt printer, when no real one is named. */
    virtualPrinter,
    /** The ledger file's full check: before money moves, and in the app soon after it starts. */
    ledgerCheck,
    async close() {
      const checkEnded = ledgerCheck.stop();
      await poller.stop();
      await headOffice?.stop();
      await callBudget?.stop();
      await budgetPool?.end();
      await simulator?.close();
      await virtualPrinter?.close();
      stopKeepingPin?.();
      db.close();
      // The ledger's background check reads the file through its own connection: the till is closed once it has let go.
      await checkEnded;
    },
  };
}

export type TillRuntime = Awaited<ReturnType<typeof openTillRuntime>>;

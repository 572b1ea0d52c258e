import { EventEmitter } from 'node:events';
import { hongKongDay, hongKongDayRange } from '../../../shared/hkTime';
import type { ServiceEventPayloads, SettingsView } from '../../../shared/ipc/contract';
import type { OrderRecord } from '../ledger/ledgerStore';
import type { TillRuntime } from '../runtime/runtime';
import { TillError } from '../../../shared/errors';
import { ACTION_WAIT_MS } from '../till/callBudget';
import type { SettingsService } from '../settings/settingsService';
import { createCustomerDisplay } from './customerDisplay';
import { createManagerHandlers } from './managerHandlers';
import { createManagerSessions } from './managerSession';
import type { ManagerAccess } from '../ipc/caller';
import { createSettingsHandlers } from './settingsHandlers';
import { createSlipHandlers } from './slipHandlers';
import type { SystemPrint } from '../printing/printService';
import { createStoreHandlers } from './storeHandlers';
import { openPeriod, unresolvedItems } from '../reports/periods';
import type { CommandHandlers } from '../ipc/commandHandlers';
import { createCounter } from './counter';
import { createViews } from './views';

/** How long after the app starts the ledger's full check runs: the screens are up by then. */
const LEDGER_CHECK_DELAY_MS = 1_000;

/**
 * The app's services behind the contract: every command's handler, and the events the screens
 * hear. Electron's IPC and the web bridge both serve exactly this.
 */

type PosEvents = { [E in keyof ServiceEventPayloads]: [ServiceEventPayloads[E]] };

export function createPosService(runtime: TillRuntime, settings: SettingsService, options: { systemPrint?: SystemPrint } = {}) {
  const clock = runtime.clock;
  const demo = runtime.config.environment === 'demo';
  const display = createCustomerDisplay({ shopName: () => settings.view().shopName, demo, clock });
  const manager = createManagerSessions(settings, clock);
  const events = new EventEmitter<PosEvents>();
  const views = createViews(runtime);
  const counter = createCounter({ store: runtime.store, isMine: runtime.till.isMine, saleInProgress: runtime.till.saleInProgress, clock, views });
  // After a restart, the customer sees the QR of the sale still waiting, and can scan it again.
  const live = counter.live();
  if (live) display.follow(live);
  let followNextCreated = false;

  const settingsView = (): SettingsView => ({
    shopName: settings.view().shopName,
    language: settings.view().language,
    tillId: runtime.config.tillId,
    environment: runtime.config.environment,
    demo,
    clientKeySet: runtime.config.credentials !== undefined,
    paidChime: settings.view().paidChime,
    headOffice: runtime.headOfficeUrl !== undefined,
  });

  const onOrder = (order: OrderRecord) => {
    // The head office hears of each change soon after; the sale never waits for it. Nor for the printer.
    runtime.headOffice?.changed();
    slips.orderChanged(order);
    if (followNextCreated && order.state === 'created') {
      followNextCreated = false;
      display.follow(order);
      counter.startSale(order);
    } else {
      display.update(order);
    }
    counter.orderChanged();
    events.emit('orderUpdated', views.order(order));
  };
  runtime.till.events.on('order', onOrder);
  const onRefund = () => counter.orderChanged();
  runtime.till.events.on('refund', onRefund);
  display.events.on('changed', (state) => events.emit('displayChanged', state));
  counter.events.on('changed', (state) => events.emit('counterChanged', state));

  const store = createStoreHandlers(runtime);
  const slips = createSlipHandlers(runtime, settings, options.systemPrint);

  /** A sale for the next customer, whichever code is shown: the counter and the display follow it. */
  async function counterSale(take: () => Promise<OrderRecord>) {
    // A call shared with the other tills may be on its way: waited for before the checks below,
    // which then run to the till's charge with nothing awaited in between.
    await runtime.till.budget.readyForAction?.(ACTION_WAIT_MS);
    followNextCreated = true;
    try {
      // One customer at a time (shared/ledger/saleInProgress): the till refuses while a sale holds the counter.
      const order = await take();
      return { order: views.order(order) };
    } catch (error) {
      // A sale this screen did not start holds the counter (the CLI's, or one a crash left): the
      // cashier is shown it, with a working Cancel, and the customer its QR, as for any live sale.
      const holding = error instanceof TillError && error.code === 'payment_in_progress' ? runtime.till.saleInProgress() : undefined;
      if (holding && counter.live()?.id !== holding.id) {
        counter.startSale(holding);
        display.follow(holding);
      }
      throw error;
    } finally {
      followNextCreated = false;
    }
  }

  const handlers: CommandHandlers = {
    charge: ({ amount, wallet, alipayRegion }) => counterSale(() => runtime.till.chargeNextCustomer({ wallet, amount, alipayRegion })),
    chargeCustomerCode: ({ amount, authCode, wallet }) => counterSale(() => runtime.till.chargeCustomerCodeNextCustomer({ amount, authCode, wallet })),
    async cancel({ outTradeNo }) {
      return { order: views.order(await runtime.till.cancel(outTradeNo)) };
    },
    async orderStatus({ outTradeNo }) {
      return { order: views.order(runtime.till.order(outTradeNo)) };
    },
    async todayOrders() {
      const { start, end } = hongKongDayRange(hongKongDay(clock()));
      // The cashier sees what waits for a manager (from any day) and which period today's sales go into.
      const unresolved = unresolvedItems(runtime.store, runtime.till.isMine);
      return {
        orders: views.orders(runtime.store.ordersCreatedBetween(start, end).reverse()),
        beforeManager: unresolved.beforeManager + unresolved.latePayments,
        openPeriod: openPeriod(runtime.store, clock()).number,
        notPrinted: slips.notPrinted(),
      };
    },
    async readSettings() {
      return { settings: settingsView() };
    },
    async setLanguage({ language }) {
      const saved = settings.update({ language });
      if (!saved.ok) throw new TillError('settings_invalid', 'settings not saved', { problems: saved.error === 'invalid_request' ? [] : saved.error });
      const view = settingsView();
      events.emit('settingsChanged', view);
      display.refresh();
      return { settings: view };
    },
    async readDisplayState() {
      return { display: display.state() };
    },
    async readCounter() {
      return { counter: counter.state() };
    },
    async newSale() {
      return { counter: counter.newSale() };
    },
    async acknowledgeLatePayment({ outTradeNo }) {
      return { counter: counter.acknowledge(outTradeNo) };
    },
    ...createManagerHandlers(runtime, manager, views),
    ...store.handlers,
    ...slips.handlers,
    ...createSettingsHandlers(runtime, settings, () => {
      events.emit('settingsChanged', settingsView());
      display.refresh();
    }),
  };

  return {
    handlers,
    managerAccess: (session: string): ManagerAccess => (!manager.of(session).isUnlocked() ? 'manager_locked' : settings.pinChangeRequired() ? 'pin_change_required' : 'open'),
    /** A screen went away (a window closed or reloaded, a tab gone): the manager's access there ends. */
    endScreen: (session: string) => manager.end(session),
    /** How many screens hold the manager's access (a count, for the tests and the bench). */
    managerScreens: () => manager.unlockedCount(),
    events,
    settings: settingsView,
    display,
    start() {
      // Off the start's path, but before the first customer as a rule: a damaged file refuses the sale in words.
      runtime.ledgerCheck.inBackground(LEDGER_CHECK_DELAY_MS);
      runtime.poller.start();
      runtime.headOffice?.start();
      slips.start();
    },
    counter,
    close() {
      runtime.till.events.off('order', onOrder);
      runtime.till.events.off('refund', onRefund);
      display.close();
      counter.close();
      void store.close();
      void slips.stop();
    },
  };
}

export type PosService = ReturnType<typeof createPosService>;

import type { z } from 'zod';
import type { BooksCheck } from '../ledger/chain';
import type { AttentionReason } from '../ledger/evidence';
import type { PAYMENT_STATES, PaymentState, REFUND_STATES } from '../ledger/lifecycle';
import type { ReconciliationResult } from '../ledger/reconcileDay';
import type { EnvironmentTotals, PeriodReport } from '../ledger/reportTypes';
import type { TillSettingsValues } from '../settings/tillSettings';
import type { PaymentMode, WalletId } from '../wallets';
import type { COMMAND_SCHEMAS } from './schemas';

/**
 * The one contract between the views and the main process, for Electron IPC and the web bridge
 * alike: each command's roles (the customer display may only read its display state), and the
 * types of its request, response and events. Each request's schema, checked at the boundary in
 * the main process, is in ./schemas.ts; this file imports nothing at run time, so the preloads
 * that build their API from it stay small. Change a command here and in the schemas, and the
 * preload, the handlers and the bridge follow (the type check says where).
 */

export type Role = 'cashier' | 'display';
export type Language = 'en' | 'zh-HK';


/** Which period an item's money counted in: a closed Z report, or the open period (the next Z). */
export interface PeriodMark {
  readonly number: number;
  readonly open: boolean;
}

/** What the cashier sees of an order. No QR (customers scan the display), no request fields. */
export interface OrderView {
  readonly outTradeNo: string;
  readonly wallet: WalletId;
  /** Who showed the code: the till's QR (MPM) or the customer's own wallet (CPM). */
  readonly mode: PaymentMode;
  /** CPM: the customer's code as the till keeps it (`28…5836`); the code itself never leaves the till's request. */
  readonly authCodeMasked: string | null;
  readonly amount: number;
  readonly state: (typeof PAYMENT_STATES)[number];
  readonly createdAt: number;
  readonly qrDeadline: number;
  readonly respcd: string | null;
  readonly message: string | null;
  readonly refunded: number;
  readonly cancelRequested: boolean;
  /** QFPay has said nobody can pay it any more (paid, closed, reversed or expired at QFPay). */
  readonly gatewaySettled: boolean;
  /** Why a manager must look at it (QFPay gave no final answer in time...), or null. */
  readonly attention: AttentionReason | null;
  readonly attentionSince: number | null;
  /** The environment it was made on when that is not this till's gateway: shown, never acted on. */
  readonly madeOn: string | null;
  /** The period its payment counted in, once paid. */
  readonly period: PeriodMark | null;
}

/** Everything the customer display may know, and nothing more. */
export type DisplayState =
  | { readonly mode: 'idle'; readonly shopName: string; readonly demo: boolean; readonly serverNow: number }
  | {
      readonly mode: 'payment';
      readonly shopName: string;
      readonly demo: boolean;
      readonly serverNow: number;
      readonly amount: number;
      readonly wallet: WalletId;
      /** `mpm`: the customer scans our QR; `cpm`: the cashier scanned the customer's own code, and there is no QR. */
      readonly paymentMode: PaymentMode;
      /** The gateway's string, unchanged, while the QR may be scanned; null once it may not (and always for `cpm`). */
      readonly qrcode: string | null;
      /**
       * `cpm` only: QFPay answered that the customer is confirming in their wallet (1143/1145);
       * false while the code is still being charged, and always for `mpm`.
       */
      readonly confirming: boolean;
      /** The one clock: when the QR stops (`cpm`: when the till stops waiting for the customer's confirmation), in the main process's time. */
      readonly deadline: number;
    }
  | {
      readonly mode: 'result';
      readonly shopName: string;
      readonly demo: boolean;
      readonly serverNow: number;
      readonly amount: number;
      readonly wallet: WalletId;
      readonly paymentMode: PaymentMode;
      readonly result: 'paid' | 'expired' | 'cancelled' | 'failed' | 'checking';
      /**
       * The QR was withdrawn at the till but QFPay may still take payment for it (a wallet
       * without a cancel endpoint, or one that did not confirm): tell the customer not to pay it.
       */
      readonly doNotPay: boolean;
      /** The order's number, for the customer to quote (a dispute or a refund starts from it). */
      readonly outTradeNo: string;
    };

/**
 * What the counter is doing, held by the main process so that every cashier window (a reload,
 * a second window, a restart of the app) shows the same thing and can act on it.
 */
export interface CounterState {
  /** The order on the counter, from its charge until the next sale; null when the counter is free. */
  readonly current: OrderView | null;
  /** Payments that arrived after cancel or expiry, until someone at the counter acknowledges them. */
  readonly lateAlerts: readonly OrderView[];
  /** Items before a manager (and late payments to decide), from any day. */
  readonly beforeManager: number;
  /** The period today's sales go into. */
  readonly openPeriod: number;
  readonly serverNow: number;
}

/** A refund as the manager sees it. */
export interface RefundView {
  readonly outTradeNo: string;
  readonly orderOutTradeNo: string;
  readonly amount: number;
  readonly state: (typeof REFUND_STATES)[number];
  readonly createdAt: number;
  readonly respcd: string | null;
  readonly message: string | null;
  readonly attention: AttentionReason | null;
  readonly attentionSince: number | null;
  /** The period it counted in, once it succeeded. */
  readonly period: PeriodMark | null;
}

export interface OrderDetail {
  readonly order: OrderView;
  readonly refunds: readonly RefundView[];
  readonly history: readonly { readonly fromState: string | null; readonly toState: string; readonly cause: string; readonly detail: string | null; readonly at: number }[];
  /** A manager's decisions about it or its refunds, with their reasons. */
  readonly decisions: readonly { readonly outTradeNo: string; readonly decision: string; readonly reason: string; readonly at: number }[];
}

/** Whether the head office has this till's books: off (none configured), in sync, behind, or unreachable since. */
export type HeadOfficeStatus =
  | { readonly state: 'off' }
  | { readonly state: 'starting' }
  | { readonly state: 'in_sync'; readonly at: number }
  | { readonly state: 'behind'; readonly records: number; readonly at: number }
  | { readonly state: 'unreachable'; readonly since: number; readonly reason: string }
  /** Refused for a reason only a person can mend: `code` for the screen's words, `reason` for the log and the CLI. */
  | { readonly state: 'refused'; readonly since: number; readonly code: HeadOfficeRefusal; readonly reason: string };

/**
 * How this till learns of payments, for the manager's head-office line: QFPay's pushes through the
 * head office's relay (its own checks then a slow safety net), or checking QFPay itself, and why.
 */
export type PollingReason = 'not_listening' | 'no_relay' | 'no_notifications' | 'notifications_missed';
export type ConfirmationStatus =
  | { readonly mode: 'pushed'; readonly checkEveryMs: number }
  | { readonly mode: 'polling'; readonly checkEveryMs: number; readonly reason: PollingReason };

/**
 * Why a head office refuses a till: its id keeps another ledger's books, its tables are newer than
 * this app, the books (the till's or the head office's copy) do not verify against their chain, or
 * its link would not be encrypted (no TLS over the network, or a certificate that does not verify).
 */
export type HeadOfficeRefusal = 'till_id_taken' | 'schema_newer' | 'books_tampered' | 'insecure_link';

export interface DayView {
  readonly day: string;
  /** The environment this till runs: other environments' items are shown apart, never added to its money. */
  readonly environment: string;
  /** How many orders and refunds were made on the day: their rows come a page at a time (managerDayOrders, managerDayRefunds). */
  readonly orderCount: number;
  readonly refundCount: number;
  /** The day's orders paid after cancel or expiry, for a manager to keep or refund. */
  readonly latePayments: readonly OrderView[];
  /** The money that became final on the day, by environment: what the day's export adds up to. */
  readonly totals: readonly EnvironmentTotals[];
  /** The open period (an X report), and the closed periods that touch the day. */
  readonly openPeriod: PeriodReport;
  readonly closedPeriods: readonly PeriodReport[];
  /** The latest comparison of the day with QFPay, if one was made. */
  readonly reconciliation: ReconciliationResult | null;
  /** Everything before a manager now, from any day. */
  readonly beforeManager: { readonly orders: readonly OrderView[]; readonly refunds: readonly RefundView[] };
  readonly headOffice: HeadOfficeStatus;
  /** How this till learns of payments (null without a head office). */
  readonly confirmations: ConfirmationStatus | null;
  /** This till's books behind the day (its history from the day's first row to now), checked against their hash chain. */
  readonly books: BooksCheck;
}

// Its own module: the preloads import this contract, and must not pull in the schemas (and zod) with it.
export { MAX_DAY_ROWS, MAX_RANGE_DAYS } from './limits';

/** One slot of a range's sales: an hour of a day, or a day of a longer range. */
export interface SalesBucket {
  /** `HH` ('00'..'23') for an hour, `YYYY-MM-DD` for a day. */
  readonly label: string;
  /** When the slot starts, epoch ms. */
  readonly start: number;
  /** Payments that became final (paid) in the slot, and their sum in minor units. */
  readonly payments: number;
  readonly amount: number;
  /** The sum refunded in the slot, in minor units. */
  readonly refunds: number;
}

/**
 * The sales of a range of Hong Kong business days at a glance (`managerSales`): the money by
 * environment and wallet, how many orders and refunds were made, and this till's environment by
 * hour (one day) or by day (a range), for a chart.
 */
export interface SalesView {
  /** YYYY-MM-DD, Hong Kong business days, both included. */
  readonly from: string;
  readonly to: string;
  /** This till's environment. */
  readonly environment: string;
  /** The money that became final in [start of from, end of to), by environment: the same rules as the day's money (DayView.totals). */
  readonly totals: readonly EnvironmentTotals[];
  /** Orders and refunds made in the range, of every environment (as DayView's counts). */
  readonly orderCount: number;
  readonly refundCount: number;
  /**
   * This till's environment only: payments and refunds by hour (from === to) or by day (a range),
   * every slot present, zeros included, in order. A slot's money is counted when it became final,
   * as in `totals`: the slots add up to this environment's totals.payments and totals.refunds.
   */
  readonly buckets: { readonly unit: 'hour' | 'day'; readonly rows: readonly SalesBucket[] };
}

/** A page of the day's rows: those from `offset`, and how many match in all. */
export interface DayRows<Row> {
  readonly offset: number;
  readonly matching: number;
  readonly rows: readonly Row[];
}

/** A slip for the receipt printer, as the screens see it: printed, or waiting to be (with why). */
export interface SlipView {
  readonly kind: 'payment' | 'refund' | 'period';
  readonly ref: string;
  readonly state: 'queued' | 'printed' | 'not_printed';
  readonly attempts: number;
  readonly lastError: string | null;
  /** Why it did not print, for the screen's words (lastError is the technical detail). */
  readonly errorCode: 'off' | 'no_answer' | 'failed' | null;
  readonly printedAt: number | null;
}

/** The store view's filters: the day's orders of one till, wallet or state (the totals stay whole). */
export interface StoreViewFilters {
  readonly tillId?: string;
  readonly wallet?: WalletId;
  readonly state?: PaymentState;
}

export interface StoreOrderRow {
  readonly tillId: string;
  readonly outTradeNo: string;
  readonly createdAt: number;
  readonly environment: string;
  readonly wallet: WalletId;
  readonly amount: number;
  readonly state: PaymentState;
  readonly refunded: number;
}

/** The business day across every till, from the head office. */
export interface StoreDayView {
  readonly day: string;
  /** Every till that ever shipped, and when it last did. */
  readonly tills: readonly { readonly tillId: string; readonly lastShipped: number }[];
  readonly store: readonly EnvironmentTotals[];
  readonly byTill: readonly { readonly tillId: string; readonly totals: readonly EnvironmentTotals[] }[];
  /** The day's orders as filtered, newest first, at most 500; `matching` counts them all. */
  readonly orders: readonly StoreOrderRow[];
  readonly matching: number;
  /** Each till's Z reports that touch the day. */
  readonly zReports: readonly { readonly tillId: string; readonly number: number; readonly openedAt: number; readonly closedAt: number; readonly environments: readonly EnvironmentTotals[] }[];
  /** Each till's books behind the day at the head office, checked against its hash chain. */
  readonly books: readonly { readonly tillId: string; readonly books: BooksCheck }[];
  /** How fresh this till's own shipment is (the others' is their last shipment above). */
  readonly headOffice: HeadOfficeStatus;
  readonly confirmations: ConfirmationStatus | null;
}

/** Everything the manager's settings screen may see: never the client key, only whether it is set. */
export type ManagerSettingsView = TillSettingsValues & {
  readonly clientKeySet: boolean;
  readonly pinSet: boolean;
  readonly keyProtection: 'os-encrypted' | 'user-only-file';
  /** Whether the head office's password is set; it never leaves the main process either. */
  readonly headOfficePasswordSet: boolean;
  /** The environment the running till uses (a change to the gateway takes effect on restart). */
  readonly activeEnvironment: string;
};

/**
 * The manager PIN's state as the PIN screen needs it: `pinSet` false on first use; `locked` after
 * too many wrong PINs (even the right one is refused until `retryAt`); `unlockedForMs`, this
 * screen's access left before it locks for lack of use (0: locked), out of `idleLimitMs`.
 */
export interface ManagerGate {
  readonly pinSet: boolean;
  readonly locked: { readonly retryInMs: number; readonly retryAt: number } | null;
  readonly unlockedForMs: number;
  readonly idleLimitMs: number;
}

export interface SettingsView {
  readonly shopName: string;
  readonly tillId: string;
  readonly environment: string;
  readonly demo: boolean;
  readonly language: Language;
  /** Whether a client key is configured; the key itself never leaves the main process. */
  readonly clientKeySet: boolean;
  /** A short chime when a payment is confirmed (a late payment always chimes). */
  readonly paidChime: boolean;
  /** Whether a head office is configured: the manager's screen then offers the store view. */
  readonly headOffice: boolean;
}

export const COMMANDS = {
  charge: { roles: ['cashier'] },
  /** A payment with the customer's own code (CPM), scanned at the counter: the wallet from the code, or the one picked. */
  chargeCustomerCode: { roles: ['cashier'] },
  cancel: { roles: ['cashier'] },
  orderStatus: { roles: ['cashier'] },
  todayOrders: { roles: ['cashier'] },
  /** A payment's or refund's slip: its preview, and printing it (again) on the receipt printer. */
  slipPreview: { roles: ['cashier'] },
  printSlip: { roles: ['cashier'] },
  readSettings: { roles: ['cashier'] },
  setLanguage: { roles: ['cashier'] },
  readDisplayState: { roles: ['cashier', 'display'] },
  readCounter: { roles: ['cashier'] },
  /** Clears a finished sale off the counter, in every cashier window; refused while it is still open. */
  newSale: { roles: ['cashier'] },
  acknowledgeLatePayment: { roles: ['cashier'] },
  // The manager's work, on the cashier's screen behind the manager PIN (`manager: true`).
  managerUnlock: { roles: ['cashier'] },
  managerLock: { roles: ['cashier'] },
  /** What the PIN screen shows before anything is typed: a PIN to set, a lock and its end, the access's time left. Not behind the PIN. */
  managerGate: { roles: ['cashier'] },
  managerSetPin: { roles: ['cashier'] },
  managerDay: { roles: ['cashier'], manager: true },
  /**
   * A page of the day's (or, with `to`, a range of days') orders (filtered by wallet, state or a
   * search) or refunds (by a search), in the order they were made.
   */
  managerDayOrders: { roles: ['cashier'], manager: true },
  managerDayRefunds: { roles: ['cashier'], manager: true },
  /** A range of business days at a glance: money by environment and wallet, counts, and the sales by hour or day. */
  managerSales: { roles: ['cashier'], manager: true },
  managerOrder: { roles: ['cashier'], manager: true },
  managerRefund: { roles: ['cashier'], manager: true },
  managerKeepLatePayment: { roles: ['cashier'], manager: true },
  managerResolveNow: { roles: ['cashier'], manager: true },
  managerDecide: { roles: ['cashier'], manager: true },
  managerReconcileDay: { roles: ['cashier'], manager: true },
  /** The day's CSV, or with `to` one CSV for a range of days. */
  managerExportDay: { roles: ['cashier'], manager: true },
  managerClosePeriod: { roles: ['cashier'], manager: true },
  /** The X report (open period) or a Z report on the receipt printer. */
  managerPrintReport: { roles: ['cashier'], manager: true },
  /** Demo mode's virtual printer: the slips it received, read back from their ESC/POS bytes. */
  managerDemoPrinter: { roles: ['cashier'], manager: true },
  managerReadSettings: { roles: ['cashier'], manager: true },
  managerSaveSettings: { roles: ['cashier'], manager: true },
  /** With `settings`, the form's unsaved values are tested; without, the saved ones. */
  managerTestConnection: { roles: ['cashier'], manager: true },
  // The store across tills, from the head office (refused in words when none is configured).
  managerStoreDay: { roles: ['cashier'], manager: true },
  managerStoreExport: { roles: ['cashier'], manager: true },
  managerStoreReconcile: { roles: ['cashier'], manager: true },
} as const satisfies Record<string, { roles: readonly Role[]; manager?: true }>;

/** Whether a command needs the manager's PIN first. */
export function needsManager(name: CommandName): boolean {
  return (COMMANDS[name] as { manager?: true }).manager === true;
}

export type CommandName = keyof typeof COMMANDS;
export const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];
// Every command has a payload schema, and every schema a command: checked here so that schemas.ts needs nothing from this file.
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : never;
const schemasMatchCommands: SameKeys<typeof COMMANDS, typeof COMMAND_SCHEMAS> = true;
void schemasMatchCommands;
export type CommandRequest<K extends CommandName> = z.input<(typeof COMMAND_SCHEMAS)[K]>;

export interface CommandResponses {
  charge: { order: OrderView };
  chargeCustomerCode: { order: OrderView };
  cancel: { order: OrderView };
  orderStatus: { order: OrderView };
  todayOrders: { orders: OrderView[]; beforeManager: number; openPeriod: number; notPrinted: readonly string[] };
  slipPreview: { svg: string; slip: SlipView | null };
  printSlip: { slip: SlipView };
  readSettings: { settings: SettingsView };
  setLanguage: { settings: SettingsView };
  readDisplayState: { display: DisplayState };
  readCounter: { counter: CounterState };
  newSale: { counter: CounterState };
  acknowledgeLatePayment: { counter: CounterState };
  /** `mustChangePin`: a PIN from before the six-digit rule unlocked; only managerSetPin is allowed until it is changed. */
  managerUnlock: { unlockedUntil: number; mustChangePin: boolean };
  managerLock: { locked: true };
  managerGate: ManagerGate;
  managerSetPin: { pinSet: true };
  managerDay: DayView;
  managerDayOrders: DayRows<OrderView>;
  managerDayRefunds: DayRows<RefundView>;
  managerSales: SalesView;
  managerOrder: OrderDetail;
  managerRefund: { refund: RefundView; order: OrderView };
  managerKeepLatePayment: { order: OrderView };
  managerResolveNow: { ok: boolean; queried: number; changed: number; flagged: number };
  managerDecide: { order: OrderView; refund: RefundView | null };
  managerReconcileDay: { result: ReconciliationResult };
  managerExportDay: { fileName: string; csv: string; payments: number; refunds: number; environment: string; otherEnvironments: readonly string[] };
  managerClosePeriod: { report: PeriodReport; backup: { readonly ok: boolean; readonly file?: string; readonly error?: string } };
  managerPrintReport: { slip: SlipView };
  managerDemoPrinter: { slips: readonly { readonly at: number; readonly text: string; readonly bytes: number }[] };
  managerReadSettings: { settings: ManagerSettingsView };
  managerSaveSettings: { settings: ManagerSettingsView; restartNeeded: boolean };
  managerTestConnection: { verdict: string; message: { en: string; 'zh-HK': string }; detail: string };
  managerStoreDay: StoreDayView;
  managerStoreExport: { fileName: string; csv: string; payments: number; refunds: number; environment: string; otherEnvironments: readonly string[]; tills: readonly string[] };
  managerStoreReconcile: { result: ReconciliationResult & { readonly tills: readonly string[] } };
}
export type CommandResponse<K extends CommandName> = CommandResponses[K];

/** Errors cross the boundary as a code and words in both languages, never as a stack. */
export interface CommandError {
  readonly code: string;
  readonly message: { readonly en: string; readonly 'zh-HK': string };
  readonly details?: Readonly<Record<string, unknown>>;
}

export type CommandResult<K extends CommandName> = { readonly ok: true; readonly value: CommandResponse<K> } | { readonly ok: false; readonly error: CommandError };

/**
 * What became of a file the cashier window handed to the desktop app to save (a CSV export):
 * saved where the manager chose in the save dialog, cancelled there, or failed. `fileName` is the
 * name the page gave it, so the page can tell its own file's answer.
 */
export type FileSaved = { readonly fileName: string } & ({ readonly outcome: 'saved'; readonly path: string } | { readonly outcome: 'cancelled' } | { readonly outcome: 'failed' });

/** The events the app's services raise: Electron's IPC and the web bridge both carry them. */
export interface ServiceEventPayloads {
  orderUpdated: OrderView;
  displayChanged: DisplayState;
  settingsChanged: SettingsView;
  counterChanged: CounterState;
}
export type ServiceEventName = keyof ServiceEventPayloads;

/** The services' events, and those the Electron shell raises itself (a browser saves its own downloads: the web bridge never sends fileSaved). */
export interface EventPayloads extends ServiceEventPayloads {
  fileSaved: FileSaved;
}
export type EventName = keyof EventPayloads;

/** Which role hears which event: the display hears only its own state. */
export const EVENT_ROLES: Readonly<Record<EventName, readonly Role[]>> = {
  orderUpdated: ['cashier'],
  displayChanged: ['cashier', 'display'],
  settingsChanged: ['cashier'],
  counterChanged: ['cashier'],
  fileSaved: ['cashier'],
};

/** The events the services raise (every one: the type says so): what the shell and the web bridge forward from them. */
const SERVICE_EVENTS: Readonly<Record<ServiceEventName, true>> = { orderUpdated: true, displayChanged: true, settingsChanged: true, counterChanged: true };
export const SERVICE_EVENT_NAMES = Object.keys(SERVICE_EVENTS) as readonly ServiceEventName[];

/**
 * An event's payload as it arrived, checked before a listener hears it (by hand: the preloads
 * carry no schema library). The services' events come from the app's own services, in-process,
 * and pass as they are; fileSaved carries a path from the system's save dialog, and is read
 * field by field.
 */
export function eventPayloadValid(event: EventName, payload: unknown): boolean {
  if (event !== 'fileSaved') return true;
  if (typeof payload !== 'object' || payload === null) return false;
  const { fileName, outcome, path } = payload as Record<string, unknown>;
  if (typeof fileName !== 'string' || fileName === '') return false;
  if (outcome === 'saved') return typeof path === 'string' && path !== '';
  return outcome === 'cancelled' || outcome === 'failed';
}

/** Electron channel names carry the app's prefix, so nothing else on ipcMain can be reached. */
export const ipcChannel = (name: CommandName | EventName) => `pos:${name}`;

/** The API a window gets (from the preload, or from the web bridge): named functions, never a generic send. */
/** Whether the window hears the main process: web mode can lose it (a restart, a crash); Electron's window dies with it. */
export type Connection = 'connected' | 'reconnecting';

export type PosApi<R extends Role> = {
  readonly role: R;
  readonly commands: { [K in CommandName as R extends (typeof COMMANDS)[K]['roles'][number] ? K : never]: (request: CommandRequest<K>) => Promise<CommandResult<K>> };
  on<E extends EventName>(event: R extends (typeof EVENT_ROLES)[E][number] ? E : never, listener: (payload: EventPayloads[E]) => void): () => void;
  /** Called with each change of connection, and at once with the current one. */
  onConnection(listener: (connection: Connection) => void): () => void;
};

export function commandsFor(role: Role): CommandName[] {
  return COMMAND_NAMES.filter((name) => (COMMANDS[name].roles as readonly Role[]).includes(role));
}

export function eventsFor(role: Role): EventName[] {
  return (Object.keys(EVENT_ROLES) as EventName[]).filter((name) => EVENT_ROLES[name].includes(role));
}

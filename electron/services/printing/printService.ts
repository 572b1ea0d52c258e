import { PAID_STATES } from '../../../shared/ledger/lifecycle';
import { TRAINING_ENVIRONMENTS } from '../../../shared/ledger/reportTypes';
import { paymentSlip, periodSlip, refundSlip, type SlipHeader, type SlipPaper } from '../../../shared/receipts/slips';
import type { LedgerStore } from '../ledger/ledgerStore';
import { slipQueries, toSlipRecord as toRecord, type SlipErrorCode, type SlipRow, type SlipKind, type SlipRecord } from '../ledger/queries/slips';
import { closedPeriod, xReport } from '../reports/periods';
import { slipToEscPos, slipToSvg } from './renderSlip';
import { PrinterUnavailable, sendToPrinter, type PrinterTarget } from './tcpPrinter';

/**
 * Slips for the counter's receipt printer. Each slip is queued in the ledger first, then sent;
 * a printer that is off, refuses or hangs leaves it "not printed", tried again later (10 s,
 * doubling to 5 minutes) and shown with a reprint button. A slip is built from the ledger when it
 * is sent, so a reprint shows the order as it stands. Nothing here changes money.
 */
export type { SlipErrorCode, SlipKind, SlipRecord };

const errorCodeOf = (error: unknown): SlipErrorCode => (error instanceof PrinterUnavailable ? (error.reason === 'timeout' ? 'no_answer' : 'off') : 'failed');

export class SlipNotFound extends Error {
  constructor(kind: SlipKind, ref: string) {
    super(`no ${kind === 'period' ? 'Z report' : kind} ${ref} in this ledger`);
    this.name = 'SlipNotFound';
  }
}

const RETRY_FIRST_MS = 10_000;
const RETRY_MAX_MS = 300_000;
/** A slip that waits for a person, not for a timer. */
const NEVER = Number.MAX_SAFE_INTEGER;

/**
 * One of the computer's printers, by name: the desktop app prints the slip's SVG there through
 * Electron (electron/main/systemPrinter.ts). Rejects with PrinterUnavailable when it cannot.
 */
export type SystemPrint = (slip: { readonly svg: string; readonly printer: string; readonly paper: SlipPaper }) => Promise<void>;

export function createPrintService(options: {
  store: LedgerStore;
  /** The printer; none configured means slips are only previewed (and queued ones wait for one). */
  printer: () => PrinterTarget | undefined;
  /** Present in the desktop app only. */
  systemPrint?: SystemPrint;
  paper: () => SlipPaper;
  header: () => Omit<SlipHeader, 'training'>;
  clock?: () => number;
  timeoutMs?: number;
}) {
  const { store } = options;
  const clock = options.clock ?? Date.now;
  const slips = slipQueries(store.db);
  let timer: NodeJS.Timeout | undefined;
  let working: Promise<void> | undefined;
  let stopped = false;
  let again = false;

  /** The slip's markup from the ledger as it stands now. */
  function markup(kind: SlipKind, ref: string): string {
    const now = clock();
    if (kind === 'period') {
      const report = ref === 'X' ? xReport(store, { tillId: options.header().tillId, now, isMine: () => true }) : closedPeriod(store, Number(ref));
      if (!report) throw new SlipNotFound(kind, ref);
      return periodSlip({ ...options.header(), training: report.environments.length > 0 && report.environments.every((totals) => totals.training) }, report, now, options.paper());
    }
    if (kind === 'refund') {
      const refund = store.refundByNumber(ref);
      if (!refund) throw new SlipNotFound(kind, ref);
      const order = store.order(refund.orderId);
      return refundSlip(
        { ...options.header(), training: TRAINING_ENVIRONMENTS.includes(order.environment) },
        { orderOutTradeNo: order.outTradeNo, refundOutTradeNo: refund.outTradeNo, syssn: refund.syssn, wallet: order.wallet, amount: refund.amount, state: refund.state, at: refund.updatedAt, refundableLeft: order.amount - order.refunded },
        options.paper(),
      );
    }
    const order = store.orderByNumber(ref);
    if (!order) throw new SlipNotFound(kind, ref);
    const region = order.requestFields.pay_tag;
    return paymentSlip(
      { ...options.header(), training: TRAINING_ENVIRONMENTS.includes(order.environment) },
      {
        outTradeNo: order.outTradeNo,
        syssn: order.syssn,
        amount: order.amount,
        wallet: order.wallet,
        alipayRegion: region === 'ALIPAYHK' || region === 'ALIPAYCN' ? region : null,
        state: order.state,
        at: PAID_STATES.includes(order.state) ? order.updatedAt : order.createdAt,
        refunded: order.refunded,
        customerCode: order.authCodeMasked,
      },
      options.paper(),
    );
  }

  async function send(printer: PrinterTarget, slip: string): Promise<void> {
    if (printer.kind === 'tcp') return sendToPrinter(printer.address, slipToEscPos(slip, options.paper()), { timeoutMs: options.timeoutMs });
    if (!options.systemPrint) throw new PrinterUnavailable('network', `the printer "${printer.name}" is one of the computer's printers, which only the desktop app can reach`);
    return options.systemPrint({ svg: slipToSvg(slip, options.paper()), printer: printer.name, paper: options.paper() });
  }

  /** Sends what is due, one slip at a time, oldest first; never two senders at once. */
  function work(): Promise<void> {
    if (working) again = true;
    if (working || stopped) return working ?? Promise.resolve();
    working = (async () => {
      for (;;) {
        const printer = options.printer();
        if (!printer) return;
        const row = slips.due(clock());
        if (!row) return;
        try {
          await send(printer, markup(row.kind, row.ref));
          slips.markPrinted(row, clock());
        } catch (error) {
          const code = errorCodeOf(error);
          // Taken but never confirmed (paper out, cover open): the printer may still hold the slip
          // and print it once mended. Not sent again by itself: a person reprints if it never comes.
          const wait = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** row.attempts);
          slips.markNotPrinted(row, { message: error instanceof Error ? error.message : String(error), code, nextTryAt: code === 'no_answer' ? NEVER : clock() + wait });
          // The others wait too: a printer that failed one slip would fail the next.
          schedule(wait);
          return;
        }
      }
    })().finally(() => {
      working = undefined;
      // Asked for while a slip was on its way: one more round for what became due.
      if (again) {
        again = false;
        void work();
      }
    });
    return working;
  }

  /** Queues a slip, or, if one of the same is still waiting, sends that one now: a reprint never makes two. */
  function queue(kind: SlipKind, ref: string, reason: SlipRecord['reason'] = 'requested'): SlipRecord {
    markup(kind, ref);
    const now = clock();
    const waiting = slips.waitingOf(kind, ref);
    const id = waiting ? (slips.makeDue(waiting.id, now), waiting.id) : slips.insert(kind, ref, reason, now);
    void work();
    return toRecord(slips.byId(id) as SlipRow);
  }

  function schedule(ms: number) {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void work(), ms);
    timer.unref();
  }

  return {
    markup,
    preview: (kind: SlipKind, ref: string) => slipToSvg(markup(kind, ref), options.paper()),
    /** Queues a slip (checked to exist first) and starts sending; the slip's record comes back at once. */
    queue,
    /** Queues a slip and waits for its attempt (the CLI's `receipt --print`). */
    async printNow(kind: SlipKind, ref: string): Promise<SlipRecord> {
      const queued = queue(kind, ref);
      await working;
      return toRecord(slips.byId(queued.id) as SlipRow);
    },
    /** Whether the slip printed on payment was ever queued (a reprint since does not make it due again). */
    printedOnPayment: (kind: SlipKind, ref: string): boolean => slips.queuedOnPayment(kind, ref),
    /** The latest slip of an order, refund or period, for "printed" or "not printed" beside it. */
    latest(kind: SlipKind, ref: string): SlipRecord | undefined {
      const row = slips.latest(kind, ref);
      return row ? toRecord(row) : undefined;
    },
    notPrinted: (): SlipRecord[] => slips.notPrinted().map(toRecord),
    /** Tries what is waiting now (a printer back on, a manager's "try again"). */
    retryNow(): Promise<void> {
      slips.makeWaitingDue();
      return work();
    },
    start() {
      stopped = false;
      void work();
      // What waits is tried again even if nothing new is queued.
      schedule(RETRY_FIRST_MS);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await working;
    },
  };
}

export type PrintService = ReturnType<typeof createPrintService>;

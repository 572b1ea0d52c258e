import { PAID_STATES } from '../../../shared/ledger/lifecycle';
import { TRAINING_ENVIRONMENTS } from '../../../shared/ledger/reportTypes';
import { paymentSlip, periodSlip, refundSlip, type SlipHeader } from '../../../shared/receipts/slips';
import type { LedgerStore } from '../ledger/ledgerStore';
import { closedPeriod, xReport } from '../reports/periods';
import { slipToEscPos, slipToSvg, type PaperWidth } from './renderSlip';
import { PrinterUnavailable, sendToPrinter, type PrinterTarget } from './tcpPrinter';

/**
 * Slips for the counter's receipt printer. Each slip is queued in the ledger first, then sent;
 * a printer that is off, refuses or hangs leaves it "not printed", tried again later (10 s,
 * doubling to 5 minutes) and shown with a reprint button. A slip is built from the ledger when it
 * is sent, so a reprint shows the order as it stands. Nothing here changes money.
 */
export type SlipKind = 'payment' | 'refund' | 'period';
/** Why a slip did not print: the printer is off or unreachable, it took the bytes and never answered, or anything else. */
export type SlipErrorCode = 'off' | 'no_answer' | 'failed';

const errorCodeOf = (error: unknown): SlipErrorCode => (error instanceof PrinterUnavailable ? (error.reason === 'timeout' ? 'no_answer' : 'off') : 'failed');

export interface SlipRecord {
  readonly id: number;
  readonly kind: SlipKind;
  readonly ref: string;
  readonly state: 'queued' | 'printed' | 'not_printed';
  readonly reason: 'paid' | 'requested';
  readonly attempts: number;
  readonly lastError: string | null;
  readonly errorCode: SlipErrorCode | null;
  readonly createdAt: number;
  readonly printedAt: number | null;
}

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

interface SlipRow {
  id: number;
  kind: SlipKind;
  ref: string;
  state: SlipRecord['state'];
  reason: SlipRecord['reason'];
  attempts: number;
  last_error: string | null;
  error_code: SlipErrorCode | null;
  created_at: number;
  next_try_at: number;
  printed_at: number | null;
}

const toRecord = (row: SlipRow): SlipRecord => ({
  id: row.id,
  kind: row.kind,
  ref: row.ref,
  state: row.state,
  reason: row.reason,
  attempts: row.attempts,
  lastError: row.last_error,
  errorCode: row.error_code,
  createdAt: row.created_at,
  printedAt: row.printed_at,
});

/**
 * One of the computer's printers, by name: the desktop app prints the slip's SVG there through
 * Electron (electron/main/systemPrinter.ts). Rejects with PrinterUnavailable when it cannot.
 */
export type SystemPrint = (slip: { readonly svg: string; readonly printer: string; readonly paper: PaperWidth }) => Promise<void>;

export function createPrintService(options: {
  store: LedgerStore;
  /** The printer; none configured means slips are only previewed (and queued ones wait for one). */
  printer: () => PrinterTarget | undefined;
  /** Present in the desktop app only. */
  systemPrint?: SystemPrint;
  paper: () => PaperWidth;
  header: () => Omit<SlipHeader, 'training'>;
  clock?: () => number;
  timeoutMs?: number;
}) {
  const { store } = options;
  const clock = options.clock ?? Date.now;
  const db = store.db;
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
      return periodSlip({ ...options.header(), training: report.environments.length > 0 && report.environments.every((totals) => totals.training) }, report, now);
    }
    if (kind === 'refund') {
      const refund = store.refundByNumber(ref);
      if (!refund) throw new SlipNotFound(kind, ref);
      const order = store.order(refund.orderId);
      return refundSlip(
        { ...options.header(), training: TRAINING_ENVIRONMENTS.includes(order.environment) },
        { orderOutTradeNo: order.outTradeNo, refundOutTradeNo: refund.outTradeNo, syssn: refund.syssn, wallet: order.wallet, amount: refund.amount, state: refund.state, at: refund.updatedAt, refundableLeft: order.amount - order.refunded },
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
      },
    );
  }

  const insert = db.prepare<[SlipKind, string, SlipRecord['reason'], number, number]>("INSERT INTO slips (kind, ref, state, reason, created_at, next_try_at) VALUES (?, ?, 'queued', ?, ?, ?)");
  const due = db.prepare<[number], SlipRow>("SELECT * FROM slips WHERE state <> 'printed' AND next_try_at <= ? ORDER BY id LIMIT 1");
  const byId = db.prepare<[number], SlipRow>('SELECT * FROM slips WHERE id = ?');
  const waitingOf = db.prepare<[SlipKind, string], SlipRow>("SELECT * FROM slips WHERE kind = ? AND ref = ? AND state <> 'printed' ORDER BY id DESC LIMIT 1");
  const dueNow = db.prepare<[number, number]>("UPDATE slips SET next_try_at = ?, state = 'queued' WHERE id = ?");
  const printed = db.prepare<[number, number, number]>("UPDATE slips SET state = 'printed', printed_at = ?, attempts = attempts + 1, last_error = NULL, error_code = NULL WHERE id = ? AND attempts = ?");
  // The next try is put off only if nobody asked for this slip meanwhile (a reprint makes it due now).
  const notPrinted = db.prepare<[string, SlipErrorCode, number, number, number, number]>(
    "UPDATE slips SET state = 'not_printed', last_error = ?, error_code = ?, next_try_at = CASE WHEN next_try_at = ? THEN ? ELSE next_try_at END, attempts = attempts + 1 WHERE id = ? AND attempts = ?",
  );

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
        const row = due.get(clock());
        if (!row) return;
        try {
          await send(printer, markup(row.kind, row.ref));
          printed.run(clock(), row.id, row.attempts);
        } catch (error) {
          const code = errorCodeOf(error);
          // Taken but never confirmed (paper out, cover open): the printer may still hold the slip
          // and print it once mended. Not sent again by itself: a person reprints if it never comes.
          const wait = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** row.attempts);
          notPrinted.run(error instanceof Error ? error.message : String(error), code, row.next_try_at, code === 'no_answer' ? NEVER : clock() + wait, row.id, row.attempts);
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
    const waiting = waitingOf.get(kind, ref);
    const id = waiting ? (dueNow.run(now, waiting.id), waiting.id) : Number(insert.run(kind, ref, reason, now, now).lastInsertRowid);
    void work();
    return toRecord(byId.get(id) as SlipRow);
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
      return toRecord(byId.get(queued.id) as SlipRow);
    },
    /** Whether the slip printed on payment was ever queued (a reprint since does not make it due again). */
    printedOnPayment: (kind: SlipKind, ref: string): boolean => db.prepare<[SlipKind, string], { found: number }>("SELECT 1 AS found FROM slips WHERE kind = ? AND ref = ? AND reason = 'paid'").get(kind, ref) !== undefined,
    /** The latest slip of an order, refund or period, for "printed" or "not printed" beside it. */
    latest(kind: SlipKind, ref: string): SlipRecord | undefined {
      const row = db.prepare<[SlipKind, string], SlipRow>('SELECT * FROM slips WHERE kind = ? AND ref = ? ORDER BY id DESC LIMIT 1').get(kind, ref);
      return row ? toRecord(row) : undefined;
    },
    notPrinted: (): SlipRecord[] => db.prepare<[], SlipRow>("SELECT * FROM slips WHERE state <> 'printed' ORDER BY id").all().map(toRecord),
    /** Tries what is waiting now (a printer back on, a manager's "try again"). */
    retryNow(): Promise<void> {
      db.prepare("UPDATE slips SET next_try_at = 0 WHERE state <> 'printed' AND error_code IS NOT 'no_answer'").run();
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

import type { SlipView } from '../../../shared/ipc/contract';
import type { OrderRecord } from '../ledger/ledgerStore';
import { createPrintService, SlipNotFound, type SlipKind, type SlipRecord, type SystemPrint } from '../printing/printService';
import { parsePrinterTarget, type PrinterTarget } from '../printing/tcpPrinter';
import { slipBytesToText } from '../printing/virtualPrinter';
import type { TillRuntime } from '../runtime/runtime';
import type { SettingsService } from '../settings/settingsService';
import { TillError } from '../../../shared/errors';
import type { CommandHandlers } from '../ipc/commandHandlers';

export const toSlipView = (slip: SlipRecord): SlipView => ({ kind: slip.kind, ref: slip.ref, state: slip.state, attempts: slip.attempts, lastError: slip.lastError, errorCode: slip.errorCode, printedAt: slip.printedAt });

/**
 * The receipt printer behind the screens: the slip of each payment printed when it is paid (if
 * Settings say so), previews, reprints and the X/Z report. The printer is read from Settings at
 * each slip, so a new printer needs no restart; QFPOS_PRINTER wins, and demo mode without one
 * prints to its own virtual printer. A printer that is off never holds a sale up.
 */
export function createSlipHandlers(runtime: TillRuntime, settings: SettingsService, systemPrint?: SystemPrint) {
  const virtual = runtime.virtualPrinter ? parsePrinterTarget(runtime.virtualPrinter.url) : undefined;
  const printer = (): PrinterTarget | undefined => runtime.printerOverride ?? parsePrinterTarget(settings.values().printer) ?? virtual;
  const slips = createPrintService({
    store: runtime.store,
    printer,
    systemPrint,
    paper: () => settings.values().paperWidth,
    header: () => ({ shopName: settings.values().shopName, tillId: runtime.config.tillId }),
    clock: runtime.clock,
  });

  const found = <T>(work: () => T): T => {
    try {
      return work();
    } catch (error) {
      if (error instanceof SlipNotFound) throw new TillError('order_not_found', error.message);
      throw error;
    }
  };

  const handlers: Pick<CommandHandlers, 'slipPreview' | 'printSlip' | 'managerPrintReport' | 'managerDemoPrinter'> = {
    async slipPreview({ kind, ref }) {
      const svg = found(() => slips.preview(kind, ref));
      const latest = slips.latest(kind, ref);
      return { svg, slip: latest ? toSlipView(latest) : null };
    },
    async printSlip({ kind, ref }) {
      return { slip: toSlipView(found(() => slips.queue(kind, ref))) };
    },
    async managerDemoPrinter() {
      const printed = runtime.virtualPrinter?.printed() ?? [];
      // The newest first, the last twenty: a training page, not an archive (the ledger keeps the slips' state).
      return { slips: printed.slice(-20).reverse().map((slip) => ({ at: slip.at, text: slipBytesToText(slip.bytes), bytes: slip.bytes.length })) };
    },
    async managerPrintReport({ report }) {
      return { slip: toSlipView(found(() => slips.queue('period' satisfies SlipKind, String(report)))) };
    },
  };

  return {
    handlers,
    /** A payment just confirmed: its slip, once, if Settings print on payment. */
    orderChanged(order: OrderRecord) {
      // Inside the till's own event, after the money is recorded: nothing here may throw back into it.
      try {
        if (order.state !== 'paid' || !settings.values().autoPrint || !runtime.till.isMine(order)) return;
        if (slips.printedOnPayment('payment', order.outTradeNo)) return;
        slips.queue('payment', order.outTradeNo, 'paid');
      } catch (error) {
        console.error(`printing: the slip of ${order.outTradeNo} was not queued: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
    /** Today's orders whose slip is waiting for the printer. */
    notPrinted: () => slips.notPrinted().filter((slip) => slip.kind === 'payment').map((slip) => slip.ref),
    start: () => slips.start(),
    stop: () => slips.stop(),
  };
}

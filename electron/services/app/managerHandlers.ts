import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hongKongDayRange } from '../../../shared/hkTime';
import type { RefundView } from '../../../shared/ipc/contract';
import type { RefundRecord } from '../ledger/ledgerStore';
import { exportDay } from '../reports/dayExport';
import { buildZReport, closeDay, DayNotClosable } from '../reports/zReport';
import type { TillRuntime } from '../runtime';
import { TillError } from '../till/till';
import type { ManagerSession } from './managerSession';
import type { CommandHandlers } from './posService';
import { toOrderView } from './views';

/** The manager's commands: the day's log, an order's history, refunds, late payments, export, Z report. */
export function createManagerHandlers(runtime: TillRuntime, session: ManagerSession) {
  const { store, till } = runtime;
  const refundView = (refund: RefundRecord): RefundView => ({
    outTradeNo: refund.outTradeNo,
    orderOutTradeNo: store.order(refund.orderId).outTradeNo,
    amount: refund.amount,
    state: refund.state,
    createdAt: refund.createdAt,
    respcd: refund.respcd,
    message: refund.message,
  });

  const handlers: Pick<
    CommandHandlers,
    | 'managerUnlock'
    | 'managerLock'
    | 'managerSetPin'
    | 'managerDay'
    | 'managerOrder'
    | 'managerRefund'
    | 'managerKeepLatePayment'
    | 'managerResolveNow'
    | 'managerExportDay'
    | 'managerCloseDay'
  > = {
    async managerUnlock({ pin }) {
      return { unlockedUntil: session.unlock(pin) };
    },
    async managerLock() {
      session.lock();
      return { locked: true };
    },
    async managerSetPin({ pin }) {
      session.setPin(pin);
      return { pinSet: true };
    },
    async managerDay({ day }) {
      const { start, end } = hongKongDayRange(day);
      return {
        day,
        orders: store.ordersCreatedBetween(start, end).map(toOrderView),
        refunds: store.refundsCreatedBetween(start, end).map(refundView),
        report: buildZReport(store, day, runtime.config.tillId, runtime.clock()),
      };
    },
    async managerOrder({ outTradeNo }) {
      const order = till.order(outTradeNo);
      return {
        order: toOrderView(order),
        refunds: store.refundsOf(order.id).map(refundView),
        history: store.history(order.id).map(({ fromState, toState, cause, at }) => ({ fromState, toState, cause, at })),
      };
    },
    async managerRefund({ outTradeNo, amount }) {
      const refund = await till.refund(outTradeNo, amount);
      return { refund: refundView(refund), order: toOrderView(store.order(refund.orderId)) };
    },
    async managerKeepLatePayment({ outTradeNo }) {
      return { order: toOrderView(till.keepLatePayment(outTradeNo)) };
    },
    async managerResolveNow() {
      const report = await runtime.poller.reconcile();
      return { ok: report.ok, queried: report.queriedNumbers, changed: report.changed };
    },
    async managerExportDay({ day }) {
      // The same exporter as the CLI, through a private temporary file.
      const folder = mkdtempSync(join(tmpdir(), 'qfpos-export-'));
      try {
        const file = join(folder, 'day.csv');
        const summary = await exportDay(runtime.config.dbPath, day, file);
        return { fileName: `qfpay-${runtime.config.tillId}-${day}.csv`, csv: readFileSync(file, 'utf8'), payments: summary.payments, refunds: summary.refunds };
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
    async managerCloseDay({ day }) {
      try {
        return { report: closeDay(store, day, runtime.config.tillId, runtime.clock()) };
      } catch (error) {
        if (error instanceof DayNotClosable) throw new TillError('day_not_closable', error.message, { unresolved: error.unresolved });
        throw error;
      }
    },
  };
  return handlers;
}

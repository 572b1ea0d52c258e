import type { OrderView } from '../../../shared/ipc/contract';
import type { OrderRecord } from '../ledger/ledgerStore';

/** The cashier's view of an order: no QR, no request fields, nothing the screen does not need. */
export function toOrderView(order: OrderRecord): OrderView {
  return {
    outTradeNo: order.outTradeNo,
    wallet: order.wallet,
    amount: order.amount,
    state: order.state,
    createdAt: order.createdAt,
    qrDeadline: order.qrDeadline,
    respcd: order.respcd,
    message: order.message,
    refunded: order.refunded,
    cancelRequested: order.cancelRequestedAt !== null,
  };
}

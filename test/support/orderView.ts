import type { OrderView } from '../../shared/ipc/contract';

/** An order as the screens get it, for component tests: a paid WeChat Pay QR unless changed. */
export function orderView(change: Partial<OrderView> = {}): OrderView {
  return {
    outTradeNo: 'T1-P261123101500-ABCDEFGH',
    wallet: 'wechat',
    mode: 'mpm',
    authCodeMasked: null,
    amount: 1230,
    state: 'paid',
    createdAt: 0,
    qrDeadline: 0,
    respcd: null,
    message: null,
    refunded: 0,
    cancelRequested: false,
    gatewaySettled: false,
    attention: null,
    attentionSince: null,
    madeOn: null,
    period: null,
    ...change,
  };
}

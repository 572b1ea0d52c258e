import { ACTIVE_PAYMENT_STATES, type PaymentState } from './lifecycle';

/**
 * The one-customer rule, in one place for the till, the CLI and the cashier's screen: an order
 * holds the counter while QFPay may still take its payment and no manager has taken it over. A
 * second charge meanwhile is the double charge to prevent; the cashier cancels first. An order put
 * before a manager no longer holds the counter: the manager decides it, and the queue moves on.
 */
export function holdsCounter(order: { readonly state: PaymentState; readonly attention: string | null }): boolean {
  return ACTIVE_PAYMENT_STATES.includes(order.state) && order.attention === null;
}

import { createCustomerCodes } from './customerCodes';
import { createDecisions } from './decisions';
import { createGatewayChecks } from './gatewayChecks';
import { createPayments } from './payments';
import { createRefunds } from './refunds';
import { createTillContext, type CheckSoonReason, type TillDeps } from './tillContext';

export type { ChargeInput } from './payments';
export type { CustomerCodeInput } from './customerCodes';
export type { CheckReport } from './gatewayChecks';
export type { CheckSoonReason } from './tillContext';

/**
 * The till: takes payments, follows them to their end, cancels and refunds them. It writes to the
 * ledger before every request and records every answer before anyone hears of it. It never sends
 * a payment twice: an order without a definitive answer is resolved by query. What an answer
 * proves is decided by the evidence table (shared/ledger/evidence.ts), nowhere else.
 *
 * Each job is its own module over one shared context: payments.ts (charge, cancel, close),
 * refunds.ts, decisions.ts (a manager's word), gatewayChecks.ts (asking QFPay about open items).
 */
export function createTill(deps: TillDeps) {
  const context = createTillContext(deps);
  const { store, isMine } = context;
  const payments = createPayments(context);
  const customerCodes = createCustomerCodes(context, payments);
  const refunds = createRefunds(context);
  const decisions = createDecisions(context, payments.withdrawAtGateway);
  const checks = createGatewayChecks(context, payments.withdrawOwed);

  return {
    settings: context.settings,
    events: context.events,
    budget: context.budget,
    charge: payments.charge,
    chargeNextCustomer: payments.chargeNextCustomer,
    /** A payment with the customer's own code (CPM), scanned at the counter. */
    chargeCustomerCode: customerCodes.chargeCustomerCode,
    chargeCustomerCodeNextCustomer: customerCodes.chargeCustomerCodeNextCustomer,
    saleInProgress: payments.saleInProgress,
    cancel: payments.cancel,
    hasLiveQr: payments.hasLiveQr,
    refund: refunds.refund,
    keepLatePayment: decisions.keepLatePayment,
    decideOrder: decisions.decideOrder,
    decideRefund: decisions.decideRefund,
    checkOpenOrders: checks.checkOpenOrders,
    recordsInWindow: checks.recordsInWindow,
    awaitsNewsOf: checks.awaitsNewsOf,
    /** Whether an order was made through this till's gateway (others are shown, never acted on). */
    isMine,
    order: context.findOrder,
    refundsOf: (reference: string | number) => store.refundsOf(context.findOrder(reference).id),
    history: (reference: string | number) => store.history(context.findOrder(reference).id),
    /** Lets the poller be woken when an answer says "look again now", or a new QR wants the live pace. */
    onCheckSoon: (wake: (reason?: CheckSoonReason) => void) => context.onCheckSoon(wake),
  };
}

export type Till = ReturnType<typeof createTill>;

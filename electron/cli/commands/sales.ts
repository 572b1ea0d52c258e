import { hongKongDayRange } from '../../../shared/hkTime';
import { ACTIVE_PAYMENT_STATES, ACTIVE_REFUND_STATES } from '../../../shared/ledger/lifecycle';
import { formatHKD } from '../../../shared/money';
import { describeRespcd } from '../../../shared/qfpay/respcd';
import { CPM_WALLET_IDS, WALLET_IDS, walletById, type WalletId } from '../../../shared/wallets';
import type { OrderRecord } from '../../services/ledger/ledgerStore';
import type { TillRuntime } from '../../services/runtime/runtime';
import { EXIT } from '../exitCodes';
import { historyLine, orderJson, orderLine, orderSentence, refundJson, refundLine } from '../format';

import { say, usage, says, UsageError, type Outcome, type Options, done, parse, amountOption, dayOption, stateExit, type CliContext, withRuntime, withLedger, print } from '../command';

/** The counter from the command line: charge, follow, cancel and refund a sale, keep a late payment, a manager's decision, the day's orders. */

export async function charge(args: string[], context: CliContext): Promise<Outcome> {
  const { values } = parse(args, { amount: { type: 'string' }, wallet: { type: 'string' }, expires: { type: 'string' }, goods: { type: 'string' }, 'alipay-region': { type: 'string' }, 'auth-code': { type: 'string' }, wait: { type: 'boolean' } }, 0);
  if (values.amount === undefined) throw new UsageError('--amount', usage.amountNeeded);
  const amount = amountOption(values.amount, '--amount') as number;
  if (values['auth-code'] !== undefined) return chargeCustomerCode(values, amount, context);
  const { config, settings } = context;
  const wallet = String(values.wallet ?? '') as WalletId;
  if (!WALLET_IDS.includes(wallet)) throw new UsageError('--wallet', say('cli.usage.chooseOneOf', { list: WALLET_IDS.join(', ') }));
  let qrLifetimeMinutes: number | undefined;
  if (values.expires !== undefined) {
    if (!/^\d{1,3}$/.test(String(values.expires))) throw new UsageError('--expires', usage.wholeMinutes);
    qrLifetimeMinutes = Number(values.expires);
  }
  const region = values['alipay-region'];
  if (region !== undefined && region !== 'hk' && region !== 'cn') throw new UsageError('--alipay-region', usage.alipayRegion);
  if (region !== undefined && wallet !== 'alipay') throw new UsageError('--alipay-region', usage.regionOnlyAlipay);

  return withRuntime({ config, settings }, async (runtime) => {
    // The one-customer rule binds the CLI too: it refuses while a sale of this till holds the counter.
    const order = await runtime.till.chargeNextCustomer({
      wallet,
      amount,
      qrLifetimeMinutes,
      goodsName: values.goods === undefined ? undefined : String(values.goods),
      alipayRegion: region === 'hk' ? 'ALIPAYHK' : region === 'cn' ? 'ALIPAYCN' : undefined,
    });
    const lines = [`${order.outTradeNo}  ${walletById(wallet).names.en}  ${orderSentence(order)}`];
    if (order.qrcode) lines.push(`QR: ${order.qrcode}`);
    if (order.qrcode && config.environment === 'demo') {
      lines.push(
        values.wait
          ? says.demoWait
          : says.demoNoWait,
      );
    }
    return chargeOutcome(values, runtime, order, lines);
  });
}

/**
 * A payment with the customer's own code (CPM), as the scanner read it: the wallet comes from the
 * code where its documented prefix says, else from --wallet. The code is never printed: only its
 * mask, and the order's sentence.
 */
async function chargeCustomerCode(values: Options, amount: number, { config, settings, io }: CliContext): Promise<Outcome> {
  const picked = values.wallet === undefined ? undefined : (String(values.wallet) as WalletId);
  if (picked !== undefined && !WALLET_IDS.includes(picked)) throw new UsageError('--wallet', say('cli.usage.chooseOneOf', { list: CPM_WALLET_IDS.join(', ') }));
  if (values.expires !== undefined) throw new UsageError('--expires', usage.customerCodeNoQr);
  if (values['alipay-region'] !== undefined) throw new UsageError('--alipay-region', usage.customerCodeNoQr);
  // `--auth-code -`: read from standard input (a scanner at the terminal, or a pipe), so that the
  // code is not in the process list or the shell's history, as an argument would be.
  const authCode = values['auth-code'] === '-' ? await io.readSecret("Customer's code (scan it, or type it and press Enter): ") : String(values['auth-code']);
  if (!authCode) throw new UsageError('--auth-code', usage.customerCodeNotRead);
  return withRuntime({ config, settings }, async (runtime) => {
    const order = await runtime.till.chargeCustomerCodeNextCustomer({
      amount,
      authCode,
      wallet: picked,
      goodsName: values.goods === undefined ? undefined : String(values.goods),
    });
    const lines = [`${order.outTradeNo}  ${walletById(order.wallet).names.en}  ${say('cli.order.customerCode', { masked: order.authCodeMasked })}  ${orderSentence(order)}`];
    return chargeOutcome(values, runtime, order, lines);
  });
}

/** A charge's lines, and with --wait the sentence QFPay's final answer makes (the first lines printed at once). */
async function chargeOutcome(values: Options, runtime: TillRuntime, charged: OrderRecord, lines: string[]): Promise<Outcome> {
  let order = charged;
  if (values.wait && (order.state === 'waiting' || order.state === 'unknown')) {
    for (const line of lines) print(line, Boolean(values.json));
    lines.length = 0;
    order = await waitUntilSettled(runtime, order);
    lines.push(`${order.outTradeNo}  ${orderSentence(order)}`);
  }
  return done(stateExit(order), lines, { order: orderJson(order) });
}

/** Follows an order with the poller until QFPay gives a final answer. */
function waitUntilSettled(runtime: TillRuntime, order: OrderRecord): Promise<OrderRecord> {
  return new Promise((resolve) => {
    const settled = (candidate: OrderRecord) => !ACTIVE_PAYMENT_STATES.includes(candidate.state);
    const listener = (update: OrderRecord) => {
      if (update.id === order.id && settled(update)) {
        runtime.till.events.off('order', listener);
        resolve(update);
      }
    };
    runtime.till.events.on('order', listener);
    runtime.poller.start();
    const current = runtime.store.order(order.id);
    if (settled(current)) listener(current);
  });
}

export async function status(args: string[], { config, settings }: CliContext): Promise<Outcome> {
  const { positionals } = parse(args, {}, 1);
  const number = positionals[0] as string;
  return withRuntime({ config, settings }, async (runtime) => {
    let order = runtime.store.orderByNumber(number);
    if (!order) return done(EXIT.notFound, [`error: ${say('cli.says.noOrder', { number })}`], { error: { code: 'order_not_found' } });
    if (ACTIVE_PAYMENT_STATES.includes(order.state) || runtime.store.refundsOf(order.id).some((refund) => ACTIVE_REFUND_STATES.includes(refund.state))) {
      await runtime.poller.reconcile();
      order = runtime.store.order(order.id);
    }
    const refunds = runtime.store.refundsOf(order.id);
    const history = runtime.store.history(order.id);
    const lines = [orderLine(order), `  ${orderSentence(order)}`, ...refunds.map(refundLine), says.history, ...history.map(historyLine)];
    return done(stateExit(order) === EXIT.unknown ? EXIT.unknown : EXIT.ok, lines, { order: orderJson(order), refunds: refunds.map(refundJson), history });
  });
}

export async function cancel(args: string[], { config, settings }: CliContext): Promise<Outcome> {
  const { positionals } = parse(args, {}, 1);
  return withRuntime({ config, settings }, async (runtime) => {
    const order = await runtime.till.cancel(positionals[0] as string);
    const note = order.state === 'cancelled' && !order.gatewaySettled ? ' QFPay cannot withdraw this wallet’s QR: the till keeps watching it for a late payment.' : '';
    return done(EXIT.ok, [`${order.outTradeNo}  ${orderSentence(order)}${note}`], { order: orderJson(order) });
  });
}

export async function refund(args: string[], { config, settings }: CliContext): Promise<Outcome> {
  const { values, positionals } = parse(args, { amount: { type: 'string' } }, 1);
  const amount = amountOption(values.amount, '--amount');
  return withRuntime({ config, settings }, async (runtime) => {
    const made = await runtime.till.refund(positionals[0] as string, amount);
    const words =
      made.state === 'succeeded'
        ? say('cli.refunded', { amount: formatHKD(made.amount, 'en') })
        : made.state === 'failed'
          ? say('cli.says.refundRefused', { reason: made.respcd ? describeRespcd(made.respcd, 'en') : made.message })
          : say('cli.says.refundUnknown', { amount: formatHKD(made.amount, 'en') });
    const exitCode = made.state === 'succeeded' ? EXIT.ok : made.state === 'failed' ? EXIT.refused : EXIT.unknown;
    return done(exitCode, [`${made.outTradeNo}  ${words}`], { refund: refundJson(made) });
  });
}

export function keep(args: string[], { config, settings }: CliContext): Promise<Outcome> {
  const { positionals } = parse(args, {}, 1);
  return withRuntime({ config, settings }, async (runtime) => {
    const order = runtime.till.keepLatePayment(positionals[0] as string);
    return done(EXIT.ok, [`${order.outTradeNo}  ${say('cli.says.kept', { sentence: orderSentence(order) })}`], { order: orderJson(order) });
  });
}

export function orders(args: string[], { config, settings }: CliContext): Outcome {
  const { values } = parse(args, { date: { type: 'string' } }, 0);
  const day = dayOption(values.date, false);
  return withLedger({ config, settings }, (store) => {
    const { start, end } = hongKongDayRange(day);
    const list = store.ordersCreatedBetween(start, end);
    const open = list.filter((order) => ACTIVE_PAYMENT_STATES.includes(order.state)).length;
    const lines = [say('cli.says.ordersOfDay', { orders: list.length, day, open }), ...list.map(orderLine)];
    return done(EXIT.ok, lines, { day, orders: list.map(orderJson), open });
  });
}


import { CUSTOMER_CODE_GATEWAY_MS, customerWaitMs, paymentStep, proofOf } from '../../../shared/ledger/evidence';
import { keepableFields, maskAuthCode, normaliseAuthCode, walletFromAuthCode } from '../../../shared/qfpay/authCode';
import { isValidTxamt } from '../../../shared/qfpay/fields';
import { customerCodeFields } from '../../../shared/qfpay/requests';
import { describeRespcd } from '../../../shared/qfpay/respcd';
import { walletById, WALLET_IDS, type Wallet, type WalletId } from '../../../shared/wallets';
import { TillError } from '../../../shared/errors';
import type { CustomerCodeAnswer } from '../../../shared/qfpay/responses';
import type { GatewayResult } from '../gateway/client';
import type { NewOrder, OrderPatch, OrderRecord } from '../ledger/ledgerStore';
import { requestAnswerClass, unknownWords, type TillContext } from './tillContext';

/** As for a QR: QFPay's clock and ours may differ. */
const GATEWAY_DEADLINE_MARGIN_MS = 2 * 60_000;

export interface CustomerCodeInput {
  readonly amount: number;
  /** As the scanner read it (normalised here: spaces and full-width digits are read as the code). */
  readonly authCode: string;
  /** The wallet the cashier picked. The code's documented prefix decides where there is one. */
  readonly wallet?: WalletId;
  readonly goodsName?: string;
}

/** What a sale at the counter needs of payments.ts: the one-customer rule and its insert, and what follows the answer. */
export interface CounterSale {
  insertOrderOrRefuse(order: NewOrder, unlessHeld?: () => OrderRecord | undefined): OrderRecord;
  saleInProgress(): OrderRecord | undefined;
  /** The poller's pace, the withdrawal the answer's step asks for, or a cancel held until the answer. */
  afterChargeAnswer(updated: OrderRecord, withdraw: boolean): Promise<OrderRecord>;
}

/**
 * Payments with the customer's own code (CPM): the cashier scans the code in the customer's
 * wallet, and the till charges it with `/trade/v1/payment` and `auth_code`. The code is single use:
 * the order is written (with the code masked) before the request leaves, the request goes once,
 * and an order without a definitive answer is resolved by query and, if the customer never
 * confirms, withdrawn by the wallet's reversal (the evidence table decides: shared/ledger/evidence.ts).
 * Never is the same code, or the same order, sent again.
 */
export function createCustomerCodes(till: TillContext, sale: CounterSale) {
  const { store, gateway, settings, clock, inFlight, announceOrder } = till;

  /** The wallet the code belongs to by its documented prefix, else the one picked; a contradiction is refused. */
  function walletFor(code: string, picked: WalletId | undefined): Wallet {
    if (picked !== undefined && !WALLET_IDS.includes(picked)) throw new TillError('wallet_unknown', `no wallet ${String(picked)}`);
    const detected = walletFromAuthCode(code);
    if (detected && picked && detected !== picked) {
      throw new TillError('auth_code_wallet_mismatch', `the customer's code is a ${walletById(detected).names.en} code, not ${walletById(picked).names.en}: pick ${walletById(detected).names.en}, or scan again`, { detected, picked });
    }
    const id = detected ?? picked;
    if (!id) throw new TillError('auth_code_wallet_unknown', "the customer's code does not say which wallet it is from: pick the wallet");
    const wallet = walletById(id);
    if (!wallet.cpm) throw new TillError('customer_code_not_supported', `${wallet.names.en} takes no customer codes at QFPay: show the QR instead`, { wallet: id });
    return wallet;
  }

  /** The answer applied by the evidence table; `withdraw` when the step asks for the payment to be reversed at QFPay. */
  function applyAnswer(orderId: number, result: GatewayResult<CustomerCodeAnswer>): { updated: OrderRecord; withdraw: boolean } {
    const at = clock();
    const current = store.order(orderId);
    const step = paymentStep('customer_code', till.factsOf(current, at), proofOf('customer_code', requestAnswerClass('customer_code', result)));
    let patch: OrderPatch;
    if (result.kind === 'success') {
      const { syssn, sysdtm, paydtm } = result.body;
      patch = { syssn, sysdtm: sysdtm ?? null, paydtm: paydtm || sysdtm || null, respcd: '0000', message: null };
    } else if (result.kind === 'answer') {
      const carried = result.payment ?? {};
      patch = {
        respcd: result.respcd,
        message: describeRespcd(result.respcd, 'en'),
        // Whatever the code, a syssn is QFPay's word that the order exists.
        ...(carried.syssn && !current.syssn ? { syssn: carried.syssn, sysdtm: carried.sysdtm ?? null } : {}),
      };
    } else {
      patch = { message: unknownWords(result) };
    }
    const detail = result.kind === 'answer' ? `respcd ${result.respcd}` : result.kind === 'unknown' ? result.reason : undefined;
    return { updated: announceOrder(till.applyOrderStep(current, step, at, patch, detail)), withdraw: step.withdraw === true };
  }

  async function charge(input: CustomerCodeInput, options: { oneCustomer?: boolean } = {}): Promise<OrderRecord> {
    till.beforeMoney();
    if (!isValidTxamt(input.amount)) throw new TillError('amount_invalid', 'the amount must be a positive whole number of cents within Int(11)');
    // Never the code in an error: what was scanned may be a valid code read with one character wrong.
    const code = normaliseAuthCode(input.authCode);
    if (!code) throw new TillError('auth_code_invalid', "the customer's code must be 12 to 128 letters or digits, as the scanner reads it");
    const wallet = walletFor(code, input.wallet);
    const cpm = wallet.cpm as NonNullable<Wallet['cpm']>;

    const now = clock();
    const outTradeNo = till.newNumber('payment', now);
    const built = customerCodeFields({ wallet: wallet.id, amount: input.amount, outTradeNo, requestedAt: now, authCode: code, tillId: settings.tillId, goodsName: input.goodsName });
    if (!built.ok) throw new TillError(built.error === 'auth_code_invalid' ? 'auth_code_invalid' : 'amount_invalid', built.error);
    till.takeActionSlot();

    const order = announceOrder(
      sale.insertOrderOrRefuse(
        {
          outTradeNo,
          ...till.madeHere(),
          wallet: wallet.id,
          payType: cpm.payType,
          amount: input.amount,
          currency: built.value.txcurrcd as string,
          goodsName: built.value.goods_name ?? null,
          // What was signed, with the code masked: the ledger keeps nothing that could be charged again.
          requestFields: keepableFields(built.value),
          createdAt: now,
          // The customer confirms at the counter within this, or the till withdraws the payment
          // (where the wallet cannot be withdrawn, the till waits as long as QFPay might complete it).
          qrDeadline: now + customerWaitMs(cpm.cancelEndpoint !== null),
          gatewayDeadline: now + CUSTOMER_CODE_GATEWAY_MS + GATEWAY_DEADLINE_MARGIN_MS,
          mode: 'cpm',
          authCodeMasked: maskAuthCode(code),
        },
        options.oneCustomer ? sale.saleInProgress : undefined,
      ),
    );

    inFlight.add(order.id);
    let answered: { updated: OrderRecord; withdraw: boolean };
    try {
      const result = await till.exchange('payment', built.value, { orderId: order.id }, async () => scrubbed(await gateway.customerCode(built.value), code));
      answered = applyAnswer(order.id, result);
    } finally {
      inFlight.delete(order.id);
    }
    // A cancel that arrived while the request was in flight ends the sale with the answer's step,
    // and the reversal goes (where the wallet has one): the customer could otherwise still confirm.
    return sale.afterChargeAnswer(answered.updated, answered.withdraw);
  }

  return {
    chargeCustomerCode: charge,
    /** A customer's code for the next customer at the counter: refused while another sale of this till holds it. */
    async chargeCustomerCodeNextCustomer(input: CustomerCodeInput): Promise<OrderRecord> {
      const holding = sale.saleInProgress();
      if (holding) throw new TillError('payment_in_progress', `order ${holding.outTradeNo} is ${holding.state}: finish or cancel it first`, { outTradeNo: holding.outTradeNo, state: holding.state });
      return charge(input, { oneCustomer: true });
    },
  };
}

/**
 * The answer with any echo of the code replaced by its mask, before it is logged or shown: QFPay's
 * messages are free text, and a gateway that quotes the code back must not put it in the ledger.
 */
function scrubbed<T>(result: GatewayResult<T>, code: string): GatewayResult<T> {
  const text = JSON.stringify(result);
  return text.includes(code) ? (JSON.parse(text.split(code).join(maskAuthCode(code))) as GatewayResult<T>) : result;
}

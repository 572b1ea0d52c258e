import { formatHongKongTimestamp } from '../hkTime';
import type { PaymentState, RefundState } from '../ledger/lifecycle';
import { chainProblemWords } from '../ledger/chain';
import type { EnvironmentTotals, PeriodReport } from '../ledger/reportTypes';
import { formatHKD } from '../money';
import { walletById, type WalletId } from '../wallets';

/**
 * The counter's slips, each written once in receiptline's markup: the main process renders the
 * same text to ESC/POS for the printer and to SVG for the preview. Pure: the caller gives the
 * facts, these give the text. Every label is in both languages (a Hong Kong slip is read by
 * customers of either), and a training slip says so at its top and its bottom.
 *
 * receiptline's markup gives meaning to | { } - = ~ _ " ` ^ \ : text from people (the shop's
 * name, goods) is escaped, so a name like "A|B" never becomes two columns.
 */

export interface SlipHeader {
  readonly shopName: string;
  readonly tillId: string;
  /** Training money (demo, sandbox, test): never a real payment. */
  readonly training: boolean;
}

export interface PaymentSlipFacts {
  readonly outTradeNo: string;
  readonly syssn: string | null;
  readonly amount: number;
  readonly wallet: WalletId;
  readonly alipayRegion: 'ALIPAYHK' | 'ALIPAYCN' | null;
  readonly state: PaymentState;
  /** When it was paid, or made if it is not. */
  readonly at: number;
  readonly refunded: number;
}

export interface RefundSlipFacts {
  readonly orderOutTradeNo: string;
  readonly refundOutTradeNo: string;
  readonly syssn: string | null;
  readonly wallet: WalletId;
  readonly amount: number;
  readonly state: RefundState;
  readonly at: number;
  /** What can still be refunded of the order after this refund. */
  readonly refundableLeft: number;
}

const PAYMENT_WORDS: Readonly<Record<PaymentState, string>> = {
  created: 'Created 已建立',
  waiting: 'Waiting 等待付款',
  paid: 'PAID 已付款',
  paid_late: 'PAID (late) 逾時付款',
  failed: 'Failed 失敗',
  expired: 'Expired 已過期',
  cancelled: 'Cancelled 已取消',
  unknown: 'Not yet known 未確定',
};

const REFUND_WORDS: Readonly<Record<RefundState, string>> = {
  created: 'Sent 已發出',
  pending: 'Pending 處理中',
  succeeded: 'REFUNDED 已退款',
  failed: 'Failed 失敗',
  unknown: 'Not yet known 未確定',
};

const REGION_WORDS = { ALIPAYHK: 'AlipayHK 支付寶香港', ALIPAYCN: 'Alipay (mainland) 支付寶（內地）' } as const;

/** Text from people or the gateway, made plain for receiptline. */
export function slipText(value: string): string {
  // Control characters go too: an ESC or GS in a name would be a command to the printer (ESC p opens the drawer).
  return [...value]
    .map((character) => (character.charCodeAt(0) < 32 || character.charCodeAt(0) === 127 ? ' ' : character))
    .join('')
    .replace(/[\\|{}\-=~_"`^]/g, (character) => `\\${character}`)
    .replace(/ {2,}/g, ' ');
}

const money = (cents: number) => slipText(formatHKD(cents, 'en'));
const row = (label: string, value: string) => `${label} | ${value}`;

function trainingBanner(header: SlipHeader): string[] {
  return header.training ? ['`"TRAINING - NOT A PAYMENT"`', '`"培訓 - 並非真實付款"`'] : [];
}

function top(header: SlipHeader, title: string): string[] {
  return [...trainingBanner(header), `^^${slipText(header.shopName)}`, slipText(title), '-', row('Till 收銀機', slipText(header.tillId))];
}

function bottom(header: SlipHeader): string[] {
  return ['-', ...trainingBanner(header), '='];
}

function walletLine(wallet: WalletId, region: 'ALIPAYHK' | 'ALIPAYCN' | null): string {
  const names = walletById(wallet).names;
  // "PayMe" once, where both languages use the same name.
  const both = names.en === names['zh-HK'] ? slipText(names.en) : `${slipText(names.en)} ${slipText(names['zh-HK'])}`;
  return `${both}${region ? ` (${REGION_WORDS[region]})` : ''}`;
}

/** The customer's slip for a payment: what was paid, through which wallet, and the numbers a dispute starts from. */
export function paymentSlip(header: SlipHeader, facts: PaymentSlipFacts): string {
  return [
    ...top(header, 'Payment 付款'),
    row('Date 日期', formatHongKongTimestamp(facts.at)),
    row('Wallet 錢包', walletLine(facts.wallet, facts.alipayRegion)),
    '-',
    row('^^Amount 金額', `^^${money(facts.amount)}`),
    row('Status 狀態', `"${PAYMENT_WORDS[facts.state]}"`),
    ...(facts.refunded > 0 ? [row('Refunded 已退款', money(facts.refunded))] : []),
    '-',
    'Order no. 訂單編號',
    slipText(facts.outTradeNo),
    'QFPay txn no. 交易編號',
    facts.syssn ? slipText(facts.syssn) : 'not yet given 尚未提供',
    `{code:${facts.outTradeNo}; option:qrcode,5,m}`,
    ...bottom(header),
  ].join('\n');
}

export function refundSlip(header: SlipHeader, facts: RefundSlipFacts): string {
  return [
    ...top(header, 'Refund 退款'),
    row('Date 日期', formatHongKongTimestamp(facts.at)),
    row('Wallet 錢包', walletLine(facts.wallet, null)),
    '-',
    row('^^Refund 退款額', `^^${money(facts.amount)}`),
    row('Status 狀態', `"${REFUND_WORDS[facts.state]}"`),
    row('Still refundable 尚可退款', money(facts.refundableLeft)),
    '-',
    'Original order 原訂單',
    slipText(facts.orderOutTradeNo),
    'Refund no. 退款編號',
    slipText(facts.refundOutTradeNo),
    'QFPay txn no. 交易編號',
    facts.syssn ? slipText(facts.syssn) : 'not yet given 尚未提供',
    ...bottom(header),
  ].join('\n');
}

function environmentLines(totals: EnvironmentTotals): string[] {
  return [
    `"${slipText(totals.environment)}${totals.training ? ' (training 培訓)' : ''}"`,
    ...totals.wallets
      .filter((wallet) => wallet.payments.count + wallet.refunds.count > 0)
      .map((wallet) => row(`${slipText(walletById(wallet.wallet).names.en)} ${slipText(walletById(wallet.wallet).names['zh-HK'])}`, money(wallet.net))),
    row('Payments 收款', `${totals.totals.payments.count} · ${money(totals.totals.payments.amount)}`),
    row('Refunds 退款', `${totals.totals.refunds.count} · ${money(totals.totals.refunds.amount)}`),
    row('"Net 淨額', `${money(totals.totals.net)}"`),
  ];
}

/**
 * The books' check and the chain head the period ends on: on paper, the head is an anchor nobody
 * can re-link afterwards (16 hex digits are plenty to compare by eye with `report --z N`).
 */
function booksLines(report: PeriodReport): string[] {
  const lines: string[] = [];
  if (report.books && report.books.problems.length > 0) lines.push('"BOOKS DO NOT VERIFY 賬目核對不符"', ...report.books.problems.map((problem) => slipText(chainProblemWords(problem, 'en'))));
  if (report.chainHead) lines.push(row('Chain 鏈頭', report.chainHead.slice(0, 16)));
  return lines;
}

/** The X (open period, nothing closed) or Z (a closed period) report on the receipt printer. */
export function periodSlip(header: SlipHeader, report: PeriodReport, printedAt: number): string {
  const title = report.kind === 'Z' ? `Z report ${report.number} 日結報表` : `X report (Z ${report.number} when closed) 未結報表`;
  return [
    ...top(header, title),
    row('From 由', formatHongKongTimestamp(report.openedAt)),
    row('To 至', report.closedAt === null ? `now 現在 ${formatHongKongTimestamp(printedAt)}` : formatHongKongTimestamp(report.closedAt)),
    '-',
    ...(report.environments.length === 0 ? ['No money moved 沒有款項變動'] : report.environments.flatMap((totals) => [...environmentLines(totals), ''])),
    ...booksLines(report),
    row('Printed 列印', formatHongKongTimestamp(printedAt)),
    ...bottom(header),
  ].join('\n');
}

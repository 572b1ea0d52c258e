import { formatHongKongTimestamp } from '../hkTime';
import { chainProblemWords } from '../i18n/chainWords';
import { catalogues, words } from '../i18n/words';
import type { PaymentState, RefundState } from '../ledger/lifecycle';
import type { EnvironmentTotals, PeriodReport } from '../ledger/reportTypes';
import { formatHKD } from '../money';
import { walletById, type WalletId } from '../wallets';

/**
 * The counter's slips, each written once in receiptline's markup: the main process renders the
 * same text to ESC/POS for the printer and to SVG for the preview. Pure: the caller gives the
 * facts, these give the text, its words from the catalogues. Every label is in both languages (a Hong Kong slip is read by
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
  /** Paid with the customer's own code (CPM): its mask, never the code (shared/qfpay/authCode.ts). */
  readonly customerCode?: string | null;
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

/**
 * The slip's words, from the catalogues: each label in English, then in Chinese. They are
 * receiptline markup as they stand (the catalogue keeps markup characters out of them).
 */
const EN = catalogues.en.receipt;
const ZH = catalogues['zh-HK'].receipt;
type Label = { [K in keyof typeof EN]: (typeof EN)[K] extends string ? K : never }[keyof typeof EN];
const both = (label: Label) => `${EN[label]} ${ZH[label]}`;

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
  return header.training ? [`\`"${EN.training}"\``, `\`"${ZH.training}"\``] : [];
}

function top(header: SlipHeader, title: string): string[] {
  return [...trainingBanner(header), `^^${slipText(header.shopName)}`, slipText(title), '-', row(both('till'), slipText(header.tillId))];
}

function bottom(header: SlipHeader): string[] {
  return ['-', ...trainingBanner(header), '='];
}

function walletLine(wallet: WalletId, region: 'ALIPAYHK' | 'ALIPAYCN' | null): string {
  const names = walletById(wallet).names;
  // "PayMe" once, where both languages use the same name.
  const both = names.en === names['zh-HK'] ? slipText(names.en) : `${slipText(names.en)} ${slipText(names['zh-HK'])}`;
  return `${both}${region ? ` (${EN.regions[region]} ${ZH.regions[region]})` : ''}`;
}

/** The customer's slip for a payment: what was paid, through which wallet, and the numbers a dispute starts from. */
export function paymentSlip(header: SlipHeader, facts: PaymentSlipFacts): string {
  return [
    ...top(header, both('payment')),
    row(both('date'), formatHongKongTimestamp(facts.at)),
    row(both('wallet'), walletLine(facts.wallet, facts.alipayRegion)),
    // The mask's ellipsis as three dots: not every printer's code page has it.
    ...(facts.customerCode ? [row(both('customerCode'), slipText(facts.customerCode.replace('…', '...')))] : []),
    '-',
    row(`^^${both('amount')}`, `^^${money(facts.amount)}`),
    row(both('status'), `"${EN.paymentStates[facts.state]} ${ZH.paymentStates[facts.state]}"`),
    ...(facts.refunded > 0 ? [row(both('refunded'), money(facts.refunded))] : []),
    '-',
    both('orderNo'),
    slipText(facts.outTradeNo),
    both('qfpayTxnNo'),
    facts.syssn ? slipText(facts.syssn) : both('notYetGiven'),
    `{code:${facts.outTradeNo}; option:qrcode,5,m}`,
    ...bottom(header),
  ].join('\n');
}

export function refundSlip(header: SlipHeader, facts: RefundSlipFacts): string {
  return [
    ...top(header, both('refund')),
    row(both('date'), formatHongKongTimestamp(facts.at)),
    row(both('wallet'), walletLine(facts.wallet, null)),
    '-',
    row(`^^${both('refundAmount')}`, `^^${money(facts.amount)}`),
    row(both('status'), `"${EN.refundStates[facts.state]} ${ZH.refundStates[facts.state]}"`),
    row(both('stillRefundable'), money(facts.refundableLeft)),
    '-',
    both('originalOrder'),
    slipText(facts.orderOutTradeNo),
    both('refundNo'),
    slipText(facts.refundOutTradeNo),
    both('qfpayTxnNo'),
    facts.syssn ? slipText(facts.syssn) : both('notYetGiven'),
    ...bottom(header),
  ].join('\n');
}

function environmentLines(totals: EnvironmentTotals): string[] {
  return [
    `"${slipText(totals.environment)}${totals.training ? ` (${both('trainingShort')})` : ''}"`,
    ...totals.wallets
      .filter((wallet) => wallet.payments.count + wallet.refunds.count > 0)
      .map((wallet) => row(`${slipText(walletById(wallet.wallet).names.en)} ${slipText(walletById(wallet.wallet).names['zh-HK'])}`, money(wallet.net))),
    row(both('payments'), `${totals.totals.payments.count} · ${money(totals.totals.payments.amount)}`),
    row(both('refunds'), `${totals.totals.refunds.count} · ${money(totals.totals.refunds.amount)}`),
    row(`"${both('net')}`, `${money(totals.totals.net)}"`),
  ];
}

/**
 * The books' check and the chain head the period ends on: on paper, the head is an anchor nobody
 * can re-link afterwards (16 hex digits are plenty to compare by eye with `report --z N`).
 */
function booksLines(report: PeriodReport): string[] {
  const lines: string[] = [];
  if (report.books && report.books.problems.length > 0) lines.push(`"${both('booksDoNotVerify')}"`, ...report.books.problems.map((problem) => slipText(chainProblemWords(problem, 'en'))));
  if (report.chainHead) lines.push(row(both('chain'), report.chainHead.slice(0, 16)));
  return lines;
}

/** The X (open period, nothing closed) or Z (a closed period) report on the receipt printer. */
export function periodSlip(header: SlipHeader, report: PeriodReport, printedAt: number): string {
  const title = `${words('en')(report.kind === 'Z' ? 'receipt.zReport' : 'receipt.xReport', { number: report.number })} ${report.kind === 'Z' ? ZH.zReport : ZH.xReport}`;
  return [
    ...top(header, title),
    row(both('from'), formatHongKongTimestamp(report.openedAt)),
    // "Now" goes with the label: a value longer than its column wraps mid-number on 80 mm paper.
    report.closedAt === null ? row(`${both('to')} (${both('now')})`, formatHongKongTimestamp(printedAt)) : row(both('to'), formatHongKongTimestamp(report.closedAt)),
    '-',
    ...(report.environments.length === 0 ? [both('noMoney')] : report.environments.flatMap((totals) => [...environmentLines(totals), ''])),
    ...booksLines(report),
    row(both('printed'), formatHongKongTimestamp(printedAt)),
    ...bottom(header),
  ].join('\n');
}

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
/** A label and a value of text (a till, a wallet, a state), which may wrap where receiptline wraps it. */
const row = (label: string, value: string) => `${label} | ${value}`;

/** The paper a slip is laid out for: its characters a line at 12 x 24 dots (384 dots on 58 mm, 576 on 80 mm). */
export type SlipPaper = 58 | 80;
export const SLIP_CHARACTERS: Readonly<Record<SlipPaper, number>> = { 58: 32, 80: 48 };

/**
 * How wide receiptline prints a piece of markup, in characters: its escapes as the character they
 * stand for, its decorations (" _ `) as nothing, a Chinese character as two (cp950, as
 * receiptline measures it), and ^ runs as the width they set (^ double width, ^^ double height
 * only, ^^^ both).
 */
export function markupWidth(markup: string): number {
  let width = 0;
  let scale = 0;
  const characters = [...markup];
  for (let at = 0; at < characters.length; at += 1) {
    let character = characters[at] as string;
    if (character === '\\' && at + 1 < characters.length) {
      at += 1;
      character = characters[at] as string;
    } else if (character === '"' || character === '_' || character === '`') {
      continue;
    } else if (character === '^') {
      let run = 1;
      while (characters[at + 1] === '^') {
        run += 1;
        at += 1;
      }
      const size = Math.min(run, 7);
      scale = scale === size ? 0 : size;
      continue;
    }
    const code = character.codePointAt(0) as number;
    const one = code < 0x80 || code === 0xa0 || code === 0xa5 || code === 0x203e || (code > 0xff60 && code < 0xffa0);
    width += (one ? 1 : 2) * (scale < 2 ? scale + 1 : scale - 1);
  }
  return width;
}

/**
 * A label and a value that must never break in the middle (a time, an amount, a count): receiptline
 * splits a line's width evenly between its columns and wraps a column's text at any character, so
 * a time in a column narrower than itself came out as "... 22:4" over "4:49" (issue 24). Here the
 * value's column is exactly as wide as the value; when label and value do not fit on one line of
 * this paper, the label has a line of its own and the value its own line, right-aligned, whole.
 * Decorations (bold, double size) are each column's own, so either layout keeps them.
 */
function fixedRow(paper: SlipPaper, label: string, value: string): string[] {
  const characters = SLIP_CHARACTERS[paper];
  const valueWidth = markupWidth(value);
  if (valueWidth > characters - 2) return [row(label, value)];
  // One character of border between the two columns.
  if (markupWidth(label) + 1 + valueWidth <= characters) return [`{width:*,${valueWidth}}`, row(label, value), '{width:auto}'];
  return [`${label} |`, `| ${value}`];
}

function trainingBanner(header: SlipHeader): string[] {
  return header.training ? [`\`"${EN.training}"\``, `\`"${ZH.training}"\``] : [];
}

/** The title's lines: one, or (too wide for the paper) each language on its own, so none breaks inside a word. */
function top(header: SlipHeader, title: string | readonly string[]): string[] {
  const titles = typeof title === 'string' ? [title] : title;
  return [...trainingBanner(header), `^^${slipText(header.shopName)}`, ...titles.map(slipText), '-', row(both('till'), slipText(header.tillId))];
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
export function paymentSlip(header: SlipHeader, facts: PaymentSlipFacts, paper: SlipPaper = 80): string {
  return [
    ...top(header, both('payment')),
    ...fixedRow(paper, both('date'), formatHongKongTimestamp(facts.at)),
    row(both('wallet'), walletLine(facts.wallet, facts.alipayRegion)),
    // The mask's ellipsis as three dots: not every printer's code page has it.
    ...(facts.customerCode ? [row(both('customerCode'), slipText(facts.customerCode.replace('…', '...')))] : []),
    '-',
    ...fixedRow(paper, `^^${both('amount')}`, `^^${money(facts.amount)}`),
    row(both('status'), `"${EN.paymentStates[facts.state]} ${ZH.paymentStates[facts.state]}"`),
    ...(facts.refunded > 0 ? fixedRow(paper, both('refunded'), money(facts.refunded)) : []),
    '-',
    both('orderNo'),
    slipText(facts.outTradeNo),
    both('qfpayTxnNo'),
    facts.syssn ? slipText(facts.syssn) : both('notYetGiven'),
    `{code:${facts.outTradeNo}; option:qrcode,5,m}`,
    ...bottom(header),
  ].join('\n');
}

export function refundSlip(header: SlipHeader, facts: RefundSlipFacts, paper: SlipPaper = 80): string {
  return [
    ...top(header, both('refund')),
    ...fixedRow(paper, both('date'), formatHongKongTimestamp(facts.at)),
    row(both('wallet'), walletLine(facts.wallet, null)),
    '-',
    ...fixedRow(paper, `^^${both('refundAmount')}`, `^^${money(facts.amount)}`),
    row(both('status'), `"${EN.refundStates[facts.state]} ${ZH.refundStates[facts.state]}"`),
    ...fixedRow(paper, both('stillRefundable'), money(facts.refundableLeft)),
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

function environmentLines(totals: EnvironmentTotals, paper: SlipPaper): string[] {
  return [
    `"${slipText(totals.environment)}${totals.training ? ` (${both('trainingShort')})` : ''}"`,
    ...totals.wallets
      .filter((wallet) => wallet.payments.count + wallet.refunds.count > 0)
      .flatMap((wallet) => fixedRow(paper, `${slipText(walletById(wallet.wallet).names.en)} ${slipText(walletById(wallet.wallet).names['zh-HK'])}`, money(wallet.net))),
    ...fixedRow(paper, both('payments'), `${totals.totals.payments.count} · ${money(totals.totals.payments.amount)}`),
    ...fixedRow(paper, both('refunds'), `${totals.totals.refunds.count} · ${money(totals.totals.refunds.amount)}`),
    // Bold in each column on its own, so that the label and the value may take a line each.
    ...fixedRow(paper, `"${both('net')}"`, `"${money(totals.totals.net)}"`),
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
export function periodSlip(header: SlipHeader, report: PeriodReport, printedAt: number, paper: SlipPaper = 80): string {
  const english = words('en')(report.kind === 'Z' ? 'receipt.zReport' : 'receipt.xReport', { number: report.number });
  const chinese = report.kind === 'Z' ? ZH.zReport : ZH.xReport;
  // 58 mm wrapped "X report (Z 12 when closed) 未結報表" inside the Chinese word (issue 24).
  const title = markupWidth(`${english} ${chinese}`) <= SLIP_CHARACTERS[paper] ? `${english} ${chinese}` : [english, chinese];
  return [
    ...top(header, title),
    ...fixedRow(paper, both('from'), formatHongKongTimestamp(report.openedAt)),
    // Times never break in the middle (fixedRow): "now" goes with the label.
    ...(report.closedAt === null ? fixedRow(paper, `${both('to')} (${both('now')})`, formatHongKongTimestamp(printedAt)) : fixedRow(paper, both('to'), formatHongKongTimestamp(report.closedAt))),
    '-',
    ...(report.environments.length === 0 ? [both('noMoney')] : report.environments.flatMap((totals) => [...environmentLines(totals, paper), ''])),
    ...booksLines(report),
    ...fixedRow(paper, both('printed'), formatHongKongTimestamp(printedAt)),
    ...bottom(header),
  ].join('\n');
}

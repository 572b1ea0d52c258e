import { describe, expect, it } from 'vitest';
import { slipToText } from '../../electron/services/printing/renderSlip';
import { formatHongKongTimestamp, hongKongDayRange } from '../../shared/hkTime';
import type { EnvironmentTotals, PeriodReport } from '../../shared/ledger/reportTypes';
import { formatHKD } from '../../shared/money';
import { markupWidth, paymentSlip, periodSlip, refundSlip, SLIP_CHARACTERS, type SlipPaper } from '../../shared/receipts/slips';

/**
 * Issue 24, item 8: the X slip on 80 mm paper split a time across two lines ("... 22:4" over
 * "4:49"). Each slip's text lines, as receiptline lays them out for the paper, hold every time and
 * amount whole on one line, with both languages' labels, on 80 mm and on 58 mm.
 */

const { start } = hongKongDayRange('2026-12-07');
const OPENED = start + 9 * 3_600_000 + 2 * 60_000 + 3_000; // 09:02:03
const PRINTED = start + 22 * 3_600_000 + 44 * 60_000 + 49_000; // 22:44:49
const header = { shopName: '蛋撻 Tart House', tillId: 'front-counter-1', training: false };

const money = (totals: { count: number; amount: number }) => totals;
const environment: EnvironmentTotals = {
  environment: 'production',
  training: false,
  wallets: [
    { wallet: 'alipay', payments: money({ count: 1_204, amount: 12_345_678 }), refunds: money({ count: 3, amount: 23_040 }), net: 12_322_638 },
    { wallet: 'wechat', payments: money({ count: 88, amount: 1_000_000 }), refunds: money({ count: 0, amount: 0 }), net: 1_000_000 },
  ],
  totals: { payments: { count: 1_292, amount: 13_345_678 }, refunds: { count: 3, amount: 23_040 }, net: 13_322_638 },
  days: [{ day: '2026-12-07', net: 13_322_638 }],
};
const report = (kind: 'X' | 'Z'): PeriodReport => ({
  kind,
  number: 12,
  tillId: 'front-counter-1',
  currency: 'HKD',
  openedAt: OPENED,
  closedAt: kind === 'Z' ? PRINTED : null,
  generatedAt: PRINTED,
  environments: [environment],
  notPaid: 0,
  unresolved: { orders: 0, latePayments: 0, refunds: 0, beforeManager: 0, otherGateway: 0 } as PeriodReport['unresolved'],
  reconciliation: [],
  chainHead: '0123456789abcdef0123456789abcdef',
});

const lines = (markup: string, paper: SlipPaper) => slipToText(markup, paper).split('\n').map((line) => line.trimEnd());

function expectWhole(text: string[], tokens: readonly string[]) {
  for (const token of tokens) expect(text.some((line) => line.includes(token)), `${token} whole on one line:\n${text.join('\n')}`).toBe(true);
  // And nothing that looks like a broken time or amount at a line's end or start.
  for (const line of text) expect(line, line).not.toMatch(/\d\d:\d?$|^\s*\d?:\d\d\b(?!:)|HK\$[\d,]*$/);
}

describe('the X and Z slips', () => {
  const times = [formatHongKongTimestamp(OPENED), formatHongKongTimestamp(PRINTED)];
  // The wallets' nets, the payments and refunds, the net.
  const amounts = ['HK$123,226.38', 'HK$10,000.00', '1292 · HK$133,456.78', '3 · HK$230.40', 'HK$133,226.38'];

  it('on 80 mm: each time on the line of its label, whole; every amount whole', () => {
    const text = lines(periodSlip(header, report('X'), PRINTED, 80), 80);
    expectWhole(text, [...times, ...amounts]);
    // The lines with times, exactly as printed: label left, the time right, in 48 characters.
    expect(text).toContain('From 由                      2026-12-07 09:02:03');
    expect(text).toContain('To 至 (now 現在)             2026-12-07 22:44:49');
    expect(text).toContain('Printed 列印                 2026-12-07 22:44:49');
    expect(text).toContain('Net 淨額                           HK$133,226.38');
    for (const line of text) expect(markupWidth(line)).toBeLessThanOrEqual(SLIP_CHARACTERS[80]);
    // Both languages on the slip.
    expect(text.join('\n')).toMatch(/X report \(Z 12 when closed\) 未結報表/);
    const z = lines(periodSlip(header, report('Z'), PRINTED, 80), 80);
    expectWhole(z, [...times, ...amounts]);
    expect(z).toContain('To 至                        2026-12-07 22:44:49');
  });

  it('on 58 mm: a label too long to share the line with its time takes a line of its own; the time stays whole', () => {
    const text = lines(periodSlip(header, report('X'), PRINTED, 58), 58);
    expectWhole(text, [...times, ...amounts]);
    const to = text.findIndex((line) => line.startsWith('To 至 (now 現在)'));
    expect(text[to]).toBe('To 至 (now 現在)');
    expect(text[to + 1]).toBe('             2026-12-07 22:44:49');
    // The title too wide for one line: each language on a line of its own, no word broken.
    expect(text.map((line) => line.trim())).toEqual(expect.arrayContaining(['X report (Z 12 when closed)', '未結報表']));
    for (const line of text) expect(markupWidth(line)).toBeLessThanOrEqual(SLIP_CHARACTERS[58]);
  });

  it('the payment and refund slips keep their times and amounts whole on both papers', () => {
    for (const paper of [80, 58] as const) {
      const payment = lines(paymentSlip(header, { outTradeNo: 'FRONT-P261207224449-ABCDEFGH', syssn: '20261207000000000000000001', amount: 12_345_678, wallet: 'alipay', alipayRegion: 'ALIPAYCN', state: 'paid', at: PRINTED, refunded: 3_000 }, paper), paper);
      expectWhole(payment, [times[1] as string, formatHKD(12_345_678, 'en'), 'HK$30.00']);
      const refund = lines(refundSlip(header, { orderOutTradeNo: 'FRONT-P261207224449-ABCDEFGH', refundOutTradeNo: 'FRONT-R261207224449-ABCDEFGH', syssn: null, wallet: 'fps', amount: 3_000, state: 'succeeded', at: PRINTED, refundableLeft: 12_342_678 }, paper), paper);
      expectWhole(refund, [times[1] as string, 'HK$30.00', formatHKD(12_342_678, 'en')]);
    }
  });
});

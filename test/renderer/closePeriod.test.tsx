// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { buildPosApi } from '../../shared/ipc/api';
import type { PeriodReport } from '../../shared/ledger/reportTypes';
import { setUpI18n } from '../../renderer/src/common/i18n';
import { ClosePeriodPanel, nothingToClose } from '../../renderer/src/manager/ClosePeriod';
import { backupReason, CloseBanner } from '../../renderer/src/manager/ReportsView';

const i18n = setUpI18n('en');
afterEach(async () => {
  cleanup();
  await act(async () => void (await i18n.changeLanguage('en')));
});

const none = { orders: 0, latePayments: 0, refunds: 0, beforeManager: 0, otherGateway: 0 };
const empty: PeriodReport = {
  kind: 'X', number: 3, tillId: 't1', currency: 'HKD', openedAt: Date.UTC(2026, 11, 6, 14, 5), closedAt: null, generatedAt: Date.UTC(2026, 11, 7, 2), notPaid: 0,
  environments: [], unresolved: none, reconciliation: [],
};
const api = buildPosApi('cashier', { invoke: () => new Promise(() => {}), subscribe: () => () => {} });

describe('the close of an empty period', () => {
  it('offers no close button, and says since which Z nothing became final, in both languages', async () => {
    expect(nothingToClose(empty)).toBe(true);
    render(<ClosePeriodPanel api={api} language="en" report={empty} onClosed={() => {}} onChanged={() => {}} />);
    expect(screen.queryByRole('button')).toBeNull();
    expect(screen.getByTestId('nothing-to-close').textContent).toBe('Nothing to close: no payments or refunds since Z 2 closed at 2026-12-06 22:05.');
    cleanup();
    await act(async () => void (await i18n.changeLanguage('zh-HK')));
    render(<ClosePeriodPanel api={api} language="zh-HK" report={empty} onClosed={() => {}} onChanged={() => {}} />);
    expect(screen.getByTestId('nothing-to-close').textContent).toBe('沒有需要結算的項目：自 Z 2 於 2026-12-06 22:05 結算後，未有收款或退款。');
  });

  it('still offers the close while something is open: the dialog says what, and the till refuses', () => {
    const blocked = { ...empty, unresolved: { ...none, orders: 1 } };
    expect(nothingToClose(blocked)).toBe(false);
    render(<ClosePeriodPanel api={api} language="en" report={blocked} onClosed={() => {}} onChanged={() => {}} />);
    expect(screen.getByRole('button', { name: 'Close period Z 3…' })).toBeTruthy();
  });
});

describe("a failed backup's reason", () => {
  const t = i18n.t.bind(i18n);
  it('never shows a path: known causes in words, other reasons without their file', () => {
    expect(backupReason(t, "ENOSPC: no space left on device, open '/home/shop/.config/qfpos/backups/ledger-Z0003.sqlite.partial'")).toBe('the disk is full');
    expect(backupReason(t, "EACCES: permission denied, mkdir '/var/backups/qfpos'")).toBe('the till may not write to the backup folder');
    expect(backupReason(t, "EISDIR: illegal operation on a directory, open 'C:\\\\Users\\\\shop\\\\ledger.sqlite'")).toBe('illegal operation on a directory');
    expect(backupReason(t, 'database is locked')).toBe('database is locked');
    expect(backupReason(t, '/only/a/path')).toBeNull();
    expect(backupReason(t, undefined)).toBeNull();
  });
});

describe("a close's result", () => {
  const money = (count: number, amount: number) => ({ payments: { count, amount }, refunds: { count: 0, amount: 0 }, net: amount });
  const closed: PeriodReport = {
    ...empty, kind: 'Z', closedAt: Date.UTC(2026, 11, 7, 3),
    environments: [
      { environment: 'production', training: false, wallets: [], totals: money(12, 123_400), days: [] },
      { environment: 'demo', training: true, wallets: [], totals: money(1, 500), days: [] },
    ],
    reconciliation: [{ day: '2026-12-07', environment: 'production', checkedAt: Date.UTC(2026, 11, 7, 3), agrees: true, matched: 12, differences: 0, atQfpayOnly: 0, stillOpen: 0 }],
  };
  const failed = { ok: false, error: "ENOSPC: no space left on device, open '/home/shop/.config/qfpos/backups/x.sqlite.partial'" };

  it('names each environment when there are several, marks training money, and says a failed backup without its path, in both languages', async () => {
    render(<CloseBanner outcome={{ report: closed, backup: failed }} language="en" onHide={() => {}} ref={null} />);
    const banner = screen.getByTestId('close-result');
    expect(banner.querySelector('.close-banner-words')?.textContent).toBe('Z 3 closed: production: 12 payments, 0 refunds, HK$1,234.00 net; demo (training, not real money): 1 payment, 0 refunds, HK$5.00 net. QFPay agrees.');
    expect(banner.querySelector('.problem')?.textContent).toBe('The backup could not be written (the disk is full): copy the ledger file today.');
    expect(banner.textContent).not.toMatch(/[/\\]/);
    cleanup();
    await act(async () => void (await i18n.changeLanguage('zh-HK')));
    render(<CloseBanner outcome={{ report: closed, backup: { ok: true, file: '/home/shop/backups/x.sqlite' } }} language="zh-HK" onHide={() => {}} ref={null} />);
    expect(screen.getByTestId('close-result').querySelector('.close-banner-words')?.textContent).toBe('Z 3 已結算：正式環境：12 筆收款、0 筆退款，淨額 HK$1,234.00；示範環境（培訓，非真實款項）：1 筆收款、0 筆退款，淨額 HK$5.00。與 QFPay 相符。已保留備份。');
    expect(screen.getByTestId('close-result').textContent).not.toMatch(/[/\\]/);
  });
});

// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConfirmationStatus, HeadOfficeStatus } from '../../shared/ipc/contract';
import { setUpI18n } from '../../renderer/src/common/i18n';
import { HeadOfficeLine } from '../../renderer/src/manager/HeadOfficeLine';

const i18n = setUpI18n('en');
afterEach(() => {
  cleanup();
  void i18n.changeLanguage('en');
});

// 14:02 in Hong Kong (UTC+8).
const at = Date.UTC(2026, 10, 24, 6, 2);

describe("the manager's head-office line", () => {
  it.each<[HeadOfficeStatus, string, string]>([
    [{ state: 'in_sync', at }, 'Head office: in sync (14:02).', '總部：已同步（14:02）。'],
    [{ state: 'behind', records: 3, at }, 'Head office: 3 records behind; it catches up by itself.', '總部：尚有 3 筆記錄未同步，會自動補上。'],
    [{ state: 'behind', records: 1, at }, 'Head office: 1 record behind; it catches up by itself.', '總部：尚有 1 筆記錄未同步，會自動補上。'],
    [{ state: 'unreachable', since: at, reason: 'ECONNREFUSED' }, 'Head office: unreachable since 14:02. Sales go on; the till catches up when it is back.', '總部：自 14:02 起無法連線。銷售照常進行，恢復連線後會自動補上。'],
    // The technical reason (in English, from the shipper) stays in the log and the CLI.
    [
      { state: 'refused', since: at, code: 'till_id_taken', reason: 'the head office keeps till t-1 for ledger 0a1b2c3d' },
      "Head office: it keeps this till's id for another till's books, so nothing was shipped. Give this till its own id in Settings.",
      '總部：此收銀機編號已用於另一部收銀機的賬目，因此未有傳送任何記錄。請在設定中為此收銀機設定獨有編號。',
    ],
    [
      { state: 'refused', since: at, code: 'schema_newer', reason: 'version 4, newer than 3' },
      'Head office: its tables are newer than this app, so nothing was shipped. Update this till; sales go on meanwhile.',
      '總部：其資料表較此程式新，因此未有傳送任何記錄。請更新此收銀機；銷售照常進行。',
    ],
  ])('says %j in both languages', async (status, english, chinese) => {
    render(<HeadOfficeLine status={status} confirmations={null} />);
    expect(screen.getByTestId('head-office').textContent).toBe(english);
    await i18n.changeLanguage('zh-HK');
    expect((await screen.findByText(chinese)).textContent).toBe(chinese);
  });

  it('alerts when the head office is lost, and says nothing when there is none', () => {
    const { rerender } = render(<HeadOfficeLine status={{ state: 'unreachable', since: at, reason: 'x' }} confirmations={null} />);
    expect(screen.getByRole('alert')).toBeTruthy();
    rerender(<HeadOfficeLine status={{ state: 'off' }} confirmations={{ mode: 'pushed', checkEveryMs: 10_000 }} />);
    expect(screen.queryByTestId('head-office')).toBeNull();
    expect(screen.queryByTestId('confirmations')).toBeNull();
  });

  it.each<[ConfirmationStatus, string, string]>([
    [{ mode: 'pushed', checkEveryMs: 10_000 }, 'Payments: confirmations pushed by QFPay (the till also checks every 10 s).', '付款：由 QFPay 推送確認（收銀機亦每 10 秒查詢一次）。'],
    [
      { mode: 'polling', checkEveryMs: 3_000, reason: 'no_relay' },
      "Payments: checking QFPay every 3 s (a new QR more often); the head office's relay for QFPay's pushes is not running.",
      '付款：每 3 秒向 QFPay 查詢（新二維碼更頻密）；總部接收 QFPay 推送的轉發服務未有運行。',
    ],
    [
      { mode: 'polling', checkEveryMs: 2_500, reason: 'notifications_missed' },
      "Payments: checking QFPay every 2.5 s (a new QR more often); QFPay's pushes stopped arriving for recent payments.",
      '付款：每 2.5 秒向 QFPay 查詢（新二維碼更頻密）；最近的付款未收到 QFPay 的推送。',
    ],
  ])('says how payments are confirmed, %j, in both languages', async (confirmations, english, chinese) => {
    render(<HeadOfficeLine status={{ state: 'in_sync', at }} confirmations={confirmations} />);
    expect(screen.getByTestId('confirmations').textContent).toBe(english);
    await i18n.changeLanguage('zh-HK');
    expect((await screen.findByText(chinese)).textContent).toBe(chinese);
  });
});

// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { HeadOfficeStatus } from '../../shared/ipc/contract';
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
  ])('says %j in both languages', async (status, english, chinese) => {
    render(<HeadOfficeLine status={status} />);
    expect(screen.getByTestId('head-office').textContent).toBe(english);
    await i18n.changeLanguage('zh-HK');
    expect((await screen.findByText(chinese)).textContent).toBe(chinese);
  });

  it('alerts when the head office is lost, and says nothing when there is none', () => {
    const { rerender } = render(<HeadOfficeLine status={{ state: 'unreachable', since: at, reason: 'x' }} />);
    expect(screen.getByRole('alert')).toBeTruthy();
    rerender(<HeadOfficeLine status={{ state: 'off' }} />);
    expect(screen.queryByTestId('head-office')).toBeNull();
  });
});

// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { PosApi } from '../../shared/ipc/contract';
import { setUpI18n } from '../../renderer/src/common/i18n';
import { BeforeManagerPanel } from '../../renderer/src/manager/BeforeManagerPanel';

const i18n = setUpI18n('en');
afterEach(() => {
  cleanup();
  void i18n.changeLanguage('en');
});

/** Rendering only: nothing here calls the till. */
const noApi = {} as PosApi<'cashier'>;
const panel = (latePayments: number) => (
  <BeforeManagerPanel api={noApi} language="en" items={{ orders: [], refunds: [] }} latePayments={latePayments} environment="demo" onChanged={() => undefined} onShowOrder={() => undefined} onMessage={() => undefined} />
);

describe('"Before a manager" when only late payments wait', () => {
  it('does not say nothing waits while the cashier is told an item needs a manager', async () => {
    const { rerender } = render(panel(2));
    expect(screen.getByTestId('before-manager').textContent).toContain('No answer from QFPay waits for a decision. 2 payments below came after cancel or expiry: keep or refund each.');
    expect(screen.queryByText('Nothing is waiting for a manager.')).toBeNull();
    rerender(panel(1));
    expect(screen.getByTestId('before-manager').textContent).toContain('1 payment below came after cancel or expiry: keep it or refund it.');
    await i18n.changeLanguage('zh-HK');
    rerender(panel(1));
    expect(screen.getByTestId('before-manager').textContent).toContain('下方有 1 筆在取消或過期後才付款的款項');
    rerender(panel(0));
    expect(screen.getByTestId('before-manager').textContent).toContain('沒有待經理處理的項目。');
  });
});

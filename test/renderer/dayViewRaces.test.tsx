// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildPosApi } from '../../shared/ipc/api';
import type { PosApi } from '../../shared/ipc/contract';
import { hongKongDay } from '../../shared/hkTime';
import { setUpI18n } from '../../renderer/src/common/i18n';
import { DayView } from '../../renderer/src/manager/DayView';
import { chargeAndPay, startTestApp, subscribeToServices, type TestApp } from '../support/app';
import { startTestSimulator, type TestSimulator } from '../support/simulator';

/**
 * The manager's day when answers come back out of order (a slow link, a busy till): what is shown
 * is always the answer to the latest question. A walk found both: order A clicked, then B while
 * A's answer was on its way, left A's panel (and its Refund button) beside B's highlighted row; a
 * week picked then the day at once left the week's figures under the day's heading. The commands
 * run against the real services; the test holds back the answers it names.
 */

setUpI18n('en');
const PIN = '482193';
let simulator: TestSimulator;
let app: TestApp;
let api: PosApi<'cashier'>;
let first = '';
let second = '';
/** Answers held back: a command name (and order) to the milliseconds it waits. */
const slow = new Map<string, number>();

beforeAll(async () => {
  simulator = await startTestSimulator();
  app = await startTestApp(simulator);
  const services = subscribeToServices(app);
  api = buildPosApi('cashier', {
    async invoke(name, request) {
      const key = name === 'managerOrder' ? `${name}:${(request as { outTradeNo: string }).outTradeNo}` : name === 'managerSales' ? `${name}:${JSON.stringify(request)}` : name;
      const wait = slow.get(key);
      const answer = app.dispatch('cashier', name, request);
      if (wait) await new Promise((resolve) => setTimeout(resolve, wait));
      return answer;
    },
    subscribe: (event, listener) => services(event, listener),
  });
  first = await chargeAndPay(app, simulator, { amount: 1_250, wallet: 'alipay' });
  second = await chargeAndPay(app, simulator, { amount: 8_800, wallet: 'fps' });
  expect(await api.commands.managerSetPin({ pin: PIN })).toMatchObject({ ok: true });
  expect(await api.commands.managerUnlock({ pin: PIN })).toMatchObject({ ok: true });
}, 30_000);
afterAll(async () => {
  await app.stop();
  await simulator.stop();
});
afterEach(() => {
  cleanup();
  slow.clear();
});

const row = (number: string) => screen.getByTestId('orders-table').querySelector<HTMLElement>(`tr[data-order="${number}"]`) as HTMLElement;
const panelTitle = () => within(screen.getByTestId('order-panel')).getByRole('heading', { level: 3 }).textContent;

describe("the manager's day, answers out of order", () => {
  it("shows the order last clicked, never a slower answer about the one before", async () => {
    render(<DayView api={api} language="en" />);
    await waitFor(() => expect(row(second)).toBeTruthy());
    slow.set(`managerOrder:${first}`, 400);
    fireEvent.click(row(first));
    fireEvent.click(row(second));
    await waitFor(() => expect(panelTitle()).toBe(second));
    // A's answer arrives after B's: it is dropped.
    await act(() => new Promise((resolve) => setTimeout(resolve, 600)));
    expect(panelTitle()).toBe(second);
    expect(row(second).getAttribute('aria-selected') ?? row(second).className).toMatch(/true|selected/);
  });

  it("shows the day's figures under the day's heading when the week's answer comes after", async () => {
    const today = hongKongDay(Date.now());
    render(<DayView api={api} language="en" />);
    await screen.findByRole('heading', { name: `Sales on ${today}` });
    const span = screen.getByTestId('day-span');
    slow.set(`managerSales:${JSON.stringify({ from: spanOf(today).from, to: spanOf(today).to })}`, 400);
    fireEvent.change(span, { target: { value: 'week' } });
    fireEvent.change(span, { target: { value: 'day' } });
    await act(() => new Promise((resolve) => setTimeout(resolve, 700)));
    expect(screen.getByRole('heading', { name: `Sales on ${today}` })).toBeTruthy();
    expect(screen.getByTestId('sales-chart').getAttribute('data-unit')).toBe('hour');
  });

  it('closes the open order when the day changes, and gives the focus back to its row in this list', async () => {
    // The till's own list behind the manager's screen holds the same order numbers.
    const decoy = document.createElement('table');
    decoy.innerHTML = `<tbody><tr data-order="${first}"><td>behind</td></tr></tbody>`;
    document.body.prepend(decoy);
    render(<DayView api={api} language="en" />);
    await waitFor(() => expect(row(first)).toBeTruthy());
    fireEvent.keyDown(row(first), { key: 'Enter' });
    await waitFor(() => expect(panelTitle()).toBe(first));
    fireEvent.keyDown(document.activeElement ?? document.body, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByTestId('order-aside')).toBeNull());
    expect(document.activeElement).toBe(row(first));
    fireEvent.click(row(second));
    await waitFor(() => expect(panelTitle()).toBe(second));
    fireEvent.change(screen.getByLabelText('Business day'), { target: { value: '2026-01-05' } });
    await waitFor(() => expect(screen.queryByTestId('order-aside')).toBeNull());
    decoy.remove();
  });
});

function spanOf(day: string) {
  const date = new Date(`${day}T12:00:00Z`);
  const monday = new Date(date.getTime() - ((date.getUTCDay() + 6) % 7) * 86_400_000);
  return { from: monday.toISOString().slice(0, 10), to: new Date(monday.getTime() + 6 * 86_400_000).toISOString().slice(0, 10) };
}

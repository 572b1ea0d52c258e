// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildPosApi } from '../../shared/ipc/api';
import type { OrderView, PosApi, SettingsView } from '../../shared/ipc/contract';
import { pressAmountKey } from '../../renderer/src/cashier/amountEntry';
import { CashierApp } from '../../renderer/src/cashier/CashierApp';
import { Keypad } from '../../renderer/src/cashier/Keypad';
import { StatusPanel } from '../../renderer/src/cashier/StatusPanel';
import { TodayOrders } from '../../renderer/src/cashier/TodayOrders';
import { setUpI18n } from '../../renderer/src/common/i18n';
import { DayView } from '../../renderer/src/manager/DayView';
import { OpenPeriodPanel } from '../../renderer/src/manager/PeriodReports';
import type { PeriodReport } from '../../shared/ledger/reportTypes';
import { appOnSimulator, startTestApp, subscribeToServices, type TestApp } from '../support/app';
import { startTestSimulator, type TestSimulator } from '../support/simulator';
import { orderView } from '../support/orderView';

const i18n = setUpI18n('en');
afterEach(() => {
  cleanup();
  void i18n.changeLanguage('en');
});

describe('amount entry keys', () => {
  it('types text, never a float, and refuses what cannot be charged', () => {
    let text = '';
    for (const key of ['1', '2', '.', '3'] as const) text = pressAmountKey(text, key).text;
    expect(text).toBe('12.3');
    expect(pressAmountKey('12.34', '5')).toEqual({ text: '12.34', refused: 'amount_too_many_decimals' });
    expect(pressAmountKey('12345678', '9')).toEqual({ text: '12345678', refused: 'amount_too_large' });
    expect(pressAmountKey('', '.').text).toBe('0.');
    expect(pressAmountKey('0', '7').text).toBe('7');
    expect(pressAmountKey('1.2', '.').text).toBe('1.2');
    expect(pressAmountKey('1.2', 'backspace').text).toBe('1.');
    expect(pressAmountKey('1.2', 'clear').text).toBe('');
  });
});

describe('Keypad', () => {
  it('sends each key it shows, and nothing when disabled', () => {
    const pressed: string[] = [];
    const { rerender } = render(<Keypad onKey={(key) => pressed.push(key)} />);
    for (const label of ['7', '0', '.', 'Delete']) fireEvent.click(screen.getByRole('button', { name: label }));
    expect(pressed).toEqual(['7', '0', '.', 'backspace']);
    expect(screen.getAllByRole('button')).toHaveLength(12);
    rerender(<Keypad onKey={(key) => pressed.push(key)} disabled />);
    fireEvent.click(screen.getByRole('button', { name: '9' }));
    expect(pressed).toHaveLength(4);
  });
});

const order = (change: Partial<OrderView>): OrderView => orderView({ state: 'waiting', ...change });

describe('StatusPanel', () => {
  it.each([
    ['waiting', 'Waiting for the customer to scan and pay.'],
    ['unknown', 'Checking with QFPay… Do not charge again.'],
    ['paid', 'Paid.'],
    ['expired', 'The QR code expired unpaid.'],
    ['cancelled', 'Cancelled.'],
    ['paid_late', 'Paid after cancel or expiry. A manager must refund it or keep it.'],
  ] as const)('says %s in words, in a live region', (state, words) => {
    render(<StatusPanel order={order({ state })} language="en" />);
    const live = screen.getByRole('status');
    expect(live).toHaveProperty('textContent', words);
    expect(live.getAttribute('aria-live')).toBe('polite');
  });

  it.each([
    ['waiting', 'The customer is confirming the payment in their wallet. PayMe payments cannot be withdrawn by the till: wait for the answer.'],
    ['expired', 'The customer did not confirm in time. PayMe payments cannot be withdrawn by the till: if the customer still confirms, it shows as a late payment.'],
    ['cancelled', 'Cancelled. PayMe payments cannot be withdrawn by the till: if the customer still confirms, it shows as a late payment.'],
  ] as const)('never says “withdrawn” of a customer’s code the till cannot withdraw (PayMe), %s', (state, words) => {
    render(<StatusPanel order={order({ state, wallet: 'payme', mode: 'cpm', authCodeMasked: '28…5836' })} language="en" />);
    expect(screen.getByRole('status').textContent).toBe(words);
  });

  it('gives the reason of a failure', () => {
    render(<StatusPanel order={order({ state: 'failed', respcd: '1201', message: 'Insufficient balance: ask for another payment method' })} language="en" />);
    expect(screen.getByRole('status').textContent).toBe('Payment failed: Insufficient balance: ask for another payment method');
  });

  it('counts down calmly, outside the live region', () => {
    render(<StatusPanel order={order({})} language="en" timeLeftMs={125_000} />);
    const countdown = screen.getByText('2 min 5 s left');
    expect(countdown.getAttribute('aria-hidden')).toBe('true');
  });

  it('speaks Traditional Chinese', async () => {
    await act(() => i18n.changeLanguage('zh-HK'));
    render(<StatusPanel order={order({ state: 'paid', wallet: 'octopus' })} language="zh-HK" />);
    expect(screen.getByRole('status').textContent).toBe('已付款。');
    expect(screen.getByText('HK$12.30 · 八達通')).toBeTruthy();
  });

  it('says a manager must decide, in the alert tone, whatever the state', async () => {
    const { container, rerender } = render(<StatusPanel order={order({ state: 'unknown', attention: 'no_final_answer', attentionSince: 1 })} language="en" />);
    expect(screen.getByRole('status').textContent).toBe('QFPay gave no final answer in time: a manager must decide. Do not charge again.');
    expect(container.querySelector('.status')?.className).toContain('status-alert');
    await act(() => i18n.changeLanguage('zh-HK'));
    rerender(<StatusPanel order={order({ state: 'unknown', attention: 'no_final_answer', attentionSince: 1 })} language="zh-HK" />);
    expect(screen.getByRole('status').textContent).toBe('QFPay 未有及時給予最終答覆：須由經理決定。請勿重複收款。');
  });
});

describe("today's orders", () => {
  const rows = [
    order({ outTradeNo: 'T1-P1', state: 'paid', period: { number: 3, open: true } }),
    order({ outTradeNo: 'T1-P2', state: 'paid', period: { number: 2, open: false } }),
    order({ outTradeNo: 'T1-P3', state: 'unknown', attention: 'no_final_answer', attentionSince: 5 }),
    order({ outTradeNo: 'T1-P4', state: 'paid', madeOn: 'production', period: { number: 2, open: false } }),
  ];
  const row = (number: string) => document.querySelector(`tr[data-order="${number}"]`) as HTMLElement;

  it('marks what needs a manager, what another environment made, and the period of each paid order', () => {
    const opened: string[] = [];
    render(<TodayOrders orders={rows} language="en" beforeManager={2} openPeriod={3} environment="demo" onOpenManager={() => opened.push('manager')} />);
    expect(screen.getByTestId('sales-go-into').textContent).toBe('Sales go into Z 3');
    expect(within(row('T1-P1')).getByText('Z 3 (open)')).toBeTruthy();
    expect(within(row('T1-P2')).getByText('Z 2')).toBeTruthy();
    expect(within(row('T1-P3')).getByText('Needs a manager').getAttribute('title')).toBe('QFPay gave no final answer in time');
    expect(within(row('T1-P4')).getByText('made on production; this till now runs demo')).toBeTruthy();
    expect(screen.getByTestId('manager-notice').textContent).toContain('2 items need a manager');
    fireEvent.click(screen.getByRole('button', { name: 'Open Manager' }));
    expect(opened).toEqual(['manager']);
  });

  it('says nothing of a manager when nothing waits, and speaks Traditional Chinese', async () => {
    await act(() => i18n.changeLanguage('zh-HK'));
    render(<TodayOrders orders={rows} language="zh-HK" beforeManager={0} openPeriod={3} environment="demo" />);
    expect(screen.queryByTestId('manager-notice')).toBeNull();
    expect(screen.getByTestId('sales-go-into').textContent).toBe('營業額計入 Z 3');
    expect(within(row('T1-P1')).getByText('Z 3（未結）')).toBeTruthy();
    expect(within(row('T1-P3')).getByText('待經理處理')).toBeTruthy();
    expect(within(row('T1-P4')).getByText('於正式環境建立；此收銀機現時使用示範環境')).toBeTruthy();
  });
});

describe('the cashier screen against the real main-process services', () => {
  let simulator: TestSimulator;
  let app: TestApp;
  let api: PosApi<'cashier'>;
  let settings: SettingsView;

  beforeAll(async () => {
    simulator = await startTestSimulator();
    app = await startTestApp(simulator);
    api = buildPosApi('cashier', {
      invoke: (name, request) => app.dispatch('cashier', name, request),
      subscribe: subscribeToServices(app),
    });
    const read = await api.commands.readSettings({});
    if (!read.ok) throw new Error('settings');
    settings = read.value.settings;
  });
  afterAll(async () => {
    await app.stop();
    await simulator.stop();
  });
  beforeEach(async () => {
    await simulator.control('DELETE', 'requests');
  });

  const key = (name: string) => fireEvent.keyDown(window, { key: name });
  const typed = (text: string) => [...text].forEach((char) => key(char));
  const problem = () => screen.getAllByRole('alert')[0]?.textContent;

  it('refuses a bad amount with a specific message and sends nothing', async () => {
    render(<CashierApp api={api} initialSettings={settings} />);
    key('F3');
    await act(async () => key('Enter'));
    expect(problem()).toBe('Enter an amount.');
    typed('0');
    await act(async () => key('Enter'));
    expect(problem()).toBe('The amount must be more than zero.');
    key('Escape');
    typed('12.345');
    expect(problem()).toBe('At most two decimal places (cents).');
    expect(screen.getByTestId('amount').textContent).toBe('HK$12.34');
    expect(simulator.requests()).toHaveLength(0);
    expect(app.runtime.store.recentOrders(5)).toHaveLength(0);
  });

  it('asks for a wallet, then charges with the keyboard alone', async () => {
    render(<CashierApp api={api} initialSettings={settings} />);
    typed('48.5');
    expect(screen.getByTestId('amount').textContent).toBe('HK$48.50');
    await act(async () => key('Enter'));
    expect(problem()).toBe('Choose a wallet first (F1-F6).');
    key('F6');
    expect(within(screen.getByRole('radiogroup')).getByRole('radio', { name: /Octopus/ }).getAttribute('aria-checked')).toBe('true');
    key('Enter');
    // The charge crosses real HTTP to the simulator before the screen can say so.
    expect((await screen.findByText('Waiting for the customer to scan and pay.', {}, { timeout: 5_000 })).getAttribute('role')).toBe('status');
    const [order] = app.runtime.store.recentOrders(1);
    expect(order).toMatchObject({ amount: 4850, wallet: 'octopus', state: 'waiting' });
    expect(document.activeElement?.className).toContain('entry');
    key('Escape');
    expect(await screen.findByText('Cancelled.', {}, { timeout: 5_000 })).toBeTruthy();
  });

  it("starts the next sale from the typed digit, never from the last customer's amount", async () => {
    render(<CashierApp api={api} initialSettings={settings} />);
    typed('23.40');
    key('F2');
    key('Enter');
    await screen.findByText('Waiting for the customer to scan and pay.', {}, { timeout: 5_000 });
    key('Escape');
    await screen.findByText('Cancelled.', {}, { timeout: 5_000 });
    // Typed onto "23.40", a 5 would be refused as a third decimal and 23.40 charged again.
    typed('5');
    expect(screen.getByTestId('amount').textContent).toBe('HK$5.00');
    expect(problem()).toBe('');
    expect(screen.getByRole('button', { name: 'Charge' })).toBeTruthy();
    expect(within(screen.getByRole('radiogroup')).getAllByRole('radio').every((radio) => radio.getAttribute('aria-checked') === 'false')).toBe(true);
  });

  it("shows a paid sale's slip and then waits: today's orders are not asked for again and again", async () => {
    let asked = 0;
    const counting = buildPosApi('cashier', {
      invoke: (name, request) => {
        if (name === 'todayOrders') asked += 1;
        return app.dispatch('cashier', name, request);
      },
      subscribe: subscribeToServices(app),
    });
    render(<CashierApp api={counting} initialSettings={settings} />);
    typed('7.70');
    key('F1');
    key('Enter');
    await screen.findByText('Waiting for the customer to scan and pay.', {}, { timeout: 5_000 });
    const [order] = app.runtime.store.recentOrders(1);
    await simulator.control('POST', `orders/${order?.outTradeNo}/pay`);
    await act(() => app.runtime.poller.reconcile());
    await screen.findByTestId('slip', {}, { timeout: 5_000 });
    // Printed on payment, the slip waits for a printer (this till has none): its state has come.
    await waitFor(() => expect(screen.getByTestId('slip-status').textContent).toBe('Printing…'), { timeout: 5_000 });
    // The refetch after the payment's events (half a second after the last) has come and gone.
    await act(() => new Promise((resolve) => setTimeout(resolve, 700)));
    const settled = asked;
    await act(() => new Promise((resolve) => setTimeout(resolve, 700)));
    // Each render of the screen used to ask again: about ninety times a second.
    expect(asked - settled).toBe(0);
  });
});

describe('an order QFPay never answered about, against the real main-process services', () => {
  let simulator: TestSimulator;
  let app: TestApp;
  let api: PosApi<'cashier'>;
  let settings: SettingsView;

  beforeAll(async () => {
    simulator = await startTestSimulator();
    // No background poller: the test decides when the till asks QFPay.
    app = await startTestApp(simulator, {}, { poll: false });
    api = buildPosApi('cashier', {
      invoke: (name, request) => app.dispatch('cashier', name, request),
      subscribe: subscribeToServices(app),
    });
    const read = await api.commands.readSettings({});
    if (!read.ok) throw new Error('settings');
    settings = read.value.settings;
  });
  afterAll(async () => {
    await app.stop();
    await simulator.stop();
  });

  const key = (name: string) => fireEvent.keyDown(window, { key: name });

  it('tells the cashier not to charge again, and how many items wait for a manager', async () => {
    const opened: string[] = [];
    render(<CashierApp api={api} initialSettings={settings} onOpenManager={() => opened.push('manager')} />);
    await simulator.control('PUT', 'faults/payment', { kind: 'http_500' });
    for (const char of '12.30') key(char);
    key('F5');
    await act(async () => key('Enter'));
    await screen.findByText('Checking with QFPay… Do not charge again.', {}, { timeout: 5_000 });
    await simulator.control('DELETE', 'faults');
    // Five minutes after the QR's time and more, QFPay still has no record: a manager must decide.
    app.advance(11 * 60_000);
    await act(() => app.runtime.poller.reconcile());
    await screen.findByText('QFPay gave no final answer in time: a manager must decide. Do not charge again.');
    // The count comes from todayOrders, fetched again after the order's events.
    await waitFor(() => expect(screen.getByTestId('manager-notice').textContent).toContain('1 item needs a manager'), { timeout: 3_000 });
    const [flagged] = app.runtime.store.recentOrders(1);
    expect(within(document.querySelector(`tr[data-order="${flagged?.outTradeNo}"]`) as HTMLElement).getByText('Needs a manager')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Open Manager' }));
    expect(opened).toEqual(['manager']);
  });

  it('asks the manager what QFPay shows and why, refuses a decision without a reason, and records one with it', async () => {
    expect(await api.commands.managerSetPin({ pin: '246813' })).toMatchObject({ ok: true });
    expect(await api.commands.managerUnlock({ pin: '246813' })).toMatchObject({ ok: true });
    const [flagged] = app.runtime.store.recentOrders(1);
    const number = flagged?.outTradeNo as string;
    render(<DayView api={api} language="en" />);
    const panel = await screen.findByTestId('before-manager');
    const item = await within(panel).findByText(number);
    const entry = item.closest('li') as HTMLElement;
    expect(within(entry).getByText('QFPay gave no final answer in time', { exact: false })).toBeTruthy();
    fireEvent.click(within(entry).getByRole('button', { name: 'Decide…' }));
    const form = within(entry).getByRole('form');
    await act(async () => fireEvent.click(within(form).getByRole('button', { name: 'Confirm' })));
    expect(within(form).getByRole('alert').textContent).toBe('Choose what QFPay shows.');
    fireEvent.click(within(form).getByLabelText('QFPay shows it not paid'));
    fireEvent.change(within(form).getByLabelText('Reason, 3 to 200 characters (what you saw, and where)'), { target: { value: ' ok ' } });
    await act(async () => fireEvent.click(within(form).getByRole('button', { name: 'Confirm' })));
    expect(within(form).getByRole('alert').textContent).toBe('Give the reason for the decision (3 to 200 characters).');
    expect(app.runtime.store.orderByNumber(number)).toMatchObject({ state: 'unknown', attention: 'no_final_answer' });

    fireEvent.change(within(form).getByLabelText('Reason, 3 to 200 characters (what you saw, and where)'), { target: { value: 'Not in the QFPay portal; paid cash' } });
    await act(async () => fireEvent.click(within(form).getByRole('button', { name: 'Confirm' })));
    await within(panel).findByText('Nothing is waiting for a manager.');
    expect(app.runtime.store.orderByNumber(number)).toMatchObject({ state: 'failed', attention: null });
    const decisions = await screen.findByTestId('decisions');
    expect(decisions.textContent).toContain('QFPay shows it not paid');
    expect(decisions.textContent).toContain('Not in the QFPay portal; paid cash');
    expect(screen.getByText('(a manager decided: Not in the QFPay portal; paid cash)')).toBeTruthy();
  });
});

describe("the manager's orders table through a refresh, against the real main-process services", () => {
  // The most calls a minute a till may make: the second test charges 140 orders.
  const running = appOnSimulator({ QFPOS_CALL_BUDGET: '400' });

  it('keeps the rows drawn while their new page is on its way, so Space on a row opens it', async () => {
    const charged = (await running.app.dispatch('cashier', 'charge', { amount: 4_20, wallet: 'alipay' })) as { ok: true; value: { order: { outTradeNo: string } } };
    const number = charged.value.order.outTradeNo;
    expect(await running.app.dispatch('cashier', 'managerSetPin', { pin: '246813' })).toMatchObject({ ok: true });
    expect(await running.app.dispatch('cashier', 'managerUnlock', { pin: '246813' })).toMatchObject({ ok: true });
    // The pages of orders answered only when the test lets them: the moment a refresh is on its way is held open.
    let held: (() => void)[] | undefined;
    const api = buildPosApi('cashier', {
      invoke: async (name, request) => {
        if (name === 'managerDayOrders' && held) await new Promise<void>((release) => held?.push(release));
        return running.app.dispatch('cashier', name, request);
      },
      subscribe: () => () => undefined,
    });
    render(<DayView api={api} language="en" />);
    const table = await screen.findByTestId('orders-table');
    await waitFor(() => expect(table.querySelector(`tr[data-order="${number}"]`)).not.toBeNull());

    held = [];
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Resolve now' })));
    await waitFor(() => expect(held?.length).toBeGreaterThan(0));
    const row = table.querySelector(`tr[data-order="${number}"]`) as HTMLElement;
    expect(row).not.toBeNull();
    expect(row.getAttribute('aria-busy')).toBeNull();
    await act(async () => fireEvent.keyDown(row, { key: ' ' }));
    expect(await within(await screen.findByTestId('order-panel')).findByRole('heading', { name: number })).toBeTruthy();

    const waiting = held ?? [];
    held = undefined;
    await act(async () => waiting.forEach((release) => release()));
    await waitFor(() => expect(table.querySelector(`tr[data-order="${number}"]`)).not.toBeNull());
  });

  it('draws the rows in view, not only the first page, after a filter changes while scrolled down', async () => {
    // Enough orders for three pages of the table's 50, all of them still waiting.
    for (let count = 0; count < 140; count += 1) await running.app.runtime.till.charge({ amount: 100 + count, wallet: 'payme' });
    const asked: number[] = [];
    const api = buildPosApi('cashier', {
      invoke: (name, request) => {
        if (name === 'managerDayOrders') asked.push((request as { offset: number }).offset);
        return running.app.dispatch('cashier', name, request);
      },
      subscribe: () => () => undefined,
    });
    render(<DayView api={api} language="en" />);
    const table = await screen.findByTestId('orders-table');
    await waitFor(() => expect(table.querySelectorAll('tr[data-order]').length).toBeGreaterThan(0));
    // Scrolled to the 120th row: the third page is drawn.
    await act(async () => {
      table.scrollTop = 120 * 34;
      fireEvent.scroll(table);
    });
    await waitFor(() => expect(table.querySelector('tr[data-index="120"][data-order]')).not.toBeNull());
    asked.length = 0;
    await act(async () => fireEvent.change(screen.getByRole('combobox', { name: 'State' }), { target: { value: 'waiting' } }));
    // The rows in view come again under the new filter, not left as empty placeholders.
    await waitFor(() => expect(table.querySelector('tr[data-index="120"][data-order]')).not.toBeNull());
    expect(asked).toContain(100);
  });
});

describe('OpenPeriodPanel', () => {
  const wallets = (['alipay', 'wechat', 'payme', 'unionpay', 'fps', 'octopus'] as const).map((wallet) => ({
    wallet, payments: { count: wallet === 'fps' ? 3 : 0, amount: wallet === 'fps' ? 3_000 : 0 }, refunds: { count: 0, amount: 0 }, net: wallet === 'fps' ? 3_000 : 0,
  }));
  const report: PeriodReport = {
    kind: 'X', number: 4, tillId: 't1', currency: 'HKD', openedAt: Date.UTC(2026, 8, 1), closedAt: null, generatedAt: Date.UTC(2026, 11, 1), notPaid: 0,
    environments: [{
      environment: 'production', training: false, wallets,
      totals: { payments: { count: 3, amount: 3_000 }, refunds: { count: 0, amount: 0 }, net: 3_000 },
      days: [{ day: '2026-11-29', net: 1_000 }, { day: '2026-11-30', net: 1_000 }],
      earlierDays: { before: '2026-11-29', net: 1_000 },
    }],
    unresolved: { orders: 0, latePayments: 0, refunds: 0, beforeManager: 0, otherGateway: 0 },
    reconciliation: [],
  };
  // The panel's commands (close, print) are not pressed here: only what it shows of the days.
  const api = buildPosApi('cashier', { invoke: () => new Promise(() => {}), subscribe: () => () => {} });

  it('shows a long period’s days before its latest as one entry first, in both languages', async () => {
    render(<OpenPeriodPanel api={api} language="en" report={report} />);
    expect(screen.getByText(/^By day:/).textContent).toBe('By day: days before 2026-11-29 HK$10.00 · 2026-11-29 HK$10.00 · 2026-11-30 HK$10.00');
    cleanup();
    await act(async () => void (await i18n.changeLanguage('zh-HK')));
    render(<OpenPeriodPanel api={api} language="zh-HK" report={report} />);
    expect(screen.getByText(/^按日/).textContent).toBe('按日：2026-11-29 之前各日 HK$10.00 · 2026-11-29 HK$10.00 · 2026-11-30 HK$10.00');
  });
});

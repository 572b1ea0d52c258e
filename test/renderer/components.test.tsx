// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildPosApi } from '../../shared/ipc/api';
import type { OrderView, PosApi, SettingsView } from '../../shared/ipc/contract';
import { pressAmountKey } from '../../renderer/src/cashier/amountEntry';
import { CashierApp } from '../../renderer/src/cashier/CashierApp';
import { Keypad } from '../../renderer/src/cashier/Keypad';
import { StatusPanel } from '../../renderer/src/cashier/StatusPanel';
import { setUpI18n } from '../../renderer/src/common/i18n';
import { startTestApp, type TestApp } from '../support/app';
import { startTestSimulator, type TestSimulator } from '../support/simulator';

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

describe('StatusPanel', () => {
  const order = (change: Partial<OrderView>): OrderView => ({
    outTradeNo: 'T1-P261123101500-ABCDEFGH',
    wallet: 'wechat',
    amount: 1230,
    state: 'waiting',
    createdAt: 0,
    qrDeadline: 0,
    respcd: null,
    message: null,
    refunded: 0,
    cancelRequested: false,
    ...change,
  });

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
      subscribe(event, listener) {
        app.pos.events.on(event, listener);
        return () => app.pos.events.off(event, listener);
      },
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
});

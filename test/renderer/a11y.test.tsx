// @vitest-environment jsdom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildPosApi } from '../../shared/ipc/api';
import type { OrderView, PosApi, SettingsView } from '../../shared/ipc/contract';
import type { WalletId } from '../../shared/wallets';
import { CashierApp } from '../../renderer/src/cashier/CashierApp';
import { keySource } from '../../renderer/src/cashier/keys';
import { WalletPicker } from '../../renderer/src/cashier/WalletPicker';
import { answerWords, causeWords, historyDetailWords } from '../../shared/i18n/bookWords';
import { resources, setUpI18n } from '../../renderer/src/common/i18n';
import { DayView } from '../../renderer/src/manager/DayView';
import { OrdersTable } from '../../renderer/src/manager/OrdersTable';
import { PinGate } from '../../renderer/src/manager/PinGate';
import { SettingsForm } from '../../renderer/src/manager/SettingsForm';
import { startTestApp, subscribeToServices, type TestApp } from '../support/app';
import { startTestSimulator, type TestSimulator } from '../support/simulator';
import { orderView } from '../support/orderView';

const i18n = setUpI18n('en');
afterEach(async () => {
  cleanup();
  await i18n.changeLanguage('en');
});

/** The renderer's API over the real dispatcher and events of a test app: no stubs in between. */
function apiOf(app: TestApp): PosApi<'cashier'> {
  return buildPosApi('cashier', {
    invoke: (name, request) => app.dispatch('cashier', name, request),
    subscribe: subscribeToServices(app),
  });
}

const order = (change: Partial<OrderView>): OrderView => orderView(change);

describe('counts in words, with plural forms in both languages', () => {
  const t = i18n.t.bind(i18n);

  it('says one and many in English, and the count once in Chinese', async () => {
    expect(t('manager.triesLeft', { count: 1 })).toBe('1 try left.');
    expect(t('manager.triesLeft', { count: 4 })).toBe('4 tries left.');
    expect(t('manager.resolved', { count: 1, changed: 0 })).toBe('Asked QFPay about 1 order; 0 changed.');
    expect(t('manager.resolved', { count: 3, changed: 1 })).toBe('Asked QFPay about 3 orders; 1 changed.');
    expect(t('manager.exported', { file: 'day.csv', payments: 1, refunds: 2 })).toBe('day.csv: 1 payment, 2 refunds.');
    expect(t('manager.exported', { file: 'day.csv', payments: 0, refunds: 1 })).toBe('day.csv: 0 payments, 1 refund.');
    expect(t('books.reconcile.differs', { time: '23:10', differs: 1, atQfpayOnly: 0, open: 0, matched: 4 })).toBe('Checked with QFPay at 23:10: 1 differs, 0 at QFPay only, 0 still open, 4 matched.');
    expect(t('books.note.differs', { day: '2026-11-23', environment: 'demo', time: '23:10', differs: 2, atQfpayOnly: 1, open: 0, matched: 4 })).toContain(': 2 differ, 1 at QFPay only');
    expect(t('itemsNeedManager', { count: 1 })).toBe('1 item needs a manager');
    expect(t('late.title', { count: 2 })).toBe('2 payments arrived after they were cancelled or expired');
    expect(t('books.printClosedPeriods', { count: 1, list: 'Z 3' })).toBe('closed period Z 3');
    expect(t('books.printClosedPeriods', { count: 2, list: 'Z 3, Z 4' })).toBe('closed periods Z 3, Z 4');
    await i18n.changeLanguage('zh-HK');
    expect(t('manager.triesLeft', { count: 1 })).toBe('尚餘 1 次機會。');
    expect(t('manager.exported', { file: 'day.csv', payments: 1, refunds: 2 })).toBe('day.csv：1 筆收款，2 筆退款。');
    expect(t('manager.resolved', { count: 1, changed: 0 })).toBe('已向 QFPay 查詢 1 張訂單，0 張有變更。');
  });

  it('has no English sentence that puts a bare count before a noun', () => {
    // A count in a sentence needs _one and _other; a count shown as a value ("Refunds (2)",
    // "Before a manager: 2") reads right whatever it is.
    const sentences: string[] = [];
    const walk = (tree: object, path: string) =>
      Object.entries(tree).forEach(([key, value]) => {
        if (typeof value === 'object') return walk(value as object, `${path}${key}.`);
        if (/_(one|other)$/.test(key) || !String(value).includes('{{count}}')) return;
        if (!/(: |\()\{\{count\}\}\)?\.?$/.test(String(value))) sentences.push(`${path}${key}: ${String(value)}`);
      });
    walk(resources.en.translation, '');
    expect(sentences).toEqual([]);
  });
});

describe('an order history in words', () => {
  const t = i18n.t.bind(i18n);
  // Every cause the ledger can write, read from the one place they are declared.
  const lifecycle = readFileSync(join(process.cwd(), 'shared', 'ledger', 'lifecycle.ts'), 'utf8');
  const declared = /export type TransitionCause =([\s\S]*?');/.exec(lifecycle)?.[1] ?? '';
  const causes = [...declared.matchAll(/'([a-z_]+)'/g)].map((match) => match[1] as string);

  it('names every cause in both languages, never by its code', async () => {
    expect(causes.length).toBeGreaterThan(20);
    for (const language of ['en', 'zh-HK'] as const) {
      await i18n.changeLanguage(language);
      for (const cause of causes) {
        const words = causeWords(t, cause);
        expect(words, cause).not.toBe(cause);
        expect(words, cause).not.toBe(t('causes.other'));
      }
    }
    await i18n.changeLanguage('en');
    expect(causeWords(t, 'query_paid')).toBe('QFPay says paid');
    expect(causeWords(t, 'paid_after_cancel_or_expiry')).toBe('paid after cancel or expiry');
    expect(causeWords(t, 'some_future_cause')).toBe('another change');
  });

  it("says a step's detail as words: QFPay's code, why an answer proved nothing, or a manager's reason", async () => {
    expect(historyDetailWords(t, 'respcd 1143', 'en')).toBe('QFPay: Not paid yet: the customer may be entering a password (1143)');
    expect(historyDetailWords(t, 'timeout', 'en')).toBe('no answer in time');
    expect(historyDetailWords(t, 'Seen in the QFPay portal', 'en')).toBe('Seen in the QFPay portal');
    expect(historyDetailWords(t, null, 'en')).toBeNull();
    await i18n.changeLanguage('zh-HK');
    expect(historyDetailWords(t, 'respcd 1143', 'zh-HK')).toBe('QFPay：訂單尚未支付，顧客可能正在輸入密碼（1143）');
    expect(historyDetailWords(t, 'not_sent', 'zh-HK')).toBe('無法連接 QFPay，未有發出任何資料');
  });

  it("says QFPay's answer in the screen's language, not the English the main process kept", () => {
    expect(answerWords('1201', 'Insufficient balance: ask for another payment method', 'zh-HK')).toBe('餘額不足，請更換支付方式');
    expect(answerWords(null, 'a note', 'zh-HK')).toBe('a note');
    expect(answerWords('0000', null, 'en')).toBeNull();
  });
});

describe('where a key comes from', () => {
  it('keeps Enter for the focused control, and the amount flow for the entry and the region radios', () => {
    document.body.innerHTML = `
      <div class="entry" tabindex="-1"><p id="amount">0</p><button id="key">7</button></div>
      <div role="radiogroup"><button id="wallet" role="radio">Alipay</button></div>
      <input id="region" type="radio"><input id="text" type="text"><textarea id="area"></textarea><select id="pick"></select>`;
    const byId = (id: string) => document.getElementById(id);
    expect(keySource(window)).toBe('entry');
    expect(keySource(document.body)).toBe('entry');
    expect(keySource(byId('amount'))).toBe('entry');
    expect(keySource(byId('region'))).toBe('entry');
    expect(keySource(byId('key'))).toBe('control');
    expect(keySource(byId('wallet'))).toBe('control');
    expect(keySource(byId('text'))).toBe('text');
    expect(keySource(byId('area'))).toBe('text');
    expect(keySource(byId('pick'))).toBe('text');
    document.body.innerHTML = '';
  });
});

describe('the wallets as one radio group', () => {
  function Picker() {
    const [selected, setSelected] = useState<WalletId | null>(null);
    return <WalletPicker language="en" selected={selected} onSelect={setSelected} alipayRegion="ALIPAYHK" onAlipayRegion={() => undefined} />;
  }
  const radios = () => within(screen.getByRole('radiogroup')).getAllByRole('radio');
  const tabStops = () => radios().filter((radio) => radio.tabIndex === 0);
  /** A wallet button's F-key and name (its mark and its name in the other language are decoration). */
  const keyAndName = (radio: Element | null) => `${radio?.querySelector('.fkey')?.textContent ?? ''}${radio?.querySelector('.wallet-name')?.textContent ?? ''}`;

  it('has one tab stop, and arrows, Home and End move the focus and the choice together', () => {
    render(<Picker />);
    expect(tabStops().map(keyAndName)).toEqual(['F1Alipay']);
    // The F-key is shown, and offered as a shortcut rather than read as part of the name.
    expect(screen.getByRole('radio', { name: 'Alipay' }).getAttribute('aria-keyshortcuts')).toBe('F1');
    const first = radios()[0] as HTMLElement;
    first.focus();
    fireEvent.keyDown(first, { key: 'ArrowRight' });
    expect(keyAndName(document.activeElement)).toBe('F2WeChat Pay');
    expect(screen.getByRole('radio', { name: 'WeChat Pay' }).getAttribute('aria-checked')).toBe('true');
    fireEvent.keyDown(document.activeElement as Element, { key: 'End' });
    expect(screen.getByRole('radio', { name: 'Octopus' }).getAttribute('aria-checked')).toBe('true');
    fireEvent.keyDown(document.activeElement as Element, { key: 'ArrowDown' });
    expect(keyAndName(document.activeElement)).toBe('F1Alipay');
    fireEvent.keyDown(document.activeElement as Element, { key: 'ArrowUp' });
    fireEvent.keyDown(document.activeElement as Element, { key: 'Home' });
    expect(screen.getByRole('radio', { name: 'Alipay' }).getAttribute('aria-checked')).toBe('true');
    expect(tabStops().map(keyAndName)).toEqual(['F1Alipay']);
    // The Alipay region, shown for Alipay, is a native radio pair.
    expect(screen.getByRole('group', { name: 'Alipay for' })).toBeTruthy();
  });
});

describe("the manager's orders table from the keyboard", () => {
  const rows = ['A', 'B', 'C', 'D'].map((letter, index) => order({ outTradeNo: `T1-P26112310150${index}-ROW${letter}AAAA`, amount: 100 * (index + 1) }));
  const row = (index: number) => document.querySelector(`tr[data-index="${index}"]`) as HTMLElement;

  it('is one tab stop; arrows and Home/End move; Enter and Space open, a click opens too', () => {
    const opened: string[] = [];
    render(<OrdersTable count={rows.length} orderAt={(index) => rows[index]} language="en" environment="demo" selected={null} onSelect={(number, how) => opened.push(`${how} ${number.slice(-8)}`)} />);
    expect([...document.querySelectorAll('tr[data-order]')].filter((element) => (element as HTMLElement).tabIndex === 0)).toHaveLength(1);
    expect(screen.getByRole('table').getAttribute('aria-rowcount')).toBe('5');
    row(0).focus();
    fireEvent.keyDown(row(0), { key: 'ArrowDown' });
    expect(document.activeElement).toBe(row(1));
    expect(row(1).tabIndex).toBe(0);
    expect(row(0).tabIndex).toBe(-1);
    fireEvent.keyDown(row(1), { key: 'End' });
    expect(document.activeElement).toBe(row(3));
    fireEvent.keyDown(row(3), { key: 'Home' });
    expect(document.activeElement).toBe(row(0));
    fireEvent.keyDown(row(0), { key: 'ArrowUp' });
    expect(document.activeElement).toBe(row(0));
    fireEvent.keyDown(row(0), { key: 'Enter' });
    fireEvent.keyDown(row(0), { key: 'ArrowDown' });
    fireEvent.keyDown(row(1), { key: ' ' });
    fireEvent.click(row(2));
    expect(opened).toEqual(['keyboard ROWAAAAA', 'keyboard ROWBAAAA', 'pointer ROWCAAAA']);
    expect(row(1).getAttribute('aria-rowindex')).toBe('3');
    expect(screen.getByText('Arrow keys move between rows; Enter or Space opens the order.').id).toBe('orders-keys');
  });
});

describe('the cashier and the manager against the real main-process services', () => {
  let simulator: TestSimulator;
  let app: TestApp;
  let api: PosApi<'cashier'>;
  let settings: SettingsView;

  beforeAll(async () => {
    simulator = await startTestSimulator();
    app = await startTestApp(simulator);
    api = apiOf(app);
    const read = await api.commands.readSettings({});
    if (!read.ok) throw new Error('settings');
    settings = read.value.settings;
  });
  afterAll(async () => {
    await app.stop();
    await simulator.stop();
  });

  const payments = () => simulator.requests().filter((entry) => entry.endpoint === 'payment');

  it('Enter on a focused button does not charge; Enter on the region radio does, with that region', async () => {
    render(<CashierApp api={api} initialSettings={settings} />);
    for (const char of '6.60') fireEvent.keyDown(window, { key: char });
    fireEvent.keyDown(window, { key: 'F1' });
    const before = payments().length;
    // jsdom does not click a button on Enter, as a browser does: what matters here is that the till does not charge.
    for (const name of ['Alipay', 'PayMe', '7']) {
      const button = screen.getByRole(name === '7' ? 'button' : 'radio', { name });
      button.focus();
      await act(async () => fireEvent.keyDown(button, { key: 'Enter' }));
    }
    expect(payments().length).toBe(before);
    expect(screen.getAllByRole('alert')[0]?.textContent).toBe('');

    // The region radio keeps digits, F-keys and Enter for the till.
    fireEvent.keyDown(window, { key: 'F1' });
    const mainland = screen.getByLabelText('Mainland Alipay');
    fireEvent.click(mainland);
    mainland.focus();
    fireEvent.keyDown(mainland, { key: 'Backspace' });
    fireEvent.keyDown(mainland, { key: '5' });
    expect(screen.getByTestId('amount').textContent).toBe('HK$6.65');
    await act(async () => fireEvent.keyDown(mainland, { key: 'Enter' }));
    await screen.findByText('Waiting for the customer to scan and pay.', {}, { timeout: 5_000 });
    expect(payments().at(-1)?.fields).toMatchObject({ txamt: '665', pay_tag: 'ALIPAYCN' });
    fireEvent.keyDown(window, { key: 'Escape' });
    await screen.findByText('Cancelled.', {}, { timeout: 5_000 });
  });

  it('sets the first PIN only after saying so and checking the 6-8 digit rule, in the screen language', async () => {
    await i18n.changeLanguage('zh-HK');
    const unlocked: string[] = [];
    render(<PinGate api={api} language="zh-HK" onUnlocked={() => unlocked.push('yes')} />);
    // No PIN yet: the set-up form at once, never an Unlock first (issue 24).
    await screen.findByText('此收銀機尚未設定經理密碼。請現在設定，之後每次開啟經理畫面都須輸入。');
    expect(screen.queryByRole('button', { name: '解鎖' })).toBeNull();
    const newPin = screen.getByLabelText('新密碼');
    await waitFor(() => expect(document.activeElement).toBe(newPin));
    expect(newPin.getAttribute('aria-describedby')).toContain('pin-rule');
    expect(screen.getByText('密碼須為 6 至 8 位數字，只可使用數字。').id).toBe('pin-rule');
    // Four digits unlock an older PIN, but are too few for a new one.
    fireEvent.change(newPin, { target: { value: '4821' } });
    fireEvent.change(screen.getByLabelText('再次輸入密碼'), { target: { value: '4821' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: '設定密碼並解鎖' })));
    expect(screen.getByRole('alert').textContent).toBe('新的經理密碼須為 6 至 8 位數字，只可使用數字。');
    // Nothing was sent: the till still has no PIN.
    expect(await api.commands.managerUnlock({ pin: '12' })).toMatchObject({ ok: false, error: { code: 'pin_not_set' } });
    fireEvent.change(screen.getByLabelText('新密碼'), { target: { value: '246813' } });
    fireEvent.change(screen.getByLabelText('再次輸入密碼'), { target: { value: '246813' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: '設定密碼並解鎖' })));
    await waitFor(() => expect(unlocked).toEqual(['yes']));
  });

  it('checks a refund against what is left before the confirmation; its words stay with its order, success drawn as success', async () => {
    const numbers: string[] = [];
    for (const amount of [2500, 1800]) {
      const charged = await api.commands.charge({ amount, wallet: 'fps' });
      if (!charged.ok) throw new Error('charge');
      await simulator.control('POST', `orders/${charged.value.order.outTradeNo}/pay`);
      await app.runtime.poller.reconcile();
      numbers.push(charged.value.order.outTradeNo);
    }
    await api.commands.newSale({});
    const [first, second] = numbers as [string, string];
    render(<DayView api={api} language="en" />);
    const table = await screen.findByTestId('orders-table');
    fireEvent.click(await within(table).findByText(first));
    const panel = await screen.findByTestId('order-panel');
    await within(panel).findByRole('heading', { name: first });
    expect(within(panel).getByText('Still refundable: HK$25.00')).toBeTruthy();
    fireEvent.change(within(panel).getByLabelText('Refund amount (empty for all that is left)'), { target: { value: '30' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Refund…' }));
    const said = within(panel).getByTestId('order-said');
    expect(said.textContent).toBe('At most HK$25.00 can still be refunded on this order.');
    expect(said.className).toBe('problem');
    expect(within(panel).queryByRole('alertdialog')).toBeNull();

    fireEvent.change(within(panel).getByLabelText('Refund amount (empty for all that is left)'), { target: { value: '10' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Refund…' }));
    const dialog = within(panel).getByRole('alertdialog');
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Confirm' }));
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Confirm' })));
    await waitFor(() => expect(within(screen.getByTestId('order-panel')).getByTestId('order-said').textContent).toBe('Refund done: HK$10.00.'));
    const done = within(screen.getByTestId('order-panel')).getByTestId('order-said');
    expect(done.className).toBe('good-words');
    await waitFor(() => expect(within(screen.getByTestId('order-panel')).getByText('Still refundable: HK$15.00')).toBeTruthy());

    // Another order: the refund's words were about the first one, and are gone.
    fireEvent.click(within(table).getByText(second));
    // The panel is mounted anew for each order: look for the new one, not inside the old.
    await screen.findByRole('heading', { name: second });
    expect(within(screen.getByTestId('order-panel')).getByTestId('order-said').textContent).toBe('');
  });

  it('lets the manager cancel an open order from its panel, and says so in words', async () => {
    const charged = await api.commands.charge({ amount: 730, wallet: 'wechat' });
    if (!charged.ok) throw new Error('charge');
    const number = charged.value.order.outTradeNo;
    render(<DayView api={api} language="en" />);
    const table = await screen.findByTestId('orders-table');
    const row = (await within(table).findByText(number)).closest('tr') as HTMLElement;
    row.focus();
    fireEvent.keyDown(row, { key: 'Enter' });
    const panel = await screen.findByTestId('order-panel');
    await within(panel).findByRole('heading', { name: number });
    await waitFor(() => expect(document.activeElement).toBe(within(panel).getByRole('heading', { name: number })));
    fireEvent.click(within(panel).getByRole('button', { name: 'Cancel this order…' }));
    expect(within(panel).getByRole('alertdialog').textContent).toContain(`Cancel order ${number} (HK$7.30) now?`);
    await act(async () => fireEvent.click(within(panel).getByRole('button', { name: 'Confirm' })));
    await within(screen.getByTestId('order-panel')).findByText('Order cancelled: its QR is withdrawn. The till keeps watching it for a late payment.');
    expect(app.runtime.store.orderByNumber(number)?.state).toBe('cancelled');
    // WeChat Pay's close answered 0000: the panel says QFPay confirmed it, once it is drawn again.
    await waitFor(() => expect(within(screen.getByTestId('order-panel')).getByTestId('order-settled').textContent).toBe('QFPay confirmed that it can no longer be paid.'));
    await api.commands.newSale({});
  });

  it('saves the paid chime, and tests the form as typed without saving it, naming a wrong field', async () => {
    render(<SettingsForm api={api} language="en" />);
    const chime = (await screen.findByLabelText('Chime when a payment is confirmed')) as HTMLInputElement;
    expect(chime.checked).toBe(true);
    fireEvent.click(chime);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    // Only a sound changed: no restart is asked for.
    await screen.findByText('Saved.');
    expect(await api.commands.readSettings({})).toMatchObject({ ok: true, value: { settings: { paidChime: false } } });

    fireEvent.change(screen.getByLabelText('Environment'), { target: { value: 'custom' } });
    fireEvent.change(await screen.findByLabelText('Gateway URL'), { target: { value: simulator.url } });
    fireEvent.change(screen.getByLabelText('App code'), { target: { value: simulator.credentials.appCode } });
    fireEvent.change(screen.getByLabelText('Client key'), { target: { value: 'NOT-THE-KEY' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Test connection' })));
    await screen.findByText('Reachable, but the signature was rejected: check the client key and signature type.', {}, { timeout: 5_000 });
    fireEvent.change(screen.getByLabelText('Client key'), { target: { value: simulator.credentials.clientKey } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Test connection' })));
    await screen.findByText('Reachable; the app code and signature were accepted.', {}, { timeout: 5_000 });
    expect(screen.getByTestId('settings-said').className).toBe('notice');
    fireEvent.change(screen.getByLabelText('App code'), { target: { value: 'has space' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Test connection' })));
    await screen.findByText('Enter the app code QFPay issued (letters, digits, _ or -).');
    expect(screen.getByTestId('settings-said').className).toBe('problem');
    // The refused field is where the manager is taken: the words under the buttons name none.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('App code')));
    // Nothing of it was saved.
    expect(await api.commands.managerReadSettings({})).toMatchObject({ ok: true, value: { settings: { environment: 'demo', paidChime: false } } });
  });

  it('marks each refused field where it is, says how many by Save, and tells its screen when edits are unsaved', async () => {
    const dirty: boolean[] = [];
    render(<SettingsForm api={api} language="en" onDirty={(value) => dirty.push(value)} />);
    const shopName = (await screen.findByLabelText('Shop name')) as HTMLInputElement;
    const saved = shopName.value;
    const poll = (screen.getByLabelText('Check every (seconds)') as HTMLInputElement).value;
    expect(dirty.at(-1)).toBe(false);
    fireEvent.change(shopName, { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('Check every (seconds)'), { target: { value: '30' } });
    expect(dirty.at(-1)).toBe(true);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    await screen.findByText('The shop name must be 1-60 characters.');
    for (const [label, words] of [
      ['Shop name', 'The shop name must be 1-60 characters.'],
      ['Check every (seconds)', 'The poll interval must be 2 to 10 seconds.'],
    ] as const) {
      const input = screen.getByLabelText(label);
      expect(input.getAttribute('aria-invalid')).toBe('true');
      expect(document.getElementById(input.getAttribute('aria-describedby')!.split(' ')[0]!)?.textContent).toBe(words);
    }
    expect(screen.getByLabelText('App code').getAttribute('aria-invalid')).toBeNull();
    // The hint stays tied to its field beside the reason.
    expect(screen.getByLabelText('Tills on this QFPay account').getAttribute('aria-describedby')).toBe('settings-merchantTills-hint');
    expect(screen.getByTestId('settings-said').textContent).toBe('Nothing was saved: 2 fields need fixing: Shop name; Check every (seconds). Each is marked in red, with the reason under it.');
    await waitFor(() => expect(document.activeElement).toBe(shopName));
    // Put back as they were: nothing is left unsaved.
    fireEvent.change(shopName, { target: { value: saved } });
    fireEvent.change(screen.getByLabelText('Check every (seconds)'), { target: { value: poll } });
    expect(dirty.at(-1)).toBe(false);
    // An emptied number field is empty, not 0.
    fireEvent.change(screen.getByLabelText('Check every (seconds)'), { target: { value: '' } });
    expect((screen.getByLabelText('Check every (seconds)') as HTMLInputElement).value).toBe('');
    cleanup();
    expect(dirty.at(-1)).toBe(false);
  });

  it('refuses the page\'s unload while it holds edits in the desktop window too (window.pos), so the main process asks', async () => {
    const desktop = window as unknown as { pos?: unknown };
    desktop.pos = api;
    try {
      render(<SettingsForm api={api} language="en" />);
      const shopName = (await screen.findByLabelText('Shop name')) as HTMLInputElement;
      const unload = () => {
        const event = new Event('beforeunload', { cancelable: true });
        window.dispatchEvent(event);
        return event.defaultPrevented;
      };
      expect(unload()).toBe(false);
      const saved = shopName.value;
      fireEvent.change(shopName, { target: { value: `${saved} edited` } });
      expect(unload()).toBe(true);
      fireEvent.change(shopName, { target: { value: saved } });
      expect(unload()).toBe(false);
      fireEvent.change(shopName, { target: { value: `${saved} edited` } });
      cleanup();
      // Gone from the screen, its guard goes with it.
      expect(unload()).toBe(false);
    } finally {
      delete desktop.pos;
    }
  });
});

import { describe, expect, it } from 'vitest';
import { senderAllowed } from '../../electron/services/ipc/senderCheck';
import { commandsFor, COMMAND_NAMES, eventsFor } from '../../shared/ipc/contract';
import { appOnSimulator } from '../support/app';
import { TEST_CREDENTIALS } from '../support/simulator';
import { codeOf, newPageId, pairFrom, screenPage, webRequest } from '../support/webClient';

const running = appOnSimulator();

describe('the command boundary (Electron IPC and the web bridge alike)', () => {
  it('lets the customer display read its state and nothing else', () => {
    expect(commandsFor('display')).toEqual(['readDisplayState']);
    expect(eventsFor('display')).toEqual(['displayChanged']);
    expect(commandsFor('cashier')).toEqual(COMMAND_NAMES);
  });

  it.each(COMMAND_NAMES.filter((name) => name !== 'readDisplayState'))('refuses %s from the customer display', async (name) => {
    await running.simulator.control('DELETE', 'requests');
    const result = await running.app.dispatch('display', name, { amount: 100, wallet: 'fps' });
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(running.simulator.requests()).toHaveLength(0);
  });

  it.each([
    [{ amount: 12.3, wallet: 'fps' }, 'amount'],
    [{ amount: '1230', wallet: 'fps' }, 'amount'],
    [{ amount: 0, wallet: 'fps' }, 'amount'],
    [{ amount: 2_147_483_648, wallet: 'fps' }, 'amount'],
    [{ amount: 100, wallet: 'bitcoin' }, 'wallet'],
    [{ amount: 100 }, 'wallet'],
    [{ amount: 100, wallet: 'alipay', alipayRegion: 'ALIPAYUS' }, 'alipayRegion'],
    [{ amount: 100, wallet: 'fps', clientKey: 'x' }, '(root)'],
    [null, 'amount'],
  ])('refuses a charge payload that fails its schema: %j', async (payload, field) => {
    await running.simulator.control('DELETE', 'requests');
    const result = await running.app.dispatch('cashier', 'charge', payload);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    if (!result.ok) {
      expect(result.error.details?.fields).toContain(field);
      expect(result.error.message['zh-HK']).toBeTruthy();
    }
    expect(running.simulator.requests()).toHaveLength(0);
    expect(running.app.runtime.store.recentOrders(10)).toHaveLength(0);
  });

  it('refuses a command that does not exist, even a prototype key', async () => {
    expect(await running.app.dispatch('cashier', 'dropTables', {})).toMatchObject({ ok: false, error: { code: 'unknown_command' } });
    expect(await running.app.dispatch('cashier', 'constructor', {})).toMatchObject({ ok: false, error: { code: 'unknown_command' } });
  });

  it('never gives the renderer the client key', async () => {
    const settings = await running.app.dispatch('cashier', 'readSettings', {});
    expect(settings).toMatchObject({ ok: true, value: { settings: { clientKeySet: true } } });
    expect(JSON.stringify(settings)).not.toContain(TEST_CREDENTIALS.clientKey);
  });

  it('charges once, and refuses a second charge while the QR is live', async () => {
    const first = await running.app.dispatch('cashier', 'charge', { amount: 1230, wallet: 'payme' });
    expect(first).toMatchObject({ ok: true, value: { order: { state: 'waiting', amount: 1230 } } });
    expect(first.ok && 'qrcode' in (first.value as { order: object }).order).toBe(false);
    expect(await running.app.dispatch('cashier', 'charge', { amount: 1230, wallet: 'payme' })).toMatchObject({ ok: false, error: { code: 'payment_in_progress' } });
    const display = await running.app.dispatch('display', 'readDisplayState', {});
    expect(display).toMatchObject({ ok: true, value: { display: { mode: 'payment', amount: 1230, wallet: 'payme', qrcode: expect.stringContaining('/__sim__/wallet/') } } });
    const orderNumber = first.ok ? (first.value as { order: { outTradeNo: string } }).order.outTradeNo : '';
    expect(await running.app.dispatch('cashier', 'cancel', { outTradeNo: orderNumber })).toMatchObject({ ok: true, value: { order: { state: 'cancelled' } } });
    expect(await running.app.dispatch('display', 'readDisplayState', {})).toMatchObject({ value: { display: { mode: 'result', result: 'cancelled' } } });
  });

  it('refuses a charge while QFPay is still being asked about the last one, as the cashier’s screen says', async () => {
    await running.simulator.control('DELETE', 'requests');
    await running.simulator.control('PUT', 'faults/payment', { kind: 'http_500', afterProcessing: true, times: 1 });
    const first = await running.app.dispatch('cashier', 'charge', { amount: 700, wallet: 'fps' });
    expect(first).toMatchObject({ ok: true, value: { order: { state: 'unknown' } } });
    expect(await running.app.dispatch('cashier', 'charge', { amount: 700, wallet: 'fps' })).toMatchObject({ ok: false, error: { code: 'payment_in_progress' } });
    expect(running.simulator.requests().filter((entry) => entry.endpoint === 'payment')).toHaveLength(1);
    const orderNumber = first.ok ? (first.value as { order: { outTradeNo: string } }).order.outTradeNo : '';
    await running.app.dispatch('cashier', 'cancel', { outTradeNo: orderNumber });
    expect(await running.app.dispatch('cashier', 'charge', { amount: 700, wallet: 'fps' })).toMatchObject({ ok: true });
  });

  it('shows the cashier a sale their screen did not start when it holds the counter, with its number to cancel', async () => {
    const previous = await running.app.dispatch('cashier', 'readCounter', {});
    const open = previous.ok ? (previous.value as { counter: { current: { outTradeNo: string; state: string } | null } }).counter.current : null;
    if (open && ['created', 'waiting', 'unknown'].includes(open.state)) await running.app.dispatch('cashier', 'cancel', { outTradeNo: open.outTradeNo });
    // Another process's sale on this ledger (the CLI's, say): this screen never heard of it.
    const elsewhere = await running.app.runtime.till.charge({ wallet: 'payme', amount: 4200 });
    const refused = await running.app.dispatch('cashier', 'charge', { amount: 100, wallet: 'fps' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'payment_in_progress' } });
    expect(await running.app.dispatch('cashier', 'readCounter', {})).toMatchObject({ ok: true, value: { counter: { current: { outTradeNo: elsewhere.outTradeNo, state: 'waiting' } } } });
    // The customer sees its QR too: the cashier's screen says it waits for them.
    expect(await running.app.dispatch('display', 'readDisplayState', {})).toMatchObject({ ok: true, value: { display: { mode: 'payment', amount: 4200, wallet: 'payme' } } });
    expect(await running.app.dispatch('cashier', 'cancel', { outTradeNo: elsewhere.outTradeNo })).toMatchObject({ ok: true, value: { order: { state: 'cancelled' } } });
  });
});

describe('the Electron sender check', () => {
  it.each([
    [{ frameUrl: 'app://pos/index.html', isMainFrame: true, role: 'cashier' }, true],
    [{ frameUrl: 'app://pos/display.html', isMainFrame: true, role: 'display' }, true],
    [{ frameUrl: 'app://pos/index.html', isMainFrame: false, role: 'cashier' }, false],
    [{ frameUrl: 'https://evil.example/', isMainFrame: true, role: 'cashier' }, false],
    [{ frameUrl: 'file:///work/out/renderer/index.html', isMainFrame: true, role: 'cashier' }, false],
    [{ frameUrl: 'app://pos/index.html', isMainFrame: true, role: undefined }, false],
    [{ frameUrl: undefined, isMainFrame: true, role: 'cashier' }, false],
  ])('%j -> %s', (sender, allowed) => {
    expect(senderAllowed(sender)).toBe(allowed);
  });
});

describe('the web bridge', () => {
  const post = (name: string, body: unknown, headers: Record<string, string>) =>
    fetch(`${running.app.bridge.url}/api/commands/${name}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const paired = async (role: 'cashier' | 'display') => screenPage(running.app.bridge.url, (await pairFrom(running.app.bridge.pairingLink(role), role)).json.value.credential as string);

  it('listens on loopback and hands each screen its own one-time code in the fragment', () => {
    expect(running.app.bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(running.app.bridge.networkUrls).toEqual([]);
    expect(running.app.bridge.certificate).toBeUndefined();
    const cashier = running.app.bridge.pairingLink('cashier');
    expect(cashier).toMatch(/\/cashier#pair=[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    expect(codeOf(cashier)).not.toBe(codeOf(running.app.bridge.pairingLink('display')));
  });

  it('refuses calls without a paired credential, in words, and the display for cashier commands', async () => {
    const unpaired = await post('readSettings', {}, {});
    expect(unpaired.status).toBe(401);
    expect(await unpaired.json()).toMatchObject({ ok: false, error: { code: 'screen_not_paired', message: { 'zh-HK': expect.stringContaining('配對') } } });
    expect((await post('readSettings', {}, { Authorization: 'Bearer wrong', 'X-Qfpos-Screen': newPageId() })).status).toBe(401);
    const display = await paired('display');
    expect((await display.command('charge', { amount: 100, wallet: 'fps' })).json).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const cashier = await paired('cashier');
    expect((await cashier.command('readSettings')).json).toMatchObject({ ok: true });
    // A page must name itself: the manager's access is kept per page.
    expect((await post('readSettings', {}, { Authorization: cashier.headers.Authorization })).status).toBe(400);
  });

  it('refuses another origin and a foreign Host (DNS rebinding)', async () => {
    const cashier = await paired('cashier');
    expect((await post('readSettings', {}, { ...cashier.headers, Origin: 'https://evil.example' })).status).toBe(403);
    // The right name over the wrong scheme is another origin too.
    expect((await post('readSettings', {}, { ...cashier.headers, Origin: running.app.bridge.url.replace('http:', 'https:') })).status).toBe(403);
    expect((await post('readSettings', {}, { ...cashier.headers, Origin: running.app.bridge.url })).status).toBe(200);
    const port = new URL(running.app.bridge.url).port;
    expect((await webRequest(`${running.app.bridge.url}/cashier`, { headers: { Host: `evil.example:${port}` } })).status).toBe(421);
    expect((await webRequest(`${running.app.bridge.url}/api/commands/readSettings`, { body: {}, headers: { ...cashier.headers, Host: `evil.example:${port}` } })).status).toBe(421);
  });

  it('serves only the renderer, with a strict CSP', async () => {
    const page = await fetch(`${running.app.bridge.url}/cashier`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect((await fetch(`${running.app.bridge.url}/assets/../../package.json`)).status).toBe(404);
    expect((await fetch(`${running.app.bridge.url}/assets/%2e%2e%2f%2e%2e%2fpackage.json`)).status).toBe(404);
    expect((await fetch(`${running.app.bridge.url}/`)).status).toBe(404);
  });
});

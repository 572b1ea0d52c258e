import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WALLET_PAGE_CSP } from '../../electron/simulator/walletPage';
import { walletFromAuthCode } from '../../shared/qfpay/authCode';
import { browserAvailable, decodeQr, launchChromium, screenshot } from '../support/browser';
import { startTestSimulator, type TestSimulator } from '../support/simulator';
import { openTestTill, type TestTill } from '../support/till';

/**
 * The training wallet's payment codes (`/__sim__/code`): a fresh single-use code as a Code 128
 * barcode and a QR code, with its digits, that the till charges once; the same code again, or a
 * code shown longer ago than its life, is QFPay's 1202. Through real HTTP on 127.0.0.1, a real
 * till on a real ledger, and (for the QR) real Chromium.
 */
let simulator: TestSimulator;
let test: TestTill;
beforeAll(async () => {
  simulator = await startTestSimulator();
  test = openTestTill(simulator);
});
afterAll(async () => {
  test?.close();
  await simulator?.stop();
});
afterEach(async () => {
  simulator.setClockOffset(0);
  await simulator.control('PUT', 'cpm', { codeLifetimeSeconds: 60 });
});

async function codePage(wallet: string) {
  const response = await fetch(`${simulator.url}/__sim__/code/${wallet}`);
  const html = await response.text();
  const code = /data-testid="code-digits">([0-9]+)</.exec(html)?.[1];
  return { response, html, code: code as string };
}

/** The till charges the code: under HK$500, so the simulator's customer pays at once. */
const charge = (authCode: string, wallet?: 'alipay' | 'wechat' | 'payme' | 'unionpay') => test.till.chargeCustomerCode({ amount: 4_250, authCode, wallet });

describe('the training wallet’s payment code page', () => {
  it('serves a fresh code of the wallet’s shape under the wallet page’s strict CSP, never cached', async () => {
    const first = await codePage('alipay');
    expect(first.response.status).toBe(200);
    expect(first.response.headers.get('content-security-policy')).toBe(WALLET_PAGE_CSP);
    expect(first.response.headers.get('cache-control')).toBe('no-store');
    expect(walletFromAuthCode(first.code)).toBe('alipay');
    expect(walletFromAuthCode((await codePage('wechat')).code)).toBe('wechat');
    // A reload (the "New code" button) is another code.
    const second = await codePage('alipay');
    expect(second.code).not.toBe(first.code);
    expect(first.html).toContain('<form method="get" action="/__sim__/code/alipay"><button class="pay">New code</button></form>');
    // No script, nothing loaded from elsewhere: the pictures are inline SVG.
    expect(first.html).not.toMatch(/<script|<img|src=/);
  });

  it('is reached from the choice page and from the wallet page a demo QR opens', async () => {
    const choice = await (await fetch(`${simulator.url}/__sim__/code`)).text();
    for (const wallet of ['alipay', 'wechat', 'payme', 'unionpay']) expect(choice).toContain(`href="/__sim__/code/${wallet}"`);
    const order = await test.till.charge({ wallet: 'fps', amount: 1_000 });
    const walletPage = await (await fetch(order.qrcode as string)).text();
    expect(walletPage).toContain('href="/__sim__/code"');
    expect((await fetch(`${simulator.url}/__sim__/code/octopus`)).status).toBe(404);
    expect((await fetch(`${simulator.url}/__sim__/code/alipay`, { method: 'POST' })).status).toBe(405);
    await test.till.cancel(order.id);
  });

  it('a code shown is charged by the till once; the same code again is 1202; shown is not spent', async () => {
    const { code } = await codePage('wechat');
    // Another code shown meanwhile takes nothing from the first.
    await codePage('wechat');
    const paid = await charge(code);
    expect(paid).toMatchObject({ state: 'paid', wallet: 'wechat', mode: 'cpm', respcd: '0000' });
    const again = await charge(code);
    expect(again).toMatchObject({ state: 'failed', respcd: '1202' });
    // The gateway's log, like the till's ledger, has the code only masked.
    expect(JSON.stringify(simulator.requests())).not.toContain(code);
    expect(JSON.stringify(test.store.orderByNumber(paid.outTradeNo))).not.toContain(code);
  });

  it('a code shown longer ago than its life (60 s) is 1202, and the life is set through PUT /__sim__/cpm', async () => {
    expect((await simulator.control('GET', 'cpm')).json.codeLifetimeSeconds).toBe(60);
    const stale = (await codePage('alipay')).code;
    const fresh = (await codePage('alipay')).code;
    simulator.setClockOffset(61_000);
    const expired = await charge(stale);
    expect(expired).toMatchObject({ state: 'failed', respcd: '1202' });
    expect(simulator.requests().at(-1)).toMatchObject({ endpoint: 'payment', respcd: '1202' });

    // A longer life, set through the control surface, reaches codes already shown.
    expect(await simulator.control('PUT', 'cpm', { codeLifetimeSeconds: 120 })).toMatchObject({ status: 200, json: { codeLifetimeSeconds: 120 } });
    expect(await charge(fresh)).toMatchObject({ state: 'paid' });
    expect((await simulator.control('PUT', 'cpm', { codeLifetimeSeconds: 0 })).status).toBe(400);
  });

  it('UnionPay and PayMe codes say to pick the wallet at the till, which then charges them', async () => {
    const { code, html } = await codePage('unionpay');
    expect(html).toContain('The till cannot tell UnionPay from the code: pick UnionPay at the till before scanning.');
    expect(walletFromAuthCode(code)).toBeUndefined();
    expect(await charge(code, 'unionpay')).toMatchObject({ state: 'paid', wallet: 'unionpay' });
  });

  it('draws the code as a Code 128 barcode (set C: start, nine pairs of digits, check, stop) with the digits as text', async () => {
    const { html, code } = await codePage('alipay');
    const barcode = /<figure class="barcode"[^>]*>([\s\S]*?)<\/figure>/.exec(html)?.[1] ?? '';
    expect(barcode).toMatch(/^<svg[^>]*viewBox="0 0 \d+ \d+"/);
    expect(html).toContain(`<p class="digits" data-testid="code-digits">${code}</p>`);
    // Read the bars back from the SVG (each path is bars of one width, drawn as vertical strokes).
    const bars: { left: number; width: number }[] = [];
    for (const path of barcode.matchAll(/<path stroke="#000000" stroke-width="(\d+)" d="([^"]+)"/g)) {
      const width = Number(path[1]);
      for (const move of (path[2] as string).matchAll(/M(\d+(?:\.\d+)?) /g)) bars.push({ left: Number(move[1]) - width / 2, width });
    }
    bars.sort((a, b) => a.left - b.left);
    const module = Math.min(...bars.map((bar) => bar.width));
    // Bars and the spaces between them, in modules.
    const runs: number[] = [];
    bars.forEach((bar, index) => {
      if (index > 0) {
        const previous = bars[index - 1] as { left: number; width: number };
        runs.push(Math.round((bar.left - previous.left - previous.width) / module));
      }
      runs.push(Math.round(bar.width / module));
    });
    // Code 128: every symbol is 6 runs of 11 modules, the stop 7 runs of 13; Start C is 211232, Stop 2331112.
    expect(runs.slice(0, 6).join('')).toBe('211232');
    expect(runs.slice(-7).join('')).toBe('2331112');
    const symbols = (runs.length - 7) / 6;
    // Start C, a symbol per two digits, the check symbol.
    expect(symbols).toBe(1 + code.length / 2 + 1);
    expect(runs.reduce((sum, run) => sum + run, 0)).toBe(symbols * 11 + 13);
  });

  describe.skipIf(!browserAvailable)('in a browser', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('the QR on the page reads as the digits written under it, as a phone camera reads it', async () => {
      const page = await browser.newPage({ viewport: { width: 480, height: 900 } });
      try {
        const errors: string[] = [];
        page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
        await page.goto(`${simulator.url}/__sim__/code/wechat`);
        const digits = (await page.getByTestId('code-digits').textContent()) as string;
        expect(walletFromAuthCode(digits)).toBe('wechat');
        expect(decodeQr(await page.locator('figure.qr').screenshot())).toBe(digits);
        await screenshot(page, 'training-wallet-code', { fullPage: true });
        // The "New code" button shows another code, which the QR follows.
        await page.getByRole('button', { name: 'New code' }).click();
        await expect.poll(() => page.getByTestId('code-digits').textContent()).not.toBe(digits);
        const next = (await page.getByTestId('code-digits').textContent()) as string;
        expect(next).not.toBe(digits);
        expect(decodeQr(await page.locator('figure.qr').screenshot())).toBe(next);
        // Nothing the page needs was refused by its CSP.
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    });
  });
});

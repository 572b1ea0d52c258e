import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../electron/services/config/config';
import { openTillRuntime } from '../../electron/services/runtime/runtime';
import { tempFolder } from '../support/simulator';

/**
 * The demo mode's training wallet page, as a customer's phone opens it from the QR: it counts
 * down the till's own lifetime of the QR (QFPay's 30 minutes apply to PayMe, FPS and Octopus,
 * which are not told the till's), and says when paying it would be a late payment.
 */
let folder: ReturnType<typeof tempFolder>;
beforeEach(() => {
  folder = tempFolder('qfpos-training-wallet-');
});
afterEach(() => folder.remove());

describe('the training wallet page', () => {
  it('shows the lifetime the till counts down, not the gateway’s longer one', async () => {
    const config = resolveConfig({ QFPOS_DB: join(folder.path, 'till.sqlite') });
    if (!config.ok) throw new Error(config.error.message);
    const runtime = await openTillRuntime(config.value);
    try {
      const order = await runtime.till.charge({ wallet: 'payme', amount: 2500 });
      expect(order.qrcode).toContain('/__sim__/wallet/');
      const page = async () => (await fetch(order.qrcode as string)).text();
      expect(await page()).toMatch(/QR valid for 4 min \d+ s|QR valid for 5 min 0 s/);
      expect(await page()).not.toMatch(/QR valid for (2\d|30) min/);
      // Six minutes on, past the till's five: QFPay (here, its stand-in) would still take it.
      runtime.simulator?.setClockOffset(6 * 60_000);
      const late = await page();
      expect(late).toContain('The till has withdrawn this QR: paying it now is a late payment');
      expect(late).toContain('>Pay</button>');
    } finally {
      await runtime.close();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { browserAvailable, screenshot, setFirstManagerPin } from '../support/browser';
import { chargeAndPay } from '../support/app';
import { browserOnSimulator } from '../support/browserApp';

/**
 * The manager's access is the screen's, held by the till: a restart of the till ends it. The open
 * manager page must then ask for the PIN again, saying why, never show empty pages that look like
 * the day's sales were lost (found walking the app as a shop would).
 */
describe.skipIf(!browserAvailable)('a manager screen open across a restart of the till', { timeout: 60_000 }, () => {
  const { simulator, app, restartApp, screen } = browserOnSimulator();

  it('asks for the PIN again, saying the till locked it, and shows the day once it is given', async () => {
    await chargeAndPay(app, simulator, { amount: 1500, wallet: 'fps' });
    const page = await screen('cashier', { viewport: { width: 1366, height: 768 }, timeout: 8_000 });
    await page.getByRole('button', { name: 'Manager' }).click();
    await setFirstManagerPin(page, '482193');
    await page.getByTestId('day-money').waitFor();

    await app.shutDown();
    await restartApp();
    // The tab reconnects by itself; the manager then looks at the day again.
    await page.getByRole('tab', { name: 'Settings' }).click();
    const notice = page.getByTestId('locked-by-till');
    await notice.waitFor();
    expect(await notice.textContent()).toBe(
      "The till locked the manager's screen: this screen lost touch with the till for a while (it slept, or the network dropped), or the till was restarted. Enter the PIN to go back to where you were.",
    );
    await screenshot(page, 'manager-locked-by-till-en');
    await page.getByLabel('Manager PIN').fill('482193');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('tab', { name: 'Day' }).click();
    await page.getByTestId('day-money').waitFor();
    expect(await page.getByTestId('locked-by-till').count()).toBe(0);
    expect(await page.getByText(/^Orders \(1\)/).count()).toBe(1);
  });
});

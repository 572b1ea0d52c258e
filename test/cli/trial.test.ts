import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * The kill -9 trial (scripts/trial.ts, `npm run trial`) in its short form: the command-line till
 * killed at random moments against a faulty simulator, then the books checked against the
 * gateway's own records. The full run (100 kills) is `npm run trial`.
 */
describe('the kill -9 trial, short form', () => {
  it('breaks no rule of the books after 15 kills', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/trial.ts', '--kills', '15', '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const summary = JSON.parse(output.trim().split('\n').at(-1) ?? '{}');
    expect(summary).toMatchObject({
      kills: 15,
      paymentsSentTwice: 0,
      customerCodesInLedger: 0,
      atGatewayNotInLedger: 0,
      refundedBeyondPaid: 0,
      refundsFailedButPaidOut: 0,
      refundsPaidOutNotInLedger: 0,
      finalContradictingGateway: 0,
      finalRunsFailed: 0,
      chargedWhileHeld: 0,
      ok: true,
    });
    // Per mode, every charge is accounted for: it wrote an order, was refused, or was killed before writing one.
    for (const mode of ['mpm', 'cpm']) {
      const figures = summary.byMode[mode];
      const otherErrors = Object.values(figures.otherErrors as Record<string, number>).reduce((sum, count) => sum + count, 0);
      expect(figures.orders + figures.refusedSaleInProgress + figures.killedBeforeOrder + otherErrors).toBe(figures.charges);
      expect(figures.reachedGateway).toBeLessThanOrEqual(figures.orders);
    }
    expect(summary.byMode.mpm.orders + summary.byMode.cpm.orders).toBe(summary.ledger.orders);
    // Something happened: orders were made and some reached a final state with evidence.
    expect(summary.ledger.orders).toBeGreaterThan(0);
    expect(summary.finalWithEvidence + summary.openAndVisible).toBe(summary.ledger.orders + summary.ledger.refunds);
    // Three hours on (faketime, installed in CI), nothing unproven is left off the manager's list.
    if (process.env.CI) expect(summary.openNotBeforeManager).toBe(0);
    expect(code).toBe(0);
  }, 240_000);
});

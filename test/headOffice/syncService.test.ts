import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHeadOfficeSync } from '../../electron/services/headOffice/syncService';
import { startHeadOfficeServices, stopHeadOfficeServices } from '../support/headOffice';
import { postgresAvailable, type TestPostgres } from '../support/postgres';
import type { TestSimulator } from '../support/simulator';
import { openTestTill } from '../support/till';

/** The background shipping a running till does: down during sales, then caught up by itself. */
describe.skipIf(!postgresAvailable)('shipping in the background', () => {
  let postgres: TestPostgres;
  let simulator: TestSimulator;

  beforeAll(async () => {
    ({ postgres, simulator } = await startHeadOfficeServices());
  });
  afterAll(async () => {
    await stopHeadOfficeServices({ postgres, simulator });
  });

  it('is in sync, then unreachable since the head office went down while sales went on, then catches up by itself', async () => {
    const url = new URL(await postgres.createDatabase());
    const test = openTestTill(simulator, { tillId: 'till-1' });
    const statuses: string[] = [];
    const sync = createHeadOfficeSync({ url, ledgerPath: test.dbPath, tillId: 'till-1', intervalMs: 200, retryMs: 200, maxRetryMs: 400, onStatus: (status) => statuses.push(status.state) });
    const office = new pg.Pool({ connectionString: url.href });
    office.on('error', () => undefined);
    try {
      await test.till.charge({ wallet: 'fps', amount: 1200 });
      sync.start();
      await vi.waitFor(() => expect(sync.status()).toMatchObject({ state: 'in_sync' }), { timeout: 10_000 });

      postgres.stop();
      const lostAt = Date.now();
      const during = [];
      try {
        for (const amount of [300, 400]) {
          const started = Date.now();
          during.push(await test.till.charge({ wallet: 'alipay', amount }));
          // A charge takes the simulator's time only: nothing waits for the head office.
          expect(Date.now() - started).toBeLessThan(2_000);
          void sync.shipNow();
        }
        await vi.waitFor(() => expect(sync.status()).toMatchObject({ state: 'unreachable' }), { timeout: 10_000 });
        const down = sync.status();
        expect(down.state === 'unreachable' && down.since).toBeGreaterThanOrEqual(lostAt);
        expect(during.map((order) => order.state)).toEqual(['waiting', 'waiting']);
      } finally {
        postgres.start();
      }

      await vi.waitFor(() => expect(sync.status()).toMatchObject({ state: 'in_sync' }), { timeout: 10_000 });
      const held = await office.query('SELECT amount::int FROM orders ORDER BY amount');
      expect(held.rows.map((row) => row.amount)).toEqual([300, 400, 1200]);
      expect(statuses).toContain('unreachable');
    } finally {
      await sync.stop();
      await office.end();
      test.close();
    }
  });

  it("is refused, with the code the screen words, when another till's ledger already ships under its id", async () => {
    const url = new URL(await postgres.createDatabase());
    const first = openTestTill(simulator, { tillId: 'till-1' });
    const second = openTestTill(simulator, { tillId: 'till-1' });
    const syncs = [first, second].map((test) => createHeadOfficeSync({ url, ledgerPath: test.dbPath, tillId: 'till-1', intervalMs: 60_000, retryMs: 60_000 }));
    try {
      await first.till.charge({ wallet: 'fps', amount: 500 });
      await second.till.charge({ wallet: 'fps', amount: 600 });
      await syncs[0]?.shipNow();
      await syncs[1]?.shipNow();
      expect(syncs[0]?.status()).toMatchObject({ state: 'in_sync' });
      expect(syncs[1]?.status()).toMatchObject({ state: 'refused', code: 'till_id_taken', reason: expect.stringMatching(/keeps till till-1 for ledger/) });
    } finally {
      for (const sync of syncs) await sync.stop();
      first.close();
      second.close();
    }
  });
});

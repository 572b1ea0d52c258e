import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/main';
import { EXIT } from '../../electron/cli/exitCodes';
import { startHeadOfficeServices, stopHeadOfficeServices } from '../support/headOffice';
import { postgresAvailable, type TestPostgres } from '../support/postgres';
import { closedPort, tempFolder, tillEnvironment, type TestSimulator } from '../support/simulator';
import { leaveOpenSale } from '../support/openSale';

/** `npm run cli -- sync`: a real ledger made by the CLI's own charges, a real PostgreSQL, real words. */
describe.skipIf(!postgresAvailable)('npm run cli -- sync', () => {
  let postgres: TestPostgres;
  let simulator: TestSimulator;
  let folder: ReturnType<typeof tempFolder>;
  let env: NodeJS.ProcessEnv;
  const PASSWORD = 'pw-never-shown-9f3c';

  beforeAll(async () => {
    ({ postgres, simulator } = await startHeadOfficeServices());
    folder = tempFolder('qfpos-sync-');
    const database = new URL(await postgres.createDatabase());
    database.password = PASSWORD; // the cluster trusts loopback; the password must still never be shown
    env = { ...tillEnvironment(simulator, folder.path), QFPOS_HEAD_OFFICE: database.href };
  });
  afterAll(async () => {
    await stopHeadOfficeServices({ postgres, simulator });
    folder?.remove();
  });

  it('ships what is pending, says it is in sync, and shipping again ships nothing', async () => {
    expect((await runCli(['charge', '--amount', '12.30', '--wallet', 'fps'], env)).exitCode).toBe(EXIT.ok);
    // A second open sale, left by another process: the CLI itself takes one customer at a time.
    await leaveOpenSale(env, { amount: 4500, wallet: 'fps' });
    const first = await runCli(['sync', '--json'], env);
    expect(first.exitCode).toBe(EXIT.ok);
    expect(first.json).toMatchObject({ ok: true, orders: 2, behind: 0 });
    expect(first.lines.join('\n')).toMatch(/shipped to postgres:\/\/postgres@127\.0\.0\.1:\d+\/store_\d+: \d+ history rows, 2 orders, 0 refunds, 0 Z reports in 1 batches\n\d+ history rows of the open period verified at the head office against this till's chain; every Z head agrees\nin sync/);
    const again = await runCli(['sync'], env);
    expect(again.json).toMatchObject({ ok: true, orders: 0, transitions: 0, behind: 0 });
    expect(JSON.stringify([first, again])).not.toContain(PASSWORD);
  });

  it('says an unreachable head office in one line, exits 4, and never shows the password', async () => {
    const down = `postgres://till:${PASSWORD}@127.0.0.1:${await closedPort()}/store`;
    const outcome = await runCli(['sync'], { ...env, QFPOS_HEAD_OFFICE: down });
    expect(outcome.exitCode).toBe(EXIT.unknown);
    expect(outcome.lines).toHaveLength(1);
    expect(outcome.lines[0]).toMatch(/^error: the head office postgres:\/\/till@127\.0\.0\.1:\d+\/store is unreachable \(.*ECONNREFUSED.*\); the till goes on selling and ships when it is back$/);
    expect(JSON.stringify(outcome)).not.toContain(PASSWORD);
  });

  it.each([
    ['http://office.example/store', /must be a postgres:\/\/ URL, not http:\/\//],
    ['not a url', /is not a URL/],
    ['postgres://office.example', /needs a host and a database name/],
  ])('refuses the head office %s in words, changing nothing', async (value, reason) => {
    const outcome = await runCli(['sync'], { ...env, QFPOS_HEAD_OFFICE: value });
    expect(outcome.exitCode).toBe(EXIT.usage);
    expect(outcome.lines[0]).toMatch(reason);
  });
});

describe.skipIf(!postgresAvailable)('npm run cli -- store report', () => {
  let postgres: TestPostgres;
  let simulator: TestSimulator;
  const folders: ReturnType<typeof tempFolder>[] = [];

  beforeAll(async () => {
    ({ postgres, simulator } = await startHeadOfficeServices());
  });
  afterAll(async () => {
    await stopHeadOfficeServices({ postgres, simulator });
    for (const folder of folders) folder.remove();
  });

  it("adds up two tills' paid sales for the day, each till's net beside the store's", async () => {
    const office = await postgres.createDatabase();
    const tillEnv = (tillId: string) => {
      const folder = tempFolder('qfpos-store-');
      folders.push(folder);
      return { ...tillEnvironment(simulator, folder.path), QFPOS_TILL: tillId, QFPOS_HEAD_OFFICE: office };
    };
    const envs: Record<string, NodeJS.ProcessEnv> = {};
    for (const [tillId, amount] of [['front', '12.30'], ['back', '7.70']] as const) {
      const env = (envs[tillId] = tillEnv(tillId));
      const charged = await runCli(['charge', '--amount', amount, '--wallet', 'fps', '--json'], env);
      await simulator.control('POST', `orders/${(charged.json as { order: { outTradeNo: string } }).order.outTradeNo}/pay`);
      expect((await runCli(['reconcile'], env)).exitCode).toBe(EXIT.ok);
      expect((await runCli(['sync'], env)).exitCode).toBe(EXIT.ok);
    }
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Hong_Kong' }).format(new Date());
    const report = await runCli(['store', 'report', '--day', day], tillEnv('front'));
    expect(report.exitCode).toBe(EXIT.ok);
    expect(report.lines.slice(1)).toEqual([
      expect.stringMatching(/^custom: 2 payments HK\$20\.00, 0 refunds HK\$0\.00, net HK\$20\.00$/),
      '  back: net HK$7.70',
      '  front: net HK$12.30',
      "books: 6 history rows behind the day verified against each till's chain",
    ]);
    expect((await runCli(['store', 'report', '--day', '2026-13-01'], tillEnv('front'))).exitCode).toBe(EXIT.usage);

    // Reconciled at one till, the other till's payment is "at QFPay only"; across the store it is matched.
    const own = await runCli(['reconcile', '--day', day, '--json'], envs.front as NodeJS.ProcessEnv);
    expect(own.exitCode).toBe(EXIT.differs);
    expect((own.json as { reconciliation: { counts: object } }).reconciliation.counts).toMatchObject({ matched: 1, atQfpayOnly: 1 });
    const across = await runCli(['store', 'reconcile', '--day', day, '--json'], envs.front as NodeJS.ProcessEnv);
    expect(across.exitCode).toBe(EXIT.ok);
    expect((across.json as { reconciliation: { counts: object; tills: string[] } }).reconciliation).toMatchObject({ counts: { matched: 2, atQfpayOnly: 0, differs: 0, open: 0 }, tills: ['back', 'front'] });

    // The store's CSV: both tills' rows, each naming its till.
    const out = `${(folders[0] as { path: string }).path}/store.csv`;
    const exported = await runCli(['store', 'export', '--day', day, '--out', out], envs.front as NodeJS.ProcessEnv);
    expect(exported.lines[0]).toMatch(/^wrote 2 payments and 0 refunds of \d{4}-\d\d-\d\d \(custom\) from 2 tills to .*store\.csv; net HK\$20\.00$/);
    const rows = readFileSync(out, 'utf8').trim().split('\n').slice(1);
    expect(rows.map((row) => row.split(',')[3]).sort()).toEqual(['back', 'front']);
    expect((await runCli(['store', 'export', '--day', day], envs.front as NodeJS.ProcessEnv)).exitCode).toBe(EXIT.usage);

    // A third till paid but not shipped yet: the store's comparison says the head office lacks it, not "this ledger" (issue 20, item 8).
    const side = tillEnv('side');
    const unshipped = await runCli(['charge', '--amount', '3.30', '--wallet', 'fps', '--json'], side);
    await simulator.control('POST', `orders/${(unshipped.json as { order: { outTradeNo: string } }).order.outTradeNo}/pay`);
    const lacking = await runCli(['store', 'reconcile', '--day', day], envs.front as NodeJS.ProcessEnv);
    expect(lacking.exitCode).toBe(EXIT.differs);
    expect(lacking.lines).toContain('at QFPay but not at the head office (1):');
    expect(lacking.lines.join('\n')).toMatch(/: not at the head office; QFPay 0000 HK\$3\.30: not at the head office/);
    expect(lacking.lines.join('\n')).not.toContain('this ledger');
  });
});

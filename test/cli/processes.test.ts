import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { nodeEntryArgs } from '../../scripts/nodeEntries';
import { runCli } from '../../electron/cli/main';
import { cliOnSimulator } from '../support/cli';

/**
 * The CLI as separate processes: what happens when several tills share a ledger, and when one is
 * killed mid-charge. The CLI runs as `node --import tsx` so that SIGKILL reaches the process that
 * holds the ledger, not a wrapper.
 */

const { simulator, folder, env } = cliOnSimulator({ prefix: 'qfpos-proc-', env: { QFPOS_POLL_INTERVAL_MS: '2000' }, inheritEnv: true });

function spawnCli(args: string[], tillEnv: NodeJS.ProcessEnv = env) {
  const child = spawn(process.execPath, [...nodeEntryArgs('cli'), ...args], { env: tillEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, exited, output: () => stdout };
}

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(10);
  }
  throw new Error('timed out waiting');
}

function ledgerRows(dbPath = env.QFPOS_DB as string): { out_trade_no: string; state: string }[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT out_trade_no, state FROM orders ORDER BY id').all() as { out_trade_no: string; state: string }[];
  } catch {
    return [];
  } finally {
    db.close();
  }
}

const ledgerExists = (dbPath?: string) => {
  try {
    return ledgerRows(dbPath);
  } catch {
    return [];
  }
};

describe('charge --wait', () => {
  it('waits for the customer and exits 0 once QFPay says paid', async () => {
    const run = spawnCli(['charge', '--amount', '9.90', '--wallet', 'payme', '--wait']);
    const number = await until(() => /^(\S+-P\d{12}-\w{8})/m.exec(run.output())?.[1]);
    await simulator.control('POST', `orders/${number}/pay`);
    const result = await run.exited;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${number}  HK$9.90: paid.`);
  });
});

describe('refunds from several processes at once', () => {
  it('never exceed what was paid', async () => {
    const charged = (await runCli(['charge', '--amount', '12.30', '--wallet', 'alipay', '--json'], env)).json as { order: { outTradeNo: string } };
    const number = charged.order.outTradeNo;
    await simulator.control('POST', `orders/${number}/pay`);
    await runCli(['reconcile'], env);
    const runs = [1, 2, 3].map(() => spawnCli(['refund', number, '--amount', '6.00', '--json']));
    const results = await Promise.all(runs.map((run) => run.exited));
    expect(results.map((result) => result.code).sort()).toEqual([0, 0, 3]);
    const refused = JSON.parse(results.find((result) => result.code === 3)?.stdout ?? '{}');
    expect(refused.error).toMatchObject({ code: 'refund_exceeds_refundable', details: { refundable: 30 } });
    const atGateway = (await simulator.control('GET', `orders/${number}`)).json;
    expect(atGateway.refunded).toBe(1200);
  });
});

describe('a till killed mid-charge', () => {
  it('leaves exactly one order per charge, which reconcile brings to the state QFPay holds', async () => {
    type KillPoint = 'logged' | 'at_gateway' | 'answered';
    const plan: { point: KillPoint; fault?: Record<string, unknown>; wallet: string }[] = [
      // Killed as soon as the order is in the ledger: the request is on its way, slowly.
      { point: 'logged', fault: { kind: 'delay', delayMs: 800 }, wallet: 'fps' },
      // Killed after QFPay created the order but before its answer came back.
      { point: 'at_gateway', fault: { kind: 'delay', delayMs: 1500, afterProcessing: true }, wallet: 'payme' },
      { point: 'at_gateway', fault: { kind: 'delay', delayMs: 1500, afterProcessing: true }, wallet: 'octopus' },
      // Killed after the answer was recorded.
      { point: 'answered', wallet: 'fps' },
      // Killed while QFPay hangs on a request it never processes.
      { point: 'logged', fault: { kind: 'hang' }, wallet: 'payme' },
    ];
    const numbers: string[] = [];
    // A till killed mid-charge keeps its sale open, and a till takes one customer at a time: each
    // kill is a till of its own (its own folder and ledger), all at the one gateway.
    const tills = plan.map((_, index) => ({ ...env, QFPOS_DB: join(folder.path, `till-${index + 1}`, 'till.sqlite') }));
    for (const [index, step] of plan.entries()) {
      const till = tills[index] as NodeJS.ProcessEnv;
      mkdirSync(dirname(till.QFPOS_DB as string), { recursive: true });
      if (step.fault) await simulator.control('PUT', 'faults/payment', { ...step.fault, times: 1 });
      const run = spawnCli(['charge', '--amount', '3.00', '--wallet', step.wallet], till);
      const number = await until(() => ledgerExists(till.QFPOS_DB)[0]?.out_trade_no);
      if (step.point === 'at_gateway') await until(async () => ((await simulator.control('GET', `orders/${number}`)).status === 200 ? true : undefined));
      if (step.point === 'answered') await until(() => (ledgerExists(till.QFPOS_DB)[0]?.state === 'waiting' ? true : undefined));
      run.child.kill('SIGKILL');
      expect((await run.exited).signal).toBe('SIGKILL');
      numbers.push(number);
      await simulator.control('DELETE', 'faults');
    }
    // Let the slow request of the first charge arrive, as it would at a real gateway.
    await sleep(1_000);
    const allRows = () => tills.flatMap((till) => ledgerRows(till.QFPOS_DB));
    expect(allRows().map((row) => row.state)).toEqual(expect.arrayContaining(['created']));

    // The customer pays one of the orders whose answer never reached the till.
    await simulator.control('POST', `orders/${numbers[2]}/pay`);
    for (const till of tills) {
      const reconciled = await runCli(['reconcile', '--json'], till);
      expect(reconciled.exitCode).toBe(0);
    }

    const rows = allRows();
    expect(rows.map((row) => row.out_trade_no)).toEqual(numbers);
    const payments = simulator.requests().filter((entry) => entry.endpoint === 'payment');
    for (const [index, number] of numbers.entries()) {
      // Never sent twice.
      expect(payments.filter((entry) => entry.fields.out_trade_no === number).length).toBeLessThanOrEqual(1);
      const atGateway = await simulator.control('GET', `orders/${number}`);
      const state = rows[index]?.state;
      // QFPay never had it: nothing proves it failed, so it stays open (and visible) until a manager decides.
      if (atGateway.status === 404) expect(['created', 'unknown']).toContain(state);
      else if (atGateway.json.state === 'paid') expect(state).toBe('paid');
      else expect([atGateway.json.state, state]).toSatisfy(([gateway, ledger]: string[]) => gateway === 'waiting' && (ledger === 'waiting' || ledger === 'unknown'));
    }
    expect(rows[2]?.state).toBe('paid');
    expect(['created', 'unknown']).toContain(rows[4]?.state);
    expect(rows[3]?.state).toBe('waiting');
  });
});

describe('a refund killed after QFPay paid it out', () => {
  it('is resolved as succeeded by its own number, unlabelled answers and all, and never paid out twice', async () => {
    const charged = (await runCli(['charge', '--amount', '60.00', '--wallet', 'alipay', '--json'], env)).json as { order: { outTradeNo: string } };
    const number = charged.order.outTradeNo;
    await simulator.control('POST', `orders/${number}/pay`);
    await runCli(['reconcile'], env);

    // QFPay does the refund, then its answer is slow; the till is killed while it waits.
    await simulator.control('PUT', 'faults/refund', { kind: 'delay', delayMs: 3_000, afterProcessing: true, times: 1 });
    const run = spawnCli(['refund', number]);
    await until(async () => ((await simulator.control('GET', `orders/${number}`)).json.refunded === 6_000 ? true : undefined));
    run.child.kill('SIGKILL');
    expect((await run.exited).signal).toBe('SIGKILL');

    // The refund's record comes back without its label, as some gateways send it.
    await simulator.control('PUT', 'faults/query', { kind: 'unlabelled' });
    const status = await runCli(['status', number, '--json'], env);
    const body = status.json as { order: { refunded: number }; refunds: { state: string; amount: number }[] };
    expect(body.refunds).toEqual([expect.objectContaining({ state: 'succeeded', amount: 6_000 })]);
    expect(body.order.refunded).toBe(6_000);

    const again = await runCli(['refund', number, '--json'], env);
    // Refused by the till's rules (refunded in full), not as a bad argument: none was given.
    expect(again.exitCode).toBe(3);
    expect(again.json).toMatchObject({ error: { code: 'order_fully_refunded' } });
    expect((await simulator.control('GET', `orders/${number}`)).json.refunded).toBe(6_000);
    // One refund at the gateway, the one whose answer was lost.
    const payment = (await simulator.control('GET', `orders/${number}`)).json;
    expect(simulator.store.refundsOf(payment.syssn)).toHaveLength(1);
  });
});

/** faketime (Debian) moves a real process's clock: the till's own, not one injected by a test. */
const faketimeAvailable = (() => {
  try {
    return execFileSync('which', ['faketime'], { encoding: 'utf8' }).trim() !== '';
  } catch {
    return false;
  }
})();
if (!faketimeAvailable && !process.env.CI) console.warn('month-end process test skipped: apt-get install faketime');

describe.runIf(faketimeAvailable || process.env.CI)('a till process whose clock crosses a month end (faketime)', () => {
  it('finds the order it took before midnight on October 31st once it is November', async () => {
    const beforeMidnight = Date.UTC(2026, 9, 31, 15, 58, 30); // 23:58:30 in Hong Kong
    const afterMidnight = Date.UTC(2026, 9, 31, 16, 5, 0); // 00:05 on November 1st
    const at = (instant: number) => `@${new Date(instant).toISOString().slice(0, 19).replace('T', ' ')}`;
    const cliAt = (instant: number, args: string[]) =>
      new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const child = spawn('faketime', ['-f', at(instant), process.execPath, ...nodeEntryArgs('cli'), ...args, '--json'], { env: { ...env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'inherit'] });
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.on('exit', (code) => resolve({ code, stdout }));
      });

    await simulator.control('PUT', 'clock', { offsetMs: beforeMidnight - Date.now() });
    try {
      const charged = await cliAt(beforeMidnight, ['charge', '--amount', '8.80', '--wallet', 'fps', '--expires', '30']);
      expect(charged.code).toBe(0);
      const order = JSON.parse(charged.stdout).order as { outTradeNo: string; sysdtm: string; createdAtHk: string };
      expect(order.createdAtHk).toMatch(/^2026-10-31 23:58/);

      await simulator.control('PUT', 'clock', { offsetMs: afterMidnight - Date.now() });
      await simulator.control('POST', `orders/${order.outTradeNo}/pay`);
      await simulator.control('DELETE', 'requests');
      const status = await cliAt(afterMidnight, ['status', order.outTradeNo]);
      expect(JSON.parse(status.stdout).order.state).toBe('paid');
      const windows = simulator.requests().filter((entry) => entry.endpoint === 'query').map((entry) => entry.fields.start_time);
      expect(windows).toEqual(['2026-10-01 00:00:00']);
    } finally {
      await simulator.control('PUT', 'clock', { offsetMs: 0 });
    }
  });
});

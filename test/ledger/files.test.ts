import { copyFileSync, existsSync, openSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { nodeEntryArgs } from '../../scripts/nodeEntries';
import { runCli } from '../../electron/cli/main';
import { createManagerSessions } from '../../electron/services/app/managerSession';
import { openLedgerDatabase } from '../../electron/services/ledger/database';
import { userOnlyFileSecretStore } from '../../electron/services/settings/secretStore';
import { openSettingsService } from '../../electron/services/settings/settingsService';
import { hongKongDay } from '../../shared/hkTime';
import { addLongTail, scribbleDeepInside } from '../support/damagedLedger';
import { TEST_PIN_COST } from '../support/pinCost';
import { startTestSimulator, tempFolder, TEST_CREDENTIALS, type TestSimulator } from '../support/simulator';

/** One screen's manager access (the PIN's guard is the till's, whichever screen asks). */
const createManagerSession = (...args: Parameters<typeof createManagerSessions>) => createManagerSessions(...args).of('test-screen');

/**
 * The files a till lives on, damaged the ways power cuts and people damage them. Each is refused
 * in one line with the way back; none is silently replaced by a default, and no real-money till
 * ever starts in training mode or without its manager PIN.
 */

let gateway: TestSimulator;
let folder: ReturnType<typeof tempFolder>;
let env: NodeJS.ProcessEnv;
let ledger: string;
let settingsFile: string;

beforeAll(async () => {
  gateway = await startTestSimulator();
});
afterAll(async () => {
  await gateway.stop();
});
beforeEach(() => {
  folder = tempFolder('qfpos-files-');
  ledger = join(folder.path, 'till.sqlite');
  settingsFile = join(folder.path, 'settings.json');
  // Configured the way a shop configures it: through the app's settings, not variables.
  env = { QFPOS_DB: ledger };
});
afterEach(() => folder.remove());

const settingsService = () => openSettingsService(folder.path, userOnlyFileSecretStore(join(folder.path, 'client-key')), undefined, { pinCost: TEST_PIN_COST });
const cli = async (...argv: string[]) => {
  const outcome = await runCli([...argv, '--json'], env);
  return { ...outcome, body: outcome.json as Record<string, any> };
};

/** A real-money till set up in Manager → Settings, with a PIN and one paid order. */
async function realTill() {
  const settings = settingsService();
  const saved = settings.update({ environment: 'custom', customUrl: gateway.url, appCode: TEST_CREDENTIALS.appCode, clientKey: TEST_CREDENTIALS.clientKey, confirmLeaveDemo: true, shopName: '茶餐廳' });
  expect(saved.ok).toBe(true);
  expect(await settings.setPin('482193')).toBe('set');
  const order = (await cli('charge', '--amount', '30.00', '--wallet', 'alipay')).body.order;
  await gateway.control('POST', `orders/${order.outTradeNo}/pay`);
  expect((await cli('reconcile')).exitCode).toBe(0);
  expect(order.environment).toBe('custom');
  return order as { outTradeNo: string };
}

/** A person typing the PIN at the CLI's prompt. */
const pinTyped = (pin: string) => ({ readSecret: async () => pin });

const demoGatewayStarted = () => existsSync(join(folder.path, 'demo-gateway.sqlite'));

describe('the settings file', () => {
  it('truncated by a power cut beside a real-money ledger: refused in one line, never training mode; restored with its PIN', async () => {
    await realTill();
    const text = readFileSync(settingsFile, 'utf8');
    writeFileSync(settingsFile, text.slice(0, Math.floor(text.length / 2)));

    const refused = await cli('orders');
    expect(refused.exitCode).toBe(2);
    expect(refused.lines).toHaveLength(1);
    expect(refused.lines[0]).toMatch(/settings\.json is damaged \(it is not complete JSON\).*npm run cli -- settings restore/);
    expect(demoGatewayStarted()).toBe(false);

    const restored = await cli('settings', 'restore');
    expect(restored.exitCode).toBe(0);
    expect(readdirSync(folder.path).some((name) => name.startsWith('settings.json.damaged-'))).toBe(true);
    const settings = settingsService();
    expect(settings.view()).toMatchObject({ environment: 'custom', shopName: '茶餐廳', pinSet: true });
    expect((await cli('orders')).body.orders).toHaveLength(1);
  });

  it('emptied: refused, not read as defaults', async () => {
    await realTill();
    writeFileSync(settingsFile, '');
    expect((await cli('doctor')).lines[0]).toMatch(/is damaged \(it is empty\)/);
  });

  it('missing beside a real-money ledger: refused; set up again only with the ledger’s manager PIN', async () => {
    const order = await realTill();
    rmSync(settingsFile);
    const refused = await cli('orders');
    expect(refused.exitCode).toBe(2);
    expect(refused.lines).toHaveLength(1);
    expect(refused.lines[0]).toMatch(/till\.sqlite is ledger [0-9a-f]{8} and holds real-money orders, but .*settings\.json is missing, so this till will not use it.*settings restore.*settings adopt/);
    expect(demoGatewayStarted()).toBe(false);

    expect((await cli('settings', 'reset')).body.error).toMatchObject({ argument: '--confirm' });
    // A reset is no way round adoption: without the ledger's PIN it changes nothing.
    const noPin = await cli('settings', 'reset', '--confirm');
    expect(noPin.exitCode).toBe(3);
    expect(noPin.lines[0]).toMatch(/give the manager PIN of ledger [0-9a-f]{8}, which holds real money/);
    expect(existsSync(settingsFile)).toBe(false);
    const wrongPin = await runCli(['settings', 'reset', '--confirm'], env, pinTyped('000000'));
    expect(wrongPin.exitCode).toBe(3);
    expect(wrongPin.lines[0]).toMatch(/not the manager PIN of ledger [0-9a-f]{8}: nothing was changed/);
    expect(existsSync(settingsFile)).toBe(false);

    expect((await runCli(['settings', 'reset', '--confirm'], env, pinTyped('482193'))).exitCode).toBe(0);
    // Set up again in training mode, knowing its ledger and its PIN: the real order is shown, made on another gateway.
    const listed = (await cli('orders')).body.orders as { outTradeNo: string; environment: string; state: string }[];
    expect(listed).toEqual([expect.objectContaining({ outTradeNo: order.outTradeNo, environment: 'custom', state: 'paid' })]);
    expect(settingsService().view()).toMatchObject({ environment: 'demo', pinSet: true });
    expect((await createManagerSession(settingsService(), () => Date.now()).unlock('482193')).unlockedUntil).toBeGreaterThan(0);
  });

  it('missing beside a real-money ledger: a run configured by variables is not a way round the refusal', async () => {
    await realTill();
    rmSync(settingsFile);
    // Not even in training mode for one run: its orders would go into books this till cannot vouch for.
    const demo = await runCli(['orders', '--json'], { ...env, QFPOS_GATEWAY: 'demo' });
    expect(demo.exitCode).toBe(2);
    expect(demo.lines[0]).toMatch(/settings\.json is missing, so this till will not use it/);
    expect(existsSync(settingsFile)).toBe(false);
    expect((await cli('doctor')).lines[0]).toMatch(/holds real-money orders, but .*settings\.json is missing/);
  });

  it('and the key file are written atomically and readable only by this user', async () => {
    await realTill();
    // While the ledger is open, its write-ahead log exists and gets the ledger's mode.
    const db = openLedgerDatabase(ledger);
    try {
      db.prepare('SELECT COUNT(*) FROM orders').get();
      for (const file of [settingsFile, join(folder.path, 'client-key'), ledger, `${ledger}-wal`, `${ledger}-shm`]) {
        expect(statSync(file).mode & 0o777, file).toBe(0o600);
      }
    } finally {
      db.close();
    }
    // No temporary files are left behind.
    expect(readdirSync(folder.path).filter((name) => name.includes('.tmp'))).toEqual([]);
  });
});

describe('the ledger file', () => {
  it('deleted where one was expected: refused in words, not started empty', async () => {
    await realTill();
    for (const suffix of ['', '-wal', '-shm']) rmSync(ledger + suffix, { force: true });
    const refused = await cli('doctor');
    expect(refused.exitCode).toBe(2);
    expect(refused.body.error.code).toBe('ledger_missing');
    expect(refused.lines[0]).toMatch(/till\.sqlite is missing, but this till's settings expect ledger [0-9a-f]{8}\. Restore the latest backup/);
    expect(existsSync(ledger)).toBe(false);
  });

  it('emptied to zero bytes: refused, and doctor never says the log is safe', async () => {
    await realTill();
    for (const suffix of ['-wal', '-shm']) rmSync(ledger + suffix, { force: true });
    truncateSync(ledger, 0);
    const doctor = await cli('doctor');
    expect(doctor.exitCode).toBe(2);
    expect(doctor.body.error.code).toBe('ledger_empty');
    expect(JSON.stringify(doctor)).not.toMatch(/database check: ok/);
    expect(statSync(ledger).size).toBe(0);
  });

  it('replaced by another till’s ledger: refused', async () => {
    await realTill();
    const other = tempFolder('qfpos-other-');
    try {
      const otherEnv = { QFPOS_DB: join(other.path, 'till.sqlite') };
      await runCli(['orders'], otherEnv);
      for (const suffix of ['-wal', '-shm']) rmSync(ledger + suffix, { force: true });
      copyFileSync(join(other.path, 'till.sqlite'), ledger);
      const refused = await cli('orders');
      expect(refused.body.error.code).toBe('ledger_replaced');
      expect(refused.lines[0]).toMatch(/is ledger [0-9a-f]{8}, not ledger [0-9a-f]{8} that this till's settings expect: it was replaced/);
    } finally {
      other.remove();
    }
  });

  it('damaged on disk: refused by the check at start', async () => {
    await realTill();
    await cli('reconcile'); // checkpointed into the main file on close
    for (const suffix of ['-wal', '-shm']) rmSync(ledger + suffix, { force: true });
    const fd = openSync(ledger, 'r+');
    try {
      // Scribble over the second and third pages (the first holds the header).
      writeSync(fd, Buffer.alloc(8192, 0x5a), 0, 8192, 4096);
    } finally {
      closeSync(fd);
    }
    const refused = await cli('orders');
    expect(refused.exitCode).toBe(2);
    expect(['ledger_damaged', 'ledger_not_a_ledger']).toContain(refused.body.error.code);
    expect(refused.lines[0]).toMatch(/till\.sqlite (is damaged|cannot be opened).*Restore the latest backup/);
  });

  it('damaged deep inside, where opening does not read: the first sale is refused in words before anything is written or sent, and doctor refuses', async () => {
    await realTill();
    // Damage the open does not read: only the full check (quick_check) can find it.
    addLongTail(ledger);
    scribbleDeepInside(ledger);
    const sent = gateway.requests().length;
    const orders = (await cli('orders')).body.orders;
    expect(orders).toHaveLength(1);

    const refused = await cli('charge', '--amount', '12.00', '--wallet', 'fps');
    expect(refused.exitCode).toBe(2);
    expect(refused.body.error.code).toBe('ledger_damaged');
    expect(refused.lines[0]).toMatch(/till\.sqlite is damaged \(.+\).*Restore the latest backup/);
    expect(gateway.requests().length).toBe(sent);
    expect((await cli('doctor')).body.error.code).toBe('ledger_damaged');
  });

  it('is backed up at every close, and a backup restored puts the old ledger aside, never deleting it', async () => {
    await realTill();
    const closing = await cli('report', '--close');
    expect(closing.exitCode).toBe(0);
    const backup = closing.body.backup.file as string;
    expect(statSync(backup).mode & 0o777).toBe(0o600);
    // A sale after the backup, then the ledger is lost and the backup restored.
    const later = (await cli('charge', '--amount', '8.00', '--wallet', 'fps')).body.order;
    await gateway.control('POST', `orders/${later.outTradeNo}/pay`);
    for (const suffix of ['', '-wal', '-shm']) rmSync(ledger + suffix, { force: true });
    expect((await cli('orders')).body.error.code).toBe('ledger_missing');

    const restored = await cli('restore', backup);
    expect(restored.exitCode).toBe(0);
    expect(restored.body).toMatchObject({ setAside: null, ledgerId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect((await cli('orders')).body.orders).toHaveLength(1);
    // What the backup missed is found by comparing the day with QFPay.
    const compared = await cli('reconcile', '--day', hongKongDay(Date.now()));
    expect(compared.exitCode).toBe(6);
    expect(compared.body.reconciliation.lines).toContainEqual(expect.objectContaining({ category: 'at_qfpay_only', outTradeNo: later.outTradeNo }));

    // Restoring over a ledger that is there keeps it beside, under another name.
    const again = await cli('restore', backup);
    expect(again.body.setAside).toMatch(/till\.sqlite\.replaced-\d{14}$/);
    expect(existsSync(again.body.setAside)).toBe(true);
  });

  it('is not restored from under a till that has it open; a till killed is no longer in the way', async () => {
    await realTill();
    const backup = (await cli('report', '--close')).body.backup.file as string;
    // A till waiting for its customer keeps the ledger open.
    const till = spawn(process.execPath, [...nodeEntryArgs('cli'), 'charge', '--amount', '3.00', '--wallet', 'fps', '--wait'], { env: { ...process.env, ...env }, stdio: 'ignore' });
    try {
      const running = join(`${ledger}.running`);
      for (let waited = 0; !(existsSync(running) && readdirSync(running).includes(String(till.pid))); waited += 50) {
        if (waited > 15_000) throw new Error('the till did not start');
        await sleep(50);
      }
      const refused = await cli('restore', backup);
      expect(refused.exitCode).toBe(3);
      expect(refused.body.error).toMatchObject({ code: 'ledger_in_use', message: expect.stringContaining(String(till.pid)) });
    } finally {
      till.kill('SIGKILL');
      await new Promise((resolve) => till.on('exit', resolve));
    }
    // Its mark is left behind by the kill, and recognised as stale.
    expect((await cli('restore', backup)).exitCode).toBe(0);
  });
});

describe('the manager PIN lockout', () => {
  it('survives a restart of the app, and so does its escalation', async () => {
    let now = 1_000_000;
    const first = settingsService();
    expect(await first.setPin('482193')).toBe('set');
    // One screen's access; the wrong-PIN count is the till's, whichever screen tries.
    const session = createManagerSessions(first, () => now).of('till');
    for (let attempt = 0; attempt < 4; attempt += 1) await expect(session.unlock('000000')).rejects.toThrow(/wrong PIN/);
    // Restarted: the count goes on from four, and the fifth wrong try locks.
    const restarted = createManagerSessions(settingsService(), () => now).of('another screen');
    await expect(restarted.unlock('000000')).rejects.toMatchObject({ code: 'pin_locked', details: { retryInMs: 5 * 60_000 } });
    const again = createManagerSessions(settingsService(), () => now).of('till');
    await expect(again.unlock('482193')).rejects.toThrow(/too many wrong PINs/);
    now += 5 * 60_000;
    // The lock ended, the streak did not: five more wrong tries, restarted between each, lock for ten minutes.
    for (let attempt = 0; attempt < 4; attempt += 1) await expect(createManagerSessions(settingsService(), () => now).of('till').unlock('000000')).rejects.toThrow(/wrong PIN/);
    await expect(createManagerSessions(settingsService(), () => now).of('till').unlock('000000')).rejects.toMatchObject({ code: 'pin_locked', details: { retryInMs: 10 * 60_000 } });
    now += 10 * 60_000;
    expect((await createManagerSessions(settingsService(), () => now).of('till').unlock('482193')).unlockedUntil).toBeGreaterThan(now);
  });
});

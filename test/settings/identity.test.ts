import { copyFileSync, cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/main';
import { openSettingsService } from '../../electron/services/settings/settingsService';
import { userOnlyFileSecretStore } from '../../electron/services/settings/secretStore';
import { TEST_PIN_COST } from '../support/pinCost';
import { startTestSimulator, tempFolder, tillEnvironment, type TestSimulator } from '../support/simulator';

/**
 * Issue 20, item 1, tried again as an attacker would: a till's folder copied, settings.json
 * deleted (or replaced by a bare training one), another till's ledger dropped in, and the gateway
 * configured by QFPOS_* variables. The till must refuse before anything reaches QFPay or the books.
 */

let gateway: TestSimulator;
let folders: ReturnType<typeof tempFolder>[] = [];

beforeAll(async () => {
  gateway = await startTestSimulator();
});
afterAll(async () => {
  await gateway.stop();
});
beforeEach(() => {
  folders = [];
});
afterEach(() => folders.forEach((folder) => folder.remove()));

const pinTyped = (pin: string) => ({ readSecret: async () => pin });

/** A real-money till configured by variables, with its manager PIN set and one paid order. */
async function realTill(tillId: string, pin: string) {
  const folder = tempFolder(`qfpos-${tillId}-`);
  folders.push(folder);
  const env = tillEnvironment(gateway, folder.path, { QFPOS_TILL: tillId });
  const order = (await runCli(['charge', '--amount', '12.00', '--wallet', 'wechat', '--json'], env)).json.order as { outTradeNo: string };
  await gateway.control('POST', `orders/${order.outTradeNo}/pay`);
  expect((await runCli(['reconcile'], env)).exitCode).toBe(0);
  // The first start wrote settings naming this ledger; the manager then set a PIN in the app.
  expect(await openSettingsService(folder.path, userOnlyFileSecretStore(join(folder.path, 'client-key')), undefined, { pinCost: TEST_PIN_COST }).setPin(pin)).toBe('set');
  expect((await runCli(['orders'], env)).exitCode).toBe(0); // the ledger keeps a copy of the PIN's hash from here on
  return { folder: folder.path, env, order };
}

const gatewayRequests = async () => ((await gateway.control('GET', 'requests')).json.requests as unknown[]).length;
const ordersOf = async (env: NodeJS.ProcessEnv) => (await runCli(['orders', '--json'], env)).json.orders as { outTradeNo: string }[];

describe("a till's identity", () => {
  it("another till's ledger in a copied folder with settings.json deleted: doctor and charge refused, nothing sent, nothing written", async () => {
    const a = await realTill('till-a', '111111');
    const b = await realTill('till-b', '222222');
    const copy = tempFolder('qfpos-copy-');
    folders.push(copy);
    cpSync(a.folder, copy.path, { recursive: true });
    rmSync(join(copy.path, 'settings.json'));
    rmSync(join(copy.path, 'settings.json.bak'), { force: true });
    copyFileSync(join(b.folder, 'till.sqlite'), join(copy.path, 'till.sqlite'));
    const env = tillEnvironment(gateway, copy.path, { QFPOS_TILL: 'till-a' });
    const before = await gatewayRequests();

    const doctor = await runCli(['doctor'], env);
    expect(doctor.exitCode).toBe(2);
    expect(doctor.lines).toEqual([expect.stringMatching(/^error: .*till\.sqlite is ledger [0-9a-f]{8} and holds real-money orders, but .*settings\.json is missing, so this till will not use it: it may be another till's books\. Restore .*settings restore.*settings adopt/)]);
    const charge = await runCli(['charge', '--amount', '1.00', '--wallet', 'wechat'], env);
    expect(charge.exitCode).toBe(2);
    expect(charge.lines[0]).toBe(doctor.lines[0]);

    expect(await gatewayRequests()).toBe(before);
    expect(existsSync(join(copy.path, 'settings.json'))).toBe(false);
    // Till B's books hold B's one order and nothing more.
    expect((await ordersOf(b.env)).map((order) => order.outTradeNo)).toEqual([b.order.outTradeNo]);

    // With settings.json restored from the copy of A, the ledger is refused by its identity.
    copyFileSync(join(a.folder, 'settings.json'), join(copy.path, 'settings.json'));
    const replaced = await runCli(['doctor'], env);
    expect(replaced.exitCode).toBe(2);
    expect(replaced.lines[0]).toMatch(/is ledger [0-9a-f]{8}, not ledger [0-9a-f]{8} that this till's settings expect: it was replaced/);
    expect(await gatewayRequests()).toBe(before);
  });

  it('a bare training settings file beside a real-money ledger: refused, and "demo" is not recorded beside real money', async () => {
    const a = await realTill('till-a', '111111');
    writeFileSync(join(a.folder, 'settings.json'), JSON.stringify({ environment: 'demo' }));
    for (const env of [a.env, { QFPOS_DB: a.env.QFPOS_DB }]) {
      const refused = await runCli(['charge', '--amount', '1.00', '--wallet', 'fps'], env);
      expect(refused.exitCode).toBe(2);
      expect(refused.lines[0]).toMatch(/holds real-money orders, but .*settings\.json does not name it, so this till will not use it/);
    }
    expect(JSON.parse(readFileSync(join(a.folder, 'settings.json'), 'utf8'))).toEqual({ environment: 'demo' });
  });

  it('adopted only with that ledger’s manager PIN; then it is this till’s and the PIN is the ledger’s', async () => {
    const a = await realTill('till-a', '111111');
    const b = await realTill('till-b', '222222');
    copyFileSync(join(b.folder, 'till.sqlite'), join(a.folder, 'till.sqlite'));
    rmSync(join(a.folder, 'settings.json'));

    const withoutPin = await runCli(['settings', 'adopt'], a.env);
    expect(withoutPin.exitCode).toBe(3);
    expect(withoutPin.lines[0]).toMatch(/give the manager PIN of ledger [0-9a-f]{8}, which holds real money \(typed at the prompt, never as an argument\)/);
    // A's PIN is not B's: the ledger's own PIN is asked for.
    expect((await runCli(['settings', 'adopt'], a.env, pinTyped('111111'))).exitCode).toBe(3);
    expect(existsSync(join(a.folder, 'settings.json'))).toBe(false);

    const adopted = await runCli(['settings', 'adopt'], a.env, pinTyped('222222'));
    expect(adopted.exitCode).toBe(0);
    expect(adopted.lines[0]).toMatch(/^this till now keeps ledger [0-9a-f]{8}; its manager PIN is the ledger's$/);
    expect((await runCli(['doctor'], a.env)).lines.some((line) => line.startsWith('database check: ok'))).toBe(true);
    expect((await ordersOf(a.env)).map((order) => order.outTradeNo)).toEqual([b.order.outTradeNo]);
  });

  it("a ledger that keeps no PIN (a till run by variables alone before): adopted with its merchant's QFPay key, proved by a signed query", async () => {
    const folder = tempFolder('qfpos-withkey-');
    folders.push(folder);
    const env = tillEnvironment(gateway, folder.path);
    const order = (await runCli(['charge', '--amount', '4.00', '--wallet', 'fps', '--json'], env)).json.order as { outTradeNo: string };
    rmSync(join(folder.path, 'settings.json'));
    expect((await runCli(['doctor'], env)).exitCode).toBe(2);

    // The PIN way says what else there is, instead of pointing back to restore.
    const byPin = await runCli(['settings', 'adopt'], env, pinTyped('123456'));
    expect(byPin.lines[0]).toMatch(/keeps no manager PIN .*settings adopt --with-key/);
    // A key QFPay does not accept, or another merchant's app code: nothing changes.
    const wrongKey = await runCli(['settings', 'adopt', '--with-key'], { ...env, QFPOS_CLIENT_KEY: 'NOT-THE-KEY-1234' });
    expect(wrongKey.exitCode).toBe(3);
    expect(wrongKey.lines[0]).toMatch(/^error: QFPay did not accept a query signed with the key given \(Reachable, but the signature was rejected/);
    const otherMerchant = await runCli(['settings', 'adopt', '--with-key'], { ...env, QFPOS_APP_CODE: 'ANOTHERAPPCODE' });
    expect(otherMerchant.lines[0]).toMatch(/made by another app code or on another gateway/);
    const noKey = await runCli(['settings', 'adopt', '--with-key'], { QFPOS_DB: env.QFPOS_DB });
    expect(noKey.lines[0]).toMatch(/give the merchant's QFPay key/);
    expect(existsSync(join(folder.path, 'settings.json'))).toBe(false);

    const adopted = await runCli(['settings', 'adopt', '--with-key'], env);
    expect(adopted.exitCode).toBe(0);
    expect(adopted.lines).toEqual([expect.stringMatching(/^QFPay accepted the merchant's key: this till now keeps ledger [0-9a-f]{8}: set a manager PIN at once/)]);
    expect((await ordersOf(env)).map((listed) => listed.outTradeNo)).toEqual([order.outTradeNo]);
  });

  it('a ledger that never recorded a PIN cannot be adopted; settings restore without a backup names the other ways', async () => {
    const folder = tempFolder('qfpos-nopin-');
    folders.push(folder);
    const env = tillEnvironment(gateway, folder.path);
    const order = (await runCli(['charge', '--amount', '3.00', '--wallet', 'alipay', '--json'], env)).json.order as { outTradeNo: string };
    expect(order.outTradeNo).toBeTruthy();
    rmSync(join(folder.path, 'settings.json'));
    const adopt = await runCli(['settings', 'adopt'], env, pinTyped('123456'));
    expect(adopt.exitCode).toBe(3);
    expect(adopt.lines[0]).toMatch(/keeps no manager PIN .* so it cannot be adopted with one/);

    const restore = await runCli(['settings', 'restore'], env);
    expect(restore.exitCode).toBe(5);
    expect(restore.lines[0]).toMatch(/^error: there is no previous version to restore \(.*settings\.json\.bak is missing\)\. Adopt the ledger .*settings adopt.*settings reset --confirm/);
    expect(restore.lines[0]).not.toMatch(/Restore the previous version with `npm run cli -- settings restore`/);
  });

  it('a training ledger (no real money) is used again without its settings, and keeps its manager PIN', async () => {
    const folder = tempFolder('qfpos-training-');
    folders.push(folder);
    const env = { QFPOS_DB: join(folder.path, 'till.sqlite') };
    expect((await runCli(['charge', '--amount', '1.00', '--wallet', 'fps'], env)).exitCode).toBe(0);
    const settings = openSettingsService(folder.path, userOnlyFileSecretStore(join(folder.path, 'client-key')), undefined, { pinCost: TEST_PIN_COST });
    expect(await settings.setPin('246813')).toBe('set');
    expect((await runCli(['orders'], env)).exitCode).toBe(0);
    const hash = JSON.parse(readFileSync(join(folder.path, 'settings.json'), 'utf8')).managerPin;
    rmSync(join(folder.path, 'settings.json'));
    expect((await runCli(['orders'], env)).exitCode).toBe(0);
    expect(JSON.parse(readFileSync(join(folder.path, 'settings.json'), 'utf8')).managerPin).toEqual(hash);
  });

  it('doctor where no ledger is yet (a new till, or a mistyped path) creates nothing and says so', async () => {
    const folder = tempFolder('qfpos-typo-');
    folders.push(folder);
    const mistyped = join(folder.path, 'nowhere', 'till.sqlite');
    const doctor = await runCli(['doctor'], { ...tillEnvironment(gateway, folder.path), QFPOS_DB: mistyped });
    expect(doctor.exitCode).toBe(0);
    expect(doctor.lines).toContain(`database: none yet at ${mistyped}: a new till starts its ledger at its first sale (if this till has sold before, QFPOS_DB or --db names the wrong file)`);
    expect(doctor.lines.at(-1)).toBe('gateway: Reachable; the app code and signature were accepted.');
    expect(existsSync(join(folder.path, 'nowhere'))).toBe(false);
  });

  it('a new till configured by variables starts its own new ledger and names it', async () => {
    const folder = tempFolder('qfpos-new-');
    folders.push(folder);
    const env = tillEnvironment(gateway, folder.path);
    expect((await runCli(['charge', '--amount', '1.00', '--wallet', 'payme'], env)).exitCode).toBe(0);
    const settings = JSON.parse(readFileSync(join(folder.path, 'settings.json'), 'utf8')) as { ledgerId?: string };
    expect(settings.ledgerId).toMatch(/^[0-9a-f]{32}$/);
    expect((await runCli(['doctor'], env)).lines.find((line) => line.startsWith('database check'))).toContain(settings.ledgerId?.slice(0, 8));
  });
});

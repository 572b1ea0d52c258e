import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../electron/cli/main';
import { MANAGER_IDLE_MS } from '../../electron/services/app/managerSession';
import { describe, expect, it } from 'vitest';
import { hashAnyPin } from '../../electron/services/settings/managerPin';
import { COMMAND_NAMES, needsManager, type CommandName } from '../../shared/ipc/contract';
import { COMMAND_SCHEMAS } from '../../shared/ipc/schemas';
import { hongKongDay } from '../../shared/hkTime';
import { appOnSimulator } from '../support/app';
import { TEST_PIN_COST } from '../support/pinCost';

/** The manager PIN through the contract: what the cashier's screen is answered, in both languages. */

const { app, restartApp } = appOnSimulator();

const call = async (name: string, payload: unknown = {}) => app.dispatch('cashier', name, payload) as Promise<{ ok: boolean; value?: any; error?: any }>;

describe('a four-digit PIN from before the six-digit rule', () => {
  it('unlocks, but every manager command but setting a new PIN is refused until it is changed', async () => {
    // A till set up before the rule: its settings file holds a four-digit PIN.
    await app.shutDown();
    const file = JSON.parse(readFileSync(app.settingsPath, 'utf8'));
    writeFileSync(app.settingsPath, JSON.stringify({ ...file, managerPin: await hashAnyPin('4821', TEST_PIN_COST) }));
    await restartApp();

    expect(await call('managerUnlock', { pin: '4821' })).toEqual({ ok: true, value: { unlockedUntil: expect.any(Number), mustChangePin: true } });
    const refused = await call('managerDay', { day: hongKongDay(Date.now()) });
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'pin_change_required',
        message: {
          en: 'This PIN is from before PINs had 6 to 8 digits: set a new PIN before anything else.',
          'zh-HK': '此密碼是在規定 6 至 8 位數字之前設定的：請先設定新密碼，才可進行其他操作。',
        },
        details: {},
      },
    });
    // Every command behind the PIN, each with a request its schema takes, so that nothing but the PIN refuses it.
    const day = hongKongDay(Date.now());
    const requests = [{}, { day }, { from: day, to: day }, { day, offset: 0, limit: 10 }, { outTradeNo: 'X-P1' }, { report: 'X' }, { outTradeNo: 'X-P1', decision: 'paid', reason: 'Seen in the portal' }];
    for (const name of COMMAND_NAMES.filter((command) => needsManager(command as CommandName))) {
      const request = requests.find((candidate) => COMMAND_SCHEMAS[name].safeParse(candidate).success);
      expect(request, name).toBeDefined();
      expect((await call(name, request)).error?.code, name).toBe('pin_change_required');
    }
    expect(await call('managerSetPin', { pin: '4822' })).toMatchObject({ ok: false, error: { code: 'pin_invalid' } });
    expect(await call('managerSetPin', { pin: '48219370' })).toEqual({ ok: true, value: { pinSet: true } });
    expect(await call('managerDay', { day: hongKongDay(Date.now()) })).toMatchObject({ ok: true });
    expect(JSON.parse(readFileSync(app.settingsPath, 'utf8')).managerPin).not.toHaveProperty('mustChange');
  });

  it('a locked PIN is answered with when it may be tried again, in both languages', async () => {
    await call('managerLock');
    for (let attempt = 0; attempt < 4; attempt += 1) await call('managerUnlock', { pin: '000000' });
    const locked = await call('managerUnlock', { pin: '000000' });
    expect(locked).toMatchObject({ ok: false, error: { code: 'pin_locked', details: { retryInMs: 5 * 60_000, retryAt: expect.any(Number) } } });
    expect(locked.error.message.en).toMatch(/^Too many wrong PINs: the PIN can be tried again at (\d{4}-\d\d-\d\d )?\d\d:\d\d Hong Kong time \(in 5 min\)\. Until then even the right PIN is refused\.$/);
    expect(locked.error.message['zh-HK']).toMatch(/^密碼錯誤次數過多：須待香港時間 (\d{4}-\d\d-\d\d )?\d\d:\d\d（5 分鐘後）才可再試。/);
    expect(await call('managerUnlock', { pin: '48219370' })).toMatchObject({ ok: false, error: { code: 'pin_locked' } });
    app.advance(5 * 60_000);
    expect(await call('managerUnlock', { pin: '48219370' })).toMatchObject({ ok: true, value: { mustChangePin: false } });
  });
});

describe('the PIN screen asks first, and the owner can reset a locked PIN (issue 24)', () => {
  it('managerGate says whether a PIN is set, the lock and its end, and the access left, without renewing it', async () => {
    expect((await call('managerGate')).value).toMatchObject({ pinSet: true, locked: null, idleLimitMs: MANAGER_IDLE_MS });
    expect(await call('managerUnlock', { pin: '48219370' })).toMatchObject({ ok: true });
    app.advance(60_000);
    // Asking does not renew it (the till's clock also runs while the test does: within a second).
    const left = (await call('managerGate')).value.unlockedForMs;
    expect(left).toBeLessThanOrEqual(MANAGER_IDLE_MS - 60_000);
    expect(left).toBeGreaterThan(MANAGER_IDLE_MS - 61_000);
    expect((await call('managerGate')).value.unlockedForMs).toBeLessThanOrEqual(left);
    // "Stay unlocked" renews what this screen still holds; another screen's asking gives it nothing.
    expect((await call('managerGate', { stay: true })).value.unlockedForMs).toBeGreaterThan(MANAGER_IDLE_MS - 1_000);
    expect(((await app.dispatch('cashier', 'managerGate', { stay: true }, 'another-screen')) as { value: { unlockedForMs: number } }).value.unlockedForMs).toBe(0);
    await call('managerLock');
    for (let attempt = 0; attempt < 5; attempt += 1) await call('managerUnlock', { pin: '000000' });
    expect((await call('managerGate')).value).toMatchObject({ pinSet: true, locked: { retryInMs: expect.any(Number), retryAt: expect.any(Number) }, unlockedForMs: 0 });
  });

  it('`pin reset --confirm` (the app quit) removes the PIN and its lock; the next Manager sets a new PIN', async () => {
    await app.shutDown();
    const db = join(app.folder.path, 'till.sqlite');
    expect((await runCli(['pin', 'reset', '--db', db], {})).exitCode).toBe(2);
    const reset = await runCli(['pin', 'reset', '--confirm', '--db', db], {});
    expect(reset.lines.join('\n')).toBe('the manager PIN is removed, and its lock lifted\nStart the app and open Manager: it asks at once for a new PIN (6 to 8 digits).');
    const file = JSON.parse(readFileSync(app.settingsPath, 'utf8'));
    expect(file).not.toHaveProperty('managerPin');
    expect(file.pinGuard).toMatchObject({ wrongTries: 0, lockedUntil: 0, locks: 0 });
    await restartApp();
    expect((await call('managerGate')).value).toMatchObject({ pinSet: false, locked: null });
    expect(await call('managerSetPin', { pin: '271828' })).toEqual({ ok: true, value: { pinSet: true } });
    expect(await call('managerUnlock', { pin: '271828' })).toMatchObject({ ok: true });
  });
});

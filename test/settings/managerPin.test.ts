import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManagerSessions } from '../../electron/services/app/managerSession';
import { hashAnyPin, hashPin, PIN_COST, pinMatches } from '../../electron/services/settings/managerPin';
import { createPinGuard, FIRST_LOCK_MS, LONGEST_LOCK_MS } from '../../electron/services/settings/pinGuard';
import { userOnlyFileSecretStore } from '../../electron/services/settings/secretStore';
import { openSettingsService } from '../../electron/services/settings/settingsService';
import { commandError } from '../../shared/i18n/commandErrors';
import { TEST_PIN_COST } from '../support/pinCost';
import { tempFolder } from '../support/simulator';

/** One screen's manager access (the PIN's guard is the till's, whichever screen asks). */
const createManagerSession = (...args: Parameters<typeof createManagerSessions>) => createManagerSessions(...args).of('test-screen');

/**
 * The manager PIN: its hash, the lockout that holds off guessing (with a clock the test moves),
 * and the six-digit rule. Settings are real files in a temporary folder; a "restart" opens them again.
 */

let folder: ReturnType<typeof tempFolder>;
beforeEach(() => {
  folder = tempFolder('qfpos-pin-');
});
afterEach(() => folder.remove());

const settingsFile = () => join(folder.path, 'settings.json');
const open = (pinCost = TEST_PIN_COST) => openSettingsService(folder.path, userOnlyFileSecretStore(join(folder.path, 'client-key')), undefined, { pinCost });
const MINUTE = 60_000;

/** What an unlock answered: the value, or the error's code and details (a TillError). */
async function unlockWith(session: ReturnType<typeof createManagerSession>, pin: string) {
  try {
    return { ok: true, value: await session.unlock(pin) };
  } catch (error) {
    const { code, details } = error as { code: string; details: Record<string, unknown> };
    return { ok: false, code, details };
  }
}

describe('the PIN hash', () => {
  it("is scrypt at the till's cost (N = 2^16, r = 8, p = 1), salted, and never kept in clear", async () => {
    expect(PIN_COST).toEqual({ N: 65536, r: 8, p: 1 });
    const settings = openSettingsService(folder.path, userOnlyFileSecretStore(join(folder.path, 'client-key')));
    expect(await settings.setPin('482193')).toBe('set');
    expect(readFileSync(settingsFile(), 'utf8')).not.toContain('482193');
    const stored = open().pinHash();
    expect(stored).toMatchObject({ N: 65536, r: 8, p: 1 });
    expect(await pinMatches('482193', stored as NonNullable<typeof stored>)).toBe(true);
    expect(await pinMatches('482194', stored as NonNullable<typeof stored>)).toBe(false);
    const [one, two] = await Promise.all([hashPin('482193', TEST_PIN_COST), hashPin('482193', TEST_PIN_COST)]);
    expect(one.salt).not.toBe(two.salt);
  });

  it('takes only 6 to 8 digits as a new PIN', async () => {
    const settings = open();
    for (const pin of ['4821', '48219', '123456789', '12a456', '']) expect(await settings.setPin(pin)).toBe('invalid');
    await expect(hashPin('4821', TEST_PIN_COST)).rejects.toThrow(RangeError);
    expect(settings.pinHash()).toBeUndefined();
    for (const pin of ['482193', '4821937', '48219370']) expect(await settings.setPin(pin)).toBe('set');
  });

  it("refuses a settings file asking scrypt for more than a till has (N = 2^30 would want 128 GiB)", async () => {
    writeFileSync(settingsFile(), JSON.stringify({ managerPin: { ...(await hashPin('482193', TEST_PIN_COST)), N: 2 ** 30 } }));
    expect(() => open()).toThrow(/managerPin\.N/);
  });
});

describe('the lockout', () => {
  it('locks for 5 minutes after 5 wrong tries, then twice as long after each further 5, up to a day', async () => {
    let now = Date.UTC(2026, 2, 2, 2, 0);
    const guard = createPinGuard(() => now);
    const stored = await hashPin('482193', TEST_PIN_COST);
    const locks: number[] = [];
    for (let lock = 1; lock <= 12; lock += 1) {
      for (const triesLeft of [4, 3, 2, 1]) expect(await guard.check('000000', stored)).toEqual({ result: 'wrong', triesLeft });
      const locked = await guard.check('000000', stored);
      expect(locked).toMatchObject({ result: 'locked', retryAt: now + (locked as { retryInMs: number }).retryInMs });
      const length = (locked as { retryInMs: number }).retryInMs;
      locks.push(length / MINUTE);
      // Even the right PIN waits, and is told the same time: the lock says nothing of the PIN.
      now += length - 1;
      expect(await guard.check('482193', stored)).toEqual({ result: 'locked', retryInMs: 1, retryAt: now + 1 });
      now += 1;
    }
    expect(locks).toEqual([5, 10, 20, 40, 80, 160, 320, 640, 1280, 1440, 1440, 1440]);
    expect(LONGEST_LOCK_MS).toBe(1440 * MINUTE);
  });

  it('is not ended by waiting, only by the right PIN', async () => {
    let now = Date.UTC(2026, 2, 2, 2, 0);
    const guard = createPinGuard(() => now);
    const stored = await hashPin('482193', TEST_PIN_COST);
    const fiveWrong = async () => {
      let last;
      for (let attempt = 0; attempt < 5; attempt += 1) last = await guard.check('000000', stored);
      return last;
    };
    expect(await fiveWrong()).toMatchObject({ result: 'locked', retryInMs: FIRST_LOCK_MS });
    now += 30 * 24 * 60 * MINUTE;
    expect(await fiveWrong()).toMatchObject({ result: 'locked', retryInMs: 2 * FIRST_LOCK_MS });
    now += 2 * FIRST_LOCK_MS;
    expect(await guard.check('000000', stored)).toEqual({ result: 'wrong', triesLeft: 4 });
    expect(await guard.check('482193', stored)).toEqual({ result: 'ok' });
    expect(await fiveWrong()).toMatchObject({ result: 'locked', retryInMs: FIRST_LOCK_MS });
  });

  it('counts tries sent together before any of them is hashed: the sixth is refused at once', async () => {
    const now = Date.UTC(2026, 2, 2, 2, 0);
    const guard = createPinGuard(() => now);
    const stored = await hashPin('482193', TEST_PIN_COST);
    const answers = await Promise.all(['000001', '000002', '000003', '000004', '000005', '482193'].map((pin) => guard.check(pin, stored)));
    expect(answers.map((answer) => answer.result)).toEqual(['wrong', 'wrong', 'wrong', 'wrong', 'locked', 'locked']);
  });

  it('keeps its streak and its lock in the settings file across restarts', async () => {
    let now = Date.UTC(2026, 2, 2, 2, 0);
    expect(await open().setPin('482193')).toBe('set');
    // Every try from a freshly started app, as an attacker restarting it between tries would.
    const restartedSession = () => createManagerSession(open(), () => now);
    for (const triesLeft of [4, 3, 2, 1]) expect(await unlockWith(restartedSession(), '000000')).toMatchObject({ ok: false, code: 'pin_wrong', details: { triesLeft } });
    expect(await unlockWith(restartedSession(), '000000')).toMatchObject({ ok: false, code: 'pin_locked', details: { retryInMs: 5 * MINUTE } });
    now += 5 * MINUTE;
    for (let attempt = 0; attempt < 5; attempt += 1) await unlockWith(restartedSession(), '000000');
    expect(await unlockWith(restartedSession(), '482193')).toMatchObject({ ok: false, code: 'pin_locked', details: { retryInMs: 10 * MINUTE, retryAt: now + 10 * MINUTE } });
    expect(JSON.parse(readFileSync(settingsFile(), 'utf8')).pinGuard).toEqual({ wrongTries: 0, lockedUntil: now + 10 * MINUTE, locks: 2, lastSeen: now });
    now += 10 * MINUTE;
    expect(await unlockWith(restartedSession(), '482193')).toMatchObject({ ok: true, value: { mustChangePin: false } });
    expect(JSON.parse(readFileSync(settingsFile(), 'utf8')).pinGuard).toEqual({ wrongTries: 0, lockedUntil: 0, locks: 0, lastSeen: now });
  });

  it('is neither shortened nor stretched by a clock set back, across a restart too', async () => {
    const start = Date.UTC(2026, 2, 2, 2, 0);
    let now = start;
    expect(await open().setPin('482193')).toBe('set');
    const session = createManagerSession(open(), () => now);
    for (let attempt = 0; attempt < 5; attempt += 1) await unlockWith(session, '000000');
    now += 4 * MINUTE;
    expect(await unlockWith(session, '482193')).toMatchObject({ code: 'pin_locked', details: { retryInMs: MINUTE } });
    // An hour back: the minute that was left is still left (not 61, not none), after a restart as well.
    now -= 60 * MINUTE;
    expect(await unlockWith(session, '482193')).toMatchObject({ code: 'pin_locked', details: { retryInMs: MINUTE, retryAt: now + MINUTE } });
    expect(await unlockWith(createManagerSession(open(), () => now), '482193')).toMatchObject({ code: 'pin_locked', details: { retryInMs: MINUTE } });
    now += MINUTE;
    expect(await unlockWith(createManagerSession(open(), () => now), '482193')).toMatchObject({ ok: true });

    // Locked, restarted, and the clock a day back: the whole lock is waited again, no less and no more.
    const later = createManagerSession(open(), () => now);
    for (let attempt = 0; attempt < 5; attempt += 1) await unlockWith(later, '000000');
    now -= 24 * 60 * MINUTE;
    expect(await unlockWith(createManagerSession(open(), () => now), '482193')).toMatchObject({ code: 'pin_locked', details: { retryInMs: 5 * MINUTE } });
  });

  it('loads the lock of a settings file from before the escalation, and never waits longer than the lock', async () => {
    const now = Date.UTC(2026, 2, 2, 2, 0);
    const hash = await hashPin('482193', TEST_PIN_COST);
    // Its clock three days ahead when it locked, since set right: without `lastSeen`, the lock's own length bounds it.
    writeFileSync(settingsFile(), JSON.stringify({ managerPin: hash, pinGuard: { wrongTries: 0, lockedUntil: now + 3 * 24 * 60 * MINUTE } }));
    expect(await unlockWith(createManagerSession(open(), () => now), '482193')).toMatchObject({ code: 'pin_locked', details: { retryInMs: 5 * MINUTE } });
    writeFileSync(settingsFile(), JSON.stringify({ managerPin: hash, pinGuard: { wrongTries: 3, lockedUntil: 0 } }));
    const session = createManagerSession(open(), () => now);
    expect(await unlockWith(session, '000000')).toMatchObject({ code: 'pin_wrong', details: { triesLeft: 1 } });
    expect(await unlockWith(session, '000000')).toMatchObject({ code: 'pin_locked', details: { retryInMs: 5 * MINUTE } });
  });

  it('says, in both languages, when the PIN may be tried again and that the right one is refused until then', () => {
    // 10:25 in Hong Kong, locked for 40 minutes.
    const now = Date.UTC(2026, 2, 2, 2, 25);
    expect(commandError('pin_locked', { retryInMs: 40 * MINUTE, retryAt: now + 40 * MINUTE }).message).toEqual({
      en: 'Too many wrong PINs: the PIN can be tried again at 11:05 Hong Kong time (in 40 min). Until then even the right PIN is refused.',
      'zh-HK': '密碼錯誤次數過多：須待香港時間 11:05（40 分鐘後）才可再試。在此之前，即使輸入正確密碼亦會被拒絕。',
    });
    // A day's lock ends tomorrow: the date is said; 61 seconds are two minutes, not one.
    expect(commandError('pin_locked', { retryInMs: LONGEST_LOCK_MS, retryAt: now + LONGEST_LOCK_MS }).message.en).toContain('at 2026-03-03 10:25 Hong Kong time (in 24 h)');
    expect(commandError('pin_locked', { retryInMs: 80 * MINUTE + 1000, retryAt: now + 80 * MINUTE + 1000 }).message['zh-HK']).toContain('11:45（1 小時 21 分鐘後）');
  });
});

describe('a PIN from before the six-digit rule', () => {
  it('still unlocks, is hashed again at the till\'s cost, and must be changed; a new one clears that', async () => {
    const now = Date.UTC(2026, 2, 2, 2, 0);
    // As an older till wrote it: four digits at N = 2^15, and three wrong tries on the count.
    const old = await hashAnyPin('4821', { N: 2 ** 15, r: 8, p: 1 });
    writeFileSync(settingsFile(), JSON.stringify({ managerPin: old, pinGuard: { wrongTries: 3, lockedUntil: 0 } }));
    const settings = open();
    // The open ledger keeps a copy of the hash (tillIdentity.ts): a new hash of the same PIN reaches it.
    const heard: unknown[] = [];
    settings.onPinSet((hash) => heard.push(hash));
    const session = createManagerSession(settings, () => now);
    expect(settings.pinChangeRequired()).toBe(false);
    expect(await unlockWith(session, '4821')).toEqual({ ok: true, value: { unlockedUntil: expect.any(Number), mustChangePin: true } });
    const stored = open().pinHash();
    expect(heard).toEqual([{ salt: stored?.salt, hash: stored?.hash, ...TEST_PIN_COST }]);
    expect(stored).toMatchObject({ ...TEST_PIN_COST, mustChange: true });
    expect(stored?.salt).not.toBe(old.salt);
    expect(await pinMatches('4821', stored as NonNullable<typeof stored>)).toBe(true);
    expect(open().pinChangeRequired()).toBe(true);
    // Next time too, until changed; not with a new four-digit PIN.
    expect(await unlockWith(createManagerSession(open(), () => now), '4821')).toMatchObject({ ok: true, value: { mustChangePin: true } });
    await expect(session.setPin('4822')).rejects.toMatchObject({ code: 'pin_invalid' });
    await session.setPin('48219370');
    expect(open().pinChangeRequired()).toBe(false);
    expect(open().pinHash()).not.toHaveProperty('mustChange');
    expect(await unlockWith(createManagerSession(open(), () => now), '4821')).toMatchObject({ ok: false, code: 'pin_wrong' });
    expect(await unlockWith(createManagerSession(open(), () => now), '48219370')).toMatchObject({ ok: true, value: { mustChangePin: false } });
  });
});

import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MANAGER_IDLE_MS } from '../../electron/services/app/managerSession';
import { createScreenPairing, MAX_PAIRED_SCREENS, MAX_WRONG_CODES, PAIRING_TTL_MS, type PairedScreen } from '../../electron/web/screenPairing';
import { createScreenStreams } from '../../electron/web/screenStreams';
import { appOnSimulator } from '../support/app';
import { codeOf, pairFrom, screenPage, type openStream } from '../support/webClient';

/**
 * Web mode's screens: pairing a tab from a one-time link, and the manager's access kept per page
 * (issue 20: "one manager unlock serves every connection"; "tokens persist ... and the full link
 * stays in Chromium's History database"). Real HTTP against the real bridge and services.
 */

describe('pairing codes', () => {
  let now = 1_000_000;
  const clock = () => now;

  it('open a screen once: the same link again (from history, or another tab) is refused', () => {
    const pairing = createScreenPairing({ clock });
    const code = pairing.newCode('cashier');
    const credential = pairing.pair('cashier', code);
    expect(credential).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(pairing.screenOf(credential as string)).toMatchObject({ role: 'cashier' });
    expect(pairing.pair('cashier', code)).toBeUndefined();
  });

  it('expire after their time, and are replaced by newer ones', () => {
    const pairing = createScreenPairing({ clock });
    const late = pairing.newCode('display');
    now += PAIRING_TTL_MS;
    expect(pairing.pair('display', late)).toBeUndefined();
    const replaced = pairing.newCode('display');
    const newer = pairing.newCode('display');
    expect(pairing.pair('display', replaced)).toBeUndefined();
    // Typed by hand: any case, with or without the dash.
    expect(pairing.pair('display', newer.toLowerCase().replace('-', ''))).toBeDefined();
  });

  it('are for one screen: a display code does not open the cashier', () => {
    const pairing = createScreenPairing({ clock });
    const display = pairing.newCode('display');
    expect(pairing.pair('cashier', display)).toBeUndefined();
    expect(pairing.screenOf(pairing.pair('display', display) as string)).toMatchObject({ role: 'display' });
  });

  it('are withdrawn after too many wrong ones, and the terminal is told', () => {
    const withdrawn = vi.fn();
    const pairing = createScreenPairing({ clock, onWithdrawn: withdrawn });
    const code = pairing.newCode('cashier');
    for (let attempt = 0; attempt < MAX_WRONG_CODES; attempt += 1) expect(pairing.pair('cashier', 'AAAA-AAAA')).toBeUndefined();
    expect(withdrawn).toHaveBeenCalledTimes(1);
    expect(pairing.pair('cashier', code)).toBeUndefined();
    // New links work again.
    expect(pairing.pair('cashier', pairing.newCode('cashier'))).toBeDefined();
  });

  it('keep only hashes of the credentials, remember a bounded number, and forget them all when told', () => {
    let kept: readonly PairedScreen[] = [];
    const pairing = createScreenPairing({ clock, save: (screens) => (kept = screens) });
    const credentials: string[] = [];
    for (let index = 0; index <= MAX_PAIRED_SCREENS; index += 1) {
      now += 1;
      credentials.push(pairing.pair('cashier', pairing.newCode('cashier')) as string);
    }
    expect(kept).toHaveLength(MAX_PAIRED_SCREENS);
    expect(JSON.stringify(kept)).not.toContain(credentials[5]);
    // The one paired longest ago is forgotten; the rest still open their screen after a restart.
    const restarted = createScreenPairing({ clock, paired: kept });
    expect(restarted.screenOf(credentials[0] as string)).toBeUndefined();
    expect(restarted.screenOf(credentials[1] as string)).toMatchObject({ role: 'cashier' });
    restarted.forgetAll();
    expect(restarted.screenOf(credentials[1] as string)).toBeUndefined();
  });
});

describe('event streams of the screens', () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  const stream = () => ({ end: vi.fn() });

  it('keep a page for the grace after its last stream (a Wi-Fi drop, a restart), and end it after', () => {
    vi.useFakeTimers();
    const gone = vi.fn();
    const streams = createScreenStreams({ perScreen: 2, perPairing: 8, total: 32, graceMs: 30_000 }, gone);
    const first = stream();
    expect(streams.open('page-a', 'tab-1', first)).toBe('open');
    streams.close('page-a', first);
    vi.advanceTimersByTime(29_000);
    expect(streams.open('page-a', 'tab-1', stream())).toBe('open');
    vi.advanceTimersByTime(60_000);
    expect(gone).not.toHaveBeenCalled();
    streams.closeAll();
    expect(gone).toHaveBeenCalledWith('page-a');
  });

  it('end a page whose stream is gone for longer than the grace, and one that never had a stream', () => {
    vi.useFakeTimers();
    const gone = vi.fn();
    const streams = createScreenStreams({ perScreen: 2, perPairing: 8, total: 32, graceMs: 30_000 }, gone);
    const only = stream();
    streams.open('page-a', 'tab-1', only);
    streams.seen('script', 'tab-2');
    streams.close('page-a', only);
    vi.advanceTimersByTime(30_000);
    expect(gone.mock.calls).toEqual([['script'], ['page-a']]);
    expect(streams.counts()).toEqual({ screens: 0, streams: 0 });
  });

  it('end a page’s oldest stream for its new one; refuse one beyond the tab’s or the till’s room', () => {
    const streams = createScreenStreams({ perScreen: 2, perPairing: 3, total: 4, graceMs: 30_000 }, () => undefined);
    const [a, b, c] = [stream(), stream(), stream()];
    streams.open('page-a', 'tab-1', a);
    streams.open('page-a', 'tab-1', b);
    expect(streams.open('page-a', 'tab-1', c)).toBe('open');
    expect(a.end).toHaveBeenCalled();
    expect(streams.open('page-b', 'tab-1', stream())).toBe('open');
    expect(streams.open('page-c', 'tab-1', stream())).toBe('pairing');
    expect(streams.open('page-d', 'tab-2', stream())).toBe('open');
    expect(streams.open('page-e', 'tab-3', stream())).toBe('total');
    expect(streams.counts().streams).toBe(4);
  });
});

describe("the manager's access, per web screen", () => {
  // A short grace, so that a page gone is seen gone within the test.
  const { app } = appOnSimulator({}, { bridge: { streamLimits: { graceMs: 300, perPairing: 3, total: 5 } } });
  const PIN = '482193';
  beforeAll(async () => {
    expect(await app.dispatch('cashier', 'managerSetPin', { pin: PIN })).toMatchObject({ ok: true });
  });

  const pairedTab = async () => {
    const link = app.bridge.pairingLink('cashier');
    const answer = await pairFrom(link, 'cashier');
    expect(answer.status).toBe(200);
    return { link, credential: answer.json.value.credential as string };
  };
  const day = { day: '2026-01-05' };

  it('is opened by the PIN for the tab it was typed in; another tab, even a second page of the same tab, is refused', async () => {
    const tab = await pairedTab();
    const unlocked = screenPage(app.bridge.url, tab.credential);
    const events = await unlocked.openEvents();
    try {
      expect((await unlocked.command('managerDay', day)).json).toMatchObject({ ok: false, error: { code: 'manager_locked' } });
      expect((await unlocked.command('managerUnlock', { pin: PIN })).json).toMatchObject({ ok: true });
      expect((await unlocked.command('managerDay', day)).json).toMatchObject({ ok: true });

      // Issue 20 tried again: another tab that got hold of the cashier's link.
      const reused = await pairFrom(tab.link, 'cashier');
      expect(reused.status).toBe(403);
      expect(reused.json).toMatchObject({ ok: false, error: { code: 'pairing_link_invalid', message: { en: expect.stringContaining('no longer works'), 'zh-HK': expect.stringContaining('連結已失效') } } });
      // Another cashier tab, paired from its own link: a screen of its own, locked.
      const other = screenPage(app.bridge.url, (await pairedTab()).credential);
      expect((await other.command('managerDay', day)).json).toMatchObject({ ok: false, error: { code: 'manager_locked', message: { en: 'Enter the manager PIN first.' } } });
      // The same tab reloaded (a new page): locked, as its PIN gate shows.
      const reloaded = screenPage(app.bridge.url, tab.credential);
      expect((await reloaded.command('managerDay', day)).json).toMatchObject({ ok: false, error: { code: 'manager_locked' } });
      // Changing the PIN needs this screen unlocked too.
      expect((await other.command('managerSetPin', { pin: '999999' })).json).toMatchObject({ ok: false, error: { code: 'pin_already_set' } });
      // Still open where it was typed.
      expect((await unlocked.command('managerDay', day)).json).toMatchObject({ ok: true });
      // And "lock" locks that page.
      expect((await unlocked.command('managerLock')).json).toMatchObject({ ok: true });
      expect((await unlocked.command('managerDay', day)).json).toMatchObject({ ok: false, error: { code: 'manager_locked' } });
    } finally {
      events.close();
    }
  });

  it('ends after ten idle minutes on that page', async () => {
    const page = screenPage(app.bridge.url, (await pairedTab()).credential);
    const events = await page.openEvents();
    try {
      expect((await page.command('managerUnlock', { pin: PIN })).json).toMatchObject({ ok: true });
      app.advance(MANAGER_IDLE_MS - 1_000);
      expect((await page.command('managerDay', day)).json).toMatchObject({ ok: true });
      app.advance(MANAGER_IDLE_MS);
      expect((await page.command('managerDay', day)).json).toMatchObject({ ok: false, error: { code: 'manager_locked' } });
    } finally {
      events.close();
    }
  });

  it('ends when the page is gone (its event stream closed past the grace), and never outlives a page without one', async () => {
    const page = screenPage(app.bridge.url, (await pairedTab()).credential);
    const events = await page.openEvents();
    expect((await page.command('managerUnlock', { pin: PIN })).json).toMatchObject({ ok: true });
    const before = app.pos.managerScreens();
    events.close();
    await events.closed;
    await vi.waitFor(() => expect(app.pos.managerScreens()).toBe(before - 1), { timeout: 5_000 });
    expect((await page.command('managerDay', day)).json).toMatchObject({ ok: false, error: { code: 'manager_locked' } });

    // A script with a cashier credential and the PIN, but no screen open: nothing left past the grace.
    const script = screenPage(app.bridge.url, (await pairedTab()).credential);
    expect((await script.command('managerUnlock', { pin: PIN })).json).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(app.pos.managerScreens()).toBe(before - 1), { timeout: 5_000 });
    expect((await script.command('managerDay', day)).json).toMatchObject({ ok: false, error: { code: 'manager_locked' } });
  });

  it('caps event streams: beyond a tab’s room 429, beyond the till’s 503, with words', async () => {
    await vi.waitFor(() => expect(app.bridge.counts().streams).toBe(0));
    const tab = await pairedTab();
    const held: Awaited<ReturnType<typeof openStream>>[] = [];
    try {
      for (let index = 0; index < 3; index += 1) {
        const opened = await screenPage(app.bridge.url, tab.credential).openEvents();
        expect(opened.status).toBe(200);
        held.push(opened);
      }
      const overTab = await screenPage(app.bridge.url, tab.credential).command('readSettings');
      expect(overTab.status).toBe(200); // commands still go through
      const refused = await fetch(`${app.bridge.url}/api/events`, { headers: screenPage(app.bridge.url, tab.credential).headers });
      expect(refused.status).toBe(429);
      expect(await refused.json()).toMatchObject({ error: { code: 'too_many_screens', message: { 'zh-HK': expect.any(String) } } });

      const second = await pairedTab();
      for (let index = 0; index < 2; index += 1) held.push(await screenPage(app.bridge.url, second.credential).openEvents());
      const third = await pairedTab();
      const full = await fetch(`${app.bridge.url}/api/events`, { headers: screenPage(app.bridge.url, third.credential).headers });
      expect(full.status).toBe(503);
      expect(app.bridge.counts().streams).toBe(5);
    } finally {
      for (const stream of held) stream.close();
    }
  });

  it('keeps the test’s own calls a screen of their own (the harness used by other tests)', async () => {
    expect(await app.dispatch('cashier', 'managerUnlock', { pin: PIN })).toMatchObject({ ok: true });
    expect(await app.dispatch('cashier', 'managerDay', day)).toMatchObject({ ok: true });
    expect(await app.dispatch('cashier', 'managerDay', day, 'another screen')).toMatchObject({ ok: false, error: { code: 'manager_locked' } });
    expect(codeOf(app.bridge.pairingLink('display'))).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}$/);
  });
});

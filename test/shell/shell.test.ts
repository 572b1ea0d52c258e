import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startShell, type ShellStart } from '../../electron/main/shell';
import { APP_CONTENT_SECURITY_POLICY } from '../../electron/services/http/contentSecurityPolicy';
import { useSqliteBinding } from '../../electron/services/sqlite/openSqlite';
import { COMMAND_NAMES, ipcChannel } from '../../shared/ipc/contract';
import { createElectronStandIn, menuItems, type ElectronStandIn, type StandInOptions } from '../support/electronStandIn';
import { startTestSimulator, tempFolder, tillEnvironment, type TestSimulator } from '../support/simulator';

/**
 * The Electron shell (electron/main/shell.ts), run under Node against the stand-in of the Electron
 * APIs it uses, in front of the real services: a real ledger file, a real simulator on 127.0.0.1.
 */

const CASHIER = 'app://pos/index.html';
const DISPLAY = 'app://pos/display.html';
const require = createRequire(import.meta.url);

let simulator: TestSimulator;
beforeAll(async () => {
  simulator = await startTestSimulator();
});
afterAll(async () => {
  await simulator.stop();
});

interface Launched {
  readonly standIn: ElectronStandIn;
  readonly started: ShellStart;
  readonly folder: string;
  quit(): Promise<void>;
}

const running: Launched[] = [];
afterEach(async () => {
  for (const launched of running.splice(0)) await launched.quit();
  useSqliteBinding(undefined);
});

/** A built renderer and preloads in a temp folder, with a secret beside them that must never be served. */
function buildFolder(folder: string) {
  const rendererDir = join(folder, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>cashier</title>');
  writeFileSync(join(rendererDir, 'display.html'), '<!doctype html><title>display</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log("app")');
  writeFileSync(join(folder, 'secret.txt'), 'client_key=never');
  const preloadDir = join(folder, 'preload');
  mkdirSync(preloadDir);
  for (const role of ['cashier', 'display']) writeFileSync(join(preloadDir, `${role}.cjs`), '');
  return { rendererDir, preloadDir };
}

async function launch(options: StandInOptions = {}, env: NodeJS.ProcessEnv | ((folder: string) => NodeJS.ProcessEnv) = {}, setup?: (folder: string) => void): Promise<Launched> {
  const temp = tempFolder('qfpos-shell-');
  const folder = temp.path;
  setup?.(folder);
  const standIn = createElectronStandIn({ userData: folder, ...options });
  const starting = startShell(standIn.electron, { ...buildFolder(folder), env: { ...tillEnvironment(simulator, folder), ...(typeof env === 'function' ? env(folder) : env) } });
  standIn.ready();
  const started = await starting;
  const launched: Launched = {
    standIn,
    started,
    folder,
    async quit() {
      standIn.electron.app.quit();
      await vi.waitFor(() => expect(standIn.electron.app.exited || started !== 'running').toBe(true), { timeout: 10_000 });
      temp.remove();
    },
  };
  running.push(launched);
  return launched;
}

/** One app for a whole describe block: quit by its afterAll, not after each test. */
async function launchShared(): Promise<Launched> {
  const launched = await launch();
  running.splice(running.indexOf(launched), 1);
  return launched;
}

function windowOf(standIn: ElectronStandIn, url: string) {
  const window = standIn.windowAt(url);
  if (!window) throw new Error(`no window at ${url}`);
  return window;
}

describe('a second instance', () => {
  it('quits before it opens anything, even once the app is ready', async () => {
    const { standIn, started, folder } = await launch({ lock: false });
    expect(started).toBe('second-instance');
    expect(standIn.log).toEqual(['app.quit']);
    expect(standIn.privilegedSchemes).toEqual([]);
    expect(standIn.ipcChannels()).toEqual([]);
    expect(standIn.windows()).toEqual([]);
    expect(existsSync(join(folder, 'till.sqlite'))).toBe(false);
  });

  it('brings the first instance\'s cashier window forward, restored if minimized', async () => {
    const { standIn } = await launch();
    const cashier = windowOf(standIn, CASHIER);
    cashier.minimize();
    standIn.electron.app.emit('second-instance');
    expect(cashier.isMinimized()).toBe(false);
    expect(cashier.focused).toBe(true);
  });
});

describe('app://', () => {
  let app: Launched;
  beforeAll(async () => {
    app = await launchShared();
  });
  afterAll(async () => {
    await app.quit();
  });

  it('is registered as a standard, secure scheme before ready', () => {
    expect(app.standIn.privilegedSchemes).toEqual(['app']);
  });

  it.each([
    ['app://pos/index.html', 'text/html; charset=utf-8', 'cashier'],
    ['app://pos/display.html', 'text/html; charset=utf-8', 'display'],
    ['app://pos/assets/app.js', 'text/javascript', 'console.log'],
  ])('serves %s with its type and the content security policy', async (url, type, text) => {
    const response = await app.standIn.request(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    expect(response.headers.get('content-security-policy')).toBe(APP_CONTENT_SECURITY_POLICY);
    expect(await response.text()).toContain(text);
  });

  it.each([
    'app://pos/../secret.txt',
    'app://pos/%2e%2e/secret.txt',
    'app://pos/%2E%2E%2Fsecret.txt',
    'app://pos/..%2fsecret.txt',
    'app://pos/..%5csecret.txt',
    'app://pos/assets/..%2f..%2fsecret.txt',
    'app://pos/%252e%252e%252fsecret.txt',
    'app://pos/index.html%00.js',
    'app://pos/%E0%A4%A',
    'app://pos/assets',
    'app://pos/missing.html',
  ])('answers 404, with the policy, for %s', async (url) => {
    const response = await app.standIn.request(url);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-security-policy')).toBe(APP_CONTENT_SECURITY_POLICY);
    expect(await response.text()).not.toContain('client_key');
  });

  it.each(['POST', 'PUT', 'DELETE'])('answers 404 to %s', async (method) => {
    const response = await app.standIn.request(CASHIER, { method, body: method === 'DELETE' ? undefined : 'x' });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-security-policy')).toBe(APP_CONTENT_SECURITY_POLICY);
  });

  it('answers 404 for any other host', async () => {
    const response = await app.standIn.request('app://evil/index.html');
    expect(response.status).toBe(404);
  });
});

describe('the windows', () => {
  it('opens a sandboxed cashier window and customer display, each with its own preload, shown when ready', async () => {
    const { standIn, folder } = await launch();
    const windows = standIn.windows();
    expect(windows.map((window) => window.webContents.mainFrame.url)).toEqual([CASHIER, DISPLAY]);
    for (const [window, role] of [
      [windows[0], 'cashier'],
      [windows[1], 'display'],
    ] as const) {
      expect(window?.options.webPreferences).toEqual({ preload: join(folder, 'preload', `${role}.cjs`), sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, webviewTag: false, devTools: false });
      expect(window?.options.show).toBe(false);
    }
    await vi.waitFor(() => expect(standIn.windows().every((window) => window.visible)).toBe(true));
  });
});

describe('commands over IPC', () => {
  let app: Launched;
  beforeAll(async () => {
    app = await launchShared();
  });
  afterAll(async () => {
    await app.quit();
  });

  it('registers every contract command, on the app-prefixed channel, and nothing else', () => {
    expect(app.standIn.ipcChannels().sort()).toEqual(COMMAND_NAMES.map(ipcChannel).sort());
  });

  it('serves the cashier window and the display window their own commands', async () => {
    const cashier = windowOf(app.standIn, CASHIER).webContents;
    const display = windowOf(app.standIn, DISPLAY).webContents;
    expect(await cashier.invoke(ipcChannel('readSettings'), {})).toMatchObject({ ok: true, value: { settings: { clientKeySet: true } } });
    expect(await display.invoke(ipcChannel('readDisplayState'), {})).toMatchObject({ ok: true, value: { display: { mode: 'idle' } } });
    expect(await display.invoke(ipcChannel('charge'), { amount: 100, wallet: 'fps' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('never lets the client key reach a window', async () => {
    const cashier = windowOf(app.standIn, CASHIER).webContents;
    const answer = JSON.stringify(await cashier.invoke(ipcChannel('readSettings'), {}));
    expect(answer).not.toContain(tillEnvironment(simulator, '').QFPOS_CLIENT_KEY as string);
  });

  it.each([
    ['a window the app did not create', (standIn: ElectronStandIn) => ({ contents: standIn.strayContents(), frame: undefined, url: CASHIER })],
    ['an iframe of the cashier window', (standIn: ElectronStandIn) => ({ contents: windowOf(standIn, CASHIER).webContents, frame: { url: CASHIER }, url: undefined })],
    ['another origin in the cashier window', (standIn: ElectronStandIn) => ({ contents: windowOf(standIn, CASHIER).webContents, frame: undefined, url: 'https://evil.example/' })],
    ['a file:// page in the cashier window', (standIn: ElectronStandIn) => ({ contents: windowOf(standIn, CASHIER).webContents, frame: undefined, url: 'file:///tmp/index.html' })],
    ['a frame that is gone', (standIn: ElectronStandIn) => ({ contents: windowOf(standIn, CASHIER).webContents, frame: null, url: undefined })],
  ])('refuses a call from %s, before any handler runs', async (_name, from) => {
    const { contents, frame, url } = from(app.standIn);
    const before = contents.mainFrame.url;
    if (url) contents.mainFrame.url = url;
    await simulator.control('DELETE', 'requests');
    try {
      const answer = await contents.invoke(ipcChannel('charge'), { amount: 100, wallet: 'fps' }, frame === undefined ? contents.mainFrame : frame);
      expect(answer).toMatchObject({ ok: false, error: { code: 'forbidden', message: { 'zh-HK': expect.any(String) } } });
      expect(simulator.requests()).toHaveLength(0);
    } finally {
      contents.mainFrame.url = before;
    }
  });
});

describe("the manager's access", () => {
  it('belongs to the window and page the PIN was typed in: the display window never has it, a reload ends it', async () => {
    const { standIn } = await launch();
    const cashier = windowOf(standIn, CASHIER).webContents;
    const display = windowOf(standIn, DISPLAY).webContents;
    const day = { day: '2026-01-05' };
    expect(await cashier.invoke(ipcChannel('managerSetPin'), { pin: '482193' })).toMatchObject({ ok: true });
    expect(await cashier.invoke(ipcChannel('managerDay'), day)).toMatchObject({ ok: false, error: { code: 'manager_locked' } });
    expect(await cashier.invoke(ipcChannel('managerUnlock'), { pin: '482193' })).toMatchObject({ ok: true });
    expect(await cashier.invoke(ipcChannel('managerDay'), day)).toMatchObject({ ok: true });
    // The other window: refused by its role, unlocked or not.
    expect(await display.invoke(ipcChannel('managerDay'), day)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // Closing the other window leaves the cashier's access where it is.
    windowOf(standIn, DISPLAY).close();
    expect(await cashier.invoke(ipcChannel('managerDay'), day)).toMatchObject({ ok: true });
    // The cashier's page reloaded (its PIN gate shows again): the new page starts locked.
    cashier.reload();
    expect(await cashier.invoke(ipcChannel('managerDay'), day)).toMatchObject({ ok: false, error: { code: 'manager_locked' } });
    expect(await cashier.invoke(ipcChannel('managerUnlock'), { pin: '482193' })).toMatchObject({ ok: true });
    expect(await cashier.invoke(ipcChannel('managerDay'), day)).toMatchObject({ ok: true });
    expect(await cashier.invoke(ipcChannel('managerLock'), {})).toMatchObject({ ok: true });
    expect(await cashier.invoke(ipcChannel('managerDay'), day)).toMatchObject({ ok: false, error: { code: 'manager_locked' } });
  });
});

describe('events', () => {
  it("reach only the roles that may hear them: the display hears its own state, and its sale's number only with its result", async () => {
    const { standIn } = await launch();
    const cashier = windowOf(standIn, CASHIER).webContents;
    const display = windowOf(standIn, DISPLAY).webContents;
    const charged = (await cashier.invoke(ipcChannel('charge'), { amount: 2500, wallet: 'fps' })) as { ok: true; value: { order: { outTradeNo: string } } };
    expect(charged.ok).toBe(true);
    await simulator.control('POST', `orders/${charged.value.order.outTradeNo}/pay`);
    await vi.waitFor(() => expect(cashier.sent.some((message) => message.channel === ipcChannel('orderUpdated') && (message.payload as { state: string }).state === 'paid')).toBe(true), { timeout: 10_000 });
    await vi.waitFor(() => expect(display.sent.some((message) => (message.payload as { result?: string }).result === 'paid')).toBe(true));
    expect(new Set(cashier.sent.map((message) => message.channel))).toEqual(new Set(['pos:orderUpdated', 'pos:displayChanged', 'pos:counterChanged']));
    expect(new Set(display.sent.map((message) => message.channel))).toEqual(new Set(['pos:displayChanged']));
    // The customer is shown the number to quote once the sale has its result; never before, never another's.
    const payloads = display.sent.map((message) => message.payload as { mode: string; outTradeNo?: string });
    expect(JSON.stringify(payloads.filter((payload) => payload.mode !== 'result'))).not.toContain(charged.value.order.outTradeNo);
    expect(payloads.filter((payload) => payload.mode === 'result').map((payload) => payload.outTradeNo)).toContain(charged.value.order.outTradeNo);
  });
});

describe("the manager's CSV export: a download in the desktop window", () => {
  let app: Launched;
  beforeAll(async () => {
    app = await launchShared();
  });
  afterAll(async () => {
    await app.quit();
  });

  const FILE = 'qfpay-2026-01-05-demo.csv';
  const BLOB = 'blob:app://pos/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
  const savedEvents = (contents: { sent: { channel: string; payload: unknown }[] }) => contents.sent.filter((message) => message.channel === ipcChannel('fileSaved')).map((message) => message.payload);
  const clear = () => {
    for (const window of app.standIn.windows()) window.webContents.sent.length = 0;
  };

  it('saved where the manager chose: the path goes to the cashier window, and to no other', async () => {
    clear();
    const cashier = windowOf(app.standIn, CASHIER).webContents;
    const display = windowOf(app.standIn, DISPLAY).webContents;
    const item = cashier.download(BLOB, FILE, { saveTo: '/home/manager/Documents/Exports/day.csv' });
    expect(item.dialogShown).toBe(true);
    await vi.waitFor(() => expect(savedEvents(cashier)).toEqual([{ fileName: FILE, outcome: 'saved', path: '/home/manager/Documents/Exports/day.csv' }]));
    expect(item.state).toBe('completed');
    expect(savedEvents(display)).toEqual([]);
    expect(display.sent).toEqual([]);
  });

  it('cancelled in the save dialog: the cashier window hears "cancelled", with no path', async () => {
    clear();
    const cashier = windowOf(app.standIn, CASHIER).webContents;
    const item = cashier.download(BLOB, FILE, 'cancel');
    await vi.waitFor(() => expect(savedEvents(cashier)).toEqual([{ fileName: FILE, outcome: 'cancelled' }]));
    expect(item.state).toBe('cancelled');
  });

  it('failed to write: the cashier window hears "failed"', async () => {
    clear();
    const cashier = windowOf(app.standIn, CASHIER).webContents;
    cashier.download(BLOB, FILE, { failAt: '/media/usb-gone/day.csv' });
    await vi.waitFor(() => expect(savedEvents(cashier)).toEqual([{ fileName: FILE, outcome: 'failed' }]));
  });

  it.each([
    ['another origin', 'https://evil.example/report.csv', 'cashier'],
    ["another origin's blob", 'blob:https://evil.example/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', 'cashier'],
    ['a host that only starts like the app\'s', 'blob:app://pos.evil/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', 'cashier'],
    ['a data: URL', 'data:text/csv,a,b', 'cashier'],
    ["the app's own blob, from the customer display", BLOB, 'display'],
  ] as const)('%s is cancelled before any save dialog, and nothing is sent', async (_name, url, from) => {
    clear();
    const contents = windowOf(app.standIn, from === 'cashier' ? CASHIER : DISPLAY).webContents;
    const item = contents.download(url, FILE, { saveTo: '/home/manager/Documents/day.csv' });
    expect(item.dialogShown).toBe(false);
    await vi.waitFor(() => expect(item.state).toBe('cancelled'));
    await new Promise((resolve) => setImmediate(resolve));
    for (const window of app.standIn.windows()) expect(savedEvents(window.webContents)).toEqual([]);
  });

  it('a download from a window the app did not create, or from another page in the cashier window, is cancelled', async () => {
    clear();
    const stray = app.standIn.strayContents();
    stray.mainFrame.url = CASHIER;
    expect(stray.download(BLOB, FILE, { saveTo: '/tmp/day.csv' }).dialogShown).toBe(false);
    const cashier = windowOf(app.standIn, CASHIER).webContents;
    cashier.mainFrame.url = 'https://evil.example/';
    try {
      expect(cashier.download(BLOB, FILE, { saveTo: '/tmp/day.csv' }).dialogShown).toBe(false);
    } finally {
      cashier.mainFrame.url = CASHIER;
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(savedEvents(cashier)).toEqual([]);
  });
});

describe('navigation, windows, webviews and permissions', () => {
  let app: Launched;
  beforeAll(async () => {
    app = await launchShared();
  });
  afterAll(async () => {
    await app.quit();
  });

  it.each([CASHIER, DISPLAY])('keeps %s on its page: no navigation, redirect, new window or webview', (url) => {
    const contents = windowOf(app.standIn, url).webContents;
    expect(contents.navigate('https://evil.example/')).toBe(false);
    expect(contents.navigate('app://pos/display.html')).toBe(false);
    expect(contents.redirect('https://evil.example/')).toBe(false);
    expect(contents.openWindow('https://evil.example/')).toBe('deny');
    expect(contents.attachWebview()).toBe(false);
    expect(contents.mainFrame.url).toBe(url);
  });

  it('guards web contents created later too (a devtools page, a stray window)', () => {
    const stray = app.standIn.strayContents();
    expect(stray.navigate('https://evil.example/')).toBe(false);
    expect(stray.openWindow('https://evil.example/')).toBe('deny');
  });

  it.each(['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal'])('refuses the permission %s', async (permission) => {
    expect(await app.standIn.requestPermission(permission)).toBe(false);
    expect(app.standIn.checkPermission()).toBe(false);
  });
});

describe('the application menu and DevTools', () => {
  const roles = (standIn: ElectronStandIn) => menuItems(standIn.applicationMenu()).flatMap((item) => (item.role ? [item.role] : []));

  it('starts from Electron\'s default menu, which offers DevTools (what the shell must replace)', () => {
    expect(roles(createElectronStandIn())).toContain('toggleDevTools');
  });

  it.each([
    ['a packaged till', { isPackaged: true }, {}],
    ['a packaged till, even with the development flag', { isPackaged: true }, { QFPOS_DEVTOOLS: '1' }],
    ['a source checkout without the flag', { isPackaged: false }, {}],
  ])('%s: a minimal menu with no DevTools anywhere, and DevTools opened some other way are shut', async (_case, standInOptions, env) => {
    const { standIn } = await launch(standInOptions, env);
    const menu = standIn.applicationMenu();
    expect(menu?.items.map((item) => item.label)).toEqual(['QFPay counter', 'Edit · 編輯', 'View · 檢視', 'Window · 視窗']);
    expect(roles(standIn)).toEqual(['quit', 'undo', 'redo', 'cut', 'copy', 'paste', 'selectAll', 'reload', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen', 'minimize', 'close']);
    expect(menuItems(menu).filter((item) => /dev ?tools/i.test(`${item.role ?? ''} ${item.label}`))).toEqual([]);
    for (const window of standIn.windows()) {
      expect(window.options.webPreferences).toMatchObject({ devTools: false });
      window.webContents.openDevTools();
      expect(window.webContents.isDevToolsOpened()).toBe(false);
    }
    // Web contents whose DevTools are not switched off (a print window, a stray page): opened, then shut at once.
    const stray = standIn.strayContents();
    stray.openDevTools();
    expect(stray.isDevToolsOpened()).toBe(false);
  });

  it('with QFPOS_DEVTOOLS=1 in a source checkout: the menu offers DevTools, and they stay open', async () => {
    const { standIn } = await launch({ isPackaged: false }, { QFPOS_DEVTOOLS: '1' });
    expect(roles(standIn)).toContain('toggleDevTools');
    const cashier = windowOf(standIn, CASHIER);
    expect(cashier.options.webPreferences).toMatchObject({ devTools: true });
    cashier.webContents.openDevTools();
    expect(cashier.webContents.isDevToolsOpened()).toBe(true);
  });
});

describe('the customer display window', () => {
  const screen = (id: number, x: number) => ({ id, bounds: { x, y: 0, width: 1024, height: 768 } });
  const primary = { id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 } };

  it('is a normal window with one display', async () => {
    const { standIn } = await launch({ displays: [primary] });
    const display = windowOf(standIn, DISPLAY);
    expect(display.isFullScreen()).toBe(false);
    expect(windowOf(standIn, CASHIER).isFullScreen()).toBe(false);
  });

  it('keeps the ledger in the user data folder when QFPOS_DB does not name one', async () => {
    const { started, folder } = await launch({}, { QFPOS_DB: undefined });
    expect(started).toBe('running');
    expect(existsSync(join(folder, 'till.sqlite'))).toBe(true);
  });

  it('once closed, is left closed when displays change', async () => {
    const { standIn } = await launch({ displays: [primary] });
    windowOf(standIn, DISPLAY).close();
    standIn.addDisplay(screen(2, 1920));
    expect(standIn.windows()).toHaveLength(1);
    expect(standIn.electron.app.exited).toBe(false);
  });

  it('goes full screen on the second display, and follows displays added, moved and removed', async () => {
    const { standIn } = await launch({ displays: [primary, screen(2, 1920)] });
    const display = windowOf(standIn, DISPLAY);
    expect(display.isFullScreen()).toBe(true);
    expect(display.bounds).toEqual(screen(2, 1920).bounds);

    // A third display does not pull it away from the customer's.
    standIn.addDisplay(screen(3, 2944));
    expect(display.bounds).toEqual(screen(2, 1920).bounds);
    expect(display.isFullScreen()).toBe(true);

    // Its display moved in the arrangement: it follows.
    standIn.moveDisplay(2, { x: -1024, y: 0, width: 1280, height: 1024 });
    expect(display.bounds).toEqual({ x: -1024, y: 0, width: 1280, height: 1024 });

    // Its display unplugged: onto the other external one.
    standIn.removeDisplay(2);
    expect(display.bounds).toEqual(screen(3, 2944).bounds);
    expect(display.isFullScreen()).toBe(true);

    // The last external one gone: a normal window on the cashier's screen.
    standIn.removeDisplay(3);
    expect(display.isFullScreen()).toBe(false);
    expect(display.centered).toBeGreaterThan(0);
    expect(display.bounds).toMatchObject({ width: 900, height: 760 });

    standIn.addDisplay(screen(4, 1920));
    expect(display.isFullScreen()).toBe(true);
    expect(display.bounds).toEqual(screen(4, 1920).bounds);
  });
});

describe('a configuration or ledger that cannot be used', () => {
  it('shows a damaged settings file in an error box and quits, opening nothing', async () => {
    const { standIn, started } = await launch({}, { QFPOS_GATEWAY: '', QFPOS_APP_CODE: '', QFPOS_CLIENT_KEY: '' }, (folder) => writeFileSync(join(folder, 'settings.json'), '{ not json'));
    expect(started).toBe('cannot-start');
    expect(standIn.errorBoxes).toHaveLength(1);
    expect(standIn.errorBoxes[0]?.content).toMatch(/settings\.json/);
    expect(standIn.log).toContain('app.quit');
    expect(standIn.windows()).toEqual([]);
    expect(standIn.ipcChannels()).toEqual([]);
  });

  it('shows a ledger that is not a ledger in an error box and quits', async () => {
    const { standIn, started } = await launch({}, {}, (folder) => writeFileSync(join(folder, 'till.sqlite'), 'not a database, but 4 kB of something else'.repeat(100)));
    expect(started).toBe('cannot-start');
    expect(standIn.errorBoxes[0]?.content).toMatch(/till\.sqlite/);
    expect(standIn.windows()).toEqual([]);
  });

  it('shows a ledger folder that cannot be made in an error box and quits', async () => {
    const { standIn, started } = await launch(
      {},
      (folder) => ({ QFPOS_DB: join(folder, 'a-file', 'till.sqlite') }),
      (folder) => writeFileSync(join(folder, 'a-file'), ''),
    );
    expect(started).toBe('cannot-start');
    expect(standIn.errorBoxes[0]?.content).toMatch(/a-file/);
    // A second launch attempt meanwhile has no window to bring forward, and does no harm.
    standIn.electron.app.emit('second-instance');
    expect(standIn.windows()).toEqual([]);
  });

  it('shows a gateway setting that is not usable in an error box and quits', async () => {
    const { standIn, started } = await launch({}, { QFPOS_GATEWAY: 'ftp://example.com' });
    expect(started).toBe('cannot-start');
    expect(standIn.errorBoxes[0]?.content).toMatch(/QFPOS_GATEWAY/);
    expect(standIn.errorBoxes[0]?.content).not.toContain(tillEnvironment(simulator, '').QFPOS_CLIENT_KEY as string);
  });
});

describe("better-sqlite3's build for Electron", () => {
  const nodeBuild = require.resolve('better-sqlite3/build/Release/better_sqlite3.node');

  it('is loaded through nativeBinding when `npm start` names one', async () => {
    const temp = tempFolder('qfpos-binding-');
    try {
      const copy = join(temp.path, 'better_sqlite3.node');
      copyFileSync(nodeBuild, copy);
      const { started } = await launch({}, { QFPOS_ELECTRON_SQLITE: copy });
      expect(started).toBe('running');
      expect(require.cache[copy]).toBeDefined();
    } finally {
      for (const launched of running.splice(0)) await launched.quit();
      temp.remove();
    }
  });

  it('is refused in words when the named file is missing', async () => {
    const { standIn, started } = await launch({}, { QFPOS_ELECTRON_SQLITE: '/nonexistent/better_sqlite3.node' });
    expect(started).toBe('cannot-start');
    expect(standIn.errorBoxes[0]?.content).toBe('better-sqlite3 for Electron is missing at /nonexistent/better_sqlite3.node. Start the app with `npm start`, which obtains it.');
  });

  it('is refused in words when the named file cannot load, not taken for a damaged ledger', async () => {
    const temp = tempFolder('qfpos-binding-');
    try {
      const broken = join(temp.path, 'better_sqlite3.node');
      writeFileSync(broken, 'not a shared object');
      const { standIn, started } = await launch({}, { QFPOS_ELECTRON_SQLITE: broken });
      expect(started).toBe('cannot-start');
      expect(standIn.errorBoxes[0]?.content).toMatch(/^better-sqlite3 cannot be loaded in this process \(.+\)\. Start the desktop app with `npm start`/);
      expect(standIn.errorBoxes[0]?.content).not.toMatch(/backup/i);
    } finally {
      temp.remove();
    }
  });

  it('is ignored by a packaged app, whose own copy was rebuilt at packing', async () => {
    const { started, standIn } = await launch({ isPackaged: true }, { QFPOS_ELECTRON_SQLITE: '/nonexistent/better_sqlite3.node' });
    expect(started).toBe('running');
    expect(standIn.errorBoxes).toEqual([]);
  });
});

describe('the client key store', () => {
  it.each([
    ['available', 'client-key.enc', 'os-encrypted'],
    ['basic_text', 'client-key', 'user-only-file'],
    ['unavailable', 'client-key', 'user-only-file'],
  ] as const)('with encryption %s, keeps the key in %s', async (encryption, file, protection) => {
    const { osSecretStore } = await import('../../electron/main/safeStorageSecret');
    const standIn = createElectronStandIn({ encryption });
    const temp = tempFolder('qfpos-key-');
    try {
      const store = osSecretStore(standIn.electron.safeStorage, 'linux')(temp.path);
      expect(store.protection).toBe(protection);
      store.write('key-that-must-not-be-plain');
      expect(store.read()).toBe('key-that-must-not-be-plain');
      const stored = readFileSync(join(temp.path, file));
      if (protection === 'os-encrypted') expect(stored.toString('utf8')).not.toContain('key-that-must-not-be-plain');
      store.clear();
      expect(store.read()).toBeUndefined();
    } finally {
      temp.remove();
    }
  });
});

describe('quitting', () => {
  it('stops the till and closes the ledger cleanly before the app exits', async () => {
    const { standIn, folder } = await launch();
    const cashier = windowOf(standIn, CASHIER).webContents;
    expect(await cashier.invoke(ipcChannel('charge'), { amount: 100, wallet: 'alipay' })).toMatchObject({ ok: true });
    expect(existsSync(join(folder, 'till.sqlite-wal'))).toBe(true);
    standIn.electron.app.quit();
    expect(standIn.electron.app.exited).toBe(false); // waits for the till to close
    await vi.waitFor(() => expect(standIn.electron.app.exited).toBe(true), { timeout: 10_000 });
    // The last connection closed with a checkpoint: SQLite removes the write-ahead log.
    expect(existsSync(join(folder, 'till.sqlite-wal'))).toBe(false);
    expect(standIn.windows()).toEqual([]);
  });

  it('follows the cashier window being closed', async () => {
    const { standIn, folder } = await launch();
    windowOf(standIn, CASHIER).close();
    await vi.waitFor(() => expect(standIn.electron.app.exited).toBe(true), { timeout: 10_000 });
    expect(existsSync(join(folder, 'till.sqlite-wal'))).toBe(false);
  });
});

describe('unsaved Settings edits in the cashier window', () => {
  const ENGLISH = { type: 'question', buttons: ['Discard them', 'Keep editing'], defaultId: 1, cancelId: 1, title: 'Unsaved settings', message: 'You have unsaved changes to Settings.', detail: 'Closing or reloading the window drops them.' };
  /** The page's beforeunload refuses, as SettingsForm's does while it holds edits. */
  function withEdits(standIn: ElectronStandIn) {
    const cashier = windowOf(standIn, CASHIER);
    cashier.webContents.refusesUnload = true;
    return cashier;
  }

  it('are asked about in the cashier window only; Keep editing leaves the unload refused, Discard lets it go', async () => {
    const { standIn } = await launch();
    const cashier = windowOf(standIn, CASHIER);
    expect(cashier.webContents.listenerCount('will-prevent-unload')).toBe(1);
    expect(windowOf(standIn, DISPLAY).webContents.listenerCount('will-prevent-unload')).toBe(0);
    for (const [answer, discarded] of [
      [1, false],
      [0, true],
    ] as const) {
      standIn.messageBoxAnswers.push(answer);
      const event = { preventDefault: vi.fn() };
      cashier.webContents.emit('will-prevent-unload', event);
      expect(event.preventDefault).toHaveBeenCalledTimes(discarded ? 1 : 0);
    }
    // Asked modal to the cashier window, Keep editing the default and what dismissing the box means.
    expect(standIn.messageBoxes).toEqual([
      { window: cashier, options: ENGLISH },
      { window: cashier, options: ENGLISH },
    ]);
  });

  it('keep the window open when the manager keeps editing or dismisses the question, and close it on Discard', async () => {
    const { standIn } = await launch();
    const cashier = withEdits(standIn);
    standIn.messageBoxAnswers.push(1);
    cashier.close();
    cashier.close(); // dismissed: no answer left, the box's cancelId
    expect(standIn.messageBoxes).toHaveLength(2);
    expect(cashier.destroyed).toBe(false);
    expect(standIn.electron.app.exited).toBe(false);
    standIn.messageBoxAnswers.push(0);
    cashier.close();
    expect(cashier.destroyed).toBe(true);
    await vi.waitFor(() => expect(standIn.electron.app.exited).toBe(true), { timeout: 10_000 });
  });

  it('are asked about before quitting stops anything: kept, the till runs on; discarded, it closes cleanly', async () => {
    const { standIn, folder } = await launch();
    const cashier = withEdits(standIn);
    expect(await cashier.webContents.invoke(ipcChannel('charge'), { amount: 100, wallet: 'alipay' })).toMatchObject({ ok: true });
    standIn.messageBoxAnswers.push(1);
    standIn.electron.app.quit();
    expect(standIn.messageBoxes).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(standIn.electron.app.exited).toBe(false);
    expect(standIn.windows()).toHaveLength(2);
    // The ledger is still open and the commands still answer.
    expect(await cashier.webContents.invoke(ipcChannel('todayOrders'), {})).toMatchObject({ ok: true });
    standIn.messageBoxAnswers.push(0);
    standIn.electron.app.quit();
    await vi.waitFor(() => expect(standIn.electron.app.exited).toBe(true), { timeout: 10_000 });
    expect(existsSync(join(folder, 'till.sqlite-wal'))).toBe(false);
    expect(standIn.messageBoxes).toHaveLength(2);
  });

  it('are asked about before a reload too, which waits for the answer', async () => {
    const { standIn } = await launch();
    const cashier = withEdits(standIn);
    const navigated = vi.fn();
    cashier.webContents.on('did-navigate', navigated);
    standIn.messageBoxAnswers.push(1, 0);
    cashier.webContents.reload();
    expect(navigated).not.toHaveBeenCalled();
    cashier.webContents.reload();
    expect(navigated).toHaveBeenCalledTimes(1);
    cashier.webContents.refusesUnload = false;
  });

  it('are asked about in the till\'s language, Chinese once the till speaks it', async () => {
    const { standIn } = await launch();
    const cashier = withEdits(standIn);
    expect(await cashier.webContents.invoke(ipcChannel('setLanguage'), { language: 'zh-HK' })).toMatchObject({ ok: true });
    standIn.messageBoxAnswers.push(1);
    cashier.close();
    expect(standIn.messageBoxes[0]?.options).toEqual({ ...ENGLISH, buttons: ['捨棄更改', '繼續編輯'], title: '未儲存的設定', message: '「設定」有未儲存的更改。', detail: '關閉或重新載入視窗會捨棄這些更改。' });
    cashier.webContents.refusesUnload = false;
  });
});

describe("the computer's printers", () => {
  /** The slip the system printer got: the SVG inside the page the hidden window loaded, as text. */
  function slipText(url: string): string {
    const page = decodeURIComponent(url.replace(/^data:text\/html;charset=utf-8,/, ''));
    const svg = decodeURIComponent(/src="data:image\/svg\+xml;charset=utf-8,([^"]+)"/.exec(page)?.[1] ?? '');
    return svg.replace(/<[^>]+>/g, '').replace(/&#xa0;/g, ' ');
  }

  it('print a paid sale\'s slip silently on the named printer, on the paper\'s width, from a window with no script', async () => {
    const { standIn } = await launch({}, { QFPOS_PRINTER: 'system:Counter Printer' });
    const cashier = windowOf(standIn, CASHIER).webContents;
    const charged = (await cashier.invoke(ipcChannel('charge'), { amount: 4_200, wallet: 'fps' })) as { ok: true; value: { order: { outTradeNo: string } } };
    await simulator.control('POST', `orders/${charged.value.order.outTradeNo}/pay`);
    await vi.waitFor(() => expect(standIn.printJobs()).toHaveLength(1), { timeout: 10_000 });
    const [job] = standIn.printJobs();
    expect(job?.options).toMatchObject({ silent: true, deviceName: 'Counter Printer', margins: { marginType: 'none' }, pageSize: { width: 80_000 } });
    expect(job?.options.pageSize.height).toBeGreaterThan(80_000);
    expect(slipText(job?.url ?? '')).toContain(charged.value.order.outTradeNo);
    // The print window is gone, and it never had a preload or script.
    expect(standIn.windows().every((window) => 'preload' in window.options.webPreferences)).toBe(true);
    const preview = (await cashier.invoke(ipcChannel('slipPreview'), { kind: 'payment', ref: charged.value.order.outTradeNo })) as { value: { slip: { state: string } } };
    expect(preview.value.slip.state).toBe('printed');
  });

  it('leave the slip "not printed", in words, when the system has no such printer; the sale is paid all the same', async () => {
    const { standIn } = await launch({}, { QFPOS_PRINTER: 'system:Back Office' });
    const cashier = windowOf(standIn, CASHIER).webContents;
    const charged = (await cashier.invoke(ipcChannel('charge'), { amount: 1_000, wallet: 'fps' })) as { ok: true; value: { order: { outTradeNo: string } } };
    const number = charged.value.order.outTradeNo;
    await simulator.control('POST', `orders/${number}/pay`);
    await vi.waitFor(
      async () => {
        const preview = (await cashier.invoke(ipcChannel('slipPreview'), { kind: 'payment', ref: number })) as { value: { slip: { state: string; lastError: string } | null } };
        expect(preview.value.slip).toMatchObject({ state: 'not_printed', lastError: 'the printer "Back Office" did not print the slip (Invalid deviceName provided)' });
      },
      { timeout: 10_000 },
    );
    expect(standIn.printJobs()).toEqual([]);
    const status = (await cashier.invoke(ipcChannel('orderStatus'), { outTradeNo: number })) as { value: { order: { state: string } } };
    expect(status.value.order.state).toBe('paid');
  });
});

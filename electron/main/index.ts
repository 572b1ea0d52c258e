import { readFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, protocol, screen, session, type WebContents } from 'electron';
import { COMMAND_NAMES, EVENT_ROLES, ipcChannel, type EventName, type Role } from '../../shared/ipc/contract';
import { APP_CONTENT_SECURITY_POLICY } from '../services/app/contentSecurityPolicy';
import { createPosService } from '../services/app/posService';
import { appConfiguration } from '../services/appConfiguration';
import { createDispatcher } from '../services/ipc/dispatch';
import { APP_ORIGIN, senderAllowed } from '../services/ipc/senderCheck';
import { LedgerUnusable } from '../services/ledger/database';
import { openTillRuntime, type TillRuntime } from '../services/runtime';
import { osSecretStore } from './safeStorageSecret';

/**
 * The Electron shell: a cashier window and a customer-display window, served from the app's own
 * app:// protocol, each with its own sandboxed preload. Everything behind the windows is the same
 * main-process services that web mode and the CLI use, and that the tests exercise under Node.
 */

if (!app.requestSingleInstanceLock()) {
  // A second till process on the same ledger would poll and charge alongside the first.
  app.quit();
}

const rendererDir = fileURLToPath(new URL('../renderer/', import.meta.url));
const preload = (name: 'cashier' | 'display') => fileURLToPath(new URL(`../preload/${name}.cjs`, import.meta.url));
const MIME: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2' };

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

const roles = new Map<number, Role>();
const windows: Partial<Record<Role, BrowserWindow>> = {};

function serveApp(): void {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    if (request.method !== 'GET' || url.host !== 'pos') return new Response('not found', { status: 404 });
    const root = resolve(rendererDir);
    const file = resolve(root, `.${decodeURIComponent(url.pathname)}`);
    if (!file.startsWith(root + sep)) return new Response('not found', { status: 404 });
    try {
      const body = await readFile(file);
      const type = MIME[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream';
      return new Response(body, { headers: { 'Content-Type': type, 'Content-Security-Policy': APP_CONTENT_SECURITY_POLICY } });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}

function createWindow(role: Role): BrowserWindow {
  const window = new BrowserWindow({
    width: role === 'cashier' ? 1180 : 900,
    height: role === 'cashier' ? 820 : 760,
    show: false,
    title: role === 'cashier' ? 'QFPay counter · 收銀台' : 'Customer display · 顧客顯示屏',
    webPreferences: { preload: preload(role), sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, webviewTag: false },
  });
  roles.set(window.webContents.id, role);
  windows[role] = window;
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    roles.delete(window.webContents.id);
    delete windows[role];
  });
  void window.loadURL(`${APP_ORIGIN}/${role === 'cashier' ? 'index' : 'display'}.html`);
  return window;
}

/** Full screen on a second display when there is one; otherwise a normal window the cashier can move. */
function placeDisplayWindow(): void {
  const window = windows.display;
  if (!window) return;
  const primary = screen.getPrimaryDisplay();
  const external = screen.getAllDisplays().find((candidate) => candidate.id !== primary.id);
  if (external) {
    window.setBounds(external.bounds);
    window.setFullScreen(true);
  } else if (window.isFullScreen()) {
    window.setFullScreen(false);
    window.center();
  }
}

function roleOf(contents: WebContents): Role | undefined {
  return roles.get(contents.id);
}

app.on('web-contents-created', (_event, contents) => {
  // The app's pages never open windows, navigate away, redirect or embed other pages.
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

app.on('second-instance', () => {
  const window = windows.cashier;
  if (window) {
    if (window.isMinimized()) window.restore();
    window.focus();
  }
});

void app.whenReady().then(async () => {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  serveApp();

  const { ok, settings, config } = appConfiguration(process.env, {
    dbPath: process.env.QFPOS_DB ?? join(app.getPath('userData'), 'till.sqlite'),
    secretStore: osSecretStore,
  });
  const cannotStart = (message: string) => {
    // Without a usable configuration or ledger there is no till to show: say why, in words, and stop.
    dialog.showErrorBox('QFPay counter cannot start', message);
    app.quit();
  };
  if (!ok) return cannotStart(config.error.message);
  let runtime: TillRuntime;
  try {
    runtime = await openTillRuntime(config.value, { settings });
  } catch (error) {
    if (error instanceof LedgerUnusable) return cannotStart(error.message);
    throw error;
  }
  const pos = createPosService(runtime, settings);
  const dispatch = createDispatcher(pos.handlers, { managerUnlocked: pos.managerUnlocked });

  for (const name of COMMAND_NAMES) {
    ipcMain.handle(ipcChannel(name), (event, payload: unknown) => {
      const role = roleOf(event.sender);
      const frame = event.senderFrame;
      if (!senderAllowed({ frameUrl: frame?.url, isMainFrame: frame !== null && frame === event.sender.mainFrame, role })) {
        return { ok: false, error: { code: 'forbidden', message: { en: 'Not allowed.', 'zh-HK': '不允許。' } } };
      }
      return dispatch(role as Role, name, payload);
    });
  }
  for (const event of Object.keys(EVENT_ROLES) as EventName[]) {
    pos.events.on(event, (payload: unknown) => {
      for (const role of EVENT_ROLES[event]) windows[role]?.webContents.send(ipcChannel(event), payload);
    });
  }

  createWindow('cashier');
  createWindow('display');
  placeDisplayWindow();
  for (const change of ['display-added', 'display-removed', 'display-metrics-changed'] as const) screen.on(change as 'display-added', placeDisplayWindow);
  pos.start();

  app.on('before-quit', () => {
    pos.close();
    void runtime.close();
  });
});

app.on('window-all-closed', () => app.quit());

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { COMMAND_NAMES, EVENT_ROLES, ipcChannel, SERVICE_EVENT_NAMES, type FileSaved, type Language, type Role } from '../../shared/ipc/contract';
import { commandError } from '../../shared/i18n/commandErrors';
import { words } from '../../shared/i18n/words';
import { openTill } from '../services/composition/openTill';
import { readStaticFile, STATIC_NOT_FOUND } from '../services/http/staticFiles';
import { APP_ORIGIN, senderAllowed } from '../services/ipc/senderCheck';
import { useSqliteBinding } from '../services/sqlite/openSqlite';
import { applicationMenu } from './applicationMenu';
import { placeCustomerDisplay } from './displayPlacement';
import type { ShellDownloadItem, ShellElectron, ShellWebContents, ShellWindow } from './electronApis';
import { osSecretStore } from './safeStorageSecret';
import { systemPrinter } from './systemPrinter';

/**
 * The Electron shell: a cashier window and a customer-display window, served from the app's own
 * app:// protocol, each with its own sandboxed preload, in front of the same main-process services
 * that web mode and the CLI use. It is a function of the Electron APIs it touches, so the tests
 * run every branch of it under Node against a stand-in (test/shell/).
 */
export interface ShellOptions {
  /** The built renderer (out/renderer) and preloads (out/preload). */
  readonly rendererDir: string;
  readonly preloadDir: string;
  readonly env: NodeJS.ProcessEnv;
}

/** How the start ended: the tests wait on it; Electron itself does not need it. */
export type ShellStart = 'running' | 'second-instance' | 'cannot-start';

const WINDOWS: Record<Role, { page: string; width: number; height: number; title: string }> = {
  cashier: { page: 'index.html', width: 1180, height: 820, title: 'QFPay counter · 收銀台' },
  display: { page: 'display.html', width: 900, height: 760, title: 'Customer display · 顧客顯示屏' },
};

export function startShell<Window extends ShellWindow>(electron: ShellElectron<Window>, options: ShellOptions): Promise<ShellStart> {
  const { app, BrowserWindow, protocol, ipcMain, screen, session, dialog } = electron;

  // Electron's documented pattern: the second process quits before it opens anything, or it
  // would open the same ledger and poll and charge alongside the first.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return Promise.resolve('second-instance');
  }

  // Must precede `ready`: a standard, secure scheme gets an origin, so the CSP's 'self' means app://pos.
  protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

  // DevTools only for a developer who asks for them, never in a packaged till: QFPOS_DEVTOOLS=1
  // is read only outside a packaged app, as QFPOS_ELECTRON_SQLITE is.
  const devTools = !app.isPackaged && options.env.QFPOS_DEVTOOLS === '1';

  const roles = new Map<number, Role>();
  /** How many pages each window has shown: a screen is one window's one page. */
  const pages = new Map<number, number>();
  const screenOf = (id: number) => `window:${id}:${pages.get(id) ?? 0}`;
  const windows: Partial<Record<Role, Window>> = {};
  let displayOn: number | undefined;

  app.on('web-contents-created', (_event, contents) => {
    // The app's pages never open windows, navigate away, redirect or embed other pages.
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    // Windows are made with DevTools off; should anything open them all the same, they are shut.
    if (!devTools) contents.on('devtools-opened', () => contents.closeDevTools());
  });

  app.on('second-instance', () => {
    const window = windows.cashier;
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  // A till without its cashier window cannot be used, so closing it (or both) ends the app.
  app.on('window-all-closed', () => app.quit());

  function cannotStart(message: string): ShellStart {
    // Without a usable configuration or ledger there is no till to show: say why, in words, and stop.
    dialog.showErrorBox('QFPay counter cannot start', message);
    app.quit();
    return 'cannot-start';
  }

  function serveApp(): void {
    protocol.handle('app', async (request) => {
      const url = new URL(request.url);
      const answer = request.method === 'GET' && url.host === 'pos' ? await readStaticFile(options.rendererDir, url.pathname) : STATIC_NOT_FOUND;
      return new Response(answer.body, { status: answer.status, headers: answer.headers });
    });
  }

  function createWindow(role: Role, onScreenGone: (session: string) => void): Window {
    const { page, width, height, title } = WINDOWS[role];
    const window = new BrowserWindow({
      width,
      height,
      show: false,
      title,
      backgroundColor: '#ffffff',
      webPreferences: { preload: join(options.preloadDir, `${role}.cjs`), sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, webviewTag: false, devTools },
    });
    const id = window.webContents.id;
    roles.set(id, role);
    windows[role] = window;
    // The manager's access belongs to the page the PIN was typed on: a reload shows the PIN gate
    // again, so the page after it starts locked, and a closed window takes its access with it.
    window.webContents.on('did-navigate', () => {
      onScreenGone(screenOf(id));
      pages.set(id, (pages.get(id) ?? 0) + 1);
    });
    window.once('ready-to-show', () => window.show());
    window.on('closed', () => {
      onScreenGone(screenOf(id));
      roles.delete(id);
      pages.delete(id);
      delete windows[role];
      if (role === 'cashier') app.quit();
    });
    void window.loadURL(`${APP_ORIGIN}/${page}`);
    return window;
  }

  /**
   * The manager's Settings form refuses the page's unload while it holds unsaved edits (its
   * beforeunload handler). Electron asks nobody and keeps the window as it is, so the question is
   * asked here, in the till's language: Discard lets the close or reload go ahead, Keep editing
   * (the default, and what Escape or dismissing the box means) leaves the window and the edits.
   */
  function askBeforeDroppingEdits(window: Window, language: () => Language): void {
    window.webContents.on('will-prevent-unload', (event) => {
      const t = words(language());
      const choice = dialog.showMessageBoxSync(window, {
        type: 'question',
        buttons: [t('settings.discardEdits'), t('settings.keepEditing')],
        defaultId: 1,
        cancelId: 1,
        title: t('settings.unsavedTitle'),
        message: t('settings.unsaved'),
        detail: t('settings.unsavedDetail'),
      });
      if (choice === 0) event.preventDefault();
    });
  }

  /**
   * The manager's CSV export is a link to a blob: URL of the cashier page; Electron asks where to
   * save it in the system's save dialog. That download, and no other, goes ahead: one from another
   * window, another page or any other URL is cancelled before a dialog opens. When it is done the
   * window that asked hears where the file went (the path the manager chose: theirs to see), or that
   * it was cancelled or failed, by the name the page gave it. Only that window: the display never
   * hears of it, and a window that has gone hears nothing.
   */
  function handleDownload(item: ShellDownloadItem, contents: ShellWebContents | undefined): void {
    const role = contents ? roles.get(contents.id) : undefined;
    const fromAppPage = contents !== undefined && senderAllowed({ frameUrl: contents.mainFrame.url, isMainFrame: true, role });
    if (!contents || !role || !EVENT_ROLES.fileSaved.includes(role) || !fromAppPage || !item.getURL().startsWith(`blob:${APP_ORIGIN}/`)) return item.cancel();
    const fileName = item.getFilename();
    item.once('done', (_event, state) => {
      const saved: FileSaved = state === 'completed' ? { fileName, outcome: 'saved', path: item.getSavePath() } : { fileName, outcome: state === 'cancelled' ? 'cancelled' : 'failed' };
      const window = windows[role];
      if (window?.webContents.id === contents.id) window.webContents.send(ipcChannel('fileSaved'), saved);
    });
  }

  /** Full screen on a second display when there is one; otherwise a normal window the cashier can move. */
  function placeDisplayWindow(): void {
    const window = windows.display;
    if (!window) return;
    const placement = placeCustomerDisplay(screen.getAllDisplays(), screen.getPrimaryDisplay().id, displayOn);
    // Some platforms cannot move a full-screen window: leave full screen, move, enter it again.
    if (window.isFullScreen()) window.setFullScreen(false);
    if ('windowed' in placement) {
      displayOn = undefined;
      window.setBounds({ width: WINDOWS.display.width, height: WINDOWS.display.height });
      window.center();
      return;
    }
    window.setBounds(placement.fullScreenOn);
    window.setFullScreen(true);
    displayOn = placement.displayId;
  }

  async function whenReady(): Promise<ShellStart> {
    await app.whenReady();
    // Before any window, replacing Electron's default menu (and its "Toggle Developer Tools").
    electron.Menu.setApplicationMenu(electron.Menu.buildFromTemplate(applicationMenu({ devTools })));
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
    session.defaultSession.on('will-download', (_event, item, contents) => handleDownload(item, contents));
    serveApp();

    // Started from a source checkout, `npm start` names better-sqlite3's build for Electron's ABI.
    // A packaged app ignores the variable: its own copy was rebuilt at packing, and a variable
    // that loads a native file would give back what the fuses take away.
    const binding = app.isPackaged ? undefined : options.env.QFPOS_ELECTRON_SQLITE;
    if (binding) {
      if (!existsSync(binding)) return cannotStart(`better-sqlite3 for Electron is missing at ${binding}. Start the app with \`npm start\`, which obtains it.`);
      useSqliteBinding(binding);
    }

    let till: Awaited<ReturnType<typeof openTill>>;
    try {
      till = await openTill(options.env, {
        dbPath: options.env.QFPOS_DB ?? join(app.getPath('userData'), 'till.sqlite'),
        secretStore: osSecretStore(electron.safeStorage),
        systemPrint: systemPrinter(electron),
      });
    } catch (error) {
      return cannotStart(error instanceof Error ? error.message : String(error));
    }
    if (!till.ok) return cannotStart(till.message);
    const { pos, dispatch } = till;

    for (const name of COMMAND_NAMES) {
      ipcMain.handle(ipcChannel(name), (event, payload) => {
        const role = roles.get(event.sender.id);
        const frame = event.senderFrame;
        if (!senderAllowed({ frameUrl: frame?.url, isMainFrame: frame !== null && frame === event.sender.mainFrame, role })) return { ok: false, error: commandError('forbidden') };
        return dispatch({ role: role as Role, session: screenOf(event.sender.id) }, name, payload);
      });
    }
    for (const event of SERVICE_EVENT_NAMES) {
      pos.events.on(event, (payload: unknown) => {
        for (const role of EVENT_ROLES[event]) windows[role]?.webContents.send(ipcChannel(event), payload);
      });
    }

    // Quitting waits for the till to stop its polling and close the ledger (a clean WAL checkpoint).
    let closed = false;
    let closing: Promise<void> | undefined;
    app.on('before-quit', (event) => {
      if (closed) return;
      event.preventDefault();
      // The cashier window closes first, while the till still runs: its page may hold unsaved
      // Settings edits and ask to keep them. Kept, the quit ends here; closed, the window's own
      // `closed` quits again, and the till is stopped with no window left to ask.
      const cashier = windows.cashier;
      if (cashier) return cashier.close();
      closing ??= till
        .close()
        .catch((error: unknown) => console.error(`closing the till failed: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => {
          closed = true;
          app.quit();
        });
    });

    askBeforeDroppingEdits(createWindow('cashier', pos.endScreen), () => pos.settings().language);
    createWindow('display', pos.endScreen);
    placeDisplayWindow();
    for (const change of ['display-added', 'display-removed', 'display-metrics-changed'] as const) screen.on(change, placeDisplayWindow);
    pos.start();
    return 'running';
  }

  return whenReady();
}

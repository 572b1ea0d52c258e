import { EventEmitter } from 'node:events';
import type { PreventableEvent, Rectangle, ShellDisplay, ShellDownloadItem, ShellElectron, ShellFrame, ShellIpcEvent, ShellMenuItem, ShellMenuRole, ShellMessageBoxOptions, ShellPrintOptions, ShellPrintWindowOptions, ShellWindowOptions } from '../../electron/main/electronApis';

/**
 * A stand-in for the parts of Electron the shell uses (electron/main/electronApis.ts), with
 * Electron's documented semantics where the shell depends on them, so that the shell's wiring runs
 * under Node:
 * - `protocol.registerSchemesAsPrivileged` only before `ready`, once; `protocol.handle` and
 *   `new BrowserWindow` only after it; a second `protocol.handle` or `ipcMain.handle` for the same
 *   name throws.
 * - `app.quit()` emits a preventable `before-quit`, then closes the windows without emitting
 *   `window-all-closed`, then `will-quit` and `quit`. Closing the last window otherwise emits
 *   `window-all-closed`.
 * - Every new web contents is announced by `web-contents-created`; IPC payloads and results are
 *   structured-cloned; navigation, redirects and webviews go ahead unless an event is prevented.
 * - `safeStorage.encryptString` throws when encryption is unavailable.
 * - Until the app sets one, the application menu is Electron's default (lib/browser/default-menu.ts,
 *   as on Linux and Windows): File, Edit, View (with Toggle Developer Tools), Window. A menu role
 *   given without a submenu gets that role's default items; an item with no label, role or type
 *   is refused as Electron refuses it.
 * - `webContents.openDevTools()` does nothing in a window made with `webPreferences.devTools`
 *   false; otherwise it opens them and emits `devtools-opened`.
 * - A page whose beforeunload handler refuses (`refusesUnload`) makes closing its window (by the
 *   user or by `app.quit()`) and reloading it emit a preventable `will-prevent-unload`: unless a
 *   listener calls `preventDefault()`, the window stays as it is, and a quit that was closing it
 *   ends there. `destroy()` runs no beforeunload.
 * - `dialog.showMessageBoxSync` answers with the next of `messageBoxAnswers`, or with `cancelId`
 *   (the box dismissed) when none is left.
 * - A page's download (`webContents.download`) emits the session's `will-download` with the item and
 *   the page's web contents. A listener may `cancel()` the item (or prevent the event): it ends
 *   `cancelled` and no save dialog opens. Otherwise, with no save path set, the save dialog opens
 *   and the person's answer decides: a path (saved there, `completed`, `getSavePath()` that path),
 *   cancel (`cancelled`, no path), or a path the file cannot be written to (`interrupted`). `done`
 *   is emitted once, on a later turn, as Chromium reports it.
 * Everything else is a recording the tests read. Nothing here decides what the shell should do.
 */

class Preventable implements PreventableEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

/** The person's answer to a download's save dialog. */
export type SaveDialogAnswer = { readonly saveTo: string } | 'cancel' | { readonly failAt: string };

/** A download as Electron's DownloadItem shows it; `state` and `dialogShown` are for the tests to read. */
export class StandInDownloadItem extends EventEmitter implements ShellDownloadItem {
  state: 'progressing' | 'completed' | 'cancelled' | 'interrupted' = 'progressing';
  dialogShown = false;
  private savePath = '';

  constructor(
    private readonly url: string,
    private readonly fileName: string,
  ) {
    super();
  }
  getFilename() {
    return this.fileName;
  }
  getSavePath() {
    return this.savePath;
  }
  getURL() {
    return this.url;
  }
  cancel() {
    this.end('cancelled');
  }
  /** The save dialog opened and the person answered. */
  answer(answer: SaveDialogAnswer) {
    if (this.state !== 'progressing') return;
    this.dialogShown = true;
    if (answer === 'cancel') return this.end('cancelled');
    this.savePath = 'saveTo' in answer ? answer.saveTo : answer.failAt;
    this.end('saveTo' in answer ? 'completed' : 'interrupted');
  }
  private end(state: 'completed' | 'cancelled' | 'interrupted') {
    if (this.state !== 'progressing') return;
    this.state = state;
    setImmediate(() => this.emit('done', new Preventable(), state));
  }
}

export interface StandInOptions {
  /** False: another instance holds the lock. */
  readonly lock?: boolean;
  readonly isPackaged?: boolean;
  readonly userData?: string;
  readonly displays?: ShellDisplay[];
  readonly encryption?: 'available' | 'basic_text' | 'unavailable';
  /** The printers the system knows, by name. */
  readonly printers?: readonly string[];
}

/** A menu as Electron builds it from a template. */
export interface StandInMenuItem {
  readonly label: string;
  readonly role?: string;
  readonly type: 'normal' | 'separator' | 'submenu';
  readonly submenu?: StandInMenu;
}
export interface StandInMenu {
  readonly items: readonly StandInMenuItem[];
}

type MenuRole = ShellMenuRole | 'fileMenu' | 'editMenu' | 'viewMenu' | 'windowMenu' | 'forceReload' | 'delete';
type MenuTemplateItem = Omit<ShellMenuItem, 'role' | 'submenu'> & { readonly role?: MenuRole; readonly submenu?: MenuTemplateItem[] };

/** Electron's default submenus of the menu roles, as on Linux and Windows (menu-item-roles.ts). */
const ROLE_SUBMENUS: Partial<Record<MenuRole, MenuTemplateItem[]>> = {
  fileMenu: [{ role: 'quit' }],
  editMenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'delete' }, { type: 'separator' }, { role: 'selectAll' }],
  viewMenu: [
    { role: 'reload' },
    { role: 'forceReload' },
    { role: 'toggleDevTools' },
    { type: 'separator' },
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ],
  windowMenu: [{ role: 'minimize' }, { role: 'close' }],
};

function buildMenu(template: readonly MenuTemplateItem[]): StandInMenu {
  return {
    items: template.map((item) => {
      if (item.label === undefined && item.role === undefined && item.type === undefined) throw new Error('Invalid template for MenuItem: must have at least one of label, role or type');
      const submenu = item.submenu ?? (item.role ? ROLE_SUBMENUS[item.role] : undefined);
      return {
        label: item.label ?? item.role ?? '',
        ...(item.role ? { role: item.role } : {}),
        type: item.type ?? (submenu ? 'submenu' : 'normal'),
        ...(submenu ? { submenu: buildMenu(submenu) } : {}),
      };
    }),
  };
}

/** Every item of a menu and its submenus, depth first. */
export function menuItems(menu: StandInMenu | null): StandInMenuItem[] {
  return (menu?.items ?? []).flatMap((item) => [item, ...menuItems(item.submenu ?? null)]);
}

export function createElectronStandIn(options: StandInOptions = {}) {
  let isReady = false;
  let readyResolve: () => void = () => undefined;
  const readyPromise = new Promise<void>((resolve) => (readyResolve = resolve));
  let nextContentsId = 1;
  let quitting = false;
  const log: string[] = [];
  const errorBoxes: { title: string; content: string }[] = [];
  /** The questions asked with `dialog.showMessageBoxSync`, and the window each was modal to. */
  const messageBoxes: { window: unknown; options: ShellMessageBoxOptions }[] = [];
  /** The person's answers to the next message boxes, by button index, first first. */
  const messageBoxAnswers: number[] = [];
  const printers = options.printers ?? ['Counter Printer'];
  /** What was printed: the page that was loaded, and the options it was printed with. */
  const printJobs: { url: string; options: ShellPrintOptions }[] = [];
  const ipcHandlers = new Map<string, (event: ShellIpcEvent, payload: unknown) => unknown>();
  const protocolHandlers = new Map<string, (request: Request) => Response | Promise<Response>>();
  const privilegedSchemes: string[] = [];
  const displays: ShellDisplay[] = [...(options.displays ?? [{ id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 } }])];
  let permissionRequest: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined;
  let permissionCheck: (() => boolean) | undefined;
  let applicationMenu: StandInMenu | null = buildMenu([{ role: 'fileMenu' }, { role: 'editMenu' }, { role: 'viewMenu' }, { role: 'windowMenu' }]);

  const sessionEvents = new EventEmitter();
  const appEvents = new EventEmitter();
  const app = Object.assign(appEvents, {
    isPackaged: options.isPackaged ?? false,
    exited: false,
    requestSingleInstanceLock: () => options.lock ?? true,
    whenReady: () => readyPromise,
    getPath: (name: 'userData') => {
      if (name !== 'userData' || !options.userData) throw new Error(`stand-in: no path for ${name}`);
      return options.userData;
    },
    quit() {
      log.push('app.quit');
      if (quitting || app.exited) return;
      const event = new Preventable();
      appEvents.emit('before-quit', event);
      if (event.defaultPrevented) return;
      quitting = true;
      for (const window of [...StandInWindow.all]) window.close();
      // A page that kept its window open cancels the quit.
      if (StandInWindow.all.length > 0) {
        quitting = false;
        return;
      }
      appEvents.emit('will-quit', new Preventable());
      appEvents.emit('quit');
      app.exited = true;
    },
  });

  class StandInWebContents extends EventEmitter {
    readonly id = nextContentsId++;
    readonly mainFrame: ShellFrame & { url: string } = { url: '' };
    readonly sent: { channel: string; payload: unknown }[] = [];
    /** As `webPreferences.devTools` (true when not given). */
    devToolsAllowed = true;
    devToolsOpen = false;
    /** The page's beforeunload handler refuses to unload (unsaved edits). */
    refusesUnload = false;
    private openHandler: ((details: { url: string }) => { action: 'deny' | 'allow' }) | undefined;

    constructor() {
      super();
      appEvents.emit('web-contents-created', new Preventable(), this);
    }
    send(channel: string, ...args: unknown[]) {
      this.sent.push({ channel, payload: structuredClone(args[0]) });
    }
    /** As Electron: an unknown device fails with "Invalid deviceName provided"; the callback comes later. */
    print(printOptions: ShellPrintOptions, callback: (success: boolean, failureReason: string) => void) {
      if (!printers.includes(printOptions.deviceName)) return void setImmediate(() => callback(false, 'Invalid deviceName provided'));
      printJobs.push({ url: this.mainFrame.url, options: structuredClone(printOptions) });
      setImmediate(() => callback(true, ''));
    }
    /** Menu, shortcut or code asking for DevTools. */
    openDevTools() {
      if (!this.devToolsAllowed || this.devToolsOpen) return;
      this.devToolsOpen = true;
      this.emit('devtools-opened');
    }
    closeDevTools() {
      if (!this.devToolsOpen) return;
      this.devToolsOpen = false;
      this.emit('devtools-closed');
    }
    isDevToolsOpened() {
      return this.devToolsOpen;
    }
    setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }) {
      this.openHandler = handler;
    }
    /** A page's `window.open`: allowed unless the handler denies it. */
    openWindow(url: string): 'deny' | 'allow' {
      return this.openHandler?.({ url }).action ?? 'allow';
    }
    /** A page navigating itself (a link, `location.href = …`): false when prevented. */
    navigate(url: string): boolean {
      return this.attempt('will-navigate', () => (this.mainFrame.url = url));
    }
    redirect(url: string): boolean {
      return this.attempt('will-redirect', () => (this.mainFrame.url = url));
    }
    attachWebview(): boolean {
      return this.attempt('will-attach-webview', () => undefined);
    }
    /** The page reloaded (F5, or `location.reload()`): the same contents, a new page, `did-navigate` again. */
    reload() {
      if (!this.mayUnload()) return;
      this.emit('did-navigate');
    }
    /** The page's beforeunload: true when the page may go (it does not refuse, or a listener let it go). */
    mayUnload(): boolean {
      if (!this.refusesUnload) return true;
      const event = new Preventable();
      this.emit('will-prevent-unload', event);
      return event.defaultPrevented;
    }
    /**
     * The page downloads `url` as `fileName` (a link with `download`): the session hears of it,
     * then, unless it was cancelled, the save dialog opens and `answer` is what the person does there.
     */
    download(url: string, fileName: string, answer: SaveDialogAnswer): StandInDownloadItem {
      const item = new StandInDownloadItem(url, fileName);
      const event = new Preventable();
      sessionEvents.emit('will-download', event, item, this);
      if (event.defaultPrevented) item.cancel();
      item.answer(answer);
      return item;
    }
    /** `ipcRenderer.invoke` from this contents' main frame, or from another frame of it. */
    async invoke(channel: string, payload: unknown, frame: ShellFrame | null = this.mainFrame): Promise<unknown> {
      const handler = ipcHandlers.get(channel);
      if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
      return structuredClone(await handler({ sender: this, senderFrame: frame }, structuredClone(payload)));
    }
    private attempt(name: string, proceed: () => void): boolean {
      const event = new Preventable();
      this.emit(name, event);
      if (event.defaultPrevented) return false;
      proceed();
      return true;
    }
  }

  class StandInWindow extends EventEmitter {
    static readonly all: StandInWindow[] = [];
    readonly webContents = new StandInWebContents();
    bounds: Rectangle = { x: 0, y: 0, width: 0, height: 0 };
    visible = false;
    fullScreen = false;
    minimized = false;
    focused = false;
    centered = 0;
    destroyed = false;

    constructor(readonly options: ShellWindowOptions | ShellPrintWindowOptions) {
      super();
      if (!isReady) throw new Error('Cannot create BrowserWindow before app is ready');
      this.bounds = { ...this.bounds, width: options.width, height: options.height };
      this.visible = options.show;
      this.webContents.devToolsAllowed = !('devTools' in options.webPreferences) || options.webPreferences.devTools;
      StandInWindow.all.push(this);
    }
    async loadURL(url: string) {
      this.webContents.mainFrame.url = url;
      // As Electron: the main frame's navigation commits (`did-navigate`), then it paints.
      this.webContents.emit('did-navigate');
      // Chromium paints, then the window may be shown.
      setImmediate(() => this.emit('ready-to-show'));
    }
    show() {
      this.visible = true;
    }
    focus() {
      this.focused = true;
    }
    minimize() {
      this.minimized = true;
    }
    restore() {
      this.minimized = false;
    }
    isMinimized() {
      return this.minimized;
    }
    center() {
      this.centered += 1;
    }
    setBounds(bounds: Partial<Rectangle>) {
      this.bounds = { ...this.bounds, ...bounds };
    }
    isFullScreen() {
      return this.fullScreen;
    }
    setFullScreen(flag: boolean) {
      this.fullScreen = flag;
    }
    destroy() {
      if (this.destroyed) return;
      this.gone();
    }
    /** The user closing the window (or the app closing it while quitting): the page may refuse. */
    close() {
      if (this.destroyed || !this.webContents.mayUnload()) return;
      this.gone();
    }
    private gone() {
      this.destroyed = true;
      StandInWindow.all.splice(StandInWindow.all.indexOf(this), 1);
      this.emit('closed');
      if (StandInWindow.all.length === 0 && !quitting) appEvents.emit('window-all-closed');
    }
  }

  const screenEvents = new EventEmitter();
  const primary = () => displays[0] as ShellDisplay;
  const screen = Object.assign(screenEvents, {
    getPrimaryDisplay: () => primary(),
    getAllDisplays: () => displays.map((display) => ({ ...display })),
  });

  const secretKey = 0x5a;
  const electron = {
    app,
    BrowserWindow: StandInWindow,
    protocol: {
      registerSchemesAsPrivileged(schemes: { scheme: string }[]) {
        if (isReady) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
        if (privilegedSchemes.length > 0) throw new Error('registerSchemesAsPrivileged can only be called once');
        privilegedSchemes.push(...schemes.map((entry) => entry.scheme));
      },
      handle(scheme: string, handler: (request: Request) => Response | Promise<Response>) {
        if (!isReady) throw new Error('protocol.handle can only be used after the ready event');
        if (protocolHandlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`);
        protocolHandlers.set(scheme, handler);
      },
    },
    ipcMain: {
      handle(channel: string, listener: (event: ShellIpcEvent, payload: unknown) => unknown) {
        if (ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
        ipcHandlers.set(channel, listener);
      },
    },
    screen,
    session: {
      defaultSession: Object.assign(sessionEvents, {
        setPermissionRequestHandler(handler: typeof permissionRequest) {
          permissionRequest = handler;
        },
        setPermissionCheckHandler(handler: () => boolean) {
          permissionCheck = handler;
        },
      }),
    },
    dialog: {
      showErrorBox(title: string, content: string) {
        errorBoxes.push({ title, content });
      },
      showMessageBoxSync(window: StandInWindow, options: ShellMessageBoxOptions) {
        messageBoxes.push({ window, options: structuredClone(options) });
        return messageBoxAnswers.shift() ?? options.cancelId;
      },
    },
    Menu: {
      buildFromTemplate: (template: ShellMenuItem[]) => buildMenu(template),
      setApplicationMenu(menu: StandInMenu | null) {
        applicationMenu = menu;
      },
    },
    safeStorage: {
      isEncryptionAvailable: () => (options.encryption ?? 'unavailable') !== 'unavailable',
      getSelectedStorageBackend: () => (options.encryption === 'basic_text' ? 'basic_text' : 'gnome_libsecret'),
      encryptString(plainText: string) {
        if ((options.encryption ?? 'unavailable') === 'unavailable') throw new Error('Encryption is not available.');
        return Buffer.from(Buffer.from(plainText, 'utf8').map((byte) => byte ^ secretKey));
      },
      decryptString(encrypted: Buffer) {
        return Buffer.from(encrypted.map((byte) => byte ^ secretKey)).toString('utf8');
      },
    },
  } satisfies ShellElectron;

  return {
    electron,
    log,
    errorBoxes,
    messageBoxes,
    messageBoxAnswers,
    privilegedSchemes,
    ipcChannels: () => [...ipcHandlers.keys()],
    /** The menu Electron would show now: its default until the app sets one. */
    applicationMenu: () => applicationMenu,
    windows: () => [...StandInWindow.all],
    printJobs: () => [...printJobs],
    windowAt: (url: string) => StandInWindow.all.find((window) => window.webContents.mainFrame.url === url),
    /** A web contents the shell did not create (a devtools page, a stray window). */
    strayContents: () => new StandInWebContents(),
    ready() {
      isReady = true;
      appEvents.emit('ready');
      readyResolve();
    },
    /** A request through the app's registered protocol, as Chromium would make it. */
    async request(url: string, init?: RequestInit): Promise<Response> {
      const handler = protocolHandlers.get(new URL(url).protocol.replace(/:$/, ''));
      if (!handler) throw new Error(`no handler for ${url}`);
      return handler(new Request(url, init));
    },
    requestPermission: (permission: string) => new Promise<boolean>((resolve) => (permissionRequest ? permissionRequest({}, permission, resolve) : resolve(true))),
    checkPermission: () => (permissionCheck ? permissionCheck() : true),
    addDisplay(display: ShellDisplay) {
      displays.push(display);
      screenEvents.emit('display-added', new Preventable(), display);
    },
    removeDisplay(id: number) {
      const index = displays.findIndex((display) => display.id === id);
      const [removed] = displays.splice(index, 1);
      screenEvents.emit('display-removed', new Preventable(), removed);
    },
    moveDisplay(id: number, bounds: Rectangle) {
      const display = displays.find((candidate) => candidate.id === id) as { bounds: Rectangle };
      display.bounds = bounds;
      screenEvents.emit('display-metrics-changed', new Preventable(), display, ['bounds']);
    },
  };
}

export type ElectronStandIn = ReturnType<typeof createElectronStandIn>;

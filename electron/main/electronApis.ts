/**
 * The parts of Electron's main-process API that the shell uses, and nothing more. Electron's own
 * objects satisfy these shapes (electron/main/index.ts hands them over, and the type check holds
 * it to that); the tests hand over a stand-in with the same shapes and Electron's documented
 * semantics (test/support/electronStandIn.ts). A shape added here must be added there.
 */

export interface PreventableEvent {
  preventDefault(): void;
}

export interface Rectangle {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface ShellDisplay {
  readonly id: number;
  readonly bounds: Rectangle;
}

export interface ShellFrame {
  readonly url: string;
}

/** `webContents.print` as the system printer uses it: silently, to a named printer, on the slip's own page. */
export interface ShellPrintOptions {
  readonly silent: true;
  readonly deviceName: string;
  readonly printBackground: true;
  readonly margins: { readonly marginType: 'none' };
  /** In microns. */
  readonly pageSize: { readonly width: number; readonly height: number };
}

export interface ShellWebContents {
  readonly id: number;
  readonly mainFrame: ShellFrame;
  send(channel: string, ...args: unknown[]): void;
  print(options: ShellPrintOptions, callback: (success: boolean, failureReason: string) => void): void;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  on(event: 'will-navigate' | 'will-redirect' | 'will-attach-webview', listener: (event: PreventableEvent) => void): this;
  on(event: 'devtools-opened', listener: () => void): this;
  closeDevTools(): void;
  /** The main frame committed a new page (the first load, or a reload): the page before it is gone. */
  on(event: 'did-navigate', listener: () => void): this;
  /**
   * The page's beforeunload handler refused to unload (the window is closing or reloading). Electron
   * asks nobody: the unload is cancelled unless the listener calls `preventDefault()`, which lets it go ahead.
   */
  on(event: 'will-prevent-unload', listener: (event: PreventableEvent) => void): this;
}

/**
 * A download a page started (the manager's CSV export is a link to a blob: URL). Unless the
 * `will-download` listener sets a save path or cancels it, Electron asks where to save it in the
 * system's save dialog; `getSavePath()` is then the path chosen there. `getFilename()` is the name
 * the page suggested (the link's `download`), even when the person typed another in the dialog.
 */
export interface ShellDownloadItem {
  getFilename(): string;
  getSavePath(): string;
  getURL(): string;
  cancel(): void;
  /** Once, at the end: saved (`completed`), cancelled (in the dialog, or by `cancel()`), or failed beyond resuming (`interrupted`). */
  once(event: 'done', listener: (event: unknown, state: 'completed' | 'cancelled' | 'interrupted') => void): this;
}

/** `dialog.showMessageBoxSync`'s options as the shell uses them: a question with two buttons. */
export interface ShellMessageBoxOptions {
  readonly type: 'question';
  readonly buttons: string[];
  readonly defaultId: number;
  readonly cancelId: number;
  readonly title: string;
  readonly message: string;
  readonly detail: string;
}

export interface ShellWindow {
  readonly webContents: ShellWebContents;
  loadURL(url: string): Promise<void>;
  show(): void;
  focus(): void;
  restore(): void;
  isMinimized(): boolean;
  center(): void;
  setBounds(bounds: Partial<Rectangle>): void;
  isFullScreen(): boolean;
  setFullScreen(flag: boolean): void;
  /** As the window's close button: the page's beforeunload runs first and may keep it open. */
  close(): void;
  once(event: 'ready-to-show', listener: () => void): this;
  on(event: 'closed', listener: () => void): this;
  destroy(): void;
}

/** A hidden window that only holds a slip to print: no preload, no script. */
export interface ShellPrintWindowOptions {
  readonly width: number;
  readonly height: number;
  readonly show: false;
  readonly webPreferences: {
    readonly sandbox: true;
    readonly contextIsolation: true;
    readonly nodeIntegration: false;
    readonly javascript: false;
    readonly webSecurity: true;
  };
}

export interface ShellWindowOptions {
  readonly width: number;
  readonly height: number;
  readonly show: boolean;
  readonly title: string;
  readonly backgroundColor: string;
  readonly webPreferences: {
    readonly preload: string;
    readonly sandbox: true;
    readonly contextIsolation: true;
    readonly nodeIntegration: false;
    readonly webSecurity: true;
    readonly webviewTag: false;
    /** False unless the development flag is set: a cashier cannot open DevTools on the till. */
    readonly devTools: boolean;
  };
}

/** The roles the application menu uses: Electron carries each out itself, in every language. */
export type ShellMenuRole =
  | 'about'
  | 'quit'
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'selectAll'
  | 'reload'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen'
  | 'toggleDevTools'
  | 'minimize'
  | 'close';

/** One entry of `Menu.buildFromTemplate`'s template. */
export interface ShellMenuItem {
  readonly label?: string;
  readonly role?: ShellMenuRole;
  readonly type?: 'separator';
  readonly submenu?: ShellMenuItem[];
}

/** A menu Electron built; the shell only hands it back to `setApplicationMenu`. */
export interface ShellMenu {
  readonly items: readonly unknown[];
}

export interface ShellIpcEvent {
  readonly sender: ShellWebContents;
  /** Null when the frame has navigated away or been destroyed since it sent. */
  readonly senderFrame: ShellFrame | null;
}

/**
 * `Window` is the window type the app's `BrowserWindow` makes: Electron's dialogs take its own
 * window class, so the shell hands a dialog back the very windows it made, typed as made.
 */
export interface ShellElectron<Window extends ShellWindow = ShellWindow> {
  readonly app: {
    readonly isPackaged: boolean;
    requestSingleInstanceLock(): boolean;
    quit(): void;
    whenReady(): Promise<unknown>;
    getPath(name: 'userData'): string;
    on(event: 'web-contents-created', listener: (event: unknown, contents: ShellWebContents) => void): unknown;
    on(event: 'second-instance' | 'window-all-closed', listener: () => void): unknown;
    on(event: 'before-quit', listener: (event: PreventableEvent) => void): unknown;
  };
  readonly BrowserWindow: new (options: ShellWindowOptions | ShellPrintWindowOptions) => Window;
  readonly protocol: {
    registerSchemesAsPrivileged(schemes: { scheme: string; privileges: { standard: boolean; secure: boolean; supportFetchAPI: boolean } }[]): void;
    handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
  };
  readonly ipcMain: {
    handle(channel: string, listener: (event: ShellIpcEvent, payload: unknown) => unknown): void;
  };
  readonly screen: {
    getPrimaryDisplay(): ShellDisplay;
    getAllDisplays(): ShellDisplay[];
    on(event: 'display-added' | 'display-removed' | 'display-metrics-changed', listener: () => void): unknown;
  };
  readonly session: {
    readonly defaultSession: {
      setPermissionRequestHandler(handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
      setPermissionCheckHandler(handler: () => boolean): void;
      /**
       * A page of any window started a download; `contents` is that page's web contents (none for
       * a download the main process starts itself, which the shell never does).
       */
      on(event: 'will-download', listener: (event: PreventableEvent, item: ShellDownloadItem, contents: ShellWebContents | undefined) => void): unknown;
    };
  };
  readonly dialog: {
    showErrorBox(title: string, content: string): void;
    /** Modal to the window; the index of the button chosen (`cancelId` when the box is dismissed). */
    showMessageBoxSync(window: Window, options: ShellMessageBoxOptions): number;
  };
  readonly safeStorage: ShellSafeStorage;
  readonly Menu: {
    buildFromTemplate(template: ShellMenuItem[]): ShellMenu;
    setApplicationMenu(menu: ShellMenu | null): void;
  };
}

export interface ShellSafeStorage {
  isEncryptionAvailable(): boolean;
  /** Linux only: which key store Chromium chose ("basic_text" is no key store at all). */
  getSelectedStorageBackend(): string;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

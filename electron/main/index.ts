import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, session } from 'electron';

/**
 * The Electron shell: one hardened cashier window. It stays thin on purpose; everything it shows
 * comes from main-process services that also run, and are tested, under plain Node.
 */

if (!app.requestSingleInstanceLock()) {
  // A second till process on the same database could poll and charge alongside the first.
  app.quit();
}

const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const rendererPath = fileURLToPath(new URL('../renderer/index.html', import.meta.url));

function createCashierWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1100,
    height: 760,
    show: false,
    title: 'QFPay counter',
    webPreferences: {
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  const devServer = process.env.ELECTRON_RENDERER_URL;
  if (!app.isPackaged && devServer) void window.loadURL(devServer);
  else void window.loadFile(rendererPath);
  return window;
}

app.on('web-contents-created', (_event, contents) => {
  // The app's pages never open windows, navigate away or embed other pages.
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

app.on('second-instance', () => {
  const [window] = BrowserWindow.getAllWindows();
  if (window) {
    if (window.isMinimized()) window.restore();
    window.focus();
  }
});

void app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  createCashierWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createCashierWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

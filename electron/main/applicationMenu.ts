import type { ShellMenuItem } from './electronApis';

/**
 * The application menu: Quit, the editing keys, a few view controls and the window's own, each
 * by its Electron role (Electron words them in the system's language and carries them out).
 *
 * It replaces Electron's default menu, whose View menu holds "Toggle Developer Tools": from
 * DevTools a cashier could call the manager's commands, read the page or change what it shows.
 * DevTools are offered only with `devTools` (a source checkout started with QFPOS_DEVTOOLS=1).
 * Menu roles with default submenus (viewMenu, editMenu, windowMenu) are not used: the View one
 * brings DevTools back, and listing each item keeps what the till offers in plain sight.
 *
 * Reload stays: the sale in progress, the counter and the customer display are kept by the main
 * process and read again by a reloaded page, so it can only mend a stuck screen.
 */
export function applicationMenu(options: { devTools: boolean }): ShellMenuItem[] {
  return [
    { label: 'QFPay counter', submenu: [{ role: 'quit' }] },
    {
      label: 'Edit · 編輯',
      submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
    },
    {
      label: 'View · 檢視',
      submenu: [
        { role: 'reload' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(options.devTools ? [{ type: 'separator' as const }, { role: 'toggleDevTools' as const }] : []),
      ],
    },
    { label: 'Window · 視窗', submenu: [{ role: 'minimize' }, { role: 'close' }] },
  ];
}

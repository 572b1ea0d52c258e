import { contextBridge, ipcRenderer } from 'electron';
import { buildPosApi } from '../../shared/ipc/api';
import { ipcChannel, type CommandResult, type CommandName, type Role } from '../../shared/ipc/contract';

/**
 * Exposes the window's API, built from the contract: named functions for the role's commands and
 * events only. ipcRenderer itself never reaches the page.
 */
export function exposePosApi(role: Role): void {
  const api = buildPosApi(role, {
    invoke: (name, request) => ipcRenderer.invoke(ipcChannel(name), request) as Promise<CommandResult<CommandName>>,
    subscribe(event, listener) {
      const forward = (_event: Electron.IpcRendererEvent, payload: unknown) => listener(payload);
      ipcRenderer.on(ipcChannel(event), forward);
      return () => ipcRenderer.removeListener(ipcChannel(event), forward);
    },
  });
  contextBridge.exposeInMainWorld('pos', api);
}

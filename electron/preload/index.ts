import { contextBridge } from 'electron';

/**
 * The renderer's only door to the main process. It exposes named functions, never ipcRenderer;
 * the typed command contract that fills it is defined once in shared/ (the app issue).
 */
const bridge = {
  shell: 'electron',
} as const;

export type PosBridge = typeof bridge;

contextBridge.exposeInMainWorld('pos', bridge);

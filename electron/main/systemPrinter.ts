import type { SystemPrint } from '../services/printing/printService';
import { PrinterUnavailable } from '../services/printing/tcpPrinter';
import type { ShellElectron } from './electronApis';

/** A spooler that never calls back fails on this, like a silent network printer, not holding every later slip. */
const SYSTEM_PRINT_TIMEOUT_MS = 30_000;

/**
 * A slip on one of the computer's printers, by name, through Chromium's printing: the slip's SVG
 * in a hidden window with no script, printed silently on a page as wide as the paper and as long
 * as the slip. A printer the system does not know, or one that fails, rejects with words, and the
 * slip stays queued like any other that did not print.
 */
export function systemPrinter(electron: Pick<ShellElectron, 'BrowserWindow'>): SystemPrint {
  return async ({ svg, printer, paper }) => {
    const { width, height } = svgSize(svg);
    const window = new electron.BrowserWindow({
      width,
      height,
      show: false,
      webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false, webSecurity: true },
    });
    try {
      const page = `<!doctype html><html><head><meta charset="utf-8"><style>@page{margin:0}html,body{margin:0}img{display:block;width:100%}</style></head><body><img src="data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}"></body></html>`;
      await window.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(page)}`);
      // The paper's width; the slip's length in the same scale (Chromium wants at least 0.353 mm).
      const widthMicrons = paper * 1000;
      const heightMicrons = Math.max(353, Math.ceil((height / width) * widthMicrons));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve, reject) =>
          window.webContents.print({ silent: true, deviceName: printer, printBackground: true, margins: { marginType: 'none' }, pageSize: { width: widthMicrons, height: heightMicrons } }, (success, failureReason) =>
            success ? resolve() : reject(new PrinterUnavailable('network', `the printer "${printer}" did not print the slip (${failureReason || 'no reason given'})`)),
          ),
        ),
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(() => reject(new PrinterUnavailable('timeout', `the printer "${printer}" did not confirm the slip within ${SYSTEM_PRINT_TIMEOUT_MS / 1000} s`)), SYSTEM_PRINT_TIMEOUT_MS);
        }),
      ]).finally(() => clearTimeout(timer));
    } finally {
      window.destroy();
    }
  };
}

/** The slip's size in dots, from the width and height receiptline writes on its SVG. */
function svgSize(svg: string): { width: number; height: number } {
  const width = Number(/width="(\d+)px"/.exec(svg)?.[1] ?? 576);
  const height = Number(/height="(\d+)px"/.exec(svg)?.[1] ?? 576);
  return { width, height };
}

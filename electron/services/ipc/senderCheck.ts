/**
 * Whether an IPC message may be served: it must come from a window the app created (known role),
 * from that window's main frame (not an iframe), showing the app's own pages (app:// origin).
 */
export const APP_ORIGIN = 'app://pos';

export function senderAllowed(sender: { frameUrl: string | undefined; isMainFrame: boolean; role: string | undefined }): boolean {
  if (!sender.role || !sender.isMainFrame || !sender.frameUrl) return false;
  try {
    return new URL(sender.frameUrl).origin === APP_ORIGIN;
  } catch {
    return false;
  }
}

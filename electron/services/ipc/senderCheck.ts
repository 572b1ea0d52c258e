/**
 * Whether an IPC message may be served: it must come from a window the app created (known role),
 * from that window's main frame (not an iframe), showing the app's own pages (app:// origin).
 */
export const APP_ORIGIN = 'app://pos';

export function senderAllowed(sender: { frameUrl: string | undefined; isMainFrame: boolean; role: string | undefined }): boolean {
  if (!sender.role || !sender.isMainFrame || !sender.frameUrl) return false;
  try {
    // Scheme and host, not `origin`: for a scheme URL does not know, `origin` is "null".
    const url = new URL(sender.frameUrl);
    return `${url.protocol}//${url.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

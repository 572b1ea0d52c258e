import { buildPosApi, type PosTransport } from '../../../shared/ipc/api';
import type { CommandName, CommandResult, Connection, EventName, PosApi, Role } from '../../../shared/ipc/contract';

declare global {
  interface Window {
    /** Set by the Electron preload of this window; absent in web mode. */
    pos?: PosApi<Role>;
  }
}

const unreachable = (): CommandResult<CommandName> => ({
  ok: false,
  error: { code: 'bridge_unreachable', message: { en: 'The till is not answering. Check that the app is running.', 'zh-HK': '收銀程式沒有回應，請檢查程式是否仍在運行。' } },
});

/**
 * Silence on the event stream for this long means the till is gone (hung): the screens say so and
 * hide the QR. With a heartbeat a second and a check every 250 ms, that is at most 1.75 s.
 */
const SILENCE_MS = 1_500;
/** How soon a lost stream is tried again: a restarted till is found within a second of listening. */
const RETRY_MS = 500;

/**
 * Web mode's transport: commands as POSTs, events as one server-sent-event stream read with fetch
 * (so the token travels in a header, never in a URL). The server says "still here" every second;
 * when the stream ends, or after 1.5 s of silence (a till that hangs), the screens hear
 * "reconnecting", and it is tried again until the till answers, with the same token (kept across
 * the till's restarts).
 */
function webTransport(token: string): PosTransport {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const connectionListeners = new Set<(connection: Connection) => void>();
  let connection: Connection = 'connected';
  let started = false;
  let lastHeard = Date.now();
  let stream: AbortController | undefined;

  const setConnection = (next: Connection) => {
    if (next === connection) return;
    connection = next;
    connectionListeners.forEach((listener) => listener(next));
  };

  setInterval(() => {
    if (Date.now() - lastHeard <= SILENCE_MS) return;
    setConnection('reconnecting');
    stream?.abort();
  }, 250);

  async function connect(): Promise<void> {
    started = true;
    for (;;) {
      stream = new AbortController();
      try {
        const response = await fetch('/api/events', { headers: { Authorization: `Bearer ${token}` }, signal: stream.signal });
        if (!response.ok || !response.body) throw new Error(`events: HTTP ${response.status}`);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          lastHeard = Date.now();
          setConnection('connected');
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: (.+)$/m.exec(frame)?.[1] as EventName | undefined;
            const data = /^data: (.+)$/m.exec(frame)?.[1];
            if (event && data) listeners.get(event)?.forEach((listener) => listener(JSON.parse(data)));
          }
        }
      } catch {
        // Dropped, refused or aborted: tried again below.
      }
      // The stream ended: the till went away (or restarts). Said at once, not after the silence.
      setConnection('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }

  return {
    async invoke(name, request) {
      try {
        const response = await fetch(`/api/commands/${name}`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify(request ?? {}),
        });
        return response.ok ? ((await response.json()) as CommandResult<CommandName>) : unreachable();
      } catch {
        return unreachable();
      }
    },
    subscribe(event, listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)?.add(listener);
      if (!started) void connect();
      return () => listeners.get(event)?.delete(listener);
    },
    connection(listener) {
      connectionListeners.add(listener);
      listener(connection);
      if (!started) void connect();
      return () => connectionListeners.delete(listener);
    },
  };
}

/** The window's API: Electron's preload if present, else web mode with the token from the link. */
export function posApi<R extends Role>(role: R): PosApi<R> {
  if (window.pos) {
    if (window.pos.role !== role) throw new Error(`this window is the ${window.pos.role}, not the ${role}`);
    return window.pos as unknown as PosApi<R>;
  }
  const key = `qfpos-token-${role}`;
  const fromLink = /token=([A-Za-z0-9_-]+)/.exec(window.location.hash)?.[1];
  if (fromLink) {
    sessionStorage.setItem(key, fromLink);
    // Keep the token out of the address bar, history and screenshots; the session keeps it for reloads.
    history.replaceState(null, '', window.location.pathname);
  }
  const token = fromLink ?? sessionStorage.getItem(key) ?? '';
  return buildPosApi(role, webTransport(token));
}

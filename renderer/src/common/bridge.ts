import { buildPosApi, type PosTransport } from '../../../shared/ipc/api';
import type { CommandError, CommandName, CommandResult, Connection, EventName, PosApi, Role } from '../../../shared/ipc/contract';

declare global {
  interface Window {
    /** Set by the Electron preload of this window; absent in web mode. */
    pos?: PosApi<Role>;
  }
}

const UNREACHABLE: CommandError = {
  code: 'bridge_unreachable',
  message: { en: 'The till is not answering. Check that the app is running.', 'zh-HK': '收銀程式沒有回應，請檢查程式是否仍在運行。' },
};
const unreachable = (): CommandResult<CommandName> => ({ ok: false, error: UNREACHABLE });

/**
 * Silence on the event stream for this long means the till is gone (hung): the screens say so and
 * hide the QR. With a heartbeat a second and a check every 250 ms, that is at most 1.75 s.
 */
const SILENCE_MS = 1_500;
/** How soon a lost stream is tried again: a restarted till is found within a second of listening. */
const RETRY_MS = 500;

/** Names this page to the till (see SCREEN_HEADER in electron/web/bridgeServer.ts). */
const SCREEN_HEADER = 'X-Qfpos-Screen';

/**
 * This page's own id, new at each load: the till keeps the manager's access per page, so a reload
 * (which shows the PIN gate again) starts locked, and a duplicated tab is another screen.
 * getRandomValues, not randomUUID: it exists outside secure contexts too.
 */
const PAGE_ID = Array.from(crypto.getRandomValues(new Uint8Array(18)), (byte) => byte.toString(16).padStart(2, '0')).join('');

type Words = CommandError['message'];

/**
 * A screen the till will not serve (its link was used or has expired, or it was never paired, or
 * its pairing was forgotten with --new-links): the page says so in both languages, in place of the
 * app, because there is nothing it can do until a new link is opened. The words come from the till
 * (shared/i18n/commandErrors.ts), which knows why.
 */
function showNotice(words: Words): void {
  document.getElementById('root')?.setAttribute('hidden', '');
  const notice = document.getElementById('screen-notice') ?? document.body.appendChild(document.createElement('main'));
  notice.id = 'screen-notice';
  notice.className = 'screen-notice';
  notice.setAttribute('role', 'alert');
  notice.replaceChildren(
    ...(['en', 'zh-HK'] as const).map((language) => {
      const line = document.createElement('p');
      line.lang = language;
      line.textContent = words[language];
      return line;
    }),
  );
}

/**
 * Web mode's transport: commands as POSTs, events as one server-sent-event stream read with fetch
 * (so the credential travels in a header, never in a URL). The server says "still here" every
 * second; when the stream ends, or after 1.5 s of silence (a till that hangs), the screens hear
 * "reconnecting", and it is tried again until the till answers, with the same credential (kept
 * across the till's restarts). A till that no longer knows the credential (401) is not asked again.
 */
function webTransport(credential: Promise<string | undefined>): PosTransport {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const connectionListeners = new Set<(connection: Connection) => void>();
  let connection: Connection = 'connected';
  let started = false;
  let lastHeard = Date.now();
  let stream: AbortController | undefined;
  /** Why the till refused this screen, once it has: shown, and answered to every call after. */
  let refused: CommandError | undefined;

  const setConnection = (next: Connection) => {
    if (next === connection) return;
    connection = next;
    connectionListeners.forEach((listener) => listener(next));
  };

  const headers = async (): Promise<Record<string, string>> => ({ Authorization: `Bearer ${(await credential) ?? ''}`, [SCREEN_HEADER]: PAGE_ID });

  /** A 401 from the till: this screen is not (or no longer) paired. */
  async function refusedBy(response: Response): Promise<CommandError> {
    const answer = (await response.json().catch(() => undefined)) as { error?: CommandError } | undefined;
    refused ??= answer?.error ?? UNREACHABLE;
    showNotice(refused.message);
    return refused;
  }

  const silence = setInterval(() => {
    if (refused) return clearInterval(silence);
    if (Date.now() - lastHeard <= SILENCE_MS) return;
    setConnection('reconnecting');
    stream?.abort();
  }, 250);

  async function connect(): Promise<void> {
    started = true;
    if ((await credential) === undefined) return; // pairing failed: the notice says why
    while (!refused) {
      stream = new AbortController();
      try {
        const response = await fetch('/api/events', { headers: await headers(), signal: stream.signal });
        if (response.status === 401) {
          await refusedBy(response);
          return;
        }
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
      if ((await credential) === undefined || refused) return { ok: false, error: refused ?? UNREACHABLE };
      try {
        const response = await fetch(`/api/commands/${name}`, {
          method: 'POST',
          headers: { ...(await headers()), 'Content-Type': 'application/json' },
          body: JSON.stringify(request ?? {}),
        });
        if (response.status === 401) return { ok: false, error: await refusedBy(response) };
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

/**
 * This tab's credential. Opened from the till's link, the page trades the link's one-time code for
 * a credential of its own (kept in sessionStorage: this tab only, across reloads, gone with the
 * tab), and takes the code out of the address bar. Without a code, the credential it already has;
 * without either, none (the till then says, in words, that this screen is not paired).
 */
async function screenCredential(role: Role): Promise<string | undefined> {
  const key = `qfpos-screen-${role}`;
  const code = /(?:^#|&)pair=([A-Za-z0-9-]{1,32})/.exec(window.location.hash)?.[1];
  if (!code) return sessionStorage.getItem(key) ?? '';
  history.replaceState(null, '', window.location.pathname);
  try {
    const response = await fetch('/api/pair', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ role, code }) });
    const answer = (await response.json()) as { ok: true; value: { credential: string } } | { ok: false; error: CommandError };
    if (answer.ok) {
      sessionStorage.setItem(key, answer.value.credential);
      return answer.value.credential;
    }
    // A used link opened again in a tab that is paired already (from history, or a bookmark): the
    // tab goes on as it is, rather than telling staff the link failed and sending them to restart.
    const kept = sessionStorage.getItem(key);
    if (kept && answer.error.code === 'pairing_link_invalid') return kept;
    showNotice(answer.error.message);
  } catch {
    showNotice(UNREACHABLE.message);
  }
  return undefined;
}

/** The window's API: Electron's preload if present, else web mode, paired from the till's link. */
export function posApi<R extends Role>(role: R): PosApi<R> {
  if (window.pos) {
    if (window.pos.role !== role) throw new Error(`this window is the ${window.pos.role}, not the ${role}`);
    return window.pos as unknown as PosApi<R>;
  }
  return buildPosApi(role, webTransport(screenCredential(role)));
}

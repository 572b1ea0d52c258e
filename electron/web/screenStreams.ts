/**
 * Web mode's screens as the till sees them: each open page of a paired tab, with its event streams.
 * A page that is open holds a stream (the screens listen for events from the moment they load);
 * a page that has held none for `graceMs` is gone (closed, navigated away, reloaded: a reload is a
 * new page), and `onGone` ends what it held (the manager's access). The grace lets a tablet ride
 * out a Wi-Fi drop, or the till's own restart, without the manager typing the PIN again; a page
 * that never opens a stream (not a screen: a script with a credential) keeps nothing past it.
 *
 * Limits, so that one credential or many cannot pile up streams (each holds a socket and memory):
 * - a page's own streams: `perScreen`; one more ends its oldest (the page reconnected while the
 *   till still held the stream it lost);
 * - a paired tab's pages (one credential): `perPairing`; one more is refused;
 * - all: `total`; one more is refused.
 */
export interface StreamLimits {
  readonly perScreen: number;
  readonly perPairing: number;
  readonly total: number;
  readonly graceMs: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = { perScreen: 2, perPairing: 8, total: 32, graceMs: 30_000 };

/** Screens remembered without a stream (in their grace) at most; beyond it the longest gone goes first. */
const MAX_SCREENS_IN_GRACE = 256;

interface Screen<S> {
  readonly pairing: string;
  readonly streams: Set<S>;
  gone?: NodeJS.Timeout;
}

export function createScreenStreams<S extends { end(): void }>(limits: StreamLimits, onGone: (session: string) => void) {
  const screens = new Map<string, Screen<S>>();
  let total = 0;

  function forget(session: string) {
    const screen = screens.get(session);
    if (!screen) return;
    clearTimeout(screen.gone);
    screens.delete(session);
    onGone(session);
  }

  /** No stream now: gone unless one opens within the grace. */
  function startGrace(session: string, screen: Screen<S>) {
    clearTimeout(screen.gone);
    screen.gone = setTimeout(() => {
      if (screen.streams.size === 0) forget(session);
    }, limits.graceMs);
    screen.gone.unref();
  }

  function screenOf(session: string, pairing: string): Screen<S> {
    let screen = screens.get(session);
    if (screen) return screen;
    if (screens.size >= MAX_SCREENS_IN_GRACE) {
      const idle = [...screens].find(([, candidate]) => candidate.streams.size === 0);
      if (idle) forget(idle[0]);
    }
    screen = { pairing, streams: new Set() };
    screens.set(session, screen);
    startGrace(session, screen);
    return screen;
  }

  /** A stream ended (the page closed it, the network did, or it made room). Closing it twice changes nothing. */
  function close(session: string, stream: S): void {
    const screen = screens.get(session);
    if (!screen?.streams.delete(stream)) return;
    total -= 1;
    if (screen.streams.size === 0) startGrace(session, screen);
  }

  const streamsOfPairing = (pairing: string) => [...screens.values()].reduce((sum, screen) => sum + (screen.pairing === pairing ? screen.streams.size : 0), 0);

  return {
    /** A command came from this page: known from now on (its grace runs while it has no stream). */
    seen(session: string, pairing: string): void {
      screenOf(session, pairing);
    },

    /** A new stream of this page, or why not ('pairing' or 'total': refused, the caller says so). */
    open(session: string, pairing: string, stream: S): 'open' | 'pairing' | 'total' {
      const screen = screens.get(session);
      const own = screen?.streams.size ?? 0;
      // The page's own oldest stream makes room; a new page must fit in the pairing's and the till's room.
      if (own < limits.perScreen) {
        if (streamsOfPairing(pairing) >= limits.perPairing) return 'pairing';
        if (total >= limits.total) return 'total';
      }
      const opened = screen ?? screenOf(session, pairing);
      if (opened.streams.size >= limits.perScreen) {
        const oldest = opened.streams.values().next().value as S;
        close(session, oldest);
        oldest.end();
      }
      clearTimeout(opened.gone);
      opened.streams.add(stream);
      total += 1;
      return 'open';
    },

    close,

    /** The till stops: every stream ends, and every page's access with it. */
    closeAll(): void {
      for (const [session, screen] of [...screens]) {
        for (const stream of screen.streams) stream.end();
        screen.streams.clear();
        forget(session);
      }
      total = 0;
    },

    counts: () => ({ screens: screens.size, streams: total }),
  };
}

export type ScreenStreams<S extends { end(): void }> = ReturnType<typeof createScreenStreams<S>>;

import pg from 'pg';
import { NOTIFICATION_CHANNEL, notificationSignalSchema, RELAY_HEARTBEAT_CHANNEL, type NotificationSignal } from '../../../shared/qfpay/notifications';
import { headOfficeError, headOfficeLink } from './connection';

/**
 * A till's one LISTEN connection to the head office: it hears QFPay's notifications as the relay
 * stores them, and the relay's heartbeat. It reconnects by itself (1 s, doubling to 30 s), and
 * pings the server every few seconds, so that a connection dead without a word (a pulled cable)
 * is noticed and replaced rather than trusted.
 */

export interface ListenerState {
  readonly listening: boolean;
  /** When the relay last said it was alive (this till's clock), if ever since start. */
  readonly lastHeartbeatAt: number | undefined;
  /** Why it is not listening, for the manager's line. */
  readonly problem?: string;
}

export interface NotificationListenerOptions {
  readonly url: URL;
  readonly tillId: string;
  readonly clock?: () => number;
  readonly onSignal: (signal: NotificationSignal) => void;
  /** Connected, lost, a heartbeat: whenever the state changes. */
  readonly onState?: (state: ListenerState) => void;
  readonly retryMs?: number;
  readonly maxRetryMs?: number;
  readonly pingMs?: number;
}

export function createNotificationListener(options: NotificationListenerOptions) {
  const clock = options.clock ?? Date.now;
  const retryMs = options.retryMs ?? 1_000;
  const maxRetryMs = options.maxRetryMs ?? 30_000;
  const pingMs = options.pingMs ?? 5_000;
  const link = headOfficeLink(options.url);
  let client: pg.Client | undefined;
  let state: ListenerState = { listening: false, lastHeartbeatAt: undefined, problem: link.ok ? 'not yet connected' : link.message };
  let failures = 0;
  let stopped = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let pingTimer: NodeJS.Timeout | undefined;

  function setState(next: Partial<ListenerState>) {
    state = { ...state, ...next };
    options.onState?.(state);
  }

  function heard(message: pg.Notification) {
    if (message.channel === RELAY_HEARTBEAT_CHANNEL) {
      // A relay stopping on purpose says so: pushes may stop, so the till is told at once.
      const stopping = message.payload?.includes('"stopping"') ?? false;
      setState({ lastHeartbeatAt: stopping ? undefined : clock() });
      return;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(message.payload ?? '');
    } catch {
      return;
    }
    const parsed = notificationSignalSchema.safeParse(payload);
    if (parsed.success) options.onSignal(parsed.data);
  }

  function lost(problem: string) {
    const dead = client;
    client = undefined;
    clearInterval(pingTimer);
    dead?.removeAllListeners('notification');
    dead?.end().catch(() => undefined);
    setState({ listening: false, problem });
    if (stopped) return;
    failures += 1;
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => void connect(), Math.min(maxRetryMs, retryMs * 2 ** Math.min(failures - 1, 10)));
    retryTimer.unref();
  }

  async function connect(): Promise<void> {
    if (stopped || !link.ok || client) return;
    const next = new pg.Client({ ...link.connection, application_name: `qfpos-listen ${options.tillId}`.slice(0, 63), keepAlive: true, connectionTimeoutMillis: 5_000, query_timeout: 5_000 });
    client = next;
    next.on('error', (error) => {
      if (client === next) lost(headOfficeError(error, options.url));
    });
    next.on('end', () => {
      if (client === next) lost('the head office closed the connection');
    });
    next.on('notification', heard);
    try {
      await next.connect();
      await next.query(`LISTEN ${NOTIFICATION_CHANNEL}`);
      await next.query(`LISTEN ${RELAY_HEARTBEAT_CHANNEL}`);
      // A relay that beat just before this till listened counts: no waiting for the next beat.
      const beat = await next
        .query<{ age_ms: number | null }>('SELECT (EXTRACT(EPOCH FROM now() - MAX(last_beat)) * 1000)::float8 AS age_ms FROM qfpay_relays')
        .then((result) => result.rows[0]?.age_ms ?? null)
        .catch(() => null); // no relay table yet: no relay has ever run
      if (client !== next || stopped) return;
      failures = 0;
      setState({ listening: true, problem: undefined, lastHeartbeatAt: beat === null ? state.lastHeartbeatAt : clock() - Math.max(0, beat) });
      pingTimer = setInterval(() => {
        next.query('SELECT 1').catch((error: unknown) => {
          if (client === next) lost(headOfficeError(error, options.url));
        });
      }, pingMs);
      pingTimer.unref();
    } catch (error) {
      if (client === next) lost(headOfficeError(error, options.url));
    }
  }

  return {
    state: () => state,
    start() {
      void connect();
    },
    async stop() {
      stopped = true;
      clearTimeout(retryTimer);
      clearInterval(pingTimer);
      const last = client;
      client = undefined;
      await last?.end().catch(() => undefined);
    },
  };
}

export type NotificationListener = ReturnType<typeof createNotificationListener>;

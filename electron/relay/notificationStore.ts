import type pg from 'pg';
import { NOTIFICATION_CHANNEL, RELAY_HEARTBEAT_CHANNEL, type NotificationSignal, type QfpayNotification } from '../../shared/qfpay/notifications';
import { withHeadOffice } from '../services/headOffice/connection';

/**
 * The relay's writes to the head office. A notification is stored and announced to the tills in
 * one transaction: once COMMIT returns, the row is durable and every listening till is told; if
 * the relay dies before that, nothing was stored, QFPay was not answered SUCCESS, and its retry
 * brings the notification again.
 */

export interface StoredNotification {
  /** How many times QFPay has delivered it (1 the first time). */
  readonly deliveries: number;
}

export async function storeNotification(pool: pg.Pool, appCode: string, notification: QfpayNotification, body: string): Promise<StoredNotification> {
  return withHeadOffice(pool, async (client) => {
    await client.query('BEGIN');
    try {
      // A retried delivery (the same syssn and kind) is counted, never stored twice.
      const { rows } = await client.query<{ deliveries: number }>(
        `INSERT INTO qfpay_notifications AS n (app_code, notify_type, syssn, out_trade_no, body) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (syssn, notify_type) DO UPDATE SET deliveries = n.deliveries + 1, last_received = now()
           RETURNING deliveries`,
        [appCode, notification.notifyType, notification.syssn, notification.outTradeNo, body],
      );
      // Announced again on a retry too: a till that was not listening the first time hears of it now.
      const signal: NotificationSignal = { app_code: appCode, notify_type: notification.notifyType, syssn: notification.syssn, out_trade_no: notification.outTradeNo };
      await client.query('SELECT pg_notify($1, $2)', [NOTIFICATION_CHANNEL, JSON.stringify(signal)]);
      await client.query('COMMIT');
      return { deliveries: rows[0]?.deliveries ?? 1 };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
}

/** The relay's sign of life, by the server's clock, announced to the tills (and a goodbye when it stops). */
export async function relayHeartbeat(pool: pg.Pool, relayId: string, state: 'up' | 'stopping'): Promise<void> {
  await withHeadOffice(pool, async (client) => {
    await client.query('BEGIN');
    try {
      if (state === 'up') {
        await client.query('INSERT INTO qfpay_relays (relay_id) VALUES ($1) ON CONFLICT (relay_id) DO UPDATE SET last_beat = now()', [relayId]);
      } else {
        await client.query('DELETE FROM qfpay_relays WHERE relay_id = $1', [relayId]);
      }
      // Relays that died without a goodbye are forgotten after a day.
      await client.query("DELETE FROM qfpay_relays WHERE last_beat < now() - interval '1 day'");
      await client.query('SELECT pg_notify($1, $2)', [RELAY_HEARTBEAT_CHANNEL, JSON.stringify({ relay_id: relayId, state })]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
}

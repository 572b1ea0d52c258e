import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBodyBytes } from '../../electron/services/http/readBody';
import { NOTIFICATION_ACCEPTED, NOTIFICATION_SIGN_HEADER, notificationSignatureMatches } from '../../shared/qfpay/notifications';

/**
 * A stand-in for the relay in the simulator's tests: a real HTTP server on loopback that checks
 * each notification's signature on the raw bytes it received, as the relay must, and answers
 * `SUCCESS` only to a verified one unless the test decides otherwise.
 */

export interface ReceivedNotification {
  readonly raw: Buffer;
  readonly signature: string | undefined;
  readonly contentType: string | undefined;
  readonly verified: boolean;
  readonly json: Record<string, unknown>;
}

/** `hang`: never answer, so the sender's timeout (or its close) ends the attempt. */
export type ReceiverAnswer = { readonly status: number; readonly body: string } | 'hang';

export async function startNotificationReceiver(clientKey: string) {
  const received: ReceivedNotification[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let decide: (notification: ReceivedNotification, index: number) => ReceiverAnswer = (notification) =>
    notification.verified ? { status: 200, body: NOTIFICATION_ACCEPTED } : { status: 401, body: 'signature does not match' };

  const server = createServer((request, response) => {
    void readBodyBytes(request, 64 * 1024).then((raw = Buffer.alloc(0)) => {
      const signature = request.headers[NOTIFICATION_SIGN_HEADER] as string | undefined;
      const notification: ReceivedNotification = {
        raw,
        signature,
        contentType: request.headers['content-type'],
        verified: signature !== undefined && notificationSignatureMatches(raw, clientKey, signature),
        json: JSON.parse(raw.toString('utf8')) as Record<string, unknown>,
      };
      received.push(notification);
      for (const waiter of waiters.filter((waiter) => received.length >= waiter.count)) waiter.resolve();
      const answer = decide(notification, received.length - 1);
      if (answer === 'hang') return;
      response.writeHead(answer.status, { 'Content-Type': 'text/plain' });
      response.end(answer.body);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/qfpay/notify`,
    received,
    /** Decides the answer to each request from now on (index counts every request received). */
    answerWith(answer: typeof decide) {
      decide = answer;
    },
    /** Resolves once `count` requests have arrived: a wait on an event, not on the clock. */
    arrived(count: number): Promise<void> {
      if (received.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

export type NotificationReceiver = Awaited<ReturnType<typeof startNotificationReceiver>>;

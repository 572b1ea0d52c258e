import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { openTill } from '../electron/services/composition/openTill';
import { startBridge } from '../electron/web/bridgeServer';
import { DEFAULT_STREAM_LIMITS } from '../electron/web/screenStreams';
import { DEFAULT_LIMITS } from '../electron/web/webListener';
import { RENDERER_DIR } from '../electron/web/webMode';

/**
 * `npm run bench -- --only web`: issue 20's two floods against web mode with its default limits,
 * as figures (the tests assert the behaviour with short limits; this shows the real ones):
 *   1. 2,000 connections that send the start of a request's headers and never finish them (no
 *      credential needed): how many the till holds, and how many are still open after the header time;
 *   2. 5,000 event streams asked for by paired screens: how many are served, and what the till's
 *      memory and descriptors grow by.
 */
const openDescriptors = () => readdirSync('/proc/self/fd').length;
const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export async function webBench(folder: string) {
  const till = await openTill({ QFPOS_DB: join(folder, 'web-till.sqlite') });
  if (!till.ok) throw new Error(till.message);
  const bridge = await startBridge({ pos: till.pos, dispatch: till.dispatch, rendererDir: RENDERER_DIR });
  const port = bridge.port;
  try {
    console.log(`\nweb mode limits: header time ${DEFAULT_LIMITS.headersTimeoutMs / 1000} s, ${DEFAULT_LIMITS.maxConnections} connections, streams ${DEFAULT_STREAM_LIMITS.perPairing} a paired tab and ${DEFAULT_STREAM_LIMITS.total} in all`);

    // 1. Slow headers.
    const slow: Socket[] = [];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 2_000 }, () => new Promise<void>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port }, () => {
          socket.write(`GET /cashier HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Slow: `);
          resolve();
        });
        socket.on('error', () => resolve());
        socket.resume();
        slow.push(socket);
      })),
    );
    await sleep(1_000);
    const open = () => slow.filter((socket) => !socket.destroyed && !socket.readableEnded).length;
    console.log(`slow headers: 2000 opened; after 1 s ${open()} still open (the rest closed at once by the connection cap)`);
    const deadline = started + DEFAULT_LIMITS.headersTimeoutMs + 3_000;
    await sleep(Math.max(0, deadline - performance.now()));
    console.log(`slow headers: ${open()} still open at ${((performance.now() - started) / 1000).toFixed(1)} s (header time ${DEFAULT_LIMITS.headersTimeoutMs / 1000} s; before issue 20: 2000 at 68 s)`);
    for (const socket of slow) socket.destroy();
    await sleep(500);

    // 2. Event streams from paired screens, as many as asked for.
    const credentials: string[] = [];
    for (let index = 0; index < 20; index += 1) {
      const code = bridge.newCode(index % 2 === 0 ? 'cashier' : 'display');
      const answer = await fetch(`${bridge.url}/api/pair`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ role: index % 2 === 0 ? 'cashier' : 'display', code }) });
      credentials.push(((await answer.json()) as { value: { credential: string } }).value.credential);
    }
    // Asked for from another process, so that what grows here is the till's alone.
    const memoryBefore = process.memoryUsage().rss;
    const descriptorsBefore = openDescriptors();
    const client = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), 'flood', bridge.url, JSON.stringify(credentials)], { stdio: ['pipe', 'pipe', 'inherit'] });
    const [line] = (await once(createInterface({ input: client.stdout as Readable }), 'line')) as [string];
    const statuses = JSON.parse(line) as Record<string, number>;
    await sleep(500);
    const served = Object.entries(statuses).map(([status, count]) => `${count} × ${status}`).join(', ');
    console.log(`event streams: 5000 asked for by 20 paired tabs: ${served}; the till holds ${bridge.counts().streams}`);
    console.log(`event streams: the till's memory +${megabytes(process.memoryUsage().rss - memoryBefore)}, descriptors +${openDescriptors() - descriptorsBefore} (before issue 20: +56 MB and +5000 descriptors)`);
    client.stdin?.end();
    await once(client, 'exit');
  } finally {
    await bridge.close();
    await till.close();
  }
}

/** The asking side of the stream flood, in its own process: holds every stream it is given until told to stop. */
async function flood(url: string, credentials: string[]) {
  const statuses: Record<string, number> = {};
  // The responses are held: an unreachable one is collected, and undici closes its stream.
  const held: Response[] = [];
  for (let index = 0; index < 5_000; index += 1) {
    const credential = credentials[index % credentials.length] as string;
    const response = await fetch(`${url}/api/events`, { headers: { Authorization: `Bearer ${credential}`, 'X-Qfpos-Screen': `bench-page-${index.toString().padStart(12, '0')}` } });
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    if (response.ok) held.push(response);
    else await response.body?.cancel();
  }
  console.log(JSON.stringify(statuses));
  process.stdin.resume();
  await once(process.stdin, 'end');
  process.exit(0);
}

if (process.argv[2] === 'flood') await flood(process.argv[3] as string, JSON.parse(process.argv[4] as string) as string[]);

import type { X509Certificate } from 'node:crypto';
import { statSync } from 'node:fs';
import { connect as connectTcp, type Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import { connect as connectTls } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { certificatePath, keyPath } from '../../electron/web/tlsCertificate';
import { startTestApp, type TestApp } from '../support/app';
import { startTestSimulator, type TestSimulator } from '../support/simulator';
import { pairFrom, screenPage, webRequest } from '../support/webClient';

/**
 * Web mode on a shop's network (issue 20: "with --host 0.0.0.0 a tablet on the shop's network gets
 * 421, while a non-browser client faking Host gets in over plain HTTP with the token. No cap on
 * connections or event streams"), tried again against a real server listening on every address of
 * this machine, reached at one of its real network addresses.
 */

/** One of this machine's own non-loopback IPv4 addresses, as a tablet on its network would reach it. */
const networkAddress = Object.values(networkInterfaces())
  .flatMap((entries) => entries ?? [])
  .find((entry) => entry.family === 'IPv4' && !entry.internal)?.address;
if (!networkAddress) console.warn('web network tests skipped: this machine has no non-loopback IPv4 address');

let simulator: TestSimulator;
beforeAll(async () => {
  simulator = await startTestSimulator();
});
afterAll(async () => {
  await simulator.stop();
});

describe.skipIf(!networkAddress)('on every address (--host 0.0.0.0)', () => {
  let app: TestApp;
  let tablet: string;
  let ca: string;
  beforeAll(async () => {
    app = await startTestApp(simulator, {}, { poll: false, bridge: { host: '0.0.0.0' } });
    tablet = `https://${networkAddress}:${app.bridge.port}`;
    ca = app.bridge.certificate?.pem as string;
  });
  afterAll(async () => {
    await app?.stop();
  });

  it("serves a tablet over HTTPS with the till's own certificate, whose fingerprint it gives, for its addresses", async () => {
    expect(app.bridge.networkUrls).toContain(tablet);
    expect(app.bridge.certificate).toMatchObject({ made: true, fingerprint: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/) });
    // What a tablet's browser is shown is the certificate whose fingerprint the till printed.
    const served = await new Promise<X509Certificate>((resolve, reject) => {
      const socket = connectTls({ host: networkAddress, port: app.bridge.port, rejectUnauthorized: false }, () => {
        resolve(socket.getPeerX509Certificate() as X509Certificate);
        socket.end();
      });
      socket.on('error', reject);
    });
    expect(served.fingerprint256).toBe(app.bridge.certificate?.fingerprint);
    expect(served.subjectAltName).toContain(`IP Address:${networkAddress}`);
    expect(statSync(keyPath(app.folder.path)).mode & 0o777).toBe(0o600);
    expect(statSync(certificatePath(app.folder.path)).isFile()).toBe(true);

    // Pinned to that certificate, a tablet pairs and works: the certificate names this address.
    const paired = await pairFrom(app.bridge.pairingLink('display', tablet), 'display', { ca });
    expect(paired.status).toBe(200);
    const display = screenPage(tablet, paired.json.value.credential, { ca });
    expect((await display.command('readDisplayState')).json).toMatchObject({ ok: true, value: { display: { mode: 'idle' } } });
    // Its pages are served under the Host it typed (before, this was 421).
    expect((await webRequest(`${tablet}/display`, { ca })).status).toBe(200);
  });

  it('refuses a faked Host over HTTPS (421), and plain HTTP from the network whatever it carries, in words', async () => {
    const paired = await pairFrom(app.bridge.pairingLink('cashier', tablet), 'cashier', { ca });
    const cashier = screenPage(tablet, paired.json.value.credential, { ca });
    const faked = await webRequest(`${tablet}/api/commands/readSettings`, { body: {}, headers: { ...cashier.headers, Host: `evil.example:${app.bridge.port}` }, ca });
    expect(faked.status).toBe(421);

    // Issue 20 tried again: a non-browser client with a valid credential and a faked Host over plain HTTP.
    const orders = app.runtime.store.recentOrders(10).length;
    for (const host of [`127.0.0.1:${app.bridge.port}`, `${networkAddress}:${app.bridge.port}`]) {
      const plain = await webRequest(`http://${networkAddress}:${app.bridge.port}/api/commands/charge`, { body: { amount: 100, wallet: 'fps' }, headers: { ...cashier.headers, Host: host } });
      expect(plain.status).toBe(400);
      expect(plain.text).toContain('HTTPS only');
      expect(plain.text).toContain('只可經 HTTPS 開啟');
    }
    expect(app.runtime.store.recentOrders(10)).toHaveLength(orders);
    // The network's names are not served over loopback's plain HTTP either.
    const local = await webRequest(`${app.bridge.url}/api/commands/readSettings`, { body: {}, headers: { ...cashier.headers, Host: `${networkAddress}:${app.bridge.port}` } });
    expect(local.status).toBe(421);
  });

  it("serves this computer's own browser over plain loopback, without a certificate to accept", async () => {
    expect(app.bridge.url).toBe(`http://127.0.0.1:${app.bridge.port}`);
    const paired = await pairFrom(app.bridge.pairingLink('cashier'), 'cashier');
    expect((await screenPage(app.bridge.url, paired.json.value.credential).command('readSettings')).json).toMatchObject({ ok: true });
  });

  it('keeps its certificate across a restart (the fingerprint a tablet checked stays the same)', async () => {
    const fingerprint = app.bridge.certificate?.fingerprint;
    await app.shutDown();
    app = await startTestApp(simulator, {}, { poll: false, bridge: { host: '0.0.0.0' }, restartOf: app });
    expect(app.bridge.certificate).toMatchObject({ made: false, fingerprint });
    ca = app.bridge.certificate?.pem as string;
  });
});

/** Opens a raw TCP connection and sends the start of a request whose headers never end. */
function slowHeader(host: string, port: number): Promise<{ socket: Socket; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp({ host, port }, () => {
      socket.write(`GET /cashier HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Slow: `);
      socket.resume(); // the server's 408, read (and dropped) so that its close is seen
      resolve({ socket, closed });
    });
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.on('error', () => undefined); // a reset is a close, for these tests
    socket.once('error', (error) => (socket.connecting ? reject(error) : undefined));
  });
}

describe('limits', () => {
  it('closes every connection whose headers do not arrive within the header time, without a token', async () => {
    // A short header time, so the test waits for it rather than for 10 s; the closes are what is asserted.
    const app = await startTestApp(simulator, {}, { poll: false, bridge: { limits: { headersTimeoutMs: 300, requestTimeoutMs: 600, maxConnections: 200 } } });
    try {
      const slow = await Promise.all(Array.from({ length: 100 }, () => slowHeader('127.0.0.1', app.bridge.port)));
      await Promise.all(slow.map(({ closed }) => closed));
      expect(slow.every(({ socket }) => socket.destroyed)).toBe(true);
      // And the till still serves.
      expect((await fetch(`${app.bridge.url}/cashier`)).status).toBe(200);
    } finally {
      await app.stop();
    }
  });

  it('holds at most maxConnections at once: those beyond it are closed at once, the rest kept', async () => {
    const app = await startTestApp(simulator, {}, { poll: false, bridge: { limits: { headersTimeoutMs: 60_000, requestTimeoutMs: 120_000, maxConnections: 16 } } });
    try {
      const slow = await Promise.all(Array.from({ length: 40 }, () => slowHeader('127.0.0.1', app.bridge.port)));
      await vi.waitFor(() => expect(slow.filter(({ socket }) => socket.destroyed)).toHaveLength(24), { timeout: 10_000 });
      // With the 16 held, a screen cannot connect either: the cap is on everyone, as it must be.
      for (const { socket } of slow) socket.destroy();
      await Promise.all(slow.map(({ closed }) => closed));
      await vi.waitFor(async () => expect((await fetch(`${app.bridge.url}/cashier`)).status).toBe(200), { timeout: 10_000 });
    } finally {
      await app.stop();
    }
  });

  it.skipIf(!networkAddress)('closes a network connection that says nothing, or stalls in its TLS handshake, after the header time', async () => {
    const app = await startTestApp(simulator, {}, { poll: false, bridge: { host: '0.0.0.0', limits: { headersTimeoutMs: 300, requestTimeoutMs: 600, maxConnections: 200 } } });
    try {
      /** Connects, sends `first` (if anything), and resolves once the till has closed the connection. */
      const closedAfter = (first?: Buffer) =>
        new Promise<void>((resolve) => {
          const socket = connectTcp({ host: networkAddress, port: app.bridge.port }, () => {
            if (first) socket.write(first);
          });
          socket.resume();
          socket.on('error', () => undefined);
          socket.once('close', () => resolve());
        });
      // Twenty that say nothing, and twenty that send the first bytes of a TLS ClientHello, and then nothing.
      await Promise.all([...Array.from({ length: 20 }, () => closedAfter()), ...Array.from({ length: 20 }, () => closedAfter(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01])))]);
    } finally {
      await app.stop();
    }
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGatewayClient, type GatewayClientOptions } from '../../electron/services/gateway/client';
import { startSimulator, type SimulatorOptions } from '../../electron/simulator/server';
import type { SimCredentials } from '../../electron/simulator/openApi';
import type { SignType } from '../../shared/qfpay/signing';

export const TEST_CREDENTIALS: SimCredentials = {
  appCode: 'TESTAPPCODE0123456789ABCDEF',
  clientKey: 'TESTCLIENTKEY-SECRET-5f1e2d3c4b5a',
};

/** A loopback port nobody listens on: connecting to it is refused, so nothing is ever sent. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export function tempFolder(prefix = 'qfpos-test-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A real simulator on a free loopback port, with its own SQLite file in a fresh temp folder. */
export async function startTestSimulator(options: Partial<SimulatorOptions> = {}) {
  const folder = tempFolder();
  const simulator = await startSimulator({
    dbPath: join(folder.path, 'simulator.sqlite'),
    credentials: TEST_CREDENTIALS,
    rateLimitPerMinute: 0,
    ...options,
  });
  return {
    ...simulator,
    folder,
    client(overrides: Partial<GatewayClientOptions['credentials']> & { signType?: SignType; timeoutMs?: number } = {}) {
      const { timeoutMs, ...credentials } = overrides;
      return createGatewayClient({
        baseUrl: simulator.url,
        // mchid only when a test asks for it, as a real till sends it only when QFPay issued one.
        credentials: { appCode: simulator.credentials.appCode, clientKey: simulator.credentials.clientKey, signType: 'MD5', ...credentials },
        timeoutMs,
      });
    },
    /** Calls the control surface; returns the status and the parsed JSON. */
    async control(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
      const response = await fetch(`${simulator.url}/__sim__/${path}`, {
        method,
        headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, json: await response.json() };
    },
    async stop() {
      await simulator.close();
      folder.remove();
    },
  };
}

export type TestSimulator = Awaited<ReturnType<typeof startTestSimulator>>;

/** The QFPOS_* environment of a till that talks to this simulator and keeps its ledger in `folder`. */
export function tillEnvironment(simulator: TestSimulator, folder: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    QFPOS_GATEWAY: simulator.url,
    QFPOS_APP_CODE: TEST_CREDENTIALS.appCode,
    QFPOS_CLIENT_KEY: TEST_CREDENTIALS.clientKey,
    QFPOS_DB: join(folder, 'till.sqlite'),
    ...extra,
  };
}

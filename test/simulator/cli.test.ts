import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createGatewayClient } from '../../electron/services/gateway/client';
import { queryFields } from '../../shared/qfpay/requests';
import { tempFolder } from '../support/simulator';

/** Runs `npm run simulator -- ARGS` as docs/cli.md says, until `until` matches its output or it exits. */
function runSimulator(args: string[], until?: RegExp) {
  // Its own process group: npm and tsx each start a child, and a signal to npm alone left the
  // simulator itself running after the tests ended.
  const child = spawn('npm', ['run', '--silent', 'simulator', '--', ...args], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const settled = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    if (until) {
      child.stdout.on('data', () => {
        if (until.test(stdout)) resolve({ code: null, stdout, stderr });
      });
    }
  });
  return { child, settled };
}

describe('npm run simulator', () => {
  it('starts with the given credentials, prints them, answers signed requests and stops on SIGTERM', async () => {
    const folder = tempFolder();
    const { child, settled } = runSimulator(
      ['--port', '0', '--app-code', 'CLIAPP', '--client-key', 'CLIKEY', '--db', join(folder.path, 'cli.sqlite'), '--notify-url', 'http://127.0.0.1:9/qfpay/notify'],
      /Press Ctrl\+C/,
    );
    try {
      const { stdout } = await settled;
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
      expect(url).toBeDefined();
      expect(stdout).toContain('app code:    CLIAPP');
      expect(stdout).toContain('client key:  CLIKEY');
      expect(stdout).toContain('(none issued: do not send mchid)');
      expect(stdout).toContain('notify URL:  http://127.0.0.1:9/qfpay/notify');

      const client = createGatewayClient({ baseUrl: url as string, credentials: { appCode: 'CLIAPP', clientKey: 'CLIKEY', signType: 'SHA256' } });
      const fields = queryFields({ outTradeNos: ['NOTHING-YET'] });
      if (!fields.ok) throw new Error(fields.error);
      expect(await client.query(fields.value)).toMatchObject({ kind: 'success', body: { data: [] } });
    } finally {
      const exited = new Promise((resolve) => child.on('exit', resolve));
      if (process.platform === 'win32') spawnSync('taskkill', ['/pid', String(child.pid), '/T', '/F']);
      else process.kill(-(child.pid as number), 'SIGTERM');
      await exited;
      // Nothing of it is left: no process still holds its database.
      if (process.platform !== 'win32') await vi.waitFor(() => expect(spawnSync('pgrep', ['-f', join(folder.path, 'cli.sqlite')]).status).toBe(1), { timeout: 5_000 });
      folder.remove();
    }
  });

  // Each refusal is its own process (npm, then tsx): started together, they take the time of one.
  it.concurrent.for<[string[], string]>([
    [['--port', 'eighty'], '--port must be a whole number'],
    [['--app-code', 'ONLY'], 'give --app-code and --client-key together'],
    [['--time-scale', '0'], '--time-scale must be a positive number'],
    [['--no-such-flag'], "Unknown option '--no-such-flag'"],
    [['--notify-url', 'ftp://relay.example/notify'], 'the notify URL must be an absolute http:// or https:// URL'],
  ])('refuses %j with a one-line reason and exit code 2', async ([args, message], { expect }) => {
    const { code, stderr } = await runSimulator(args).settled;
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { nodeEntryArgs } from '../../scripts/nodeEntries';

/**
 * The relay as a shop runs it: its own process (`electron/relay/cli.ts` under Node), so
 * that a test can kill it with SIGKILL mid-request. Node itself is the child, not npm, so the
 * signal reaches the process that holds the request.
 */
export async function startRelayProcess(options: { headOffice: string; appCode: string; clientKey: string; port?: number }) {
  const child: ChildProcess = spawn(process.execPath, [...nodeEntryArgs('relay'), '--port', String(options.port ?? 0)], {
    cwd: process.cwd(),
    env: { ...process.env, QFPOS_HEAD_OFFICE: options.headOffice, QFPOS_APP_CODE: options.appCode, QFPOS_CLIENT_KEY: options.clientKey },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let buffered = '';
  const exited = once(child, 'exit');
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        const match = /listening on (http:\/\/\S+)\/qfpay\/notify/.exec(line);
        if (match) resolve(match[1] as string);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(() => reject(new Error(`the relay exited before listening:\n${lines.join('\n')}${buffered}`)));
  });
  return {
    url,
    notifyUrl: `${url}/qfpay/notify`,
    pid: child.pid as number,
    /** What it printed so far (refusals, stored notifications). */
    lines: () => [...lines],
    /** A crash: no goodbye, nothing finished. */
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export type RelayProcess = Awaited<ReturnType<typeof startRelayProcess>>;

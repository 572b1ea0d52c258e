import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeEntryArgs } from '../../scripts/nodeEntries';
import { certificatePath, keyPath } from '../../electron/web/tlsCertificate';
import { webLinksPath } from '../../electron/web/webLinks';
import { tempFolder } from '../support/simulator';
import { pairFrom, screenPage } from '../support/webClient';

/**
 * `npm run web -- --host 0.0.0.0` as a process (demo mode, its own folder): what it prints, what
 * it keeps beside the ledger, and what a restart and `--new-links` do to the links and the paired
 * screens (issue 20: "tokens persist in web-links.json until --new-links, are printed to stdout").
 */
const networkAddress = Object.values(networkInterfaces())
  .flatMap((entries) => entries ?? [])
  .find((entry) => entry.family === 'IPv4' && !entry.internal)?.address;

let folder: ReturnType<typeof tempFolder>;
beforeAll(() => {
  folder = tempFolder('qfpos-webmode-');
});
afterAll(() => folder.remove());

/** Starts web mode and resolves with what it printed, once it printed where the ledger is. */
async function startWebMode(args: string[]) {
  const child = spawn(process.execPath, [...nodeEntryArgs('web'), '--host', '0.0.0.0', ...args], {
    env: { ...process.env, QFPOS_DB: join(folder.path, 'till.sqlite') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  let errors = '';
  child.stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const check = setInterval(() => {
      if (printed.includes('  ledger: ')) {
        clearInterval(check);
        resolve();
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(check);
      reject(new Error(`web mode exited (${code}): ${errors}${printed}`));
    });
  });
  const links = (role: string) => [...printed.matchAll(new RegExp(`customer display: (\\S+)|cashier screen: +(\\S+)`, 'g'))].map((match) => match[1] ?? match[2]).filter((link) => link?.includes(`/${role}#pair=`)) as string[];
  return {
    printed,
    links,
    async stop() {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    },
  };
}

describe.skipIf(!networkAddress)('web mode on the shop network, as a process', () => {
  let displayCredential = '';
  let usedBeforeRestart = '';
  let unusedBeforeRestart = '';

  it('prints one-time links for this computer and for the network, and the certificate fingerprint to check', async () => {
    const web = await startWebMode([]);
    try {
      const [localCashier, ...networkCashier] = web.links('cashier');
      const [localDisplay, ...networkDisplay] = web.links('display');
      expect(localCashier).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/cashier#pair=[2-9A-Z]{4}-[2-9A-Z]{4}$/);
      expect(networkDisplay.some((link) => link.startsWith(`https://${networkAddress}:`))).toBe(true);
      expect(web.printed).toContain('Each link opens its screen once, within 10 minutes');
      // Demo mode: where the training wallet shows a customer's payment code to scan.
      const codePage = /training payment codes, for the scanner: (http:\/\/127\.0\.0\.1:\d+\/__sim__\/code)\n/.exec(web.printed)?.[1];
      expect(codePage).toBeDefined();
      expect(await (await fetch(`${codePage}/wechat`)).text()).toContain('data-testid="code-digits"');
      const served = new X509Certificate(readFileSync(certificatePath(folder.path)));
      expect(web.printed).toContain(served.fingerprint256);
      expect(statSync(keyPath(folder.path)).mode & 0o777).toBe(0o600);

      // A tablet opens the display link, pinned to the till's certificate.
      const tabletLink = networkDisplay.find((link) => link.startsWith(`https://${networkAddress}:`)) as string;
      const ca = readFileSync(certificatePath(folder.path), 'utf8');
      const paired = await pairFrom(tabletLink, 'display', { ca });
      expect(paired.status).toBe(200);
      displayCredential = paired.json.value.credential;
      // The cashier's link, used once here; the same link printed for the network is the same code, so it is spent too.
      expect((await pairFrom(localCashier as string, 'cashier')).status).toBe(200);
      expect((await pairFrom(networkCashier[0] as string, 'cashier', { ca })).status).toBe(403);
      usedBeforeRestart = localCashier as string;
      unusedBeforeRestart = localDisplay as string;
      // Kept beside the ledger: the port and a hash per paired screen, never a credential or a code.
      const kept = readFileSync(webLinksPath(folder.path), 'utf8');
      expect(statSync(webLinksPath(folder.path)).mode & 0o777).toBe(0o600);
      expect(JSON.parse(kept).screens).toHaveLength(2);
      expect(kept).not.toContain(displayCredential);
      for (const link of [...web.links('cashier'), ...web.links('display')]) expect(kept).not.toContain(link.split('#pair=')[1]);
    } finally {
      await web.stop();
    }
  });

  it('prints new codes at the next start; the old links open nothing, the paired tablet goes on', async () => {
    const web = await startWebMode([]);
    try {
      const [localCashier] = web.links('cashier');
      expect(new URL(localCashier as string).port).toBe(new URL(usedBeforeRestart).port);
      expect(localCashier).not.toBe(usedBeforeRestart);
      for (const [link, role] of [
        [usedBeforeRestart, 'cashier'],
        [unusedBeforeRestart, 'display'],
      ] as const) {
        const refused = await pairFrom(link, role);
        expect(refused.status).toBe(403);
        expect(refused.json.error.code).toBe('pairing_link_invalid');
      }
      const origin = new URL(localCashier as string).origin;
      expect((await screenPage(origin, displayCredential).command('readDisplayState')).json).toMatchObject({ ok: true });
    } finally {
      await web.stop();
    }
  });

  it('forgets every paired screen with --new-links', async () => {
    const web = await startWebMode(['--new-links']);
    try {
      const origin = new URL(web.links('cashier')[0] as string).origin;
      const refused = await screenPage(origin, displayCredential).command('readDisplayState');
      expect(refused.status).toBe(401);
      expect(refused.json.error.code).toBe('screen_not_paired');
      expect(JSON.parse(readFileSync(webLinksPath(folder.path), 'utf8')).screens).toEqual([]);
    } finally {
      await web.stop();
    }
  });
});

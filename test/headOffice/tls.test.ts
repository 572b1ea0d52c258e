import { join } from 'node:path';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../electron/cli/exitCodes';
import { runCli } from '../../electron/cli/main';
import { headOfficePool } from '../../electron/services/headOffice/connection';
import { createHeadOfficeSync } from '../../electron/services/headOffice/syncService';
import { openSettingsService } from '../../electron/services/settings/settingsService';
import { userOnlyFileSecretStore } from '../../electron/services/settings/secretStore';
import { SETTINGS_MESSAGES } from '../../shared/settings/tillSettings';
import { postgresAvailable, startPostgres, type TestPostgres } from '../support/postgres';
import { startTestSimulator, tempFolder, tillEnvironment, type TestSimulator } from '../support/simulator';
import { makeCertificates, networkAddress } from '../support/tlsCertificates';

/**
 * Issue 20, item 3, tried again: the head office over the network must be encrypted. A URL asking
 * for clear text is refused before anything is dialled; a server that offers no TLS gets the
 * 8-byte TLS request and nothing else (never the password); a server with TLS is verified against
 * its authority. Loopback may stay plain. "The network" is this machine's own non-loopback address.
 */
const PASSWORD = 'h3ad-0ffice-S3cret';
const address = networkAddress();

let simulator: TestSimulator;
const folders: ReturnType<typeof tempFolder>[] = [];
const tillEnv = (headOffice: string) => {
  const folder = tempFolder('qfpos-tls-');
  folders.push(folder);
  return { ...tillEnvironment(simulator, folder.path), QFPOS_HEAD_OFFICE: headOffice };
};

beforeAll(async () => {
  simulator = await startTestSimulator();
});
afterAll(async () => {
  await simulator.stop();
  for (const folder of folders) folder.remove();
});

describe('a head office address that would send the books in clear', () => {
  it.each(['disable', 'allow', 'prefer'])('sslmode=%s over the network: refused in one line naming TLS, before anything is dialled', async (mode) => {
    const outcome = await runCli(['sync'], tillEnv(`postgres://till:${PASSWORD}@office.example:5432/store?sslmode=${mode}`));
    expect(outcome.exitCode).toBe(EXIT.usage);
    expect(outcome.lines).toHaveLength(1);
    expect(outcome.lines[0]).toBe(
      `error: QFPOS_HEAD_OFFICE: the head office office.example is reached over the network without TLS (sslmode=${mode}): the books and the password would travel in clear. Instead, remove sslmode=disable (the till uses sslmode=verify-full), and add sslrootcert=/path/to/ca.pem if its certificate is not from a public authority.`,
    );
    expect(JSON.stringify(outcome)).not.toContain(PASSWORD);
  });

  it.each([
    ['postgres://till@localhost/store?host=office.example', 'host'],
    ['postgres://till@office.example/store?host=/tmp&host=evil.example&sslmode=disable', 'host'],
    ['postgres://till@office.example/store?password=hunter2', 'password'],
    ['postgres://till@office.example/store?sslmode=verify-full&sslmode=disable', 'sslmode'],
  ])('%s: a parameter pg would read its own way is refused, naming it, before anything is dialled', async (address, parameter) => {
    const outcome = await runCli(['sync'], tillEnv(address));
    expect(outcome.exitCode).toBe(EXIT.usage);
    expect(outcome.lines).toEqual([
      `error: QFPOS_HEAD_OFFICE: the head office address may carry only sslmode, sslrootcert, sslcert, sslkey (each once), not ${parameter}= (the host, port, user and database are the address's own parts; the password has its own field)`,
    ]);
    expect(outcome.lines[0]).not.toContain('hunter2');
    const folder = tempFolder('qfpos-tls-param-');
    folders.push(folder);
    const settings = openSettingsService(folder.path, userOnlyFileSecretStore(join(folder.path, 'client-key')));
    expect(settings.update({ headOfficeUrl: address.replace('?password=hunter2', '?password=x') })).toEqual({ ok: false, error: [{ field: 'headOfficeUrl', error: 'head_office_url_invalid' }] });
  });

  it('is refused by the manager’s settings with its words in both languages; loopback may stay plain', () => {
    const folder = tempFolder('qfpos-tls-settings-');
    folders.push(folder);
    const settings = openSettingsService(folder.path, userOnlyFileSecretStore(join(folder.path, 'client-key')));
    expect(settings.update({ headOfficeUrl: 'postgres://till@192.168.1.20:5432/store?sslmode=disable' })).toEqual({ ok: false, error: [{ field: 'headOfficeUrl', error: 'head_office_tls_required' }] });
    expect(SETTINGS_MESSAGES.head_office_tls_required['zh-HK']).toContain('TLS');
    expect(settings.update({ headOfficeUrl: 'postgres://till@127.0.0.1:5432/store?sslmode=disable' }).ok).toBe(true);
    expect(settings.update({ headOfficeUrl: 'postgres://till@192.168.1.20:5432/store?sslrootcert=/etc/qfpos/office-ca.pem' }).ok).toBe(true);
  });
});

describe.skipIf(!address)('a head office on the network (this machine’s own non-loopback address)', () => {
  let fake: Server;
  let fakePort = 0;
  const received: Buffer[] = [];

  beforeAll(async () => {
    // A PostgreSQL look-alike that offers no TLS: it answers the 8-byte SSLRequest with 'N' and records whatever comes next.
    fake = createServer((socket: Socket) => {
      let first = true;
      socket.on('data', (chunk) => {
        received.push(chunk);
        if (first) {
          first = false;
          socket.write('N');
        }
      });
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => fake.listen(0, address, resolve));
    fakePort = (fake.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => fake.close(resolve));
  });

  it('a server that offers no TLS gets the TLS request and nothing more: never the password; said in one line, exit 3', async () => {
    received.length = 0;
    const outcome = await runCli(['sync'], tillEnv(`postgres://till:${PASSWORD}@${address}:${fakePort}/store`));
    expect(outcome.exitCode).toBe(EXIT.refused);
    expect(outcome.lines).toEqual([`error: the head office ${address} offers no TLS, so nothing was sent (not even the password): turn ssl on in its postgresql.conf (docs/head-office.md, "Encrypted by default")`]);
    const bytes = Buffer.concat(received);
    expect(bytes.length).toBe(8);
    expect(bytes.readUInt32BE(4)).toBe(80877103); // PostgreSQL's SSLRequest code
    expect(bytes.toString('latin1')).not.toContain(PASSWORD);
    expect(bytes.toString('latin1')).not.toContain('till');
  });

  it('the background shipping says the link is refused for want of TLS, and the till goes on', async () => {
    const folder = tempFolder('qfpos-tls-bg-');
    folders.push(folder);
    const env = tillEnvironment(simulator, folder.path);
    expect((await runCli(['charge', '--amount', '1.00', '--wallet', 'fps'], env)).exitCode).toBe(EXIT.ok);
    const statuses: string[] = [];
    const sync = createHeadOfficeSync({ url: new URL(`postgres://till:${PASSWORD}@${address}:${fakePort}/store`), ledgerPath: env.QFPOS_DB as string, tillId: 'till-1', onStatus: (status) => statuses.push(JSON.stringify(status)) });
    await sync.shipNow();
    await sync.stop();
    const status = sync.status();
    expect(status).toMatchObject({ state: 'refused', code: 'insecure_link' });
    expect(JSON.stringify(statuses)).not.toContain(PASSWORD);
  });

  describe.skipIf(!postgresAvailable)('a PostgreSQL with TLS', () => {
    let postgres: TestPostgres;
    let certificates: ReturnType<typeof makeCertificates>;
    beforeAll(async () => {
      const folder = tempFolder('qfpos-tls-ca-');
      folders.push(folder);
      certificates = makeCertificates(folder.path, address as string);
      postgres = await startPostgres({ tls: { address: address as string, cert: certificates.cert, key: certificates.key } });
    });
    afterAll(async () => {
      await postgres?.remove();
    });

    it('verified against its authority (sslrootcert): ships, and the connection is encrypted', async () => {
      const local = new URL(await postgres.createDatabase());
      const url = `postgres://postgres@${address}:${postgres.port}${local.pathname}?sslrootcert=${encodeURIComponent(certificates.ca)}`;
      const env = tillEnv(url);
      expect((await runCli(['charge', '--amount', '2.00', '--wallet', 'fps'], env)).exitCode).toBe(EXIT.ok);
      const synced = await runCli(['sync'], env);
      expect(synced.exitCode).toBe(EXIT.ok);
      expect(synced.lines.at(-1)).toBe('in sync');
      const pool = headOfficePool(new URL(url));
      try {
        const { rows } = await pool.query('SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
        expect(rows[0]).toMatchObject({ ssl: true, version: expect.stringMatching(/^TLSv1\.[23]$/) });
      } finally {
        await pool.end();
      }
    });

    it('a certificate from an authority it was not told of: refused in words, nothing shipped', async () => {
      const local = new URL(await postgres.createDatabase());
      for (const extra of ['', `?sslrootcert=${encodeURIComponent(certificates.otherCa)}`]) {
        const outcome = await runCli(['sync'], tillEnv(`postgres://postgres@${address}:${postgres.port}${local.pathname}${extra}`));
        expect(outcome.exitCode).toBe(EXIT.refused);
        expect(outcome.lines[0]).toMatch(new RegExp(`^error: the head office ${(address as string).replaceAll('.', '\\.')}'s certificate could not be verified \\(.+\\), so nothing was sent: add sslrootcert=/path/to/ca.pem`));
      }
      const pool = headOfficePool(new URL(`postgres://postgres@127.0.0.1:${postgres.port}${local.pathname}`));
      try {
        expect((await pool.query("SELECT to_regclass('transitions') AS t")).rows[0].t).toBeNull();
      } finally {
        await pool.end();
      }
    });
  });
});

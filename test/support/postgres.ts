import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, copyFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { closedPort, tempFolder } from './simulator';

/**
 * A throwaway PostgreSQL cluster from Debian's packages, in a temp folder, on a loopback port:
 * never a mock. As root it runs as the `postgres` user (PostgreSQL refuses to run as root).
 * Without PostgreSQL the tests are skipped on a developer's machine with a warning, and fail in
 * CI, which installs it.
 */
function postgresBin(): string | undefined {
  // Named by CI on GitHub's runners (.github/workflows/desktop.yml), or by a developer.
  if (process.env.PGBIN && existsSync(process.env.PGBIN)) return process.env.PGBIN;
  if (process.platform === 'win32') return undefined;
  try {
    const initdb = execFileSync('which', ['initdb'], { encoding: 'utf8' }).trim();
    if (initdb) return join(initdb, '..');
  } catch {
    // not on PATH: Debian keeps it in /usr/lib/postgresql/<version>/bin
  }
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const version = readdirSync(root).sort((a, b) => Number(b) - Number(a))[0];
  return version && existsSync(join(root, version, 'bin', 'initdb')) ? join(root, version, 'bin') : undefined;
}

const bin = postgresBin();
export const postgresAvailable = bin !== undefined || process.env.CI !== undefined;
if (!postgresAvailable) console.warn('PostgreSQL tests skipped: install postgresql (apt-get install postgresql)');

const asRoot = process.getuid?.() === 0;

function run(tool: string, args: string[]) {
  const file = join(bin as string, tool);
  const result = asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', file, ...args], { encoding: 'utf8' }) : spawnSync(file, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${tool} failed: ${result.stderr || result.stdout}`);
}

/** Where the run's new, never started cluster is, for startPostgres to copy. */
export const POSTGRES_TEMPLATE = 'QFPOS_TEST_POSTGRES_TEMPLATE';

function initCluster(data: string) {
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
}

/** `cp -a`: the owner (postgres, when run as root) and the 0700 PostgreSQL insists on are kept. */
function copyCluster(from: string, to: string) {
  const copied = spawnSync('cp', ['-a', from, to], { encoding: 'utf8' });
  if (copied.status !== 0) throw new Error(`copying the PostgreSQL template failed: ${copied.stderr}`);
}

/**
 * A new cluster, never started, for each test's startPostgres to copy: initdb costs about 0.9 s of
 * CPU, and a dozen files start a PostgreSQL. Undefined without PostgreSQL, or when initdb fails:
 * each startPostgres then runs initdb itself, and its test reports the failure.
 */
export function makeClusterTemplate(): { path: string; remove(): void } | undefined {
  if (!bin) return undefined;
  const folder = tempFolder('qfpos-pg-template-');
  try {
    if (asRoot) chownSync(folder.path, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })));
    const data = join(folder.path, 'data');
    initCluster(data);
    return { path: data, remove: () => folder.remove() };
  } catch (error) {
    folder.remove();
    console.warn(`no PostgreSQL template for the tests (each cluster is made with initdb): ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/**
 * `tls`: the server also listens on `address` (a non-loopback address of this machine) and speaks
 * TLS there with `cert` and `key` (PEM files), accepting only encrypted connections from it.
 */
export async function startPostgres(options: { tls?: { address: string; cert: string; key: string }; maxConnections?: number } = {}) {
  if (!bin) throw new Error('PostgreSQL is not installed: apt-get install postgresql');
  const folder = tempFolder('qfpos-pg-');
  const owner = asRoot ? { uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })) } : undefined;
  if (owner) chownSync(folder.path, owner.uid, owner.gid);
  const data = join(folder.path, 'data');
  const port = await closedPort();
  // A copy of the run's new cluster (test/globalSetup.ts) is the same as a new one, for a tenth of its CPU.
  const template = process.env[POSTGRES_TEMPLATE];
  if (template && existsSync(template)) copyCluster(template, data);
  else initCluster(data);
  let listen = '127.0.0.1';
  let tlsOptions = '';
  if (options.tls) {
    // The server's copies, owned by it: PostgreSQL refuses a key others can read.
    for (const [from, to] of [[options.tls.cert, 'server.crt'], [options.tls.key, 'server.key']] as const) {
      copyFileSync(from, join(data, to));
      chmodSync(join(data, to), 0o600);
      if (owner) chownSync(join(data, to), owner.uid, owner.gid);
    }
    appendFileSync(join(data, 'pg_hba.conf'), '\nhostssl all all 0.0.0.0/0 trust\nhostnossl all all 0.0.0.0/0 reject\n');
    listen = `127.0.0.1,${options.tls.address}`;
    tlsOptions = ' -c ssl=on';
  }
  const start = () => run('pg_ctl', ['-D', data, '-o', `-p ${port} -k ${folder.path} -c listen_addresses=${listen} -c fsync=off -c max_connections=${options.maxConnections ?? 100}${tlsOptions}`, '-l', join(folder.path, 'log'), '-w', 'start']);
  start();
  let databases = 0;
  return {
    port,
    url: (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    /** A fresh database for one test file or test. */
    async createDatabase(prefix = 'store'): Promise<string> {
      const name = `${prefix}_${(databases += 1)}`;
      const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
      await client.connect();
      await client.query(`CREATE DATABASE ${name}`);
      await client.end();
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    /** The head office going down (immediately, as a crash or a pulled cable) and coming back. */
    stop: () => run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']),
    start,
    async remove() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      } catch {
        // already stopped
      }
      folder.remove();
    },
  };
}

export type TestPostgres = Awaited<ReturnType<typeof startPostgres>>;

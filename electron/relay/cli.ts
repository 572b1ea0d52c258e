import { parseArgs } from 'node:util';
import { headOfficeError, headOfficePool, parseHeadOfficeUrl, redactedHeadOfficeUrl, withHeadOffice } from '../services/headOffice/connection';
import { migrateHeadOffice } from '../services/headOffice/postgresSchema';
import { loadRelayKeys } from './relayKeys';
import { NOTIFY_PATH, startRelay } from './relayServer';

/**
 * `npm run relay -- --port P [--host H] [--keys FILE]`, with QFPOS_HEAD_OFFICE and the merchant's
 * QFPOS_APP_CODE and QFPOS_CLIENT_KEY in the environment: QFPay's notifications into the head
 * office, for the tills to hear. Deploy it behind the shop's HTTPS reverse proxy (docs/head-office.md,
 * "QFPay's push: the notification relay"); it listens on loopback unless told otherwise.
 */

const USAGE = `Usage: npm run relay -- --port N [--host H] [--keys FILE]
  --port N      port to listen on (the reverse proxy forwards ${NOTIFY_PATH} to it)
  --host H      address to listen on (default 127.0.0.1: behind a proxy on this machine)
  --keys FILE   JSON [{ "app_code": "...", "client_key": "..." }] for a chain's several app codes
Environment: QFPOS_HEAD_OFFICE (postgres://USER:PASSWORD@HOST:5432/DATABASE), QFPOS_APP_CODE and QFPOS_CLIENT_KEY.`;

function fail(message: string): never {
  console.error(`relay: ${message}\n\n${USAGE}`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({ options: { port: { type: 'string' }, host: { type: 'string' }, keys: { type: 'string' }, help: { type: 'boolean' } }, strict: true }));
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (values.port === undefined || !/^\d{1,5}$/.test(values.port) || Number(values.port) > 65535) fail('--port must be a whole number up to 65535');
if (!process.env.QFPOS_HEAD_OFFICE) fail('QFPOS_HEAD_OFFICE is not set: the relay stores notifications in the head office');

let url: URL;
let keys;
try {
  url = parseHeadOfficeUrl(process.env.QFPOS_HEAD_OFFICE);
  keys = loadRelayKeys(process.env, values.keys);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}

const pool = headOfficePool(url, { max: 4, timeoutMs: 5_000 });
try {
  // The tables the notifications go into, made as a till would make them.
  await withHeadOffice(pool, (client) => migrateHeadOffice(client));
} catch (error) {
  console.error(`relay: the head office ${redactedHeadOfficeUrl(url)} cannot be used: ${headOfficeError(error, url)}`);
  await pool.end();
  process.exit(1);
}
const relay = await startRelay({ pool, keys, host: values.host, port: Number(values.port) }).catch(async (error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  await pool.end();
  fail(code === 'EADDRINUSE' ? `port ${values.port} is in use: choose another with --port` : headOfficeError(error, url));
});
console.log(`relay: listening on ${relay.url}${NOTIFY_PATH} for ${[...keys.keys()].join(', ')}, storing into ${redactedHeadOfficeUrl(url)}`);

const stop = async () => {
  await relay.close();
  await pool.end();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());

import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { notifyUrlSchema } from './notifier';
import { startSimulator } from './server';

/**
 * `npm run simulator -- --port 4010 --app-code CODE --client-key KEY [--mchid ID] [--host H] [--notify-url URL]`
 * Starts the QFPay simulator on its own and prints where it listens and the credentials to use.
 */

const USAGE = `Usage: npm run simulator -- [options]
  --port N            port to listen on (default 4010; 0 picks a free one)
  --host H            address to listen on (default 127.0.0.1; 0.0.0.0 lets phones on the LAN pay)
  --app-code CODE     the app code clients must send (default: kept in the database, or new)
  --client-key KEY    the key clients sign with (give it together with --app-code)
  --mchid ID          require this mchid (default: none issued, so mchid must not be sent)
  --db PATH           the simulator's SQLite file (default .simulator/simulator.sqlite)
  --time-scale N      QR codes expire N times faster than real time (default 1)
  --public-url URL    base of the wallet-page URLs put in qrcode (default: the listening address)
  --rate-limit N      requests a minute before HTTP 429 (default 400, as QFPay; 0 for none)
  --notify-url URL    send QFPay's signed asynchronous notifications of payments and refunds
                      to this http(s) URL, e.g. the relay's /qfpay/notify (default: none sent);
                      faults through PUT /__sim__/notify
  --help              show this`;

function fail(message: string): never {
  console.error(`simulator: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function wholeNumber(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) fail(`--${name} must be a whole number, not "${value}"`);
  return Number(value);
}

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'app-code': { type: 'string' },
        'client-key': { type: 'string' },
        mchid: { type: 'string' },
        db: { type: 'string' },
        'time-scale': { type: 'string' },
        'public-url': { type: 'string' },
        'rate-limit': { type: 'string' },
        'notify-url': { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }

  const appCode = values['app-code'];
  const clientKey = values['client-key'];
  if ((appCode === undefined) !== (clientKey === undefined)) fail('give --app-code and --client-key together');
  for (const [name, value] of [['app-code', appCode], ['client-key', clientKey], ['mchid', values.mchid]] as const) {
    if (value !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(value)) fail(`--${name} must be 1-64 letters, digits, _ or -`);
  }
  const port = wholeNumber(values.port, 'port', 4010);
  if (port > 65535) fail('--port must be at most 65535');
  const timeScaleText = values['time-scale'] ?? '1';
  if (!/^\d+(\.\d+)?$/.test(timeScaleText) || Number(timeScaleText) <= 0) fail('--time-scale must be a positive number');
  const notifyUrl = values['notify-url'];
  const notifyUrlCheck = notifyUrl === undefined ? undefined : notifyUrlSchema.safeParse(notifyUrl);
  if (notifyUrlCheck?.success === false) fail(`--notify-url "${notifyUrl}": ${notifyUrlCheck.error.issues.map((issue) => issue.message).join('; ')}`);
  const dbPath = resolve(values.db ?? '.simulator/simulator.sqlite');
  mkdirSync(dirname(dbPath), { recursive: true });

  let simulator;
  try {
    simulator = await startSimulator({
      dbPath,
      host: values.host ?? '127.0.0.1',
      port,
      credentials: appCode && clientKey ? { appCode, clientKey, mchid: values.mchid } : undefined,
      timeScale: Number(timeScaleText),
      publicUrl: values['public-url'],
      rateLimitPerMinute: wholeNumber(values['rate-limit'], 'rate-limit', 400),
      notifyUrl,
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    fail(code === 'EADDRINUSE' ? `port ${port} is in use: choose another with --port` : String(error));
  }

  const { credentials } = simulator;
  console.log(`QFPay simulator listening on ${simulator.url}`);
  console.log(`  app code:    ${credentials.appCode}`);
  console.log(`  client key:  ${credentials.clientKey}`);
  console.log(`  mchid:       ${credentials.mchid ?? '(none issued: do not send mchid)'}`);
  console.log(`  database:    ${dbPath}`);
  console.log(`  time scale:  ${timeScaleText}x`);
  console.log(`  wallet URLs: ${simulator.publicUrl}/__sim__/wallet/<syssn>`);
  console.log(`  notify URL:  ${notifyUrl ?? '(none: no notifications sent)'}`);
  console.log(`  control:     ${simulator.url}/__sim__/ (loopback only)`);
  console.log('Press Ctrl+C to stop.');

  const stop = async () => {
    await simulator.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();

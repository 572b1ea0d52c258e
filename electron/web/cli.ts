import { parseArgs } from 'node:util';
import { runWebMode } from './webMode';

/**
 * `npm run web [-- --port N] [-- --host H] [-- --new-links]`: the app in a browser, on this machine
 * only unless told (`--host 0.0.0.0`: also tablets on the shop's network, over HTTPS). Every start
 * prints new one-time links; `--new-links` also forgets the screens paired before.
 */
const USAGE = `Usage: npm run web -- [--port N] [--host H] [--new-links]
  --port N      port to listen on (default: the one used last, else any free one)
  --host H      address to listen on (default 127.0.0.1: this machine only; 0.0.0.0 also serves
                tablets on the shop's network, over HTTPS)
  --new-links   forget the screens paired before; every start prints new one-time links`;

try {
  const { values } = parseArgs({ options: { port: { type: 'string' }, host: { type: 'string' }, 'new-links': { type: 'boolean' }, help: { type: 'boolean' } }, strict: true });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (values.port !== undefined && !/^\d{1,5}$/.test(values.port)) throw new Error('--port must be a whole number');
  await runWebMode({ host: values.host, port: values.port === undefined ? undefined : Number(values.port), newLinks: values['new-links'] });
} catch (error) {
  console.error(`web: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  process.exit(2);
}

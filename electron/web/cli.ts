import { parseArgs } from 'node:util';
import { runWebMode } from './webMode';

/**
 * `npm run web [-- --port N] [-- --host H] [-- --new-links]`: the app in a browser, on this machine
 * only unless told (`--host 0.0.0.0`: also tablets on the shop's network, over HTTPS). Every start
 * prints new one-time links; `--new-links` also forgets the screens paired before.
 */
try {
  const { values } = parseArgs({ options: { port: { type: 'string' }, host: { type: 'string' }, 'new-links': { type: 'boolean' } } });
  if (values.port !== undefined && !/^\d{1,5}$/.test(values.port)) throw new Error('--port must be a whole number');
  await runWebMode({ host: values.host, port: values.port === undefined ? undefined : Number(values.port), newLinks: values['new-links'] });
} catch (error) {
  console.error(`web: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}

import { parseWebOptions, WEB_OPTIONS_USAGE } from './webOptions';
import { runWebMode } from './webMode';

/**
 * `npm run web [-- --port N] [-- --host H] [-- --new-links]`: the app in a browser, on this machine
 * only unless told (`--host 0.0.0.0`: also tablets on the shop's network, over HTTPS). Every start
 * prints new one-time links; `--new-links` also forgets the screens paired before.
 */
const USAGE = `Usage: npm run web -- [--port N] [--host H] [--new-links]\n${WEB_OPTIONS_USAGE}`;

try {
  const options = parseWebOptions(process.argv.slice(2));
  if (options.help) {
    console.log(USAGE);
    process.exit(0);
  }
  await runWebMode({ host: options.host, port: options.port, newLinks: options.newLinks });
} catch (error) {
  console.error(`web: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  process.exit(2);
}

import { parseArgs } from 'node:util';

/** The web mode's options, as `npm run web` and `npm start` (when it falls back to web mode) take them. */
export interface WebOptions {
  readonly port?: number;
  readonly host?: string;
  readonly newLinks?: boolean;
  readonly help?: boolean;
}

export const WEB_OPTIONS_USAGE = `  --port N      port to listen on (default: the one used last, else any free one)
  --host H      address to listen on (default 127.0.0.1: this machine only; 0.0.0.0 also serves
                tablets on the shop's network, over HTTPS)
  --new-links   forget the screens paired before; every start prints new one-time links`;

/** Throws, in words, on an option it does not know or a port that is not a port. */
export function parseWebOptions(args: readonly string[]): WebOptions {
  const { values } = parseArgs({ args: [...args], options: { port: { type: 'string' }, host: { type: 'string' }, 'new-links': { type: 'boolean' }, help: { type: 'boolean' } }, strict: true });
  let port: number | undefined;
  if (values.port !== undefined) {
    port = /^\d{1,5}$/.test(values.port) ? Number(values.port) : NaN;
    if (!(port >= 1 && port <= 65_535)) throw new Error('--port must be a whole number from 1 to 65535');
  }
  if (values.host !== undefined && values.host.trim() === '') throw new Error('--host needs an address, e.g. --host 0.0.0.0');
  return { port, host: values.host, newLinks: values['new-links'], help: values.help };
}

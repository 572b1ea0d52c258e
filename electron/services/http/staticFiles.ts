import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { APP_CONTENT_SECURITY_POLICY } from './contentSecurityPolicy';

/**
 * The built renderer's files, for the app:// protocol and for web mode alike: only files inside
 * the build folder, whatever the encoding of the path, each answered with the app's content
 * security policy.
 */
const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

export interface StaticAnswer {
  readonly status: 200 | 404;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer | string;
}

const HEADERS = {
  'Content-Security-Policy': APP_CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

export const STATIC_NOT_FOUND: StaticAnswer = { status: 404, headers: { ...HEADERS, 'Content-Type': 'text/plain' }, body: 'not found' };

/** `encodedPath` is a URL's path as it arrived (percent-encoded), relative to the build folder. */
export async function readStaticFile(rendererDir: string, encodedPath: string): Promise<StaticAnswer> {
  let path: string;
  try {
    path = decodeURIComponent(encodedPath);
  } catch {
    return STATIC_NOT_FOUND; // malformed percent-encoding
  }
  if (path.includes('\0')) return STATIC_NOT_FOUND;
  const root = resolve(rendererDir);
  // `resolve` drops any `..`; both separators count, since Windows takes either.
  const file = resolve(root, `.${sep}${path.replaceAll('\\', '/')}`);
  if (!file.startsWith(root + sep)) return STATIC_NOT_FOUND;
  try {
    const body = await readFile(file);
    return { status: 200, headers: { ...HEADERS, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }, body };
  } catch {
    return STATIC_NOT_FOUND; // missing, or a folder
  }
}

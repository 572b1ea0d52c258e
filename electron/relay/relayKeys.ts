import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * Which merchants the relay receives for: app code → client key. One from the environment
 * (QFPOS_APP_CODE, QFPOS_CLIENT_KEY), and for a chain with several app codes a JSON file
 * (`--keys FILE`: `[{ "app_code": "...", "client_key": "..." }, ...]`, readable by the relay's
 * user alone). A file that cannot be read or does not hold that is refused in words; the keys
 * themselves never appear in a message.
 */
export type RelayKeys = ReadonlyMap<string, string>;

export class RelayKeysInvalid extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RelayKeysInvalid';
  }
}

const appCode = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an app code is 1-64 letters, digits, _ or -');
const clientKey = z.string().regex(/^[\x21-\x7e]{8,128}$/, 'a client key is 8-128 visible ASCII characters');
const keysFile = z.array(z.object({ app_code: appCode, client_key: clientKey }).strict()).min(1, 'the file names no app code');

export function loadRelayKeys(env: Readonly<Record<string, string | undefined>>, file?: string): RelayKeys {
  const keys = new Map<string, string>();
  const add = (code: string, key: string, where: string) => {
    if (keys.has(code) && keys.get(code) !== key) throw new RelayKeysInvalid(`app code ${code} is given twice with different keys (${where})`);
    keys.set(code, key);
  };
  if ((env.QFPOS_APP_CODE === undefined) !== (env.QFPOS_CLIENT_KEY === undefined)) {
    throw new RelayKeysInvalid('give QFPOS_APP_CODE and QFPOS_CLIENT_KEY together');
  }
  if (env.QFPOS_APP_CODE !== undefined && env.QFPOS_CLIENT_KEY !== undefined) {
    if (!appCode.safeParse(env.QFPOS_APP_CODE).success) throw new RelayKeysInvalid('QFPOS_APP_CODE must be 1-64 letters, digits, _ or -');
    if (!clientKey.safeParse(env.QFPOS_CLIENT_KEY).success) throw new RelayKeysInvalid('QFPOS_CLIENT_KEY must be 8-128 visible ASCII characters');
    add(env.QFPOS_APP_CODE, env.QFPOS_CLIENT_KEY, 'QFPOS_APP_CODE');
  }
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new RelayKeysInvalid(`the keys file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new RelayKeysInvalid(`the keys file ${file} is not JSON: it should hold [{ "app_code": "...", "client_key": "..." }]`);
    }
    const parsed = keysFile.safeParse(json);
    if (!parsed.success) {
      // Where the problem is, never the value: it may be a key.
      const where = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'the file'}: ${issue.message}`).join('; ');
      throw new RelayKeysInvalid(`the keys file ${file} is refused: ${where}`);
    }
    for (const entry of parsed.data) add(entry.app_code, entry.client_key, file);
  }
  if (keys.size === 0) throw new RelayKeysInvalid('no app code to receive for: set QFPOS_APP_CODE and QFPOS_CLIENT_KEY, or give --keys FILE');
  return keys;
}

import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRelayKeys } from '../../electron/relay/relayKeys';
import { tempFolder } from '../support/simulator';

const folder = tempFolder('qfpos-relay-keys-');
afterAll(() => folder.remove());

function keysFile(name: string, content: string): string {
  const path = join(folder.path, name);
  writeFileSync(path, content);
  chmodSync(path, 0o600);
  return path;
}

describe("the relay's merchants", () => {
  it('takes the app code and key from the environment, and a chain\'s several from a file', () => {
    const file = keysFile('chain.json', JSON.stringify([{ app_code: 'SHOPB', client_key: 'key-of-shop-b-123' }, { app_code: 'SHOPC', client_key: 'key-of-shop-c-456' }]));
    const keys = loadRelayKeys({ QFPOS_APP_CODE: 'SHOPA', QFPOS_CLIENT_KEY: 'key-of-shop-a-789' }, file);
    expect([...keys.keys()]).toEqual(['SHOPA', 'SHOPB', 'SHOPC']);
    expect(keys.get('SHOPC')).toBe('key-of-shop-c-456');
  });

  it('refuses, in words and without quoting a key, a missing, damaged or wrong file and half a pair', () => {
    const refusal = (env: Record<string, string>, file?: string) => {
      try {
        loadRelayKeys(env, file);
        return 'accepted';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(refusal({})).toBe('no app code to receive for: set QFPOS_APP_CODE and QFPOS_CLIENT_KEY, or give --keys FILE');
    expect(refusal({ QFPOS_APP_CODE: 'SHOPA' })).toBe('give QFPOS_APP_CODE and QFPOS_CLIENT_KEY together');
    expect(refusal({}, join(folder.path, 'missing.json'))).toMatch(/keys file .*missing\.json cannot be read \(ENOENT\)/);
    expect(refusal({}, keysFile('cut.json', '[{"app_code": "SHOPB", "client_'))).toMatch(/is not JSON/);
    const secret = 'short';
    const wrong = refusal({}, keysFile('wrong.json', JSON.stringify([{ app_code: 'SHOPB', client_key: secret }])));
    expect(wrong).toMatch(/refused: 0\.client_key: a client key is 8-128 visible ASCII characters/);
    expect(wrong).not.toContain(`"${secret}"`);
    expect(refusal({ QFPOS_APP_CODE: 'SHOPB', QFPOS_CLIENT_KEY: 'key-one-aaaaaa' }, keysFile('twice.json', JSON.stringify([{ app_code: 'SHOPB', client_key: 'key-two-bbbbbb' }])))).toMatch(
      /app code SHOPB is given twice with different keys/,
    );
  });
});

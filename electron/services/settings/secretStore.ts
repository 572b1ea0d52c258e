import { chmodSync, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../files/atomicFile';

/**
 * Where the client key lives, apart from the settings. In Electron it is encrypted with the
 * operating system's key store (safeStorage, see electron/main/safeStorageSecret.ts); in web mode
 * and the CLI it is a file only this user can read (mode 0600). Either way it never reaches a
 * screen, a log, an export or the settings file.
 */
export interface SecretStore {
  read(): string | undefined;
  write(secret: string): void;
  clear(): void;
  /** How it is kept, for the settings screen ("encrypted by the OS", "file readable only by you"). */
  readonly protection: 'os-encrypted' | 'user-only-file';
}

/** The plain-file store: 0600, written atomically (fsync'd, folder too), and tightened again if someone loosened it. */
export function userOnlyFileSecretStore(path: string): SecretStore {
  return {
    protection: 'user-only-file',
    read() {
      if (!existsSync(path)) return undefined;
      if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
      const secret = readFileSync(path, 'utf8').trim();
      return secret === '' ? undefined : secret;
    },
    write: (secret: string) => writeFileAtomic(path, secret),
    clear() {
      rmSync(path, { force: true });
    },
  };
}

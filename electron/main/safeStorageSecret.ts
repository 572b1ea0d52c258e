import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../services/files/atomicFile';
import { userOnlyFileSecretStore, type SecretStore } from '../services/settings/secretStore';
import type { SecretName } from '../services/settings/settingsService';
import type { ShellSafeStorage } from './electronApis';

/**
 * The client key (and the head office's password) encrypted by the operating system's key store (Keychain, DPAPI, libsecret). On
 * Linux without a real key store Electron would only obscure it ("basic_text"), so the key is
 * then kept in a file readable only by this user, and the settings screen says which.
 */
export function osSecretStore(safeStorage: ShellSafeStorage, platform: NodeJS.Platform = process.platform) {
  return (folder: string, name: SecretName = 'client-key'): SecretStore => {
    const weak = platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text';
    if (!safeStorage.isEncryptionAvailable() || weak) return userOnlyFileSecretStore(join(folder, name));
    const path = join(folder, `${name}.enc`);
    return {
      protection: 'os-encrypted',
      read: () => (existsSync(path) ? safeStorage.decryptString(readFileSync(path)) || undefined : undefined),
      write: (secret: string) => writeFileAtomic(path, safeStorage.encryptString(secret)),
      clear: () => rmSync(path, { force: true }),
    };
  };
}

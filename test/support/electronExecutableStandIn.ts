import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Electron's fuse wire starts after this sentinel (electron/electron's build/fuses). */
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/**
 * Electron's shipped defaults for its nine fuses, in wire order: RunAsNode, NodeOptions,
 * NodeCliInspect, GrantFileProtocolExtraPrivileges and WasmTrapHandlers on, the rest off.
 */
export const ELECTRON_DEFAULT_WIRE = '101100011';

/**
 * A stand-in Electron executable, where the real one cannot be downloaded: only the fuse wire as
 * Electron writes it (the sentinel, the schema version 1, the wire's length, one ASCII '0' or '1'
 * a fuse), which is all @electron/fuses reads and writes.
 */
export function standInElectron(path: string, wire = ELECTRON_DEFAULT_WIRE): void {
  writeFileSync(path, Buffer.concat([Buffer.from('stand-in for the Electron executable\n'), Buffer.from(SENTINEL), Buffer.from([1, wire.length]), Buffer.from(wire)]), { mode: 0o755 });
}

/** An unpacked Linux Electron distribution made of the stand-in, for electron-builder's electronDist. */
export function standInLinuxElectronDist(dir: string, version: string): string {
  mkdirSync(join(dir, 'resources'), { recursive: true });
  standInElectron(join(dir, 'electron'));
  writeFileSync(join(dir, 'version'), version);
  return dir;
}

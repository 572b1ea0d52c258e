import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../services/files/atomicFile';
import type { PairedScreen } from './screenPairing';

/**
 * What web mode keeps beside the ledger (web-links.json, readable by this user only) so that a
 * restart keeps the open screens working: the port, and the paired screens, each only as the hash
 * of its credential (nothing in the file opens a screen). The links themselves are not kept: each
 * start prints new ones. `npm run web -- --new-links` forgets the paired screens (they must be
 * paired again, from the new links).
 *
 * A file from before pairing (with `tokens`) is read for its port; its tokens are dropped, which
 * is what retires the old, reusable links.
 */
const linksSchema = z.object({
  port: z.number().int().min(1).max(65_535),
  screens: z
    .array(
      z.object({
        credentialHash: z.string().regex(/^[0-9a-f]{64}$/),
        role: z.enum(['cashier', 'display']),
        pairedAt: z.number().int().nonnegative(),
      }),
    )
    .default([]),
});

export interface WebLinks {
  readonly port: number;
  readonly screens: readonly PairedScreen[];
}

export const webLinksPath = (folder: string) => join(folder, 'web-links.json');

/** What was kept from the last start; undefined if nothing was, or (said by the caller) it cannot be read. */
export function readWebLinks(folder: string): { links?: WebLinks; unreadable?: boolean } {
  const path = webLinksPath(folder);
  if (!existsSync(path)) return {};
  try {
    const parsed = linksSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? { links: parsed.data } : { unreadable: true };
  } catch {
    return { unreadable: true };
  }
}

export function saveWebLinks(folder: string, links: WebLinks): void {
  writeFileAtomic(webLinksPath(folder), JSON.stringify(links, null, 2));
}

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Role } from '../../shared/ipc/contract';
import { writeFileAtomic } from '../services/files/atomicFile';

/**
 * Web mode's address and screen tokens, kept beside the ledger (readable by this user only) so
 * that a restart keeps the same links: the cashier's and the customer's open tabs reconnect by
 * themselves. New links only when asked (`npm run web -- --new-links`).
 */
const linksSchema = z.object({
  port: z.number().int().min(1).max(65_535),
  tokens: z.object({ cashier: z.string().regex(/^[A-Za-z0-9_-]{32}$/), display: z.string().regex(/^[A-Za-z0-9_-]{32}$/) }),
});

export interface WebLinks {
  readonly port: number;
  readonly tokens: Readonly<Record<Role, string>>;
}

export const webLinksPath = (folder: string) => join(folder, 'web-links.json');

/** The links kept from the last start; undefined if none were kept, or (said by the caller) they cannot be read. */
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

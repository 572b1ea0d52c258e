import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../electron/services/config/config';
import { openTillRuntime } from '../../electron/services/runtime/runtime';
import { readWebLinks, saveWebLinks, webLinksPath } from '../../electron/web/webLinks';
import { credentialHash } from '../../electron/web/screenPairing';
import { tempFolder } from '../support/simulator';

/** What a restart keeps, so that open screens and customers' QR codes keep working. */
let folder: ReturnType<typeof tempFolder>;
beforeEach(() => {
  folder = tempFolder('qfpos-restart-');
});
afterEach(() => folder.remove());

describe('a restart keeps', () => {
  it('web mode’s address and paired screens (hashes only), in a file only this user can read', () => {
    expect(readWebLinks(folder.path)).toEqual({});
    const links = { port: 47_123, screens: [{ credentialHash: credentialHash('a tab’s credential'), role: 'cashier' as const, pairedAt: 1_000 }] };
    saveWebLinks(folder.path, links);
    expect(statSync(webLinksPath(folder.path)).mode & 0o777).toBe(0o600);
    expect(readWebLinks(folder.path)).toEqual({ links });
    expect(readFileSync(webLinksPath(folder.path), 'utf8')).not.toContain('a tab’s credential');
    // A file from before pairing keeps its port; its reusable tokens are dropped, never read back.
    writeFileSync(webLinksPath(folder.path), JSON.stringify({ port: 47_123, tokens: { cashier: 'c'.repeat(32), display: 'd'.repeat(32) } }));
    expect(readWebLinks(folder.path)).toEqual({ links: { port: 47_123, screens: [] } });
    // A damaged file is said to be unreadable (the screens are then paired again, and it is said), never half-read.
    writeFileSync(webLinksPath(folder.path), '{"port": 47123');
    expect(readWebLinks(folder.path)).toEqual({ unreadable: true });
  });

  it('the demo gateway’s port, so QR codes already on customers’ phones still open', async () => {
    const config = resolveConfig({ QFPOS_DB: join(folder.path, 'till.sqlite') });
    if (!config.ok) throw new Error(config.error.message);
    const first = await openTillRuntime(config.value);
    const port = first.simulator?.port;
    await first.close();
    const second = await openTillRuntime(config.value);
    try {
      expect(second.simulator?.port).toBe(port);
      // Beside it, a command-line till on the same folder gets another port and leaves the kept one alone.
      const beside = await openTillRuntime(config.value);
      expect(beside.simulator?.port).not.toBe(port);
      await beside.close();
    } finally {
      await second.close();
    }
    const third = await openTillRuntime(config.value);
    expect(third.simulator?.port).toBe(port);
    await third.close();
  });
});

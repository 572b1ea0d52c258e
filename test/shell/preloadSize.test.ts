import { resolve } from 'node:path';
import { build, type Rolldown } from 'vite';
import { describe, expect, it } from 'vitest';

/**
 * A sandboxed preload must be one self-contained file, and it is parsed before every page load:
 * bundled as electron-vite bundles it (CommonJS, only `electron` left outside, not minified), each
 * stays small because the contract's role table carries no schema library.
 */
const LIMIT = 20 * 1024;

async function bundle(role: 'cashier' | 'display'): Promise<string> {
  const output = await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      lib: { entry: resolve('electron/preload', `${role}.ts`), formats: ['cjs'], fileName: role },
      rollupOptions: { external: ['electron'] },
    },
  });
  const chunks = (Array.isArray(output) ? output : [output]).flatMap((result) => (result as Rolldown.RolldownOutput).output);
  expect(chunks).toHaveLength(1);
  return (chunks[0] as Rolldown.OutputChunk).code;
}

describe('the preloads', () => {
  it.each(['cashier', 'display'] as const)('%s is one file under 20 KB, without zod', async (role) => {
    const code = await bundle(role);
    expect(Buffer.byteLength(code)).toBeLessThan(LIMIT);
    expect(code).not.toMatch(/\bZodError\b|\$ZodType/);
    expect(code).toContain('exposeInMainWorld');
  });
});

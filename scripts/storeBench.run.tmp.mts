import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeBench } from './storeBench';

const folder = mkdtempSync(join(tmpdir(), 'qfpos-store-bench-'));
try {
  await storeBench(folder, process.argv.includes('--quick'));
} finally {
  rmSync(folder, { recursive: true, force: true });
}

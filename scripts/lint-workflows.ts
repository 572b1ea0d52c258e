import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lintWorkflows } from '../packaging/workflowLint';

/** `npm run lint`'s second half: every workflow in .github/workflows against the workflow schema. */
const root = fileURLToPath(new URL('..', import.meta.url));
let failed = false;
for (const { file, problems } of lintWorkflows(root)) {
  if (problems.length === 0) continue;
  failed = true;
  console.error(`${relative(root, file)}:\n${problems.map((line) => `  ${line}`).join('\n')}`);
}
process.exitCode = failed ? 1 : 0;

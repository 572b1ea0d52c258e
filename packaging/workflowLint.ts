import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateWorkflow, type ValidationError } from '@action-validator/core';

/**
 * GitHub Actions workflows checked against SchemaStore's workflow schema, offline: the schema is
 * compiled into @action-validator/core's WebAssembly, so no network is needed (only the npm
 * registry is reachable on the project's machines).
 */
export function workflowFiles(root: string): string[] {
  const dir = join(root, '.github', 'workflows');
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => join(dir, name));
}

/** One line per problem: where in the file, and what the schema says. */
export function workflowProblems(source: string): string[] {
  const describe = (error: ValidationError, depth: number): string[] => {
    const where = 'path' in error ? error.path : 'location' in error && error.location ? `line ${error.location.line}` : '';
    const own = `${'  '.repeat(depth)}${where ? `${where}: ` : ''}${error.title}${error.detail ? ` (${error.detail})` : ''}`;
    const nested = 'states' in error && error.states ? error.states.flatMap((state) => state.errors.flatMap((inner) => describe(inner, depth + 1))) : [];
    return [own, ...nested];
  };
  return validateWorkflow(source).errors.flatMap((error) => describe(error, 0));
}

export function lintWorkflows(root: string): { file: string; problems: string[] }[] {
  return workflowFiles(root).map((file) => ({ file, problems: workflowProblems(readFileSync(file, 'utf8')) }));
}

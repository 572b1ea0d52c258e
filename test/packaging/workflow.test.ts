import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { workflowFiles, workflowProblems } from '../../packaging/workflowLint';

/**
 * The desktop workflow, which cannot run here: its schema (as `npm run lint` checks it) and, read
 * as data, each thing the issue asks of it.
 */
const root = process.cwd();
const file = join(root, '.github', 'workflows', 'desktop.yml');
const source = readFileSync(file, 'utf8');

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
const workflow = parse(source) as {
  on: Record<string, unknown>;
  jobs: Record<string, { 'runs-on': string; strategy: { 'fail-fast': boolean; matrix: { include: { os: string; 'test-filter': string }[] } }; steps: Step[] }>;
};
const jobs = Object.values(workflow.jobs);
const job = jobs[0]!;
const steps = job.steps;
const runs = (pattern: RegExp) => steps.filter((step) => step.run !== undefined && pattern.test(step.run));
const indexOf = (pattern: RegExp) => steps.findIndex((step) => step.run !== undefined && pattern.test(step.run));

describe('the desktop workflow', () => {
  it("is valid against GitHub's workflow schema, as is every other workflow", () => {
    expect(workflowFiles(root)).toContain(file);
    for (const workflowFile of workflowFiles(root)) expect({ file: workflowFile, problems: workflowProblems(readFileSync(workflowFile, 'utf8')) }).toEqual({ file: workflowFile, problems: [] });
  });

  it('catches a step the schema does not know, so the check above can fail', () => {
    expect(workflowProblems(source.replace('      - run: npm ci', '      - runs: npm ci')).join('\n')).toContain("Additional property 'runs' is not allowed");
  });

  it('runs on pushes to main and on pull requests', () => {
    expect(Object.keys(workflow.on)).toEqual(expect.arrayContaining(['push', 'pull_request']));
  });

  it('runs one job on Ubuntu, Windows and macOS, each to its end', () => {
    expect(jobs).toHaveLength(1);
    expect(job['runs-on']).toBe('${{ matrix.os }}');
    expect(job.strategy.matrix.include.map((entry) => entry.os).sort()).toEqual(['macos-latest', 'ubuntu-latest', 'windows-latest']);
    expect(job.strategy['fail-fast']).toBe(false);
  });

  it('uses Node 22 and installs with npm ci, then fetches the Electron binary that allowScripts skips', () => {
    const setupNode = steps.find((step) => step.uses?.startsWith('actions/setup-node@'));
    expect(setupNode?.with?.['node-version']).toBe(22);
    const install = indexOf(/^npm ci$/);
    const electron = indexOf(/^node node_modules\/electron\/install\.js$/);
    expect(install).toBeGreaterThanOrEqual(0);
    expect(electron).toBeGreaterThan(install);
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { allowScripts: Record<string, boolean> };
    expect(manifest.allowScripts.electron).toBe(false);
  });

  it('type-checks, lints and tests, in that order, before the Electron suite and the installers', () => {
    const order = [/^npm run typecheck$/, /^npm run lint$/, /npm test/, /npm run test:electron/, /^npm run dist$/].map(indexOf);
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it("gives the browser tests a Chrome on every OS through CHROMIUM_PATH, which test/support/browser.ts reads", () => {
    const tests = runs(/npm test/)[0]!;
    expect(tests.env?.CHROMIUM_PATH).toMatch(/steps\.chrome\.outputs\.chrome-path/);
    expect(steps.find((step) => step.uses?.startsWith('browser-actions/setup-chrome@'))).toMatchObject({ id: 'chrome' });
    expect(readFileSync(join(root, 'test', 'support', 'browser.ts'), 'utf8')).toContain('process.env.CHROMIUM_PATH');
  });

  it('installs the Linux-only tools on Linux, and leaves out only the faketime test elsewhere', () => {
    const apt = runs(/apt-get install/)[0]!;
    expect(apt.if).toBe("runner.os == 'Linux'");
    for (const tool of ['fonts-noto-cjk', 'faketime', 'xvfb']) expect(apt.run).toContain(tool);
    const filters = Object.fromEntries(job.strategy.matrix.include.map((entry) => [entry.os, entry['test-filter']]));
    expect(filters['ubuntu-latest']).toBe('');
    for (const os of ['windows-latest', 'macos-latest']) {
      const pattern = new RegExp(filters[os]!);
      expect(pattern.test('a till process whose clock crosses a month end (faketime) finds the order')).toBe(false);
      expect(pattern.test('a till killed mid-charge leaves exactly one order per charge')).toBe(true);
    }
    // The test it leaves out is still the one named so.
    expect(readFileSync(join(root, 'test', 'cli', 'processes.test.ts'), 'utf8')).toContain('(faketime)');
  });

  it('runs the Electron suite under Xvfb on Linux and directly elsewhere', () => {
    const electronRuns = runs(/npm run test:electron/);
    expect(electronRuns.map((step) => [step.if, step.run])).toEqual([
      ["runner.os == 'Linux'", 'xvfb-run -a npm run test:electron'],
      ["runner.os != 'Linux'", 'npm run test:electron'],
    ]);
  });

  it('keeps the installers from dist/ as an artifact per OS, failing when there are none', () => {
    const upload = steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'));
    expect(upload?.with?.name).toBe('installers-${{ matrix.os }}');
    expect(String(upload?.with?.path).trim().split('\n')).toEqual(['dist/*.exe', 'dist/*.dmg', 'dist/*.AppImage', 'dist/*.deb']);
    expect(upload?.with?.['if-no-files-found']).toBe('error');
    expect(steps.indexOf(upload!)).toBeGreaterThan(indexOf(/^npm run dist$/));
  });

  it("names only npm scripts that package.json has (test:electron comes with the Electron suite's own branch)", () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const named = steps.flatMap((step) => [...(step.run ?? '').matchAll(/npm run ([\w:-]+)/g)].map((match) => match[1]!));
    const fromElsewhere = new Set(['test:electron']);
    for (const script of named) if (!fromElsewhere.has(script)) expect(manifest.scripts, script).toHaveProperty([script]);
  });
});

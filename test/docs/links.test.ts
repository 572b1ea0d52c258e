import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The README is the front door and docs/ the rest (issue 21): every relative link and picture in
 * them resolves, to a file and, with a #fragment, to a heading of that file as GitHub names it;
 * the README stays short; the pictures stay small and are all used.
 */
const root = process.cwd();
const docsDir = join(root, 'docs');
const pages = [join(root, 'README.md'), ...readdirSync(docsDir).filter((name) => name.endsWith('.md')).map((name) => join(docsDir, name))];

/** The text outside fenced code blocks, where a `[x](y)` is not a link. */
function prose(markdown: string): string {
  return markdown.replace(/^[ \t]*```[\s\S]*?^[ \t]*```/gm, '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped (not `-` or `_`), spaces to dashes; repeats get -1, -2. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const found = new Set<string>();
  for (const [, heading] of prose(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = (heading as string)
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    found.add(count === 0 ? base : `${base}-${count}`);
  }
  return found;
}

/** Every relative link and picture of a page, with the line it is on. */
function links(page: string): { target: string; line: number }[] {
  const text = prose(readFileSync(page, 'utf8'));
  const found: { target: string; line: number }[] = [];
  for (const match of text.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)) {
    const target = match[1] as string;
    if (/^[a-z]+:/i.test(target)) continue; // https:, mailto:
    found.push({ target, line: text.slice(0, match.index).split('\n').length });
  }
  return found;
}

describe('README.md and docs/', () => {
  it.each(pages.map((page) => [relative(root, page), page]))('%s: every relative link resolves, to its heading too', (_name, page) => {
    const broken: string[] = [];
    for (const { target, line } of links(page)) {
      const [path = '', fragment] = target.split('#');
      const file = path === '' ? page : join(dirname(page), decodeURIComponent(path));
      if (!existsSync(file)) {
        broken.push(`line ${line}: ${target} (no such file)`);
        continue;
      }
      if (fragment !== undefined && file.endsWith('.md') && !anchors(readFileSync(file, 'utf8')).has(fragment)) {
        broken.push(`line ${line}: ${target} (no such heading in ${relative(root, file)})`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('the README is a front door of at most 200 lines, with the test command CI runs', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme.split('\n').length).toBeLessThanOrEqual(200);
    // .ci/run runs "the README's test command".
    expect(readme).toMatch(/^npm test\b/m);
    expect(readFileSync(join(root, '.ci', 'run'), 'utf8')).toMatch(/^npm test\b/m);
  });

  it('every picture in docs/images is used, and each is under 300 KB', () => {
    const used = pages.flatMap((page) => links(page).map(({ target }) => join(dirname(page), target.split('#')[0] ?? '')));
    for (const name of readdirSync(join(docsDir, 'images'))) {
      const file = join(docsDir, 'images', name);
      expect(used, `${name} is not shown on any page`).toContain(file);
      expect(statSync(file).size, name).toBeLessThan(300 * 1024);
    }
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

/**
 * Which of our modules each module may import (DESIGN.md, "Imports point
 * one way"): the lower layers only `domain`; `pipeline` wires them; `git`,
 * `publish`, `web` and `cli` sit above it, and nothing imports `cli`.
 * `content` and `sites` are one layer: the cleaner looks up a site's rule,
 * and a rule uses the cleaner's DOM helpers. `web/testing` and
 * `http/testing` are test servers shipped with the code they test.
 */
const ALLOWED: Record<string, readonly string[]> = {
  domain: [],
  config: ['domain'],
  http: ['domain'],
  feeds: ['domain'],
  archive: ['domain'],
  catalog: ['domain'],
  content: ['domain', 'sites'],
  sites: ['domain', 'content'],
  demo: ['domain'],
  scaffold: ['domain', 'config', 'archive'],
  pipeline: ['domain', 'config', 'http', 'feeds', 'content', 'sites', 'archive', 'catalog'],
  git: ['domain', 'config', 'content', 'archive', 'catalog', 'pipeline'],
  publish: ['domain', 'config', 'content', 'archive', 'catalog'],
  web: ['domain', 'config', 'archive', 'catalog', 'pipeline', 'publish', 'demo'],
  cli: ['domain', 'config', 'http', 'feeds', 'content', 'archive', 'catalog', 'pipeline', 'git', 'publish', 'web', 'demo', 'scaffold'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Every relative module a file imports or re-exports, types included. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s+['"](\.{1,2}\/[^'"]+)['"]/gm)].map((m) => m[1]!);
  const bare = [...text.matchAll(/^\s*import\s+['"](\.{1,2}\/[^'"]+)['"]/gm)].map((m) => m[1]!);
  return [...specifiers, ...bare].map((spec) => resolve(dirname(file), spec));
}

const moduleOf = (path: string) => relative(SRC, path).split(/[\\/]/)[0]!;

describe('module boundaries (DESIGN.md)', () => {
  const files = sourceFiles(SRC);

  it('finds the source files and their imports', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(importsOf(join(SRC, 'pipeline/run-archive.ts')).map(moduleOf)).toContain('catalog');
  });

  it('every module imports only the modules below it', () => {
    const wrong: string[] = [];
    for (const file of files) {
      const from = moduleOf(file);
      if (!from.includes('.') && ALLOWED[from] === undefined) wrong.push(`${relative(SRC, file)}: module ${from} is not in ALLOWED`);
      for (const target of importsOf(file)) {
        const to = moduleOf(target);
        if (to === from || to.startsWith('..')) continue;
        if (!(ALLOWED[from] ?? []).includes(to)) wrong.push(`${relative(SRC, file)} imports ${relative(SRC, target)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('one module of ours loads each driver-like dependency (DESIGN.md, convention 10)', () => {
    // Value imports only: types may be named anywhere. better-sqlite3 differs by Node version (catalog/sqlite.ts).
    const owners: Record<string, string> = { 'better-sqlite3': 'catalog/sqlite.ts', undici: 'http/', linkedom: 'content/', 'sanitize-html': 'content/', turndown: 'content/', sharp: 'content/compact-image.ts' };
    const wrong: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const [name, owner] of Object.entries(owners)) {
        const loads = new RegExp(`^\\s*import\\s+(?!type\\b)[^'"]*['"]${name}['"]|require\\(['"]${name}['"]\\)`, 'm').test(text);
        if (loads && !relative(SRC, file).startsWith(owner)) wrong.push(`${relative(SRC, file)} loads ${name}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

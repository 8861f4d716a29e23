import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { PROJECT_ROOT } from './helpers/shared.js';
import { runCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp-dir.js';

describe('the README', () => {
  it('shows a newsmirror.yaml that loads as written, every key in it', async () => {
    const readme = await readFile(join(PROJECT_ROOT, 'README.md'), 'utf8');
    const sample = /`newsmirror\.yaml` \(every key but `sources` is optional\):\n\n```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(sample, 'the sample config after "`newsmirror.yaml` (every key but `sources` is optional):"').toBeDefined();
    const dir = await tempDir();
    const file = join(dir, 'newsmirror.yaml');
    await writeFile(file, sample!);
    const config = await loadConfig({ config: file, cwd: dir });
    expect(config.archiveDir).toBe(join(dir, 'archive'));
    expect(config.sources.map((s) => s.slug)).toContain('rfi');
    expect(config.sources.find((s) => s.slug === 'rfi')?.proxy).toBe('http://127.0.0.1:8080');
  });

  it('documents every field of the run report that run --json prints', async () => {
    const readme = await readFile(join(PROJECT_ROOT, 'README.md'), 'utf8');
    const table = /### The run report \(`run --json`\)[\s\S]*?\n\| field \| meaning \|\n\|---\|---\|\n((?:\|.*\n)+)/.exec(readme)?.[1];
    expect(table, 'the table under "### The run report (`run --json`)"').toBeDefined();
    const rows = new Map(table!.trim().split('\n').map((row) => {
      const [field = '', meaning = ''] = row.split(' | ');
      return [field.replace(/^\| /, ''), meaning] as const;
    }));
    const documented = new Set([...rows.keys()].flatMap((cell) => [...cell.matchAll(/`(\w+)(?:\[\])?`/g)].map((m) => m[1]!)));
    const named = (field: string) => [...(rows.get(`\`${field}[]\``) ?? '').matchAll(/`(\w+)`/g)].map((m) => m[1]!);

    // The demo's run: a real run report, over feeds served on 127.0.0.1.
    const demo = await runCli(['demo', join(await tempDir(), 'demo'), '--json']);
    expect(demo.code, demo.stderr).toBe(0);
    const report = JSON.parse(demo.stdout) as Record<string, unknown> & { sources: Record<string, unknown>[] };
    expect(Object.keys(report).filter((key) => !documented.has(key))).toEqual([]);
    expect([...documented].filter((key) => key !== 'git' && !(key in report))).toEqual([]);
    const sourceFields = named('sources');
    expect(report.sources.length).toBeGreaterThan(0);
    for (const source of report.sources) expect(Object.keys(source).filter((key) => !sourceFields.includes(key))).toEqual([]);
  });
});

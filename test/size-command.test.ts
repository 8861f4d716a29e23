import { readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CATALOG_FILE } from '../src/catalog/catalog-location.js';
import { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { monthKey } from '../src/domain/calendar.js';
import { compactAsset } from './helpers/archived-image.js';
import { rss, type TestItem } from './helpers/feeds.js';
import { runCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp-dir.js';

const DAY = 86_400_000;
/** A picture of its own colour: distinct bytes, a distinct asset. */
const picture = (shade: number) => sharp({ create: { width: 400, height: 300, channels: 3, background: { r: shade, g: 90, b: 160 } } }).png().toBuffer();

/** Every file of the archive with its size (by stat), relative paths. */
async function filesOf(root: string, rel = ''): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const entry of await readdir(join(root, rel), { withFileTypes: true })) {
    const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
    if (/^\.newsmirror\/(catalog|tmp|lock)/.test(path)) continue;
    if (entry.isDirectory()) for (const [p, b] of await filesOf(root, path)) out.set(p, b);
    else out.set(path, (await stat(join(root, path))).size);
  }
  return out;
}

describe('newsmirror size', () => {
  let server: LocalFeedServer;
  let dir: string;
  beforeEach(async () => {
    server = await new LocalFeedServer().start();
    dir = await tempDir();
  });
  afterEach(() => server.stop());

  const now = Date.now();
  const item = (i: number, daysAgo: number, image: boolean): TestItem => ({
    title: `第${i}篇`,
    link: `https://example.org/p/${i}`,
    pubDate: new Date(now - daysAgo * DAY).toUTCString(),
    description: `<p>正文${i}，${'字'.repeat(200 * i)}</p>${image ? `<img src="${server.url}/${i}.png">` : ''}`,
  });

  it('counts every byte by kind, source and month, grows by the last 30 days, dates the limits and names the largest files', async () => {
    const pictures = await Promise.all([1, 2, 3, 4].map((i) => picture(i * 40)));
    pictures.forEach((body, i) => server.routes.set(`/${i + 1}.png`, { headers: { 'content-type': 'image/png' }, body }));
    // Two articles 40 and 35 days old, two of the last 30 days; each with its own picture.
    const items = [item(4, 2, true), item(3, 5, true), item(2, 35, true), item(1, 40, true)];
    server.routes.set('/a.xml', { body: rss(items) });
    server.routes.set('/b.xml', { body: rss([item(5, 3, false)]) });
    const config = join(dir, 'newsmirror.yaml');
    await writeFile(config, `archive: archive\nallowPrivateNetworks: true\nsources:\n  - { name: 甲, slug: a, url: "${server.url}/a.xml", fullText: never }\n  - { name: 乙, slug: b, url: "${server.url}/b.xml", fullText: never }\n`);
    expect((await runCli(['run', '--config', config])).code).toBe(0);
    const root = join(dir, 'archive');
    const files = await filesOf(root);

    const result = await runCli(['size', '--config', config, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    const sum = (match: (path: string) => boolean) => [...files].filter(([p]) => match(p)).reduce((n, [, b]) => n + b, 0);
    expect(report.files).toBe(files.size);
    expect(report.bytes).toBe(sum(() => true));
    expect(report.kinds).toEqual({
      articles: sum((p) => p.startsWith('articles/')),
      edits: 0,
      assets: sum((p) => p.startsWith('assets/')),
      lists: sum((p) => p.startsWith('lists/') || p === 'README.md'),
      state: sum((p) => p === '.newsmirror/state.json' || p === '.gitignore'),
      other: 0,
    });
    expect(report.sources.map((s: { slug: string; name: string; articles: number }) => [s.slug, s.name, s.articles])).toEqual([['a', '甲', 4], ['b', '乙', 1]]);
    const a = report.sources[0];
    expect(a.kinds.articles).toBe(sum((p) => p.startsWith('articles/a/')));
    expect(a.kinds.lists).toBe(sum((p) => p.startsWith('lists/甲')));
    // Months by the articles' dates, in the archive's time zone (Asia/Shanghai, the default).
    const months = [...new Set(items.map((i) => monthKey(Date.parse(i.pubDate!), 'Asia/Shanghai')))];
    for (const m of months) expect(report.months.map((x: { month: string }) => x.month)).toContain(m);

    // Growth: the three articles of the last 30 days and the two pictures they link, over 30 days.
    const recent = ['articles/a/1048572.md', 'articles/a/1048571.md', 'articles/b/1048574.md'].map((p) => files.get(p)!);
    const recentAssets = [pictures[2]!, pictures[3]!].map((p) => files.get(compactAsset(p))!);
    expect([...files.keys()].filter((p) => p.startsWith("assets/")).sort()).toEqual([...pictures.map((p) => compactAsset(p))].sort());
    expect(recent.every((b) => b > 0) && recentAssets.every((b) => b > 0)).toBe(true);
    const perDay = Math.round([...recent, ...recentAssets].reduce((n, b) => n + b, 0) / 30);
    expect(report.growth).toMatchObject({ days: 30, articles: 3, bytesPerDay: perDay });
    expect(report.growth.kinds.assets).toBe(recentAssets.reduce((n, b) => n + b, 0));

    const limit = (key: string) => report.limits.find((l: { key: string }) => l.key === key);
    const days = Math.ceil((5e9 - report.bytes) / perDay);
    // A few KB a day reaches 5 GB in no century: no date is made of it.
    expect(limit('repository')).toMatchObject({ bytes: 5e9, used: report.bytes, passed: false, days, reached: null });
    expect(limit('file')).toMatchObject({ bytes: 100 * 1024 * 1024, passed: false, reached: null });
    expect(limit('pages').used).toBe(report.kinds.articles + report.kinds.assets);
    expect(report.largest[0]).toEqual({ path: [...files].sort((x, y) => y[1] - x[1])[0]![0], bytes: Math.max(...files.values()) });
    expect(report.budgets).toEqual({ articleImages: 4e6, runImages: 2e8, total: 4e9, passed: false });
    expect(new Date(report.measured).toISOString()).toBe(report.measured);

    const text = await runCli(['size', '--config', config]);
    expect(text.stdout).toMatch(/^.*archive: .* in \d+ files \(articles/);
    expect(text.stdout).toContain(`  a (甲): `);
    expect(text.stdout).toContain('  repository 5 GB: not within 100 years\n');
    expect(text.stdout).toContain(`  one file 100 MiB: largest file `);

    // The same archive measured again: the same report (bar the time of measuring).
    const again = JSON.parse((await runCli(['size', '--config', config, '--json'])).stdout);
    expect({ ...again, measured: 0, growth: { ...again.growth, from: 0, to: 0 }, limits: 0 }).toEqual({ ...report, measured: 0, growth: { ...report.growth, from: 0, to: 0 }, limits: 0 });

    // Without a catalog the sizes are all there; months and growth need its dates, and it says so.
    await rm(join(root, CATALOG_FILE));
    const bare = await runCli(['size', '--config', config, '--json']);
    expect(JSON.parse(bare.stdout)).toMatchObject({ bytes: report.bytes, growth: { bytesPerDay: 0 } });
    expect(JSON.parse(bare.stdout).warnings).toEqual(['no catalog yet: articles are in no month and growth is unknown (run newsmirror reindex, or a run)']);
  });

  it('refuses a folder that is no archive, naming it', async () => {
    const result = await runCli(['size', '--archive', join(dir, 'none')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`newsmirror size: ${join(dir, 'none')}: no archive folder here (give it with --archive DIR)\n`);
  });
});

import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compactImage } from '../src/content/compact-image.js';
import { renderSize } from '../src/domain/byte-size.js';
import { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { compactAsset } from './helpers/archived-image.js';
import { rss, type TestItem } from './helpers/feeds.js';
import { runCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp-dir.js';

const SETTINGS = { format: 'webp', maxSide: 1280, quality: 72, animated: 'animate', originals: 'drop', maxPixels: 40_000_000 } as const;

/** A 300×200 picture of noise from `seed`: distinct, and too busy to compress to nothing. */
function noise(seed: number): Promise<Buffer> {
  const pixels = Buffer.alloc(300 * 200 * 3);
  let x = seed * 2654435761;
  for (let i = 0; i < pixels.length; i += 1) {
    x = (x * 1103515245 + 12345) >>> 0;
    pixels[i] = x >>> 24;
  }
  return sharp(pixels, { raw: { width: 300, height: 200, channels: 3 } }).png().toBuffer();
}

const compactBytes = async (png: Buffer) => (await compactImage(png, 'png', SETTINGS)).bytes.length;

describe('size budgets in a run', () => {
  let server: LocalFeedServer;
  let dir: string;
  beforeEach(async () => {
    server = await new LocalFeedServer().start();
    dir = await tempDir();
  });
  afterEach(() => server.stop());

  const item = (i: number, images: string[]): TestItem => ({
    title: `图第${i}篇`,
    link: `https://example.org/p/${i}`,
    pubDate: new Date(Date.UTC(2026, 11, 1, i)).toUTCString(),
    description: `<p>正文${i}</p>${images.map((name) => `<img src="${server.url}/${name}.png">`).join('')}`,
  });
  async function serve(names: string[]): Promise<Map<string, Buffer>> {
    const out = new Map<string, Buffer>();
    for (const [i, name] of names.entries()) {
      const body = await noise(i + 1 + name.length * 100);
      server.routes.set(`/${name}.png`, { headers: { 'content-type': 'image/png' }, body });
      out.set(name, body);
    }
    return out;
  }
  async function run(items: TestItem[], budgets: string) {
    server.routes.set('/feed.xml', { body: rss(items) });
    const config = join(dir, 'newsmirror.yaml');
    await writeFile(config, `archive: archive\nallowPrivateNetworks: true\nbudgets: ${budgets}\nsources:\n  - { name: 图, slug: img, url: "${server.url}/feed.xml", fullText: never }\n`);
    const result = await runCli(['run', '--config', config, '--json']);
    expect(result.code, result.stderr).toBe(0);
    return { config, report: JSON.parse(result.stdout) };
  }
  const root = () => join(dir, 'archive');
  const stored = (png: Buffer) => stat(join(root(), compactAsset(png))).then(() => true, () => false);

  it('an article past budgets.articleImages keeps its further pictures remote, with a warning naming it; the article is archived', async () => {
    const pictures = await serve(['a1', 'a2']);
    const [s1, s2] = await Promise.all([...pictures.values()].map(compactBytes));
    const { report } = await run([item(1, ['a1', 'a2'])], `{ articleImages: ${s1! + s2! - 1} }`);
    expect(report.sources[0].added).toEqual([1048574]);
    expect(await stored(pictures.get('a1')!)).toBe(true);
    expect(await stored(pictures.get('a2')!)).toBe(false);
    const file = await readFile(join(root(), 'articles/img/1048574.md'), 'utf8');
    expect(file).toContain(`src="${server.url}/a2.png"`);
    expect(report.sources[0].warnings).toEqual([
      `https://example.org/p/1: image kept remote: ${server.url}/a2.png: ${renderSize(s2!)} would take the article's images (${renderSize(s1!)}) past budgets.articleImages (${renderSize(s1! + s2! - 1)})`,
    ]);
    expect(report.budgets).toMatchObject({ articleImages: s1! + s2! - 1, runImages: { limit: 2e8, used: s1 }, reached: ['articleImages'], keptRemote: 1 });
    expect(report.warnings).toContain('1 image kept remote: over the size budget (budgets.articleImages); see newsmirror size');
  });

  it('a run past budgets.runImages keeps the rest of its pictures remote; the next run has a budget of its own', async () => {
    const pictures = await serve(['r1', 'r2', 'r3', 'r4']);
    const sizes = await Promise.all([...pictures.values()].map(compactBytes));
    const budget = Math.floor(Math.max(...sizes) * 2.5);
    expect(Math.min(...sizes) * 3).toBeGreaterThan(budget);
    const { report } = await run([item(3, ['r3']), item(2, ['r2']), item(1, ['r1'])], `{ runImages: ${budget} }`);
    expect(report.sources[0].added).toHaveLength(3);
    const kept = await Promise.all(['r1', 'r2', 'r3'].map((n) => stored(pictures.get(n)!)));
    expect(kept.filter(Boolean)).toHaveLength(2);
    expect(report.budgets).toMatchObject({ reached: ['runImages'], keptRemote: 1 });
    expect(report.budgets.runImages.used).toBeLessThanOrEqual(budget);
    expect(report.sources[0].warnings).toHaveLength(1);
    expect(report.sources[0].warnings[0]).toMatch(/: image kept remote: http:\/\/127\.0\.0\.1:\d+\/r\d\.png: .* past budgets\.runImages \(/);

    const next = await run([item(4, ['r4']), item(3, ['r3']), item(2, ['r2']), item(1, ['r1'])], `{ runImages: ${budget} }`);
    expect(next.report.sources[0].added).toHaveLength(1);
    expect(await stored(pictures.get('r4')!)).toBe(true);
    expect(next.report.budgets).toMatchObject({ reached: [], keptRemote: 0 });
  });

  it('an archive at budgets.total archives new articles with their pictures remote, downloads none of them, and status says so', async () => {
    const pictures = await serve(['t1', 't2', 't3']);
    await run([item(1, ['t1'])], '{}');
    expect(await stored(pictures.get('t1')!)).toBe(true);
    const sized = JSON.parse((await runCli(['size', '--archive', root(), '--json'])).stdout);
    const total = sized.bytes + 100;

    const { config, report } = await run([item(2, ['t2']), item(1, ['t1'])], `{ total: ${total} }`);
    expect(report.sources[0].added).toEqual([1048573]);
    expect(await stored(pictures.get('t2')!)).toBe(false);
    expect(report.budgets).toMatchObject({ total: { limit: total }, reached: ['total'], keptRemote: 1 });
    expect(report.sources[0].warnings[0]).toMatch(/^https:\/\/example\.org\/p\/2: image kept remote: http:\/\/127\.0\.0\.1:\d+\/t2\.png: [\d.]+ KB would take the archive \([\d.]+ KB\) past its budget \(budgets\.total: [\d.]+ KB\)$/);

    const status = await runCli(['status', '--config', config]);
    expect(status.stdout).toMatch(/\nbudget: the archive \([\d.]+ KB\) is past budgets\.total \([\d.]+ KB\): new images are kept remote\n/);
    expect(status.stdout).toContain('\nbudget: the last run kept 1 image remote (budgets.total)\n');
    const json = JSON.parse((await runCli(['status', '--config', config, '--json'])).stdout);
    expect(json.size.budgets).toMatchObject({ total, passed: true, lastRun: { keptRemote: 1, reached: ['total'] } });

    // Past it, a new article's picture is not even asked for.
    const third = await run([item(3, ['t3']), item(2, ['t2']), item(1, ['t1'])], `{ total: ${total} }`);
    expect(third.report.sources[0].added).toEqual([1048572]);
    expect(server.hits.get('/t3.png')).toBeUndefined();
    expect(third.report.sources[0].warnings[0]).toMatch(/t3\.png: the archive holds [\d.]+ KB, its budget \(budgets\.total\) is [\d.]+ KB$/);
  });

  it('a budget that is no size is a config error naming the line and key', async () => {
    const config = join(dir, 'newsmirror.yaml');
    await writeFile(config, `archive: archive\nbudgets:\n  total: lots\nsources:\n  - { name: 图, slug: img, url: "http://127.0.0.1:9/feed.xml" }\n`);
    const result = await runCli(['run', '--config', config]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`newsmirror run: ${config}:3: budgets.total: must be a size: a number of bytes or a text such as 200 MB or 4 GiB\n`);
  });
});

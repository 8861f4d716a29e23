import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { compactAsset } from './helpers/archived-image.js';
import { readTree } from './helpers/archive-tree.js';
import { rss, type TestItem } from './helpers/feeds.js';
import { runCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp-dir.js';

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
const photo = (background: string) => sharp({ create: { width: 2000, height: 1500, channels: 3, background } }).jpeg({ quality: 95 }).withExif({ IFD0: { Make: 'NewsCam' } }).toBuffer();

interface ImagesReport {
  rewritten: string[];
  compacted: number;
  downloaded: number;
  removed: string[];
  more: boolean;
  warnings: string[];
}

describe('reclean --images', () => {
  let server: LocalFeedServer;
  let dir: string;
  let root: string;
  let config: string;
  beforeEach(async () => {
    server = await new LocalFeedServer().start();
    dir = await tempDir();
    root = join(dir, 'archive');
    config = join(dir, 'newsmirror.yaml');
  });
  afterEach(() => server.stop());

  const item = (i: number, html: string): TestItem => ({ title: `旧文第${i}篇`, link: `https://example.org/old/${i}`, pubDate: new Date(Date.UTC(2025, 5, 20 - i, 8)).toUTCString(), description: `<p>正文${i}</p>${html}` });
  const writeConfig = (images: 'archive' | 'keep') => writeFile(config, `allowPrivateNetworks: true\nsources:\n  - { name: 旧, slug: old, url: "${server.url}/feed.xml", fullText: never, images: ${images} }\n`);
  const read = (id: number) => readFile(join(root, 'articles/old', `${id}.md`), 'utf8');
  async function recleanImages(...extra: string[]): Promise<ImagesReport> {
    const result = await runCli(['reclean', '--images', '--config', config, '--json', ...extra]);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as ImagesReport;
  }

  /**
   * An archive as the family's and older newsmirrors left it: two articles hotlinking their pictures
   * (images: keep), and one whose picture is stored as the publisher served it (assets/<its sha256>.jpg).
   */
  async function oldArchive() {
    const [red, green, blue] = await Promise.all([photo('#a03020'), photo('#20a040'), photo('#2040a0')]);
    server.routes.set('/red.jpg', { body: red });
    server.routes.set('/green.jpg', { body: green });
    server.routes.set('/blue.jpg', { body: blue });
    const items = [item(1, `<img src="${server.url}/red.jpg" alt="红">`), item(2, `<p><img src="${server.url}/green.jpg" srcset="${server.url}/green.jpg 2x"></p>`), item(3, `<img src="${server.url}/blue.jpg">`)];
    server.routes.set('/feed.xml', { body: rss(items) });
    await writeConfig('keep');
    expect((await runCli(['run', '--config', config])).code).toBe(0);
    // Article 3 (the oldest: id 1048574) as an archive made before compact images holds it.
    const original = `assets/${sha256(blue).slice(0, 2)}/${sha256(blue)}.jpg`;
    await mkdir(join(root, original, '..'), { recursive: true });
    await writeFile(join(root, original), blue);
    const hotlinked = await read(1048574);
    await writeFile(join(root, 'articles/old/1048574.md'), hotlinked.replace(`src="${server.url}/blue.jpg"`, `src="../../${original}" data-original-src="${server.url}/blue.jpg"`));
    await writeConfig('archive');
    return { red, green, blue, original, before: { 1048572: await read(1048572), 1048573: await read(1048573), 1048574: await read(1048574) } };
  }

  it('re-encodes stored originals and downloads hotlinked pictures, a bounded number a run, changing only the images’ src', async () => {
    const { red, green, blue, original, before } = await oldArchive();

    // The newest article first (id 1048572, red), one picture: the limit.
    const first = await recleanImages('--limit', '1');
    expect(first).toMatchObject({ rewritten: ['articles/old/1048572.md'], compacted: 0, downloaded: 1, more: true, warnings: [] });
    expect(await read(1048572)).toBe(before[1048572].replace(`src="${server.url}/red.jpg"`, `src="../../${compactAsset(red)}" data-original-src="${server.url}/red.jpg"`));
    expect(await read(1048573)).toBe(before[1048573]);

    const second = await recleanImages('--limit', '10');
    expect(second).toMatchObject({ rewritten: ['articles/old/1048573.md', 'articles/old/1048574.md'], compacted: 1, downloaded: 1, removed: [original], more: false, warnings: [] });
    // srcset pointed at the remote picture, which a browser prefers to src: it goes, as a run drops it.
    expect(await read(1048573)).toBe(before[1048573].replace(`src="${server.url}/green.jpg" srcset="${server.url}/green.jpg 2x"`, `src="../../${compactAsset(green)}" data-original-src="${server.url}/green.jpg"`));
    expect(await read(1048574)).toBe(before[1048574].replace(`src="../../${original}"`, `src="../../${compactAsset(blue)}"`));
    expect(existsSync(join(root, original))).toBe(false);
    const assets = (await readdir(join(root, 'assets'), { recursive: true })).filter((p) => p.includes('.')).sort();
    expect(assets).toEqual([compactAsset(red), compactAsset(green), compactAsset(blue)].map((p) => p.slice('assets/'.length)).sort());
    for (const picture of [red, green, blue]) {
      const meta = await sharp(join(root, compactAsset(picture))).metadata();
      expect([meta.format, meta.width, meta.height, meta.exif]).toEqual(['webp', 1280, 960, undefined]);
    }

    // Nothing left: no file changes, and a reclean of the bodies keeps the compact copies.
    const done = await readTree(root);
    expect(await recleanImages()).toMatchObject({ rewritten: [], compacted: 0, downloaded: 0, more: false });
    expect((await runCli(['reclean', '--config', config])).code).toBe(0);
    expect(await readTree(root)).toEqual(done);
  });

  it('skips in later runs an article whose picture cannot be had, so the limit goes to the others', async () => {
    const { before } = await oldArchive();
    server.routes.delete('/red.jpg');
    const first = await recleanImages('--limit', '1');
    expect(first.rewritten).toEqual([]);
    expect(first.warnings).toEqual([expect.stringMatching(new RegExp(`^old: articles/old/1048572\\.md: image kept remote: HTTP 404 from ${server.url}/red\\.jpg$`))]);
    expect(await read(1048572)).toBe(before[1048572]);
    const second = await recleanImages('--limit', '1');
    expect(second).toMatchObject({ rewritten: ['articles/old/1048573.md'], downloaded: 1, more: true });
  });

  it('says so when --limit is not a positive whole number, or given without --images', async () => {
    await writeConfig('archive');
    await mkdir(join(root, 'articles'), { recursive: true });
    const bad = await runCli(['reclean', '--images', '--limit', '0', '--config', config]);
    expect([bad.code, bad.stderr.trim()]).toEqual([1, 'newsmirror reclean: --limit 0: not a whole number of pictures, 1 or more']);
    const alone = await runCli(['reclean', '--limit', '5', '--config', config]);
    expect(alone.stderr).toContain('--limit: only with --images');
  });
});

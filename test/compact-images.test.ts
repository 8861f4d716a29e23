import { createHash } from 'node:crypto';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CATALOG_FILE } from '../src/catalog/catalog-location.js';
import { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { compactAsset } from './helpers/archived-image.js';
import { readTree } from './helpers/archive-tree.js';
import { rss, type TestItem } from './helpers/feeds.js';
import { runCli } from './helpers/run-cli.js';
import { CORPUS, hasCorpus, noteSkip } from './helpers/shared.js';
import { tempDir } from './helpers/temp-dir.js';

const IMAGES = join(CORPUS, 'images');
const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** A camera's 3000×1500 JPEG stored sideways (EXIF orientation 6) with the photographer's GPS position. */
const cameraJpeg = () =>
  sharp({ create: { width: 3000, height: 1500, channels: 3, background: '#3a6ea5' } })
    .jpeg({ quality: 95 })
    .withMetadata({ orientation: 6 })
    .withExif({ IFD0: { Make: 'NewsCam' }, IFD2: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 30/1', GPSLongitudeRef: 'E', GPSLongitude: '2/1 21/1 7/1' } })
    .toBuffer();

/** Every file under the archive's assets/, relative to the archive. */
async function listAssets(root: string): Promise<string[]> {
  const top = join(root, 'assets');
  const dirs = await readdir(top).catch(() => []);
  const files = await Promise.all(dirs.map(async (d) => (await readdir(join(top, d))).map((name) => `assets/${d}/${name}`)));
  return files.flat().sort();
}

/** Decodes a stored picture: its size, and whichever metadata blocks it still has. */
async function decode(bytes: Buffer) {
  const meta = await sharp(bytes, { animated: true }).metadata();
  return { format: meta.format, width: meta.width, height: meta.pageHeight ?? meta.height, metadata: (['exif', 'icc', 'iptc', 'xmp'] as const).filter((k) => meta[k] !== undefined) };
}

describe('compact images through newsmirror run', () => {
  let server: LocalFeedServer;
  let dir: string;
  beforeEach(async () => {
    server = await new LocalFeedServer().start();
    dir = await tempDir();
  });
  afterEach(() => server.stop());

  const item = (i: number, html: string): TestItem => ({ title: `图片第${i}篇`, link: `https://example.org/p/${i}`, pubDate: new Date(Date.UTC(2026, 0, 20 - i, 8)).toUTCString(), description: `<p>正文${i}</p>${html}` });
  async function run(items: TestItem[], archive = 'archive', images = '') {
    server.routes.set('/feed.xml', { body: rss(items) });
    const config = join(dir, `${archive}.yaml`);
    await writeFile(config, `archive: ${archive}\nallowPrivateNetworks: true\n${images}sources:\n  - { name: 图, slug: img, url: "${server.url}/feed.xml", fullText: never }\n`);
    const result = await runCli(['run', '--config', config, '--json']);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout).sources[0] as { added: number[]; warnings: string[] };
  }
  const article = (id: number, archive = 'archive') => readFile(join(dir, archive, 'articles/img', `${id}.md`), 'utf8');

  it('stores a camera JPEG upright, inside the box, without EXIF or GPS, once for every article, run, machine and lost catalog that has it', async () => {
    const photo = await cameraJpeg();
    for (const path of ['/a.jpg', '/b.jpg', '/c.jpg']) server.routes.set(path, { headers: { 'content-type': 'image/jpeg' }, body: photo });
    const first = [item(1, `<img src="${server.url}/a.jpg">`), item(2, `<img src="${server.url}/b.jpg">`)];
    expect((await run(first)).warnings).toEqual([]);
    const root = join(dir, 'archive');
    const asset = compactAsset(photo);
    expect(await listAssets(root)).toEqual([asset]);
    const stored = await readFile(join(root, asset));
    expect(await decode(stored)).toEqual({ format: 'webp', width: 640, height: 1280, metadata: [] });
    expect(stored.toString('latin1')).not.toMatch(/Exif|NewsCam/);
    expect(await article(1048574)).toContain(`src="../../${asset}" data-original-src="${server.url}/b.jpg"`);
    expect(await article(1048573)).toContain(`src="../../${asset}" data-original-src="${server.url}/a.jpg"`);

    // The next day, the catalog lost (a CI cache miss): the same picture under a new URL links the same file.
    const before = await readTree(root);
    await rm(join(root, CATALOG_FILE));
    expect((await run([item(0, `<img src="${server.url}/c.jpg">`), ...first])).added).toEqual([1048572]);
    expect(await listAssets(root)).toEqual([asset]);
    expect(await article(1048572)).toContain(`src="../../${asset}"`);
    const after = await readTree(root);
    expect(after.get(asset)).toBe(before.get(asset));

    // Another machine, a fresh archive: the same name, the same bytes.
    await run(first, 'elsewhere');
    expect(await listAssets(join(dir, 'elsewhere'))).toEqual([asset]);
    expect((await readFile(join(dir, 'elsewhere', asset))).equals(stored)).toBe(true);
  });

  it('keeps a picture the decoder refuses remote, naming the article, the image and the code, and archives the article', async () => {
    const good = await cameraJpeg();
    // A JPEG's first bytes (it passes as a JPEG), then bytes no decoder makes a picture of.
    const broken = Buffer.concat([good.subarray(0, 200), Buffer.alloc(2000, 0x5a)]);
    server.routes.set('/broken.jpg', { headers: { 'content-type': 'image/jpeg' }, body: broken });
    const outcome = await run([item(1, `<img src="${server.url}/broken.jpg">`)]);
    expect(outcome.added).toEqual([1048574]);
    expect(outcome.warnings).toHaveLength(1);
    expect(outcome.warnings[0]).toMatch(new RegExp(`^https://example\\.org/p/1: image kept remote: ${server.url}/broken\\.jpg: cannot be re-encoded \\(.+\\) \\[image_undecodable\\]$`));
    expect(await article(1048574)).toContain(`src="${server.url}/broken.jpg"`);
    expect(await listAssets(join(dir, 'archive'))).toEqual([]);
  });

  it('keeps the publisher’s bytes beside the compact copy with images.originals: keep, and encodes AVIF when asked', async () => {
    const photo = await cameraJpeg();
    server.routes.set('/a.jpg', { headers: { 'content-type': 'image/jpeg' }, body: photo });
    await run([item(1, `<img src="${server.url}/a.jpg">`)], 'archive', 'images: { format: avif, originals: keep }\n');
    const root = join(dir, 'archive');
    const hash = sha256(photo);
    const original = `assets/${hash.slice(0, 2)}/${hash}.jpg`;
    expect(await listAssets(root)).toEqual([compactAsset(photo, 'avif'), original].sort());
    expect((await readFile(join(root, original))).equals(photo)).toBe(true);
    expect(await article(1048574)).toContain(`src="../../${compactAsset(photo, 'avif')}"`);
    expect(await decode(await readFile(join(root, compactAsset(photo, 'avif'))))).toMatchObject({ format: 'heif', width: 640, height: 1280, metadata: [] });
  });
});

describe.skipIf(noteSkip(hasCorpus, 'archiving the real images of ../shared/corpus/images'))('compact images of the real corpus, through newsmirror run', () => {
  it('stores every picture decodable, inside the box, without metadata, at under a fifth of the bytes; the one over the pixel cap stays remote', async () => {
    const server = await new LocalFeedServer().start();
    try {
      const dir = await tempDir();
      const names = (await readdir(IMAGES)).filter((n) => /\.(jpe?g|png|gif|webp|avif)$/.test(n)).sort();
      const served = new Map<string, Buffer>();
      for (const name of names) {
        served.set(name, await readFile(join(IMAGES, name)));
        server.routes.set(`/img/${name}`, { body: served.get(name)! });
      }
      // Three pictures an article, as the family's articles carry about 2.4.
      const items: TestItem[] = [];
      for (let i = 0; i < names.length; i += 3) {
        const html = names.slice(i, i + 3).map((n) => `<p><img src="${server.url}/img/${n}" alt="${n}"></p>`).join('');
        items.push({ title: `实拍第${i}组`, link: `https://example.org/photos/${i}`, pubDate: new Date(Date.UTC(2026, 0, 20, 8, i)).toUTCString(), description: `<p>图集${i}</p>${html}` });
      }
      server.routes.set('/feed.xml', { body: rss(items) });
      const config = join(dir, 'newsmirror.yaml');
      await writeFile(config, `allowPrivateNetworks: true\nsources:\n  - { name: 图, slug: img, url: "${server.url}/feed.xml", fullText: never }\n`);
      const result = await runCli(['run', '--config', config, '--json']);
      expect(result.code, result.stderr).toBe(0);
      const outcome = JSON.parse(result.stdout).sources[0] as { added: number[]; warnings: string[] };
      expect(outcome.added).toHaveLength(items.length);
      const giant = names.indexOf('giant-image.jpg');
      expect(outcome.warnings).toEqual([expect.stringMatching(new RegExp(`^https://example\\.org/photos/${giant - (giant % 3)}: image kept remote: ${server.url}/img/giant-image\\.jpg: .*pixel cap`))]);

      const root = join(dir, 'archive');
      const assets = await listAssets(root);
      const archived = names.filter((n) => n !== 'giant-image.jpg');
      expect(assets.sort()).toEqual(archived.map((n) => compactAsset(served.get(n)!)).sort());
      let compact = 0;
      for (const asset of assets) {
        const bytes = await readFile(join(root, asset));
        const picture = await decode(bytes);
        expect(picture.format, asset).toBe('webp');
        expect(Math.max(picture.width, picture.height), asset).toBeLessThanOrEqual(1280);
        expect(picture.metadata, asset).toEqual([]);
        compact += bytes.length;
      }
      const original = archived.reduce((sum, n) => sum + served.get(n)!.length, 0);
      console.log(`corpus through run: ${assets.length} pictures, ${compact} bytes stored vs ${original} served (ratio ${(compact / original).toFixed(3)})`);
      expect(compact / original).toBeLessThan(0.2);

      // A run with nothing new changes no file.
      const before = await readTree(root);
      expect((await runCli(['run', '--config', config])).code).toBe(0);
      expect(await readTree(root)).toEqual(before);
    } finally {
      await server.stop();
    }
  }, 120_000);
});

describe('the demo', () => {
  it('archives a camera-sized photograph re-encoded: a WebP inside the box, without the EXIF it was served with', async () => {
    const demo = join(await tempDir(), 'demo');
    const result = await runCli(['demo', demo, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const files = await readdir(join(demo, 'articles/demo-news'));
    const texts = await Promise.all(files.map((f) => readFile(join(demo, 'articles/demo-news', f), 'utf8')));
    const photo = texts.join('\n').match(/src="\.\.\/\.\.\/(assets\/[0-9a-f]{2}\/[0-9a-f]{64}\.webp)" data-original-src="http:\/\/127\.0\.0\.1:\d+\/photos\/harbour-lights\.jpg"/);
    expect(photo, 'the harbour article links its photograph’s local copy').not.toBeNull();
    const stored = await readFile(join(demo, photo![1]!));
    expect(await decode(stored)).toEqual({ format: 'webp', width: 1280, height: 853, metadata: [] });
    expect(stored.toString('latin1')).not.toContain('newsmirror demo');
  });
});

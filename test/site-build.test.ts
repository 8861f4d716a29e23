import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderArticleFile } from '../src/archive/article-file.js';
import { Catalog } from '../src/catalog/catalog.js';
import { readFeed } from '../src/feeds/read-feed.js';
import { CATALOG_FILE } from '../src/catalog/catalog-location.js';
import { ReaderArchive } from '../src/publish/reader-archive.js';
import { syncReaderCatalog } from '../src/pipeline/sync-reader-catalog.js';
import { SiteOutput } from '../src/publish/site-output.js';
import { checkAtomRequirements } from '../src/publish/testing/atom-requirements.js';
import { writeSite } from '../src/publish/write-site.js';
import { buildReaderFixture, HOSTILE_ID, WIRE_COUNT, type ReaderFixture } from '../src/web/testing/reader-fixture.js';

async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else out.push(relative(root, path).split('\\').join('/'));
    }
  };
  await walk(root);
  return out.sort();
}

describe('static site', () => {
  let dir: string;
  let fixture: ReaderFixture;
  let out: string;

  async function build() {
    const catalog = Catalog.open(join(fixture.archiveDir, CATALOG_FILE));
    try {
      expect(await syncReaderCatalog(fixture.archiveDir, catalog, Date.now())).toEqual([]);
      const output = await SiteOutput.open(out);
      await writeSite(new ReaderArchive(fixture.archiveDir, catalog, fixture.config), output);
      const stats = await output.finish();
      return { stats, changed: output.changed };
    } finally {
      catalog.close();
    }
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsmirror-site-'));
    fixture = await buildReaderFixture(dir);
    out = join(dir, 'site');
    await build();
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes every page, feed, image and index file, each page under 50 KB with its stylesheet and scripts', async () => {
    const files = await listFiles(out);
    for (const path of ['index.html', 'search.html', 'sources/news/index.html', 'sources/wire/page-2.html', 'sources/wire/2026-01.html', `articles/news/${HOSTILE_ID}.html`, 'feeds/news.xml', 'feeds/all.xml', 'static/reader.css', 'search-index/meta.js', 'search-index/fold.js', 'search-index/s0-t0.js', 'search-index/s0-d0.js']) {
      expect(files, path).toContain(path);
    }
    expect(files.filter((f) => f.startsWith('articles/wire/'))).toHaveLength(WIRE_COUNT);
    expect(files.filter((f) => f.startsWith('assets/'))).toHaveLength(1);
    expect(files.some((f) => f.includes('.newsmirror-tmp'))).toBe(false);
    const shared = (await stat(join(out, 'static/reader.css'))).size + (await stat(join(out, 'static/reader.js'))).size;
    for (const page of files.filter((f) => f.endsWith('.html'))) {
      const extra = page === 'search.html' ? (await stat(join(out, 'static/search.js'))).size : 0;
      expect((await stat(join(out, page))).size + shared + extra, page).toBeLessThan(50_000);
    }
  });

  it('links only relatively, and every relative link and script names a file of the site', async () => {
    const files = new Set(await listFiles(out));
    for (const page of [...files].filter((f) => f.endsWith('.html'))) {
      const html = await readFile(join(out, page), 'utf8');
      for (const [, tag, attr, value] of html.matchAll(/<(a|link|script|img|form)\b[^>]*?\s(href|src|action)="([^"]*)"/g)) {
        const url = value!.replace(/&amp;/g, '&');
        if (/^https?:/.test(url)) {
          // The original article and links inside bodies: plain links a reader may follow, never loaded by the page.
          expect(tag, `${page}: ${url}`).toBe('a');
          continue;
        }
        expect(url, `${page}: ${attr}`).not.toMatch(/^(\/|[a-z]+:)/i);
        const target = posix.normalize(posix.join(posix.dirname(page), url.split(/[?#]/)[0]!));
        expect(files.has(target), `${page} links to ${url}`).toBe(true);
      }
    }
  });

  it('feeds meet RFC 4287 and read back with relative links resolved', async () => {
    for (const feed of ['feeds/news.xml', 'feeds/wire.xml', 'feeds/all.xml']) {
      const xml = await readFile(join(out, feed), 'utf8');
      expect(checkAtomRequirements(xml), feed).toEqual([]);
    }
    const news = readFeed(await readFile(join(out, 'feeds/news.xml'), 'utf8'), { url: 'https://mirror.example/site/feeds/news.xml' });
    expect(news.items[0]?.link).toMatch(/^https:\/\/mirror\.example\/site\/articles\/news\/\d+\.html$/);
  });

  it('a rebuild with nothing new writes nothing; after 100 new articles it writes those, their neighbour, and the lists, index and feeds they change', async () => {
    const again = await build();
    expect(again.changed).toEqual([]);
    expect(again.stats.written).toBe(0);
    const before = await stat(join(out, `articles/news/${HOSTILE_ID}.html`));
    const base = Date.UTC(2026, 1, 1);
    for (let k = 0; k < 100; k += 1) {
      const id = 1040000 - k;
      await writeFile(
        join(fixture.archiveDir, `articles/wire/${id}.md`),
        renderArticleFile({ published: base + k * 60_000, title: `New wire ${k} 新稿`, url: `https://wire.example.org/new/${k}`, body: `<p>new ${k}</p>` }),
      );
    }
    const { changed } = await build();
    const articles = changed.filter((p) => p.startsWith('articles/'));
    expect(articles).toHaveLength(101);
    expect(articles.filter((p) => !/^articles\/wire\/10400\d\d\.html$/.test(p) && !/^articles\/wire\/1039\d\d\d\.html$/.test(p))).toHaveLength(1);
    expect(changed.some((p) => p.startsWith('assets/') || p.startsWith('static/') || p.startsWith('articles/news/'))).toBe(false);
    expect(changed).toContain('sources/wire/2026-02.html');
    expect(changed).not.toContain('sources/news/index.html');
    expect(changed).toContain('search-index/meta.js');
    expect((await stat(join(out, `articles/news/${HOSTILE_ID}.html`))).mtimeMs).toBe(before.mtimeMs);
  });

  it('removes the page of an article that is gone, and leaves files it did not make', async () => {
    await writeFile(join(out, 'CNAME'), 'mirror.example\n');
    const gone = (await readdir(join(fixture.archiveDir, 'articles/wire'))).sort()[0]!;
    await rm(join(fixture.archiveDir, 'articles/wire', gone));
    const { changed } = await build();
    expect(changed).toContain(`articles/wire/${gone.replace('.md', '.html')}`);
    expect(existsSync(join(out, `articles/wire/${gone.replace('.md', '.html')}`))).toBe(false);
    expect(existsSync(join(out, 'CNAME'))).toBe(true);
    expect(dirname('x')).toBe('.');
  });
});

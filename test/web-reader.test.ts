import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderArticleFile } from '../src/archive/article-file.js';
import { Catalog } from '../src/catalog/catalog.js';
import { configSchema } from '../src/config/config-schema.js';
import { DEMO_PNG } from '../src/demo/demo-feeds.js';
import { readFeed } from '../src/feeds/read-feed.js';
import { CATALOG_FILE } from '../src/catalog/catalog-location.js';
import { ReaderArchive } from '../src/publish/reader-archive.js';
import { syncReaderCatalog } from '../src/pipeline/sync-reader-catalog.js';
import { checkAtomRequirements } from '../src/publish/testing/atom-requirements.js';
import { createReaderApp } from '../src/web/reader-app.js';
import { readerSearch, SEARCH_DAMAGED } from '../src/web/reader-search.js';
import { readerHealth, startReader } from '../src/web/start-reader.js';
import { compactAsset } from './helpers/archived-image.js';
import { damagePages } from './helpers/damage-pages.js';
import { buildReaderFixture, HOSTILE_ID, NEWS_TITLES, WIRE_COUNT, type ReaderFixture } from '../src/web/testing/reader-fixture.js';

const ASSET = compactAsset(DEMO_PNG);

describe('reader server pages and API (in process)', () => {
  let dir: string;
  let fixture: ReaderFixture;
  let catalog: Catalog;
  let app: ReturnType<typeof createReaderApp>;
  let archive: ReaderArchive;
  const get = async (path: string) => {
    const response = await app.request(path);
    return { response, status: response.status, text: await response.text() };
  };
  const newsIds: number[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsmirror-web-'));
    fixture = await buildReaderFixture(dir);
    catalog = Catalog.open(join(fixture.archiveDir, CATALOG_FILE));
    expect(await syncReaderCatalog(fixture.archiveDir, catalog, Date.now())).toEqual([]);
    archive = new ReaderArchive(fixture.archiveDir, catalog, fixture.config);
    app = createReaderApp({ archive, search: readerSearch()!(catalog), health: readerHealth(fixture.config, catalog) });
    newsIds.push(...catalog.listNewest('news', 10).map((r) => r.id));
  });
  afterAll(async () => {
    catalog.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('home: every source with its count and newest titles, relative links, strict headers', async () => {
    const { response, status, text } = await get('/');
    expect(status).toBe(200);
    expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'self';/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(text).toMatch(/<h2><a href="sources\/news\/index.html">测试新闻<\/a><span class="health ok" title="last success [^"]+">正常<\/span><\/h2>/);
    expect(text).toContain('共 4 篇');
    expect(text).toContain(`共 ${WIRE_COUNT} 篇`);
    expect(text).toContain(NEWS_TITLES[2]);
    expect(text).not.toMatch(/(src|href)="(https?:)?\/\/(?!news\.example|wire\.example)/);
    expect(Buffer.byteLength(text)).toBeLessThan(50_000);
    expect((await get('/index.html')).text).toBe(text);
  });

  it('source pages: newest first, 50 a page, numbered pages, a month archive', async () => {
    const first = await get('/sources/wire/index.html');
    expect(first.status).toBe(200);
    expect(first.text.match(/<li>/g)).toHaveLength(50);
    expect(first.text.indexOf('Wire report 59:')).toBeLessThan(first.text.indexOf('Wire report 58:'));
    expect(first.text).toContain('<link rel="next" href="page-2.html">');
    expect(first.text).toContain('href="../../sources/wire/2026-01.html">2026-01</a>');
    const second = await get('/sources/wire/page-2.html');
    expect(second.text.match(/<li>/g)).toHaveLength(WIRE_COUNT - 50);
    expect(second.text).toContain('<link rel="prev" href="index.html">');
    expect((await get('/sources/wire/page-3.html')).status).toBe(404);
    const month = await get('/sources/wire/2026-01.html');
    expect(month.text.match(/<li>/g)).toHaveLength(WIRE_COUNT);
    expect((await get('/sources/wire/2025-01.html')).status).toBe(404);
    expect((await get('/sources/nope/index.html')).status).toBe(404);
    // A folder without its slash goes to the folder (its relative links need the slash).
    const bare = await get('/sources/wire?x=1');
    expect([bare.status, bare.response.headers.get('location')]).toEqual([301, '/sources/wire/?x=1']);
    expect((await get('/sources/wire/')).text).toBe(first.text);
    expect((await get('/sources/nope/')).status).toBe(404);
    expect((await get('/articles/news')).status).toBe(404);
  });

  it('article page: cleaned body, time in the archive zone, original link, source, newer/older, local image', async () => {
    const [newest, middle, oldest] = newsIds;
    const { text, status } = await get(`/articles/news/${middle}.html`);
    expect(status).toBe(200);
    expect(text).toContain(`<h1>${NEWS_TITLES[1]}</h1>`);
    // 2026-01-11 02:00 UTC is 10:00 in Shanghai.
    expect(text).toContain('2026-01-11 10:00 (UTC+08:00)');
    expect(text).toContain('<a href="https://news.example.org/1" rel="noopener noreferrer">原文</a>');
    expect(text).toContain('<a href="../../sources/news/index.html">测试新闻</a>');
    expect(text).toContain(`<link rel="prev" href="../../articles/news/${newest}.html">`);
    expect(text).toContain(`<link rel="next" href="../../articles/news/${oldest}.html">`);
    const withImage = await get(`/articles/news/${oldest}.html`);
    expect(withImage.text).toContain(`<img src="../../${ASSET}" alt="投票站" loading="lazy" decoding="async">`);
    const image = await app.request(`/${ASSET}`);
    expect([image.status, image.headers.get('content-type')]).toEqual([200, 'image/webp']);
    expect(Buffer.from(await image.arrayBuffer()).equals(await readFile(join(fixture.archiveDir, ASSET)))).toBe(true);
    expect((await get(`/articles/news/12345.html`)).status).toBe(404);
  });

  it('a hostile article file shows its title as text and keeps no script, handler, javascript: link or remote load', async () => {
    const { text, status } = await get(`/articles/news/${HOSTILE_ID}.html`);
    expect(status).toBe(200);
    expect(text).toContain('<h1>&lt;script&gt;window.__pwned = &quot;title&quot;&lt;/script&gt;恶意标题 &quot;引号&quot; &amp; &lt;b&gt;粗体&lt;/b&gt;</h1>');
    expect(text).not.toMatch(/<script>|onerror|onclick|javascript:|<style/i);
    const body = /<div class="article-body">(.*?)<\/div>/s.exec(text)?.[1] ?? '';
    expect(body).toMatch(/^<p>正文继续<\/p><p>点我<\/p>/);
    expect(body).not.toMatch(/<form|<input|<iframe|<img/);
    expect(text).toContain('<a class="remote-image" href="https://images.example.com/remote.png" rel="noopener noreferrer">[图片：远程图片]</a>');
    expect(text).toContain('<a class="remote-embed" href="https://www.youtube.com/embed/abc" rel="noopener noreferrer">[视频：www.youtube.com]</a>');
    expect(text).toContain('<a href="https://news.example.org/relative/page.html" rel="noopener noreferrer">相对链接</a>');
    expect(text).not.toMatch(/<img[^>]+src="https?:/);
  });

  it('Atom feeds per source and for all: RFC 4287 required elements, full content, read back by readFeed', async () => {
    for (const path of ['/feeds/news.xml', '/feeds/wire.xml', '/feeds/all.xml']) {
      const { response, text } = await get(path);
      expect(response.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
      expect(checkAtomRequirements(text), path).toEqual([]);
    }
    const news = readFeed((await get('/feeds/news.xml')).text, { url: 'http://localhost/feeds/news.xml' });
    expect(news.format).toBe('atom');
    expect(news.items.map((i) => i.title)).toEqual([...[...NEWS_TITLES].reverse(), expect.stringContaining('恶意标题')]);
    expect(news.items[2]?.content).toContain(`<img src="http://localhost/${ASSET}"`);
    expect(news.items[0]?.link).toBe(`http://localhost/articles/news/${newsIds[0]}.html`);
    const feedId = (xml: string) => /<id>([^<]+)<\/id>/.exec(xml)?.[1];
    const other = await (await app.request('http://mirror.example/feeds/news.xml')).text();
    expect(feedId(other)).toBe(feedId((await get('/feeds/news.xml')).text));
    const all = readFeed((await get('/feeds/all.xml')).text);
    expect(all.items).toHaveLength(50);
    expect((await get('/feeds/none.xml')).status).toBe(404);
  });

  it('JSON API: sources, articles paged by a before cursor, errors as JSON', async () => {
    const sources = JSON.parse((await get('/api/sources')).text);
    expect(sources.sources.map((s: { slug: string; count: number }) => [s.slug, s.count])).toEqual([
      ['news', 4],
      ['wire', WIRE_COUNT],
    ]);
    expect(sources.sources[0].latest[0]).toEqual({ id: newsIds[0], title: NEWS_TITLES[2], published: '2026-01-12T02:00:00.000Z', path: `articles/news/${newsIds[0]}.html` });
    const first = JSON.parse((await get('/api/articles?source=wire')).text);
    expect(first.items).toHaveLength(50);
    const second = JSON.parse((await get(`/api/articles?source=wire&before=${first.next}`)).text);
    expect([second.items.length, second.next]).toEqual([WIRE_COUNT - 50, null]);
    expect(second.items[0].title).toBe('Wire report 9: markets 第9号');
    const errors = await Promise.all(['/api/articles', '/api/articles?source=nope', '/api/articles?source=wire&before=abc', '/api/articles?source=wire&before=7', '/api/nothing'].map(get));
    expect(errors.map((e) => e.status)).toEqual([400, 404, 400, 400, 404]);
    expect(JSON.parse(errors[1]!.text).error.code).toBe('unknown_source');
  });

  it('static files and 404s carry the same headers; unknown paths are 404 pages', async () => {
    for (const path of ['/static/reader.css', '/static/reader.js', '/static/search.js', '/nothing', '/articles/news/x.html']) {
      const { response } = await get(path);
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('content-security-policy'), path).toContain("default-src 'self'");
    }
    expect((await get('/static/reader.css')).response.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await get('/nothing')).status).toBe(404);
  });

  it('refuses paths that leave the archive: .., encoded dots and slashes, absolute paths', async () => {
    await writeFile(join(dir, 'secret.txt'), 'SECRET-OUTSIDE');
    const attempts = [
      '/assets/../../secret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/assets/%2E%2E%2F%2E%2E%2Fsecret.txt',
      '/articles/news/..%2f..%2f..%2fsecret.txt',
      '/articles/..%2F..%2F/1.html',
      `/articles/news/%2e%2e%2f${HOSTILE_ID}.md`,
      '//etc/passwd',
      `/${join(dir, 'secret.txt')}`,
      '/feeds/..%2f..%2fsecret.xml',
      '/sources/news/..%5c..%5csecret.txt',
    ];
    for (const path of attempts) {
      const { status, text } = await get(path);
      expect(status, path).toBe(404);
      expect(text, path).not.toContain('SECRET');
    }
  });

  it('over a real socket on 127.0.0.1, raw request targets with dot segments never reach a file', async () => {
    await writeFile(join(dir, 'secret.txt'), 'SECRET-OUTSIDE');
    const reader = await startReader({ config: fixture.config, port: 0, host: '127.0.0.1' });
    try {
      expect(reader.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const { port } = new URL(reader.url);
      const raw = (target: string) =>
        new Promise<string>((resolve, reject) => {
          const socket = connect(Number(port), '127.0.0.1', () => socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`));
          let answer = '';
          socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
          socket.on('end', () => resolve(answer));
          socket.on('error', reject);
        });
      for (const target of ['/assets/../../secret.txt', '/../secret.txt', '/articles/news/../../../secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt', `${join(dir, 'secret.txt')}`]) {
        const answer = await raw(target);
        expect(answer, target).toMatch(/^HTTP\/1\.1 (400|404) /);
        expect(answer, target).not.toContain('SECRET');
      }
      expect(await raw('/index.html')).toMatch(/^HTTP\/1\.1 200 /);
    } finally {
      await reader.close();
    }
  });

  it('search page: results with marked snippets, Traditional finds Simplified, filters and paging', async () => {
    const page = await get('/search.html?q=%E5%87%BA%E5%8F%A3');
    expect(page.status).toBe(200);
    expect(page.text).toContain('value="出口"');
    expect(page.text).toContain('找到 1 篇。');
    expect(page.text).toMatch(/<a href="articles\/news\/\d+\.html">海关：<mark>出口<\/mark>增长三成<\/a><p class="snippet">[^<]*<mark>出口<\/mark>/);
    const traditional = await get(`/search.html?q=${encodeURIComponent('選舉')}`);
    expect(traditional.text).toContain('台湾<mark>选举</mark>结果揭晓');
    const filtered = await get(`/search.html?q=${encodeURIComponent('选举')}&source=wire`);
    expect(filtered.text).toContain('没有找到“选举”。');
    const dated = await get('/search.html?q=markets&from=2026-01-12&to=2026-01-12&limit=5');
    expect(dated.text).toMatch(/找到 (\d+) 篇。/);
    expect(dated.text.match(/<li>/g)).toHaveLength(5);
    expect(dated.text).toContain('<link rel="next" href="search.html?q=markets&amp;from=2026-01-12&amp;to=2026-01-12&amp;limit=5&amp;offset=5">');
    // A query of punctuation only is said in the page's language, the search's own words after it.
    const punctuation = await get(`/search.html?q=${encodeURIComponent('，。')}`);
    expect(punctuation.text).toContain('查询里没有可以查找的字或词（the query &quot;，。&quot; has no word or character to look for）');
    const hostile = await get(`/search.html?q=${encodeURIComponent('恶意标题')}`);
    expect(hostile.text).not.toMatch(/<script>window/);
    expect(hostile.text).toContain('&lt;script&gt;window.__pwned');
  });

  it('search API: JSON hits with paths, errors as JSON, and a clear answer where search is missing', async () => {
    const found = JSON.parse((await get(`/api/search?q=${encodeURIComponent('春节')}`)).text);
    expect(found.total).toBe(1);
    expect(found.hits[0]).toMatchObject({ source: 'news', title: NEWS_TITLES[2], path: `articles/news/${newsIds[0]}.html`, published: '2026-01-12T02:00:00.000Z' });
    expect((await get('/api/search?q=')).status).toBe(400);
    const without = createReaderApp({ archive });
    const page = await without.request('/search.html?q=x');
    expect(await page.text()).toContain('search not available yet');
    const api = await without.request('/api/search?q=x');
    expect([api.status, ((await api.json()) as { error: { code: string } }).error.code]).toEqual([503, 'search_unavailable']);
  });
});

describe('reader search over a damaged search index', () => {
  it('says so on the page and in the API (503), and the next start makes the index anew', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'newsmirror-web-damaged-'));
    try {
      const fixture = await buildReaderFixture(dir);
      const file = join(fixture.archiveDir, CATALOG_FILE);
      const start = async () => {
        const catalog = Catalog.open(file);
        expect(await syncReaderCatalog(fixture.archiveDir, catalog, Date.now())).toEqual([]);
        const archive = new ReaderArchive(fixture.archiveDir, catalog, fixture.config);
        return { catalog, app: createReaderApp({ archive, search: readerSearch()!(catalog) }) };
      };
      const first = await start();
      first.catalog.close();
      // The key table results are read from: the start's sync (a backlog check) does not read it.
      expect(damagePages(`${file}-search`, 'search_docs')).toBeGreaterThan(0);

      const damaged = await start();
      const page = await (await damaged.app.request(`/search.html?q=${encodeURIComponent('出口')}`)).text();
      expect(page).toContain(SEARCH_DAMAGED);
      const api = await damaged.app.request(`/api/search?q=${encodeURIComponent('出口')}`);
      const body = (await api.json()) as { error: { code: string; message: string } };
      expect([api.status, body.error]).toEqual([503, { code: 'search_damaged', message: SEARCH_DAMAGED }]);
      damaged.catalog.close();
      expect(existsSync(`${file}-search`)).toBe(false);

      const again = await start();
      try {
        const found = JSON.parse(await (await again.app.request(`/api/search?q=${encodeURIComponent('出口')}`)).text());
        expect(found.total).toBe(1);
      } finally {
        again.catalog.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  /**
   * A serve started over an archive whose search file is damaged where opening it does not look
   * (the key table), handed to `use` with the catalog's path and what the reader logged.
   */
  async function withDamagedReader(use: (reader: { url: string }, file: string, logged: string[]) => Promise<void>): Promise<void> {
    const dir = await mkdtemp(join(tmpdir(), 'newsmirror-web-damaged-'));
    try {
      const fixture = await buildReaderFixture(dir);
      const file = join(fixture.archiveDir, CATALOG_FILE);
      const first = Catalog.open(file);
      expect(await syncReaderCatalog(fixture.archiveDir, first, Date.now())).toEqual([]);
      first.close();
      expect(damagePages(`${file}-search`, 'search_docs')).toBeGreaterThan(0);
      const logged: string[] = [];
      const reader = await startReader({ config: fixture.config, port: 0, host: '127.0.0.1', search: readerSearch(), log: (line) => logged.push(line) });
      try {
        await use(reader, file, logged);
      } finally {
        await reader.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  it('serve makes it anew while it runs: the search says so until the files are indexed again', async () => {
    await withDamagedReader(async (reader, _file, logged) => {
      const search = async () => {
        const response = await fetch(`${reader.url}api/search?q=${encodeURIComponent('出口')}`);
        return { status: response.status, body: (await response.json()) as { total?: number; error?: { code: string; message: string } } };
      };
      expect(await search()).toEqual({ status: 503, body: { error: { code: 'search_damaged', message: SEARCH_DAMAGED } } });
      // The next requests open the catalog again (deleting the damaged file, making a new one) and index the files.
      await expect.poll(async () => (await search()).body.total, { timeout: 20_000, interval: 100 }).toBe(1);
      const home = await fetch(`${reader.url}index.html`);
      expect(home.status).toBe(200);
      expect(logged).toEqual([]);
    });
  });

  it('serve answers 503 with the reason while a catalog closed for its damaged search file cannot be opened again', async () => {
    await withDamagedReader(async (reader, file, logged) => {
      const searched = await fetch(`${reader.url}api/search?q=${encodeURIComponent('出口')}`);
      expect(searched.status).toBe(503);
      // Where the catalog was, something it cannot be opened as (a folder).
      await rename(file, `${file}.away`);
      await mkdir(file);
      const refused = await fetch(`${reader.url}index.html`);
      expect([refused.status, await refused.text()]).toEqual([
        503,
        `newsmirror serve: ${file}: could not be opened again after its search index was found damaged; try again shortly\n`,
      ]);
      expect(logged).toEqual([expect.stringMatching(/^could not open the catalog again \(the next request tries again\): /)]);
      await rm(file, { recursive: true });
      await rename(`${file}.away`, file);
      expect((await fetch(`${reader.url}index.html`)).status).toBe(200);
    });
  });
});

describe('a folder of an older layout beside a configured source of the same name (the family’s articles/BBC/ beside bbc/)', () => {
  it('names the two apart on the home page and in the search filter', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'newsmirror-web-case-'));
    try {
      const config = configSchema.parse({ sources: [{ name: 'BBC', slug: 'bbc', url: 'https://example.org/bbc.xml' }] });
      for (const [slug, id, title] of [['bbc', 1041693, '新的'], ['BBC', 1047443, '旧的']] as const) {
        await mkdir(join(dir, 'articles', slug), { recursive: true });
        await writeFile(join(dir, 'articles', slug, `${id}.md`), renderArticleFile({ published: Date.UTC(2024, 0, id % 7), title, url: `https://example.org/${id}`, body: '<p>x</p>' }));
      }
      const catalog = Catalog.open(join(dir, CATALOG_FILE));
      try {
        expect(await syncReaderCatalog(dir, catalog, Date.now())).toEqual([]);
        const app = createReaderApp({ archive: new ReaderArchive(dir, catalog, { ...config, file: join(dir, 'newsmirror.yaml') }), search: readerSearch()!(catalog) });
        const home = await (await app.request('/')).text();
        expect([...home.matchAll(/<h2><a href="sources\/(\w+)\/index.html">([^<]+)<\/a>/g)].map((m) => [m[1], m[2]])).toEqual([
          ['bbc', 'BBC'],
          ['BBC', 'BBC (articles/BBC)'],
        ]);
        const search = await (await app.request(`/search.html?q=${encodeURIComponent('的')}`)).text();
        expect(search).toContain('<option value="bbc">BBC</option><option value="BBC">BBC (articles/BBC)</option>');
      } finally {
        catalog.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

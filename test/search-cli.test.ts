import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderArticleFile } from '../src/archive/article-file.js';
import { Catalog } from '../src/catalog/catalog.js';
import { listUnindexedIds } from '../src/catalog/search-index.js';
import { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { rss, type TestItem } from './helpers/feeds.js';
import { runCli, spawnCli } from './helpers/run-cli.js';
import { damagePages } from './helpers/damage-pages.js';
import { tempDir } from './helpers/temp-dir.js';

const day = (d: number) => new Date(Date.UTC(2026, 0, d, 4)).toUTCString();

const NEWS: TestItem[] = [
  { title: '台灣選舉結果揭曉', link: 'https://example.org/n/1', pubDate: day(1), description: '<p>臺灣的選舉委員會公布了結果。</p>' },
  { title: '台湾经济新闻', link: 'https://example.org/n/2', pubDate: day(2), description: '<p>金鑫公司在台湾发布财报。</p>' },
  { title: '<script>alert(1)</script>台湾', link: 'https://example.org/n/3', pubDate: day(3), description: '<p>&lt;img src=x onerror=alert(1)&gt; 一篇恶意的文章</p>' },
  { title: '北京大学开学', link: 'https://example.org/n/4', pubDate: day(4), description: '<p>我们在北京大学读书。</p>' },
];
const WIRE: TestItem[] = [
  { title: 'Reuters：台湾股市上涨', link: 'https://example.org/w/1', pubDate: day(5), description: '<p>据Reuters报道，股市上涨。</p>' },
];

describe('search (command line, over a real run)', () => {
  let server: LocalFeedServer;
  let config: string;
  let archive: string;
  beforeEach(async () => {
    server = await new LocalFeedServer().start();
    const dir = await tempDir();
    config = join(dir, 'newsmirror.yaml');
    archive = join(dir, 'archive');
    await writeFile(
      config,
      [
        `archive: ${JSON.stringify(archive)}`,
        'allowPrivateNetworks: true',
        'sources:',
        `  - { name: 新闻, slug: news, url: "${server.url}/news.xml", fullText: never, images: keep }`,
        `  - { name: 通讯社, slug: wire, url: "${server.url}/wire.xml", fullText: never, images: keep }`,
        '',
      ].join('\n'),
    );
    server.routes.set('/news.xml', { body: rss(NEWS) });
    server.routes.set('/wire.xml', { body: rss(WIRE) });
    const run = await runCli(['run', '--config', config, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
  afterEach(() => server.stop());

  async function search(...args: string[]) {
    const result = await runCli(['search', '--config', config, '--json', ...args]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as { total: number; hits: { source: string; id: number; title: string; titleHtml: string; snippet: string; path: string }[] };
  }
  const titles = async (...args: string[]) => (await search(...args)).hits.map((h) => h.title);

  it('finds what the run archived: both scripts, one character, phrases, words, newest first', async () => {
    expect(await titles('台湾')).toEqual(['Reuters：台湾股市上涨', '<script>alert(1)</script>台湾', '台湾经济新闻', '台灣選舉結果揭曉']);
    expect(await titles('臺灣', '选举')).toEqual(['台灣選舉結果揭曉']);
    expect(await titles('鑫')).toEqual(['台湾经济新闻']);
    expect(await titles('京大')).toEqual(['北京大学开学']);
    expect(await titles('reuters')).toEqual(['Reuters：台湾股市上涨']);
    expect(await titles('台湾', '--source', 'wire')).toEqual(['Reuters：台湾股市上涨']);
    expect(await titles('台湾', '--from', '2026-01-02', '--to', '2026-01-03')).toEqual(['<script>alert(1)</script>台湾', '台湾经济新闻']);
    const page = await search('台湾', '--limit', '1', '--offset', '1');
    expect(page.total).toBe(4);
    expect(page.hits.map((h) => h.title)).toEqual(['<script>alert(1)</script>台湾']);
  });

  it('escapes a hostile title and body in the HTML it returns, and prints marks as 【】', async () => {
    const [hit] = (await search('恶意')).hits;
    expect(hit?.titleHtml).toBe('&lt;script&gt;alert(1)&lt;/script&gt;台湾');
    expect(hit?.snippet).toBe('&lt;img src=x onerror=alert(1)&gt; 一篇<mark>恶意</mark>的文章');
    const text = await runCli(['search', '--config', config, '選舉']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('1 article matches "選舉"');
    expect(text.stdout).toMatch(/2026-01-01 {2}news {2}台灣【選舉】結果揭曉\n {4}臺灣的【選舉】委員會公布了結果。\n {4}articles\/news\/\d+\.md/);
  });

  it('forgets an article whose file is gone after the next run, and reindex rebuilds the index', async () => {
    const [hit] = (await search('京大')).hits;
    await rm(join(archive, hit!.path));
    server.routes.set('/news.xml', { body: rss(NEWS.slice(0, 3)) });
    expect((await runCli(['run', '--config', config, '--json'])).code).toBe(0);
    expect(await titles('京大')).toEqual([]);
    expect((await runCli(['reindex', '--config', config, '--json'])).code).toBe(0);
    expect(await titles('台湾')).toHaveLength(4);
    expect(await titles('鑫')).toEqual(['台湾经济新闻']);
  });

  it('indexes what a catalog older than search lacks: at the next run, or when searching', async () => {
    const forget = () => {
      const catalog = Catalog.open(join(archive, '.newsmirror/catalog.sqlite'));
      catalog.sqlite.exec('DELETE FROM search_terms; DELETE FROM search_chars; DELETE FROM search_text; DELETE FROM search_docs;');
      catalog.close();
    };
    forget();
    expect((await runCli(['run', '--config', config, '--json'])).code).toBe(0);
    expect(await titles('台湾')).toHaveLength(4);
    forget();
    const result = await runCli(['search', '--config', config, '--json', '台湾']);
    expect(result.stderr).toBe('newsmirror search: indexing 5 articles that the search index lacks (once)…\n');
    expect(JSON.parse(result.stdout).total).toBe(4);
  });

  it('reindex rebuilds the search index of a large archive too', async () => {
    const big = join(archive, 'articles/big');
    await mkdir(big, { recursive: true });
    const count = 1_001;
    for (let k = 0; k < count; k += 1) {
      const body = k === 500 ? '<p>独一无二的文章</p>' : `<p>第${k}篇普通文章</p>`;
      await writeFile(join(big, `${1_048_574 - k}.md`), renderArticleFile({ published: Date.UTC(2025, 0, 1) + k * 60_000, title: `标题${k}`, url: `https://example.org/${k}`, body }));
    }
    expect((await runCli(['reindex', '--config', config, '--json'])).code).toBe(0);
    const catalog = Catalog.open(join(archive, '.newsmirror/catalog.sqlite'));
    expect(listUnindexedIds(catalog, 'big')).toEqual([]);
    expect(listUnindexedIds(catalog, 'news')).toEqual([]);
    catalog.close();
    const result = await runCli(['search', '--config', config, '--json', '独一无二']);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout).hits.map((h: { id: number }) => h.id)).toEqual([1_048_574 - 500]);
    expect((await search('普通文章')).total).toBe(count - 1);
  });

  it('refuses an empty query, a bad date, order, limit and an unknown source in one line each', async () => {
    const refusals = [
      [[], /what to look for/],
      [['，。'], /no word or character/],
      [['x', '--from', '2026-02-30'], /^newsmirror search: --from "2026-02-30" is not a date \(YYYY-MM-DD\)$/],
      [['x', '--order', 'best'], /^newsmirror search: --order "best" is not newest or relevance$/],
      [['x', '--limit', 'many'], /^newsmirror search: --limit "many" is not a number from 1 to 100$/],
      [['x', '--limit', '0'], /^newsmirror search: --limit "0" is not a number from 1 to 100$/],
      [['x', '--source', 'news', '--source', 'nosuch'], /^newsmirror search: --source nosuch: no such source in this archive \(known: news, wire\)$/],
    ] as const;
    for (const [args, message] of refusals) {
      const result = await runCli(['search', '--config', config, ...args]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(result.stderr.trimEnd()).toMatch(/^newsmirror search: /);
      expect(result.stderr.trimEnd()).toMatch(message);
    }
  });

  it('finds the same with the built CLI, whose run and reindex index on a thread of their own', async () => {
    const built = async (...args: string[]) => {
      const result = await spawnCli([...args, '--config', config, '--json']).done;
      expect([result.code, result.stderr]).toEqual([0, '']);
      return JSON.parse(result.stdout) as { hits: { title: string }[]; warnings?: string[] };
    };
    const expected = await titles('台湾');
    expect(expected.length).toBeGreaterThan(1);
    await rm(archive, { recursive: true, force: true });
    // The search command would index a backlog itself: check there is none first.
    const backlog = () => {
      const catalog = Catalog.open(join(archive, '.newsmirror/catalog.sqlite'));
      try {
        return ['news', 'wire'].flatMap((slug) => listUnindexedIds(catalog, slug));
      } finally {
        catalog.close();
      }
    };
    await built('run');
    expect(backlog()).toEqual([]);
    expect((await built('search', '台湾')).hits.map((h) => h.title)).toEqual(expected);
    const reindex = await built('reindex');
    expect(reindex.warnings).toEqual([]);
    expect(backlog()).toEqual([]);
    expect((await built('search', '台湾')).hits.map((h) => h.title)).toEqual(expected);
  });

  it('makes a search index found damaged anew from the article files, and answers from it', async () => {
    const healthy = await search('台湾');
    expect(healthy.total).toBeGreaterThan(0);
    // The key table that results are read from; opening the file and the backlog check do not read it.
    expect(damagePages(join(archive, '.newsmirror/catalog.sqlite-search'), 'search_docs')).toBeGreaterThan(0);
    const result = await runCli(['search', '台湾', '--config', config, '--json']);
    expect(result.code).toBe(0);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^! .*catalog\.sqlite-search: database disk image is malformed; the search index is damaged: it is made anew from the article files$/);
    expect(lines.slice(1)).toEqual(['newsmirror search: indexing 5 articles that the search index lacks (once)…']);
    expect(JSON.parse(result.stdout)).toEqual(healthy);
    expect(await search('台湾')).toEqual(healthy);
  });

  it('rebuilds an unreadable catalog from the files before it searches, and says so', async () => {
    const healthy = await search('台湾');
    const catalog = join(archive, '.newsmirror/catalog.sqlite');
    await Promise.all(['-wal', '-shm'].map((suffix) => rm(catalog + suffix, { force: true })));
    await writeFile(catalog, 'garbage\n');
    const result = await runCli(['search', '台湾', '--config', config, '--json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^! \.newsmirror\/catalog\.sqlite was not a readable SQLite database: moved to .*catalog\.sqlite\.corrupt-\d+ and rebuilt from the article files\n$/);
    expect(JSON.parse(result.stdout).total).toBe(healthy.total);
  });

  it('fills from the files an empty catalog that status made in place of an unreadable one', async () => {
    const healthy = await search('台湾');
    const catalog = join(archive, '.newsmirror/catalog.sqlite');
    await Promise.all(['-wal', '-shm'].map((suffix) => rm(catalog + suffix, { force: true })));
    await writeFile(catalog, 'garbage\n');
    // status moves the file aside and leaves an empty catalog for the next run to fill: search answered "0 articles".
    expect((await runCli(['status', '--config', config])).code).toBe(0);
    const result = await runCli(['search', '台湾', '--config', config, '--json']);
    expect([result.code, JSON.parse(result.stdout).total]).toEqual([0, healthy.total]);
  });
});

import { mkdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { newsArticles } from './helpers/news-articles.js';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../src/catalog/catalog.js';
import { searchArticles } from '../src/catalog/search-articles.js';
import { indexArticles } from '../src/catalog/search-index.js';
import { damagePages } from './helpers/damage-pages.js';
import { PROJECT_ROOT } from './helpers/shared.js';
import { itemRecord } from './helpers/item-record.js';
import { tempDir } from './helpers/temp-dir.js';

const compiled = join(PROJECT_ROOT, 'dist/src/pipeline/search-indexer.js');
type Module = typeof import('../src/pipeline/search-indexer.js');


const record = (id: number) => itemRecord('rfi', id);

// Skipped without a build (vitest alone), never in CI, where `npm test` builds first.
describe.skipIf(!existsSync(compiled) && !process.env.CI)('the search indexing thread (compiled, as the CLI runs it)', () => {
  it('indexes into the search file while the catalog is written, and has everything in at close', async () => {
    const { SearchIndexer } = (await import(pathToFileURL(compiled).href)) as Module;
    // The compiled indexer is handed a catalog opened from the sources: the two builds share the file, not the class.
    const catalog = Catalog.open(join(await tempDir(), 'catalog.sqlite'));
    const indexer = SearchIndexer.start(catalog as never);
    const all = newsArticles(0, 1_240);
    for (let i = 0; i < all.length; i += 40) {
      const slice = all.slice(i, i + 40);
      // The run's own writes, between two hand-overs: never blocked by the thread's transactions.
      catalog.insertItems(slice.map((a) => record(a.id)));
      indexer.add(slice);
    }
    expect(await indexer.close()).toEqual([]);
    expect(searchArticles(catalog, { q: '选举' }).total).toBe(1_240);
    expect(searchArticles(catalog, { q: 'election', limit: 1 }).hits[0]?.title).toBe('新闻 1239');
    expect(await indexer.close()).toEqual([]);
    // Late articles are not lost: a closed indexer indexes them on the calling thread at once.
    await indexer.add(newsArticles(1_240, 3));
    expect(searchArticles(catalog, { q: '选举' }).total).toBe(1_243);
    catalog.close();
  });

  it('reports how many articles a thread that could not index left for the next sync, and does not throw', async () => {
    const { SearchIndexer } = (await import(pathToFileURL(compiled).href)) as Module;
    const dir = await tempDir();
    const catalog = Catalog.open(join(dir, 'catalog.sqlite'));
    // Where the thread opens the search file there is a folder (the catalog's connection keeps the old file open).
    await rm(catalog.searchFile);
    await mkdir(catalog.searchFile);
    const indexer = SearchIndexer.start(catalog as never);
    indexer.add(newsArticles(0, 30));
    indexer.add(newsArticles(30, 12));
    const warnings = await indexer.close();
    // Each batch is one warning naming the file (articles are batched at close: one here).
    expect(warnings).toEqual([`search index: 42 articles left for the next catalog sync (${catalog.searchFile}: unable to open database file)`]);
    catalog.close();
  });

  it('marks a search file the thread finds damaged, says so once, and the catalog deletes it at close', async () => {
    const { SearchIndexer } = (await import(pathToFileURL(compiled).href)) as Module;
    const file = join(await tempDir(), 'catalog.sqlite');
    const first = Catalog.open(file);
    first.insertItems(newsArticles(0, 300).map((a) => record(a.id)));
    indexArticles(first, newsArticles(0, 300));
    first.close();
    // The key index every insert looks in first; opening the file does not read it.
    expect(damagePages(`${file}-search`, 'search_docs_by_item')).toBeGreaterThan(0);
    const catalog = Catalog.open(file);
    const indexer = SearchIndexer.start(catalog as never);
    indexer.add(newsArticles(300, 500));
    indexer.add(newsArticles(800, 20));
    const warnings = await indexer.close();
    expect(warnings).toEqual([
      `search index: ${catalog.searchFile}: database disk image is malformed; the file is damaged: it is deleted, and the next catalog sync makes it anew from the article files`,
    ]);
    // Nothing more is handed to a damaged file; the catalog's rows are untouched.
    await indexer.add(newsArticles(820, 5));
    expect(catalog.listIds('rfi')).toHaveLength(300);
    catalog.close();
    expect(existsSync(`${file}-search`)).toBe(false);
  });

  it('reports the articles a thread that died had not indexed, and what it had indexed stays', async () => {
    const { SearchIndexer } = (await import(pathToFileURL(compiled).href)) as Module;
    const catalog = Catalog.open(join(await tempDir(), 'catalog.sqlite'));
    const indexer = SearchIndexer.start(catalog as never);
    indexer.add(newsArticles(0, 500));
    // Wait for the thread's first commit (500 articles make a batch).
    for (let i = 0; i < 200 && searchArticles(catalog, { q: '选举' }).total < 500; i += 1) await new Promise((r) => setTimeout(r, 25));
    indexer.add(newsArticles(500, 9));
    await indexer.killThread();
    indexer.add(newsArticles(509, 3));
    const warnings = await indexer.close();
    // The 9 were handed to the thread; the 3 came after it died and were indexed here.
    expect(warnings).toEqual([expect.stringMatching(/^search index: 9 articles left for the next catalog sync \(the indexing thread stopped: .+\)$/)]);
    expect(searchArticles(catalog, { q: '选举' }).total).toBe(503);
    catalog.close();
  });

  it('makes the caller wait while the thread is far behind, and only then', async () => {
    const { SearchIndexer } = (await import(pathToFileURL(compiled).href)) as Module;
    const catalog = Catalog.open(join(await tempDir(), 'catalog.sqlite'));
    const indexer = SearchIndexer.start(catalog as never);
    // Under a batch: handed over, nothing committed yet, no wait.
    await indexer.add(newsArticles(0, 100));
    expect(searchArticles(catalog, { q: '选举' }).total).toBe(0);
    // 2,600 behind: add() resolves once the thread is back under 2,000, so it has committed.
    await indexer.add(newsArticles(100, 2_500));
    expect(searchArticles(catalog, { q: '选举' }).total).toBeGreaterThanOrEqual(600);
    expect(await indexer.close()).toEqual([]);
    expect(searchArticles(catalog, { q: '选举' }).total).toBe(2_600);
    catalog.close();
  });
});

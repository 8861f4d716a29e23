import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderArticleFile } from '../src/archive/article-file.js';
import { articlePath } from '../src/domain/article.js';
import { PROJECT_ROOT } from './helpers/shared.js';
import { tempDir } from './helpers/temp-dir.js';

const dist = (path: string) => join(PROJECT_ROOT, 'dist/src', path);
const compiled = dist('pipeline/search-indexer.js');

async function load() {
  const { SearchIndexer } = (await import(pathToFileURL(compiled).href)) as typeof import('../src/pipeline/search-indexer.js');
  const { Catalog } = (await import(pathToFileURL(dist('catalog/catalog.js')).href)) as typeof import('../src/catalog/catalog.js');
  const { searchArticles } = (await import(pathToFileURL(dist('catalog/search-articles.js')).href)) as typeof import('../src/catalog/search-articles.js');
  return { SearchIndexer, Catalog, searchArticles };
}

function batch(from: number, count: number) {
  return Array.from({ length: count }, (_, i) => ({
    source: 'rfi',
    id: 1_000_000 - from - i,
    published: Date.UTC(2025, 0, 1) + (from + i) * 60_000,
    title: `新闻 ${from + i}`,
    html: `<p>北京第${from + i}号消息：香港选举</p>`,
  }));
}

/** An archive holding the files of batch(0, count), which the thread reads the bodies from. */
async function archiveOf(count: number): Promise<string> {
  const root = await tempDir();
  await mkdir(join(root, 'articles/rfi'), { recursive: true });
  for (const a of batch(0, count)) {
    await writeFile(join(root, articlePath('rfi', a.id)), renderArticleFile({ published: a.published, title: a.title, url: `https://www.rfi.fr/cn/${a.id}`, body: a.html }));
  }
  return root;
}

describe.skipIf(!existsSync(compiled))('the run\'s search indexing thread (compiled, as the CLI runs it)', () => {
  it('indexes batches on its own connection while the caller goes on, all searchable after close', async () => {
    const { SearchIndexer, Catalog, searchArticles } = await load();
    const root = await archiveOf(120);
    const file = join(root, '.newsmirror/catalog.sqlite');
    const catalog = Catalog.open(file);
    const indexer = SearchIndexer.start(catalog, root, file);
    expect(indexer.threaded).toBe(true);
    for (let b = 0; b < 5; b += 1) indexer.add(batch(b * 20, 20));
    expect(await indexer.close()).toEqual([]);
    expect(searchArticles(catalog, { q: '港' }).total).toBe(100);
    expect(searchArticles(catalog, { q: '香港', limit: 1 }).hits[0]?.title).toBe('新闻 99');
    catalog.close();
  });

  it('takes turns with the run\'s writes: neither side is starved into "database is locked"', async () => {
    const { SearchIndexer, Catalog, searchArticles } = await load();
    const root = await archiveOf(1500);
    const file = join(root, '.newsmirror/catalog.sqlite');
    const catalog = Catalog.open(file);
    const indexer = SearchIndexer.start(catalog, root, file);
    for (let b = 0; b < 1500; b += 100) indexer.add(batch(b, 100));
    // The run's own writes, one transaction each, while the thread indexes.
    for (let i = 0; i < 300; i += 1) {
      catalog.recordFetch({ source: 'rfi', at: i, status: 'ok', url: 'u', code: null, message: null, added: 0, ms: 0 });
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await indexer.close()).toEqual([]);
    expect(searchArticles(catalog, { q: '港' }).total).toBe(1500);
    catalog.close();
  });

  it('indexes on the calling thread what a thread that died held or was given later', async () => {
    const { SearchIndexer, Catalog, searchArticles } = await load();
    const root = await archiveOf(120);
    const file = join(root, '.newsmirror/catalog.sqlite');
    const catalog = Catalog.open(file);
    const indexer = SearchIndexer.start(catalog, root, file);
    indexer.add(batch(0, 30));
    await indexer.killThread();
    indexer.add(batch(30, 30));
    expect(await indexer.close()).toEqual([]);
    expect(searchArticles(catalog, { q: '选举' }).total).toBe(60);
    catalog.close();
  });

  it('says how many articles it left for the next sync when it cannot index them at all', async () => {
    const { SearchIndexer, Catalog } = await load();
    const root = await archiveOf(120);
    const file = join(root, '.newsmirror/catalog.sqlite');
    const catalog = Catalog.open(file);
    const indexer = SearchIndexer.start(catalog, root, file);
    await indexer.killThread();
    indexer.add(batch(0, 7));
    catalog.close();
    const warnings = await indexer.close();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^search index: 7 articles left for the next catalog sync \(.+\)$/);
  });

  it('indexes at once on the calling thread for an in-memory catalog', async () => {
    const { SearchIndexer, Catalog, searchArticles } = await load();
    const catalog = Catalog.open(':memory:');
    const indexer = SearchIndexer.start(catalog, '/nonexistent', ':memory:');
    expect(indexer.threaded).toBe(false);
    indexer.add(batch(0, 3));
    expect(searchArticles(catalog, { q: '北京' }).total).toBe(3);
    expect(await indexer.close()).toEqual([]);
    catalog.close();
  });
});

import { join } from 'node:path';
import { newsArticles } from '../../test/helpers/news-articles.js';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../catalog/catalog.js';
import { searchArticles } from '../catalog/search-articles.js';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { SearchIndexer } from './search-indexer.js';


// The threaded indexer is tested compiled, as the CLI runs it, in test/search-index-thread.test.ts.
describe('SearchIndexer on the calling thread', () => {
  it('indexes in batches of 500 across sources, and the rest at close', async () => {
    const catalog = Catalog.open(join(await tempDir(), 'catalog.sqlite'));
    const indexer = SearchIndexer.start(catalog, { thread: false });
    for (let b = 0; b < 450; b += 50) indexer.add(newsArticles(b, 50));
    expect(searchArticles(catalog, { q: '港' }).total).toBe(0);
    indexer.add(newsArticles(450, 50));
    expect(searchArticles(catalog, { q: '港' }).total).toBe(500);
    indexer.add(newsArticles(500, 20));
    expect(await indexer.close()).toEqual([]);
    expect(searchArticles(catalog, { q: '选举' }).total).toBe(520);
    expect(searchArticles(catalog, { q: '香港', limit: 1 }).hits[0]?.title).toBe('新闻 519');
    catalog.close();
  });

  it('says how many articles it left for the next sync when it cannot index them, and does not throw', async () => {
    const catalog = Catalog.open(join(await tempDir(), 'catalog.sqlite'));
    const indexer = SearchIndexer.start(catalog, { thread: false });
    indexer.add(newsArticles(0, 7));
    catalog.close();
    const warnings = await indexer.close();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^search index: 7 articles left for the next catalog sync \(.+\)$/);
  });
});

import type { Catalog } from '../catalog/catalog.js';
import { indexArticles, type SearchableArticle } from '../catalog/search-index.js';
import { describeError } from '../domain/errors.js';

/**
 * Articles per FTS5 transaction. Each commit writes a segment and may merge;
 * one per source (50 articles in the bench run) cost a third more than 500.
 */
const BATCH = 500;

/**
 * Search indexing for a run: articles whose files are written and whose
 * catalog rows are committed are indexed in batches across sources, the
 * last at close(). Indexing never fails a run: a batch that cannot be
 * indexed is reported, and its rows stay unindexed for the next catalog
 * sync (or search) to index.
 *
 * (Indexing on a thread of its own was measured and dropped: with one
 * writer per SQLite file the two connections waited on each other, and
 * small transactions cost more CPU than the thread saved on two cores.)
 */
export class SearchIndexer {
  private readonly pending: SearchableArticle[] = [];
  private readonly warnings: string[] = [];

  constructor(private readonly catalog: Catalog) {}

  add(articles: SearchableArticle[]): void {
    this.pending.push(...articles);
    if (this.pending.length >= BATCH) this.flush();
  }

  /** Indexes what is pending; returns the warnings of the run's indexing. */
  close(): string[] {
    this.flush();
    return this.warnings.splice(0);
  }

  private flush(): void {
    const articles = this.pending.splice(0);
    if (articles.length === 0) return;
    try {
      indexArticles(this.catalog, articles);
    } catch (error) {
      this.warnings.push(`search index: ${articles.length} articles left for the next catalog sync (${describeError(error)})`);
    }
  }
}

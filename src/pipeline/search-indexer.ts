import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Catalog } from '../catalog/catalog.js';
import { indexArticles, searchDamageWarnings, withSearchFile, type SearchableArticle } from '../catalog/search-index.js';
import { describeError } from '../domain/errors.js';

/**
 * Articles per FTS5 transaction. Each commit writes a segment and may merge;
 * one per source (50 articles in the bench run) cost a third more than 500.
 */
const BATCH = 500;

/**
 * Articles handed to the thread and not yet indexed, at most, before add()
 * makes its caller wait: a rebuild reads files faster than FTS5 indexes
 * them, and every waiting article is a copy in memory. At least BATCH, so
 * the thread always has a batch to commit.
 */
const HIGH_WATER = 2_000;

export type ToIndexThread = { articles: SearchableArticle[] } | { close: true };
export type FromIndexThread = { indexed: number } | { failed: number; error: string; damaged: boolean } | { closed: true };

const leftFor = (count: number, why: string) => `search index: ${count} article${count === 1 ? '' : 's'} left for the next catalog sync (${why})`;


/**
 * Search indexing for a run or a rebuild (reindex, a search backlog):
 * articles whose files are written and whose catalog rows are committed
 * are indexed in batches across sources, the last at close(). Indexing never fails a run: a batch that cannot be
 * indexed is reported, and its rows stay unindexed for the next catalog
 * sync (or search) to index.
 *
 * The search index is a file of its own (catalog/search-file.ts), so a
 * thread writes it while the main thread fetches and writes the catalog:
 * on the bench run, indexing on the main thread blocked it for ~0.4 s a
 * batch and starved the cleaning thread, and took the run from ~12 s to
 * ~21 s. Where the compiled thread script is absent (the TypeScript sources
 * under a test runner) or the catalog is in memory, it indexes on the
 * calling thread.
 */
export class SearchIndexer {
  private readonly pending: SearchableArticle[] = [];
  private readonly warnings: string[] = [];
  /** Articles handed to the thread that it has not yet said it indexed or failed to. */
  private outstanding = 0;
  private closing = false;
  private damageReported = false;
  private closed = false;
  private alive = false;
  private readonly waiting: Array<() => void> = [];
  /** Settles when the thread has exited, for whatever reason. */
  private readonly exited: Promise<void> | undefined;

  private constructor(
    private readonly catalog: Catalog,
    private readonly thread: Worker | undefined,
  ) {
    if (!thread) return;
    this.alive = true;
    thread.on('message', (message: FromIndexThread) => {
      if ('indexed' in message) this.outstanding -= message.indexed;
      if ('failed' in message) {
        this.outstanding -= message.failed;
        this.failed(message.failed, message.error, message.damaged);
      }
      this.release();
    });
    let failure: string | undefined;
    thread.on('error', (error) => {
      failure = describeError(error);
    });
    this.exited = new Promise((resolve) => {
      thread.once('exit', () => {
        this.alive = false;
        // A thread that died (out of memory, an unusable search file) leaves its articles unindexed.
        if (this.outstanding > 0) this.warnings.push(leftFor(this.outstanding, `the indexing thread stopped: ${failure ?? 'no reason given'}`));
        this.outstanding = 0;
        this.release();
        resolve();
      });
    });
  }

  /** Indexing on a thread of its own when it can (see the class comment). */
  static start(catalog: Catalog, options: { thread?: boolean } = {}): SearchIndexer {
    const script = new URL('./search-index-worker.js', import.meta.url);
    const threaded = (options.thread ?? true) && catalog.searchFile !== ':memory:' && existsSync(fileURLToPath(script));
    const thread = threaded
      ? new Worker(script, {
          workerData: { file: catalog.searchFile, batch: BATCH },
          resourceLimits: { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 8 },
        })
      : undefined;
    return new SearchIndexer(catalog, thread);
  }

  /**
   * Takes articles whose catalog rows are committed. Resolves at once, or,
   * when the thread is HIGH_WATER articles behind, once it has caught up.
   */
  add(articles: SearchableArticle[]): Promise<void> {
    // A damaged file is remade and filled from the article files later: these are among them.
    if (articles.length === 0 || this.catalog.searchDamage !== undefined) return Promise.resolve();
    // Once the thread has gone (or is going), this thread indexes.
    if (this.thread && this.alive && !this.closing) {
      this.outstanding += articles.length;
      this.thread.postMessage({ articles } satisfies ToIndexThread);
      if (this.outstanding <= HIGH_WATER) return Promise.resolve();
      return new Promise((resolve) => this.waiting.push(resolve));
    }
    this.pending.push(...articles);
    // A closed indexer has no later flush: it indexes at once.
    if (this.pending.length >= BATCH || this.closed) this.flush();
    return Promise.resolve();
  }

  private release(): void {
    if (this.outstanding <= HIGH_WATER) for (const resolve of this.waiting.splice(0)) resolve();
  }

  /**
   * Indexes what is pending (waiting for the thread); returns the warnings
   * of the run's indexing. Safe to call twice; articles added while or after
   * it closes are indexed on the calling thread.
   */
  async close(): Promise<string[]> {
    if (this.thread && this.exited) {
      if (!this.closing) this.thread.postMessage({ close: true } satisfies ToIndexThread);
      this.closing = true;
      await this.exited;
    }
    this.flush();
    this.closed = true;
    // Damage found here or by anyone else on this catalog (a sync's deletes, the backlog check): one warning.
    // A damaged search file is not written to again: it is deleted when the catalog closes (Catalog.markSearchDamaged).
    const damage = searchDamageWarnings(this.catalog);
    if (damage.length > 0 && !this.damageReported) {
      this.damageReported = true;
      this.warnings.push(...damage);
    }
    return this.warnings.splice(0);
  }

  /** For tests: the thread dies as an out-of-memory thread would. */
  async killThread(): Promise<void> {
    await this.thread?.terminate();
  }

  private flush(): void {
    const articles = this.pending.splice(0);
    if (articles.length === 0) return;
    try {
      // withSearchFile takes damage found here: the file is remade (see close).
      withSearchFile(this.catalog, () => indexArticles(this.catalog, articles));
    } catch (error) {
      this.warnings.push(leftFor(articles.length, describeError(error)));
    }
  }

  /** A batch the thread could not index: left for the next sync, or, when the file is damaged, the file is remade. */
  private failed(count: number, error: string, damaged: boolean): void {
    if (damaged) this.catalog.markSearchDamaged(error);
    else this.warnings.push(leftFor(count, error));
  }
}

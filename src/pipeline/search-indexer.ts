import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { readArticle } from '../archive/scan-archive.js';
import type { Catalog } from '../catalog/catalog.js';
import { indexArticles, type SearchableArticle } from '../catalog/search-index.js';
import { describeError } from '../domain/errors.js';

/** The indexing thread makes little garbage of its own; SQLite's memory is outside this cap. */
const WORKER_HEAP_MB = 64;
/**
 * Articles per transaction of the thread. The run's own writes wait for the
 * transaction under way (see WriteGate): small ones keep that wait to a few
 * milliseconds, at a small cost in FTS5 merging.
 */
const ARTICLES_PER_TRANSACTION = 10;

/** What the thread is handed: the body it reads from the article file, so a queue holds no bodies. */
export interface IndexJob {
  id: number;
  root: string;
  source: string;
  articles: Array<Omit<SearchableArticle, 'html' | 'source'>>;
}

/** A job's articles with their bodies, read from their files (the archive is the truth). */
export async function readJob(job: IndexJob): Promise<SearchableArticle[]> {
  return Promise.all(
    job.articles.map(async (a) => ({ ...a, source: job.source, html: (await readArticle(job.root, job.source, a.id)).body })),
  );
}

/**
 * Search indexing for a run, off the main thread. Indexing is mostly FTS5's
 * own work inside SQLite (about 0.7 ms per article here), and on the main
 * thread it held up fetching, writing and the catalog; a thread with its own
 * connection to the catalog (WAL; the two writers take turns through a
 * WriteGate, the run's writes first) does it while the run goes on.
 *
 * Articles are handed over after their files are durable and their catalog
 * rows committed (the index's rows hang off them). Nothing here can lose an
 * article: a job the thread could not index (it died, or failed) is indexed
 * on this thread at close(); failing that, the rows stay unindexed and the
 * next catalog sync or search indexes them. Where the compiled worker is
 * absent (the TypeScript sources under a test runner) or the catalog is in
 * memory, articles are indexed at once on this thread.
 */
export class SearchIndexer {
  private readonly worker: Worker | undefined;
  private alive = false;
  private exited: Promise<void> = Promise.resolve();
  private readonly inFlight = new Map<number, IndexJob>();
  private readonly failed: IndexJob[] = [];
  private readonly drained: Array<() => void> = [];
  private readonly warnings: string[] = [];
  private nextId = 0;

  private constructor(
    private readonly catalog: Catalog,
    private readonly root: string,
    file: string,
    script: URL | undefined,
  ) {
    if (!script) return;
    const worker = new Worker(script, {
      workerData: { file, gate: catalog.shareWriteGate() },
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: 4 },
    });
    worker.on('message', (message: { id: number; error?: string }) => {
      const job = this.inFlight.get(message.id);
      this.inFlight.delete(message.id);
      if (job && message.error !== undefined) this.failed.push(job);
      this.settle();
    });
    const retire = () => {
      this.alive = false;
      for (const job of this.inFlight.values()) this.failed.push(job);
      this.inFlight.clear();
      this.settle();
    };
    worker.on('error', retire);
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve(retire())));
    this.worker = worker;
    this.alive = true;
  }

  /** `root` is the archive folder, `file` its catalog (the thread opens its own connection to it). */
  static start(catalog: Catalog, root: string, file: string): SearchIndexer {
    const script = new URL('./search-index-worker.js', import.meta.url);
    const threaded = file !== ':memory:' && existsSync(fileURLToPath(script));
    return new SearchIndexer(catalog, root, file, threaded ? script : undefined);
  }

  /** Whether a thread does the indexing. */
  get threaded(): boolean {
    return this.worker !== undefined;
  }

  /** Queues articles whose files are written and whose catalog rows are committed. */
  add(articles: SearchableArticle[]): void {
    if (!this.worker) {
      this.indexHere(articles);
      return;
    }
    for (let i = 0; i < articles.length; i += ARTICLES_PER_TRANSACTION) {
      const chunk = articles.slice(i, i + ARTICLES_PER_TRANSACTION);
      for (const source of new Set(chunk.map((a) => a.source))) {
        const job: IndexJob = {
          id: this.nextId++,
          root: this.root,
          source,
          articles: chunk.filter((a) => a.source === source).map(({ id, published, title }) => ({ id, published, title })),
        };
        if (!this.alive) {
          this.failed.push(job);
          continue;
        }
        this.inFlight.set(job.id, job);
        this.worker.postMessage(job);
      }
    }
  }

  private settle(): void {
    if (this.inFlight.size > 0) return;
    for (const resolve of this.drained.splice(0)) resolve();
  }

  /**
   * Waits for the thread to finish what it holds, stops it, and indexes here
   * whatever it could not. Returns warnings for articles left to the next
   * catalog sync.
   */
  async close(): Promise<string[]> {
    if (this.inFlight.size > 0) await new Promise<void>((resolve) => this.drained.push(resolve));
    // The thread closes its connection and ends; terminate() would leave that to teardown.
    if (this.alive) this.worker?.postMessage({ close: true });
    await this.exited;
    for (const job of this.failed.splice(0)) {
      try {
        this.indexHere(await readJob(job));
      } catch (error) {
        this.warnings.push(`search index: ${job.articles.length} articles of ${job.source} left for the next catalog sync (${describeError(error)})`);
      }
    }
    return this.warnings.splice(0);
  }

  private indexHere(articles: SearchableArticle[]): void {
    try {
      indexArticles(this.catalog, articles);
    } catch (error) {
      this.warnings.push(`search index: ${articles.length} articles left for the next catalog sync (${describeError(error)})`);
    }
  }

  /** For tests: make the thread die as an out-of-memory thread would. */
  async killThread(): Promise<void> {
    await this.worker?.terminate();
  }
}

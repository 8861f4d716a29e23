import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SourceConfig } from '../config/config-schema.js';

interface Job {
  html: string;
  url: string | undefined;
  source: SourceConfig;
  worker: Worker;
  resolve: (html: string) => void;
  reject: (error: Error) => void;
}

/** Threads at most: cleaning is CPU work, the main thread keeps one core for fetching and writing. */
const MAX_WORKERS = 4;
const WORKER_HEAP_MB = 96;

/**
 * Cleaning on the calling thread. Its modules (the DOM, the sanitizer: ~40 MB)
 * are loaded on first use: with cleaning threads the main thread never needs them.
 */
async function cleanHere(html: string, url: string | undefined, source: SourceConfig): Promise<string> {
  const { cleanForSource } = await import('./clean-for-source.js');
  return cleanForSource(html, url, source);
}

/**
 * Cleaning (two HTML parses per article) is the run's largest CPU cost, and
 * the main thread also parses feeds and writes files: with worker threads the
 * other cores clean in parallel. Where the compiled worker is absent (the
 * TypeScript sources under a test runner) it cleans on the calling thread,
 * and so does it for a thread that dies (out of memory on a huge page): its
 * jobs are redone here, never lost.
 */
export class CleanPool {
  private readonly pending = new Map<number, Job>();
  private readonly load = new Map<Worker, number>();
  private nextId = 0;

  private constructor(size: number, script: URL | undefined) {
    if (!script) return;
    for (let i = 0; i < size; i += 1) {
      // Cleaning makes much short-lived garbage; a small old generation keeps the
      // thread's share of the process's memory down at a small cost in GC time.
      const worker = new Worker(script, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: 8 } });
      worker.on('message', (message: { id: number; html?: string; error?: string }) => {
        const job = this.pending.get(message.id);
        this.pending.delete(message.id);
        this.load.set(worker, Math.max(0, (this.load.get(worker) ?? 1) - 1));
        if (!job) return;
        if (message.error !== undefined) job.reject(new Error(`cleaning failed: ${message.error}`));
        else job.resolve(message.html ?? '');
      });
      worker.on('error', () => this.retire(worker));
      worker.on('exit', () => this.retire(worker));
      this.load.set(worker, 0);
    }
  }

  /** A thread that died takes no new job; the jobs it held are cleaned here. */
  private retire(worker: Worker): void {
    if (!this.load.delete(worker)) return;
    for (const [id, job] of this.pending) {
      if (job.worker !== worker) continue;
      this.pending.delete(id);
      cleanHere(job.html, job.url, job.source).then(job.resolve, job.reject);
    }
  }

  static start(size = Math.min(MAX_WORKERS, Math.max(1, availableParallelism() - 1))): CleanPool {
    const script = new URL('./clean-worker.js', import.meta.url);
    return new CleanPool(size, existsSync(fileURLToPath(script)) ? script : undefined);
  }

  /** Same contract as cleanForSource, run on the least busy thread. */
  readonly clean = (html: string, url: string | undefined, source: SourceConfig): string | Promise<string> => {
    if (!source.clean) return html;
    const worker = [...this.load.entries()].sort((a, b) => a[1] - b[1])[0]?.[0];
    if (!worker) return cleanHere(html, url, source);
    const id = this.nextId++;
    this.load.set(worker, (this.load.get(worker) ?? 0) + 1);
    return new Promise<string>((resolve, reject) => {
      this.pending.set(id, { html, url, source, worker, resolve, reject });
      worker.postMessage({ id, html, url, source });
    });
  };

  /** Runs `task` with a pool's clean function, closing the pool afterwards. */
  static async using<T>(task: (clean: CleanPool['clean']) => Promise<T>): Promise<T> {
    const pool = CleanPool.start();
    try {
      return await task(pool.clean);
    } finally {
      await pool.close();
    }
  }

  /** For tests: make one thread die as an out-of-memory thread would. */
  async killOneThread(): Promise<void> {
    const [worker] = this.load.keys();
    if (worker) await worker.terminate();
  }

  async close(): Promise<void> {
    const workers = [...this.load.keys()];
    this.load.clear();
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SourceConfig } from '../config/config-schema.js';
import { LimitError } from '../domain/errors.js';
import { readFeedHere, rebuildError, type FeedTask, type ReadFeedFn, type ReadFeedResult, type WorkerError } from './read-feed-task.js';

type Task = { kind: 'clean'; html: string; url: string | undefined; source: SourceConfig } | FeedTask;

interface Job {
  task: Task;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  /** Threads that died under this job: a job that kills every thread it is given fails, not the pool. */
  deaths: number;
}

/** Threads at most: cleaning is CPU work, the main thread keeps one core for fetching and writing. */
const MAX_WORKERS = 4;
/**
 * Threads at least, on one or two cores too: a hostile feed's job holds its
 * thread until its source's deadline, and the other sources' jobs go on the other.
 */
const MIN_WORKERS = 2;
/** A thread's heap: a job that needs more (a feed or body built to blow up) fails as too_large, alone. */
export const WORKER_HEAP_MB = 128;

/**
 * Cleaning on the calling thread. Its modules (the DOM, the sanitizer: ~40 MB)
 * are loaded on first use: with cleaning threads the main thread never needs them.
 */
async function cleanHere(html: string, url: string | undefined, source: SourceConfig): Promise<string> {
  const { cleanForSource } = await import('./clean-for-source.js');
  return cleanForSource(html, url, source);
}

/** Why a job was given up: its source's deadline (too_slow) or a thread that ran out of memory (too_large). */
function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof LimitError ? signal.reason : new LimitError('too_slow', 'the deadline passed');
}

/**
 * The run's CPU work on untrusted bytes, off the main thread: feeds are
 * decoded and read, bodies cleaned (two HTML parses each, the run's largest
 * cost), on worker threads, while the main thread fetches and writes. One
 * job per thread at a time, the rest queued here: a job whose source's
 * deadline passes (its `signal`) is dropped from the queue, or its thread
 * terminated and replaced, so a hostile feed holds nothing but itself. A
 * thread that runs out of memory fails its job as too_large and is
 * replaced; the jobs of a thread that dies otherwise are run again on a new
 * one. Where the compiled worker is absent (the TypeScript sources under a
 * test runner) the work is done on the calling thread.
 */
export class CleanPool {
  private readonly queue: Job[] = [];
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Job>();
  private closing = false;

  private constructor(
    private readonly size: number,
    private readonly script: URL | undefined,
  ) {
    if (script) for (let i = 0; i < size; i += 1) this.spawn();
  }

  private get threads(): number {
    return this.idle.length + this.busy.size;
  }

  private spawn(): void {
    // Cleaning makes much short-lived garbage; a small young generation keeps the
    // thread's share of the process's memory down at a small cost in GC time.
    const worker = new Worker(this.script!, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: 8 } });
    let outOfMemory = false;
    worker.on('message', (message: { value?: unknown; error?: WorkerError }) => {
      const job = this.busy.get(worker);
      if (!job) return;
      this.busy.delete(worker);
      this.idle.push(worker);
      this.settle(job, message.error === undefined ? { value: message.value } : { error: rebuildError(message.error) });
      this.pump();
    });
    worker.on('error', (error: Error & { code?: string }) => {
      outOfMemory = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
    });
    worker.on('exit', () => this.retire(worker, outOfMemory));
    this.idle.push(worker);
  }

  private settle(job: Job, outcome: { value: unknown } | { error: Error }): void {
    if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
    if ('error' in outcome) job.reject(outcome.error);
    else job.resolve(outcome.value);
  }

  /** A thread gone: its job fails (out of memory) or goes back in the queue (killed), and a new thread takes its place. */
  private retire(worker: Worker, outOfMemory: boolean): void {
    const index = this.idle.indexOf(worker);
    if (index !== -1) this.idle.splice(index, 1);
    const job = this.busy.get(worker);
    this.busy.delete(worker);
    if (this.closing) return;
    if (job && outOfMemory) this.settle(job, { error: new LimitError('too_large', `it needed more than a thread's ${WORKER_HEAP_MB} MB of memory`) });
    else if (job && ++job.deaths > 1) this.settle(job, { error: new Error('its thread died twice') });
    else if (job) this.queue.unshift(job);
    if (this.threads < this.size) this.spawn();
    this.pump();
  }

  private pump(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.busy.set(worker, job);
      worker.postMessage(job.task);
    }
  }

  /** Runs `task` on a thread; `signal` gives it up (queued: dropped; running: its thread is replaced). */
  private submit<T>(task: Task, signal: AbortSignal | undefined): Promise<T> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise<T>((resolve, reject) => {
      const job: Job = { task, resolve: resolve as (value: unknown) => void, reject, signal, onAbort: undefined, deaths: 0 };
      job.onAbort = () => {
        const queued = this.queue.indexOf(job);
        if (queued !== -1) this.queue.splice(queued, 1);
        for (const [worker, running] of this.busy) {
          if (running !== job) continue;
          // Not retried when it exits: the job is settled here.
          this.busy.delete(worker);
          void worker.terminate();
        }
        reject(abortReason(signal!));
      };
      signal?.addEventListener('abort', job.onAbort, { once: true });
      this.queue.push(job);
      this.pump();
    });
  }

  static start(size = Math.min(MAX_WORKERS, Math.max(MIN_WORKERS, availableParallelism() - 1))): CleanPool {
    const script = new URL('./clean-worker.js', import.meta.url);
    return new CleanPool(size, existsSync(fileURLToPath(script)) ? script : undefined);
  }

  /** Same contract as cleanForSource, run on a thread. */
  readonly clean = (html: string, url: string | undefined, source: SourceConfig, signal?: AbortSignal): string | Promise<string> => {
    if (!source.clean) return html;
    if (!this.script) return cleanHere(html, url, source);
    return this.submit<string>({ kind: 'clean', html, url, source }, signal);
  };

  /** decodeBody + readFeed, on a thread. */
  readonly readFeed: ReadFeedFn = (task, signal) => {
    if (!this.script) return readFeedHere(task);
    return this.submit<ReadFeedResult>(task, signal);
  };

  /** Runs `task` with a pool's clean and feed-reading functions, closing the pool afterwards. */
  static async using<T>(task: (clean: CleanPool['clean'], readFeed: ReadFeedFn) => Promise<T>): Promise<T> {
    const pool = CleanPool.start();
    try {
      return await task(pool.clean, pool.readFeed);
    } finally {
      await pool.close();
    }
  }

  /** For tests: make one thread die (a crash, a kill). */
  async killOneThread(): Promise<void> {
    const [worker] = [...this.busy.keys(), ...this.idle];
    if (worker) await worker.terminate();
  }

  async close(): Promise<void> {
    this.closing = true;
    const workers = [...this.idle, ...this.busy.keys()];
    this.idle.length = 0;
    this.busy.clear();
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

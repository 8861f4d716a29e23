import { parentPort } from 'node:worker_threads';
import type { SourceConfig } from '../config/config-schema.js';
import { cleanForSource } from './clean-for-source.js';
import { readFeedHere, toWorkerError, type FeedTask } from './read-feed-task.js';

/** A thread of the CleanPool: one task in, one answer out, nothing else. */
type Task = { kind: 'clean'; html: string; url: string | undefined; source: SourceConfig } | FeedTask;

parentPort?.on('message', (task: Task) => {
  try {
    const value = task.kind === 'clean' ? cleanForSource(task.html, task.url, task.source) : readFeedHere(task);
    parentPort?.postMessage({ value });
  } catch (error) {
    parentPort?.postMessage({ error: toWorkerError(error) });
  }
});

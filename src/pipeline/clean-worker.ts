import { parentPort } from 'node:worker_threads';
import type { SourceConfig } from '../config/config-schema.js';
import type { FeedTask } from './read-feed-task.js';

/** A thread of the CleanPool: one task in, one answer out, nothing else. */
type Task = { kind: 'clean'; html: string; url: string | undefined; source: SourceConfig } | FeedTask;

/**
 * Modules are loaded on a thread's first task of their kind: a run whose
 * feeds all answer 304 loads neither the DOM and sanitizer (~40 MB) nor the
 * feed readers. The pool gives a thread one task at a time, so answers keep their order.
 */
async function answer(task: Task): Promise<unknown> {
  if (task.kind === 'clean') return (await import('./clean-for-source.js')).cleanForSource(task.html, task.url, task.source);
  return (await import('./read-feed-task.js')).readFeedHere(task);
}

parentPort?.on('message', (task: Task) => {
  answer(task).then(
    (value) => parentPort?.postMessage({ value }),
    async (error: unknown) => parentPort?.postMessage({ error: (await import('./read-feed-task.js')).toWorkerError(error) }),
  );
});

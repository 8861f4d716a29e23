import { parentPort, workerData } from 'node:worker_threads';
import { Catalog } from '../catalog/catalog.js';
import { indexArticles } from '../catalog/search-index.js';
import { readJob, type IndexJob } from './search-indexer.js';

/**
 * The SearchIndexer's thread: its own connection to the run's catalog, the
 * jobs in the order given, one transaction each.
 */
const { file, gate } = workerData as { file: string; gate: SharedArrayBuffer };
const catalog = Catalog.attach(file, gate);
const queue: Array<IndexJob | { close: true }> = [];
let working = false;

async function work(): Promise<void> {
  working = true;
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    if ('close' in next) {
      catalog.close();
      parentPort?.close();
      return;
    }
    try {
      indexArticles(catalog, await readJob(next));
      parentPort?.postMessage({ id: next.id });
    } catch (error) {
      parentPort?.postMessage({ id: next.id, error: error instanceof Error ? error.message : String(error) });
    }
  }
  working = false;
}

parentPort?.on('message', (message: IndexJob | { close: true }) => {
  queue.push(message);
  if (!working) void work();
});

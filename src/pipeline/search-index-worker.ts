import { parentPort, workerData } from 'node:worker_threads';
import { SearchWriter, type SearchableArticle } from '../catalog/search-index.js';
import { describeError } from '../domain/errors.js';
import type { FromIndexThread, ToIndexThread } from './search-indexer.js';

/**
 * A run's search indexing thread (SearchIndexer): writes the search file on
 * a connection of its own, in transactions of BATCH articles, while the
 * run's main thread writes the catalog.
 */
const { file, batch } = workerData as { file: string; batch: number };
const pending: SearchableArticle[] = [];
const port = parentPort!;
// A search file that cannot be opened fails every batch, with its reason, instead of the thread.
let writer: SearchWriter | undefined;
let unusable: string | undefined;
try {
  writer = SearchWriter.open(file);
} catch (error) {
  unusable = `${file}: ${describeError(error)}`;
}

function tell(message: FromIndexThread): void {
  port.postMessage(message);
}

function flush(): void {
  const articles = pending.splice(0);
  if (articles.length === 0) return;
  try {
    if (!writer) throw new Error(unusable);
    writer.index(articles);
    tell({ indexed: articles.length });
  } catch (error) {
    tell({ failed: articles.length, error: describeError(error) });
  }
}

port.on('message', (message: ToIndexThread) => {
  if ('articles' in message) {
    pending.push(...message.articles);
    if (pending.length >= batch) flush();
    return;
  }
  flush();
  writer?.close();
  tell({ closed: true });
  port.close();
});

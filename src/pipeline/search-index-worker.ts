import { parentPort, workerData } from 'node:worker_threads';
import { SearchWriter, type SearchableArticle } from '../catalog/search-index.js';
import { isDamage } from '../catalog/search-file.js';
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
  unusable = describeError(error);
}

function tell(message: FromIndexThread): void {
  port.postMessage(message);
}

/** Commits what is pending, `batch` articles a transaction (the search file's lock is held no longer than that). */
function flush(all: boolean): void {
  while (pending.length >= batch || (all && pending.length > 0)) {
    const articles = pending.splice(0, batch);
    try {
      if (!writer) throw new Error(unusable);
      writer.index(articles);
      tell({ indexed: articles.length });
    } catch (error) {
      tell({ failed: articles.length, error: `${file}: ${describeError(error)}`, damaged: isDamage(error) });
    }
  }
}

port.on('message', (message: ToIndexThread) => {
  if ('articles' in message) {
    pending.push(...message.articles);
    flush(false);
    return;
  }
  flush(true);
  writer?.close();
  tell({ closed: true });
  port.close();
});

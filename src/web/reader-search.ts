import type { Catalog } from '../catalog/catalog.js';
import { searchArticles } from '../catalog/search-articles.js';
import { withSearchFile } from '../catalog/search-index.js';
import { ArchiveError } from '../domain/errors.js';
import type { SearchFn } from './search-params.js';

/** What a reader says when the search file turned out damaged: closing the catalog deletes it, the next start makes it anew. */
export const SEARCH_DAMAGED = 'the search index is damaged: restart newsmirror serve, which makes it anew from the article files';

/**
 * The catalog's full-text search for the reader. The catalog sync at start
 * (syncReaderCatalog) also indexes any article the search index lacks.
 */
export function readerSearch(): ((catalog: Catalog) => SearchFn) | undefined {
  return (catalog) => (query) => {
    // searchArticles reads the search file alone: damage it meets is that file's. The page says what
    // to do; the file's path and SQLite's words are for the operator, not for readers.
    const result = withSearchFile(catalog, () => searchArticles(catalog, query));
    if (result === undefined) throw new ArchiveError('search_damaged', SEARCH_DAMAGED);
    return result;
  };
}

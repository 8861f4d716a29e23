import type { Catalog } from '../catalog/catalog.js';
import { searchArticles } from '../catalog/search-articles.js';
import { withSearchFile } from '../catalog/search-index.js';
import { ArchiveError } from '../domain/errors.js';
import type { SearchFn } from './search-params.js';

/**
 * What a reader says when the search file turned out damaged, and until it
 * is made anew: the reader closes the catalog (which deletes the file),
 * opens it again (a new, empty file) and indexes the article files into it
 * (LiveCatalog).
 */
export const SEARCH_DAMAGED = 'the search index is damaged: it is being made anew from the article files; search again in a minute';

/**
 * The catalog's full-text search for the reader. The catalog sync at start
 * (syncReaderCatalog) also indexes any article the search index lacks.
 * While `rebuilding` (a search file made anew, not indexed yet) it says so
 * rather than answer from a part of the articles.
 */
export function readerSearch(): ((catalog: Catalog, rebuilding?: () => boolean) => SearchFn) | undefined {
  return (catalog, rebuilding) => (query) => {
    if (rebuilding?.() === true) throw new ArchiveError('search_damaged', SEARCH_DAMAGED);
    // searchArticles reads the search file alone: damage it meets is that file's. The page says what
    // to do; the file's path and SQLite's words are for the operator, not for readers.
    const result = withSearchFile(catalog, () => searchArticles(catalog, query));
    if (result === undefined) throw new ArchiveError('search_damaged', SEARCH_DAMAGED);
    return result;
  };
}

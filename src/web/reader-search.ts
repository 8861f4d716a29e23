import type { Catalog } from '../catalog/catalog.js';
import { searchArticles } from '../catalog/search-articles.js';
import type { SearchFn } from './search-params.js';

/**
 * The catalog's full-text search for the reader. The catalog sync at start
 * (syncReaderCatalog) also indexes any article the search index lacks.
 */
export function readerSearch(): ((catalog: Catalog) => SearchFn) | undefined {
  return (catalog) => (query) => searchArticles(catalog, query);
}

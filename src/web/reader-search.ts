import type { Catalog } from '../catalog/catalog.js';
import type { SearchFn } from './search-params.js';

/**
 * The catalog's full-text search for the reader, or undefined while the
 * catalog has none (the pages then say that search is not available yet).
 */
export function readerSearch(): ((catalog: Catalog) => SearchFn) | undefined {
  return undefined;
}

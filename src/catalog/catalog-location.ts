import { searchFileOf } from './search-file.js';

/** Where the catalog lives in an archive folder (never committed: the archive's .gitignore). */
export const CATALOG_FILE = '.newsmirror/catalog.sqlite';
/** The search index, beside the catalog (search-file.ts). */
export const SEARCH_FILE = searchFileOf(CATALOG_FILE);

/** Said by whatever opened a catalog that Catalog.open found unreadable (its recoveredFrom) and rebuilt from the files. */
export function catalogRecovered(aside: string): string {
  return `${CATALOG_FILE} was not a readable SQLite database: moved to ${aside} and rebuilt from the article files`;
}

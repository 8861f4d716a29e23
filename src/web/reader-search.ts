import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArticleFile } from '../archive/article-file.js';
import type { Catalog } from '../catalog/catalog.js';
import { searchArticles } from '../catalog/search-articles.js';
import { indexArticles, listUnindexedIds, type SearchableArticle } from '../catalog/search-index.js';
import type { SearchFn } from './search-params.js';

/** The catalog's full-text search for the reader. */
export function readerSearch(): ((catalog: Catalog) => SearchFn) | undefined {
  return (catalog) => (query) => searchArticles(catalog, query);
}

const BATCH = 500;

/**
 * Puts the articles of a source that the search index lacks into it (a
 * catalog made before search existed, articles imported from files): read
 * from their files, in batches. Returns how many were indexed.
 */
export async function indexMissingArticles(root: string, catalog: Catalog, slug: string): Promise<number> {
  const ids = listUnindexedIds(catalog, slug);
  const publishedOf = catalog.sqlite.prepare('SELECT published FROM items WHERE source = ? AND id = ?').pluck();
  let done = 0;
  for (let start = 0; start < ids.length; start += BATCH) {
    const batch: SearchableArticle[] = [];
    for (const id of ids.slice(start, start + BATCH)) {
      const rel = `articles/${slug}/${id}.md`;
      const text = await readFile(join(root, rel), 'utf8').catch(() => undefined);
      if (text === undefined) continue;
      try {
        const file = parseArticleFile(text, rel);
        const published = file.published ?? (publishedOf.get(slug, id) as number | undefined) ?? 0;
        batch.push({ source: slug, id, published, title: file.title, html: file.body });
      } catch {
        // An unreadable file is reported by the catalog sync; search skips it.
      }
    }
    indexArticles(catalog, batch);
    done += batch.length;
  }
  return done;
}

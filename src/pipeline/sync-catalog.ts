import { createHash } from 'node:crypto';
import { articlePath } from '../domain/article.js';
import { canonicalLink } from '../domain/link.js';
import { describeError } from '../domain/errors.js';
import { listArticleIds, readArticle } from '../archive/scan-archive.js';
import type { Catalog, ItemRecord } from '../catalog/catalog.js';
import { indexArticles, listUnindexedIds, type SearchableArticle } from '../catalog/search-index.js';

export interface SyncResult {
  /** Files found that the catalog did not know (a fresh catalog, or a run killed after a write). */
  imported: number;
  /** Catalog rows whose file is gone. */
  removed: number;
  /** Files that are not article files: reported, skipped, and their ids never reused. */
  unreadable: string[];
  /** Every id in use in the folder, readable or not. */
  idsInUse: number[];
}

/** Short content hash: enough to notice an edit, small in the catalog. */
export function hashBody(body: string): string {
  return createHash('sha256').update(body).digest('hex').slice(0, 32);
}

const READ_CONCURRENCY = 32;
const BATCH = 2000;

/**
 * Makes the catalog agree with the files of one source folder: the archive
 * is the source of truth. Cheap when they already agree (one readdir, one
 * query); when the catalog is missing it reads every file once.
 */
export async function syncCatalog(root: string, slug: string, catalog: Catalog, now: number): Promise<SyncResult> {
  const fileIds = await listArticleIds(root, slug);
  const known = new Set(catalog.listIds(slug));
  const onDisk = new Set(fileIds);
  const missing = fileIds.filter((id) => !known.has(id));
  const gone = [...known].filter((id) => !onDisk.has(id));
  // Rows the search index lacks (a catalog older than search, a run killed in between) are read again for it.
  const unindexed = listUnindexedIds(catalog, slug).filter((id) => onDisk.has(id));
  const toRead = [...missing, ...unindexed];
  const unreadable: string[] = [];
  let imported = 0;
  for (let start = 0; start < toRead.length; start += BATCH) {
    const records: ItemRecord[] = [];
    const searchable: SearchableArticle[] = [];
    const batch = toRead.slice(start, start + BATCH);
    for (let i = 0; i < batch.length; i += READ_CONCURRENCY) {
      const read = await Promise.all(
        batch.slice(i, i + READ_CONCURRENCY).map(async (id) => {
          try {
            const file = await readArticle(root, slug, id);
            return { id, file };
          } catch (error) {
            if (!known.has(id)) unreadable.push(describeError(error));
            return undefined;
          }
        }),
      );
      for (const entry of read) {
        if (!entry) continue;
        const { id, file } = entry;
        searchable.push({ source: slug, id, published: file.published ?? file.mtimeMs, title: file.title, html: file.body });
        if (known.has(id)) continue;
        records.push({
          source: slug,
          id,
          guid: null,
          link: file.url,
          canonicalLink: canonicalLink(file.url) ?? null,
          title: file.title,
          published: file.published ?? file.mtimeMs,
          firstSeen: now,
          contentHash: hashBody(file.body),
          path: articlePath(slug, id),
          bodySource: null,
        });
      }
    }
    catalog.transaction(() => {
      for (const record of records) catalog.insertItem(record);
      indexArticles(catalog, searchable);
    });
    imported += records.length;
  }
  if (gone.length > 0) {
    catalog.transaction(() => {
      for (const id of gone) catalog.deleteItem(slug, id);
    });
  }
  return { imported, removed: gone.length, unreadable: unreadable.sort(), idsInUse: fileIds };
}

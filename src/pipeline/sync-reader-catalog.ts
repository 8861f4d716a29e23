import { acquireLock, type ArchiveLock } from './archive-lock.js';
import { listSourceFolders } from '../archive/scan-archive.js';
import type { Catalog } from '../catalog/catalog.js';
import { catalogRecovered } from '../catalog/catalog-location.js';
import { SLUG_PATTERN } from '../domain/article.js';
import { ArchiveError } from '../domain/errors.js';
import { indexPendingSources, syncCatalog } from './sync-catalog.js';

/**
 * Brings the catalog in line with the article files of every source folder
 * (cheap when they agree; it also indexes for search what the search index
 * lacks): the files are the truth, the catalog is an index.
 * Under the archive's lock: a run in progress records its own articles, and
 * importing its files under its feet would make its inserts collide; then
 * the catalog is read as the run keeps it. Returns the problems met.
 */
export async function syncReaderCatalog(root: string, catalog: Catalog, now: number): Promise<string[]> {
  let lock: ArchiveLock;
  try {
    lock = await acquireLock(root);
  } catch (error) {
    if (error instanceof ArchiveError && error.code === 'locked') return [`${error.message} (the catalog is read as that run keeps it)`];
    throw error;
  }
  try {
    const problems: string[] = catalog.recoveredFrom === undefined ? [] : [catalogRecovered(catalog.recoveredFrom)];
    const slugs = (await listSourceFolders(root)).filter((slug) => SLUG_PATTERN.test(slug));
    for (const slug of slugs) {
      const result = await syncCatalog(root, slug, catalog, now);
      problems.push(...result.unreadable);
    }
    // A large backlog (a rebuilt catalog) is not indexed by the sync itself: the reader's search needs it.
    problems.push(...(await indexPendingSources(root, slugs, catalog)));
    return problems;
  } finally {
    await lock.release();
  }
}

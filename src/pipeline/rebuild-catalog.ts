import { existsSync } from 'node:fs';
import { readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { acquireLock } from './archive-lock.js';
import { listSourceFolders } from '../archive/scan-archive.js';
import { Catalog, corruptAside } from '../catalog/catalog.js';
import { CATALOG_FILE } from '../catalog/catalog-location.js';
import { keepFrom, setAside } from '../catalog/keep-from.js';
import { deleteSearchFile, searchFileOf } from '../catalog/search-file.js';
import type { Config } from '../config/load-config.js';
import { ArchiveError, describeError } from '../domain/errors.js';
import { SearchIndexer } from './search-indexer.js';
import { syncCatalog } from './sync-catalog.js';
import { writeLists } from './write-lists.js';

/** Where a rebuild keeps the catalog it replaces until it is done. */
const BEFORE_REINDEX = '.before-reindex';

export interface RebuildReport {
  archive: string;
  /** The new catalog file. */
  catalog: string;
  ms: number;
  sources: Array<{ slug: string; articles: number; unreadable: string[] }>;
  /** Raw bodies (for reclean) carried over from the catalog replaced. */
  keptRawBodies: number;
  /** List files rewritten from the new catalog: they differed from it (titles corrected by hand, say). */
  lists: string[];
  warnings: string[];
}

/** Catalogs set aside by a rebuild (this one and any that did not finish), newest first. */
async function listAsides(file: string): Promise<string[]> {
  const prefix = `${basename(file)}${BEFORE_REINDEX}`;
  const names = (await readdir(dirname(file))).filter((name) => name.startsWith(prefix) && !/-(wal|shm)$/.test(name));
  const when = (name: string) => Number(/-(\d+)$/.exec(name)?.[1] ?? 0);
  return names.sort((a, b) => when(b) - when(a)).map((name) => join(dirname(file), name));
}

/**
 * Takes from the catalogs set aside what the files do not hold (keep-from.ts),
 * then deletes each; one that could not be read in full is kept as
 * `.corrupt-<ms>` and named in the warnings: it may be the only copy.
 */
async function keepFromAsides(catalog: Catalog, file: string, asides: readonly string[], warnings: string[]): Promise<number> {
  let rawBodies = 0;
  for (const aside of asides) {
    let failed: string[];
    let unread: string | undefined;
    try {
      const from = keepFrom(catalog, aside);
      rawBodies += from.rawBodies;
      failed = from.failed;
    } catch (error) {
      // Not one part could be read: it said 'could not read file is not a database; the rest of it was kept'.
      unread = describeError(error);
      failed = [unread];
    }
    if (failed.length === 0) {
      await Promise.all(['', '-wal', '-shm'].map((suffix) => rm(aside + suffix, { force: true })));
      continue;
    }
    const corrupt = corruptAside(file);
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(aside + suffix)) await rename(aside + suffix, corrupt + suffix);
    warnings.push(
      unread === undefined
        ? `${corrupt}: the catalog before this rebuild, kept there: could not read ${failed.join('; ')}; the rest of it was kept`
        : `${corrupt}: the catalog before this rebuild, kept there: it could not be read (${unread}); nothing of it was kept`,
    );
  }
  return rawBodies;
}

/**
 * `newsmirror reindex`: the catalog and its search index made anew from
 * every folder under articles/, configured or not, under the archive's lock.
 * The catalog it replaces stays aside until the rebuild is done, for what
 * the files do not hold; any already aside is from a rebuild that did not
 * finish (runs since may have made the current one): all are kept from,
 * newest first. No article file changes; the configured sources' lists are
 * rewritten where they differ from the files (a title corrected by hand).
 */
export async function rebuildCatalog(config: Config): Promise<RebuildReport> {
  const root = config.archiveDir;
  const started = Date.now();
  const lock = await acquireLock(root);
  const file = join(root, CATALOG_FILE);
  const aside = existsSync(file) ? `${file}${BEFORE_REINDEX}-${Date.now()}` : undefined;
  try {
    if (aside !== undefined) setAside(file, aside);
    return await rebuildInto(config, file, started);
  } catch (error) {
    // Not carried over yet (a full disk, say): the new catalog is partial, and runs would use it, leaving the
    // raw bodies and guids in a file aside that nothing named. The one set aside goes back in its place.
    if (aside === undefined || !existsSync(aside)) throw error;
    await Promise.all(['', '-wal', '-shm'].map((suffix) => rm(file + suffix, { force: true })));
    deleteSearchFile(searchFileOf(file));
    setAside(aside, file);
    throw new ArchiveError('reindex_failed', `${describeError(error)}; reindex stopped, and the catalog is as it was before it`, { cause: error });
  } finally {
    await lock.release();
  }
}

/** The rebuild itself, into a new catalog at `file`: see rebuildCatalog. */
async function rebuildInto(config: Config, file: string, started: number): Promise<RebuildReport> {
  const root = config.archiveDir;
  const asides = await listAsides(file);
  deleteSearchFile(searchFileOf(file));
  const catalog = Catalog.open(file);
  try {
    const sources: RebuildReport['sources'] = [];
    // The search index is rebuilt in the same pass over the files: read here, indexed on a thread of its own.
    const indexer = SearchIndexer.start(catalog);
    try {
      for (const slug of await listSourceFolders(root)) {
        catalog.upsertSource(slug, config.sources.find((s) => s.slug === slug)?.name ?? slug);
        const result = await syncCatalog(root, slug, catalog, started, { index: (articles) => indexer.add(articles), all: true });
        sources.push({ slug, articles: result.imported, unreadable: result.unreadable });
      }
    } catch (error) {
      await indexer.close();
      throw error;
    }
    const warnings = await indexer.close();
    const keptRawBodies = await keepFromAsides(catalog, file, asides, warnings);
    // The configured sources' lists, monthly ones too, as the files now say (a run rewrites only what it changed).
    const lists: string[] = [];
    for (const source of config.sources) if (sources.some((s) => s.slug === source.slug)) lists.push(...(await writeLists(root, catalog, source, config.timezone, true)));
    return { archive: root, catalog: file, ms: Date.now() - started, sources, keptRawBodies, lists, warnings };
  } finally {
    catalog.close();
  }
}

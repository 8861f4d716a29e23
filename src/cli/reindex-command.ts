import { existsSync } from 'node:fs';
import { readdir, rename, rm } from 'node:fs/promises';
import { ArchiveError, describeError } from '../domain/errors.js';
import { basename, dirname, join } from 'node:path';
import { loadConfig } from '../config/load-config.js';
import { acquireLock } from '../archive/archive-lock.js';
import { listSourceFolders } from '../archive/scan-archive.js';
import { Catalog } from '../catalog/catalog.js';
import { keepFrom, setAside } from '../catalog/keep-from.js';
import { deleteSearchFile, searchFileOf } from '../catalog/search-file.js';
import { CATALOG_FILE } from '../catalog/catalog-location.js';
import { SearchIndexer } from '../pipeline/search-indexer.js';
import { syncCatalog } from '../pipeline/sync-catalog.js';
import { parseCommandArgs } from './cli-args.js';
import { counted, printJson, println, type Output } from './output.js';

/** Where reindex keeps the catalog it replaces until the rebuild is done. */
const BEFORE_REINDEX = '.before-reindex';

export const REINDEX_HELP = `Usage: newsmirror reindex [--config FILE] [--archive DIR] [--json]

Rebuilds the catalog (.newsmirror/catalog.sqlite) and its search index
(.newsmirror/catalog.sqlite-search) from the article files:
every folder under articles/, configured or not. Files that are not article
files are reported with their path and skipped; nothing in the archive changes.
What the files do not hold is taken from the catalog being replaced, when it
can be read: the feeds' raw bodies (for reclean), guids, fetch history.`;

/** Catalogs set aside by reindex (this one and any that did not finish), newest first. */
async function listAsides(file: string): Promise<string[]> {
  const prefix = `${basename(file)}${BEFORE_REINDEX}`;
  const names = (await readdir(dirname(file))).filter((name) => name.startsWith(prefix) && !/-(wal|shm)$/.test(name));
  const when = (name: string) => Number(/-(\d+)$/.exec(name)?.[1] ?? 0);
  return names.sort((a, b) => when(b) - when(a)).map((name) => join(dirname(file), name));
}

export async function reindexCommand(args: string[], io: Output): Promise<number> {
  const { values } = parseCommandArgs('reindex', args, {});
  if (values.help) {
    println(io.out, REINDEX_HELP);
    return 0;
  }
  const config = await loadConfig({ config: values.config, archive: values.archive, cwd: process.cwd() });
  const root = config.archiveDir;
  if (!existsSync(join(root, 'articles'))) {
    throw new ArchiveError('no_archive', `${root}: no articles/ folder here, so nothing to reindex (use --archive DIR)`);
  }
  const started = Date.now();
  const lock = await acquireLock(root);
  try {
    const file = join(root, CATALOG_FILE);
    // The catalog it replaces stays aside until the rebuild is done, for what the files do not hold
    // (catalog/keep-from.ts). Any already aside is from a reindex that did not finish (runs since may have
    // made the current one): all are kept from, newest first.
    if (existsSync(file)) setAside(file, `${file}${BEFORE_REINDEX}-${Date.now()}`);
    const asides = await listAsides(file);
    deleteSearchFile(searchFileOf(file));
    const catalog = Catalog.open(file);
    try {
      const folders = await listSourceFolders(root);
      const sources = [];
      // A rebuild rebuilds the search index too, in the same pass over the files:
      // read here, indexed on a thread of its own.
      const indexer = SearchIndexer.start(catalog);
      try {
        for (const slug of folders) {
          const name = config.sources.find((s) => s.slug === slug)?.name ?? slug;
          catalog.upsertSource(slug, name);
          const result = await syncCatalog(root, slug, catalog, started, { index: (articles) => indexer.add(articles), all: true });
          sources.push({ slug, articles: result.imported, unreadable: result.unreadable });
        }
      } catch (error) {
        await indexer.close();
        throw error;
      }
      const warnings = await indexer.close();
      const kept = { rawBodies: 0 };
      for (const aside of asides) {
        let failed: string[];
        try {
          const from = keepFrom(catalog, aside);
          kept.rawBodies += from.rawBodies;
          failed = from.failed;
        } catch (error) {
          failed = [describeError(error)];
        }
        if (failed.length === 0) {
          await Promise.all(['', '-wal', '-shm'].map((suffix) => rm(aside + suffix, { force: true })));
          continue;
        }
        // Never deleted when something in it could not be read: it may be the only copy.
        const corrupt = `${file}.corrupt-${Date.now()}`;
        for (const suffix of ['', '-wal', '-shm']) if (existsSync(aside + suffix)) await rename(aside + suffix, corrupt + suffix);
        warnings.push(`${corrupt}: the catalog before this rebuild, kept there: could not read ${failed.join('; ')}; the rest of it was kept`);
      }
      const report = { archive: root, ms: Date.now() - started, sources, keptRawBodies: kept.rawBodies, warnings };
      if (values.json) printJson(io.out, report);
      else {
        const total = sources.reduce((n, s) => n + s.articles, 0);
        println(io.out, `newsmirror: catalog rebuilt from ${total} articles in ${sources.length} folders in ${((Date.now() - started) / 1000).toFixed(1)} s → ${file}`);
        if (kept.rawBodies > 0) println(io.out, `kept from the catalog before: ${counted(kept.rawBodies, 'raw body', 'raw bodies')} (for reclean), guids, fetch history`);
        for (const s of sources) for (const problem of s.unreadable) println(io.out, `! skipped ${problem}`);
        for (const warning of warnings) println(io.out, `! ${warning}`);
      }
      return 0;
    } finally {
      catalog.close();
    }
  } finally {
    await lock.release();
  }
}

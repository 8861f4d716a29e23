import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { ArchiveError } from '../domain/errors.js';
import { join } from 'node:path';
import { loadConfig } from '../config/load-config.js';
import { acquireLock } from '../archive/archive-lock.js';
import { listSourceFolders } from '../archive/scan-archive.js';
import { Catalog } from '../catalog/catalog.js';
import { deleteSearchFile, searchFileOf } from '../catalog/search-file.js';
import { CATALOG_FILE } from '../pipeline/run-archive.js';
import { SearchIndexer } from '../pipeline/search-indexer.js';
import { syncCatalog } from '../pipeline/sync-catalog.js';
import { parseCommandArgs } from './cli-args.js';
import { printJson, println, type Output } from './output.js';

export const REINDEX_HELP = `Usage: newsmirror reindex [--config FILE] [--archive DIR] [--json]

Rebuilds the catalog (.newsmirror/catalog.sqlite) and its search index
(.newsmirror/catalog.sqlite-search) from the article files:
every folder under articles/, configured or not. Files that are not article
files are reported with their path and skipped; nothing in the archive changes.`;

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
    await Promise.all(['', '-wal', '-shm'].map((suffix) => rm(`${file}${suffix}`, { force: true })));
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
      const report = { archive: root, ms: Date.now() - started, sources, warnings };
      if (values.json) printJson(io.out, report);
      else {
        const total = sources.reduce((n, s) => n + s.articles, 0);
        println(io.out, `newsmirror: catalog rebuilt from ${total} articles in ${sources.length} folders in ${((Date.now() - started) / 1000).toFixed(1)} s → ${file}`);
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

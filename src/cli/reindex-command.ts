import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../config/load-config.js';
import { ArchiveError } from '../domain/errors.js';
import { rebuildCatalog } from '../pipeline/rebuild-catalog.js';
import { parseCommandArgs } from './cli-args.js';
import { counted, printJson, println, type Output } from './output.js';

export const REINDEX_HELP = `Usage: newsmirror reindex [--config FILE] [--archive DIR] [--json]

Rebuilds the catalog (.newsmirror/catalog.sqlite) and its search index
(.newsmirror/catalog.sqlite-search) from the article files:
every folder under articles/, configured or not. Files that are not article
files are reported with their path and skipped; no article file changes, and
the configured sources' lists are rewritten where they differ from the files
(titles corrected by hand). What the files do not hold is taken from the
catalog being replaced, when it can be read: the feeds' raw bodies (for
reclean), guids, fetch history.`;

export async function reindexCommand(args: string[], io: Output): Promise<number> {
  const { values } = parseCommandArgs('reindex', args, {}, 0);
  if (values.help) {
    println(io.out, REINDEX_HELP);
    return 0;
  }
  const config = await loadConfig({ config: values.config, archive: values.archive, cwd: process.cwd() });
  const root = config.archiveDir;
  if (!existsSync(join(root, 'articles'))) {
    throw new ArchiveError('no_archive', `${root}: no articles/ folder here, so nothing to reindex (use --archive DIR)`);
  }
  const { catalog: file, ...report } = await rebuildCatalog(config);
  if (values.json) printJson(io.out, report);
  else {
    const total = report.sources.reduce((n, s) => n + s.articles, 0);
    println(io.out, `newsmirror: catalog rebuilt from ${counted(total, 'article')} in ${counted(report.sources.length, 'folder')} in ${(report.ms / 1000).toFixed(1)} s → ${file}`);
    if (report.keptRawBodies > 0) println(io.out, `kept from the catalog before: ${counted(report.keptRawBodies, 'raw body', 'raw bodies')} (for reclean), guids, fetch history`);
    if (report.lists.length > 0) println(io.out, `lists rewritten from the files: ${report.lists.join(', ')}`);
    for (const s of report.sources) for (const problem of s.unreadable) println(io.out, `! skipped ${problem}`);
    for (const warning of report.warnings) println(io.out, `! ${warning}`);
  }
  return 0;
}

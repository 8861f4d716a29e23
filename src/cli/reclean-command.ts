import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, type Config } from '../config/load-config.js';
import { articlePath } from '../domain/article.js';
import { ArchiveError } from '../domain/errors.js';
import { cleanForSource } from '../pipeline/clean-for-source.js';
import { recleanArchive } from '../pipeline/reclean-archive.js';
import { recleanImages } from '../pipeline/reclean-images.js';
import { UsageError, parseCommandArgs } from './cli-args.js';
import { printJson, println, type Output } from './output.js';

export const RECLEAN_HELP = `Usage: newsmirror reclean [--source SLUG]... [--images [--limit N]] [--config FILE] [--archive DIR] [--json]

Rewrites article files from the raw bodies kept in the catalog, with today's
cleaning rules: same ids, same titles and links, atomic writes, and only the
files whose bytes change. Articles imported from an older archive have no raw
body and are left as they are, and so are files changed since newsmirror
wrote them (a redaction or a corrected title is never undone). Commit the result like a run's.

--images instead re-encodes the pictures the archive holds as their publishers
served them (archives made before compact images), and downloads the hotlinked
pictures of sources with images: archive: at most --limit N pictures a run
(default 200), newest articles first, each article file changed only in its
images' src. Run it again until it says nothing is left. An article whose
picture cannot be had is skipped by later runs (.newsmirror/reclean-images-failed.json
lists them and why; delete it to try them again).`;

export async function recleanCommand(args: string[], io: Output): Promise<number> {
  const { values } = parseCommandArgs('reclean', args, { source: { type: 'string', multiple: true }, images: { type: 'boolean', default: false }, limit: { type: 'string' } }, 0);
  if (values.help) {
    println(io.out, RECLEAN_HELP);
    return 0;
  }
  const config = await loadConfig({ config: values.config, archive: values.archive, cwd: process.cwd() });
  const only = values.source ?? [];
  const unknown = only.filter((slug) => !config.sources.some((s) => s.slug === slug));
  if (unknown.length > 0) throw new UsageError(`--source ${unknown.join(', ')}: no such source in ${config.file ?? 'the built-in config'}`);
  // A mistyped --archive would otherwise get a catalog made in it and "0 rewritten" for every source.
  if (!existsSync(join(config.archiveDir, 'articles'))) {
    throw new ArchiveError('no_archive', `${config.archiveDir}: no articles/ folder here, so nothing to reclean (use --archive DIR)`);
  }
  if (values.limit !== undefined && !values.images) throw new UsageError('--limit: only with --images (see newsmirror reclean --help)');
  if (values.images) return recleanImagesCommand(config, only, values.limit, values.json === true, io);
  const { sources, warnings } = await recleanArchive(config, only, cleanForSource);
  if (values.json) printJson(io.out, { archive: config.archiveDir, sources, warnings });
  else {
    for (const r of sources) {
      const without = r.withoutRawBody > 0 ? `, ${r.withoutRawBody} without a raw body (left as they are)` : '';
      println(io.out, `${r.slug}: ${r.rewritten.length} rewritten, ${r.unchanged} unchanged${without}`);
      for (const id of r.changedByHand) println(io.out, `! ${articlePath(r.slug, id)}: changed since newsmirror wrote it (by hand?): left as it is`);
      for (const id of r.keptWhole) println(io.out, `! ${articlePath(r.slug, id)}: archived whole, over today's maxBodyBytes: left whole (a reclean takes no text out)`);
    }
    for (const warning of warnings) println(io.out, `! ${warning}`);
  }
  return 0;
}

async function recleanImagesCommand(config: Config, only: string[], limitText: string | undefined, json: boolean, io: Output): Promise<number> {
  const limit = limitText === undefined ? 200 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit ${limitText ?? ''}: not a whole number of pictures, 1 or more`);
  const result = await recleanImages(config, only, limit);
  if (json) printJson(io.out, { archive: config.archiveDir, ...result });
  else {
    println(io.out, `${result.rewritten.length} articles rewritten: ${result.compacted} pictures re-encoded, ${result.downloaded} downloaded, ${result.removed.length} originals removed`);
    println(io.out, result.more ? `more left: run newsmirror reclean --images again` : 'nothing left to do');
    for (const warning of result.warnings) println(io.out, `! ${warning}`);
  }
  return 0;
}

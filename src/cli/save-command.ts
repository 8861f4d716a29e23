import { join } from 'node:path';
import type { SourceConfig } from '../config/config-schema.js';
import { loadConfig, type Config } from '../config/load-config.js';
import { cleanForSource } from '../pipeline/clean-for-source.js';
import { savePage } from '../pipeline/save-page.js';
import { UsageError, parseCommandArgs } from './cli-args.js';
import { printJson, println, type Output } from './output.js';

export const SAVE_HELP = `Usage: newsmirror save URL [--source SLUG] [--config FILE] [--archive DIR] [--json]

Archives one article page like a feed item: fetches it, extracts the article
(the site's rule, else Readability), cleans it as the source's feed items
are, writes articles/<slug>/<id>.md with the next id, and regenerates the
source's lists and the README. A page already archived (same link) is not
archived again; a page with the title of another is archived. --source is needed when the config has several sources.`;

function pickSource(config: Config, slug: string | undefined): SourceConfig {
  if (slug === undefined) {
    if (config.sources.length === 1) return config.sources[0]!;
    throw new UsageError(`which source does the page belong to? (--source SLUG; known: ${config.sources.map((s) => s.slug).join(', ')})`);
  }
  const source = config.sources.find((s) => s.slug === slug);
  if (!source) throw new UsageError(`--source ${slug}: no such source in ${config.file ?? 'the built-in config'} (known: ${config.sources.map((s) => s.slug).join(', ')})`);
  return source;
}

export async function saveCommand(args: string[], io: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs('save', args, { source: { type: 'string' } }, 1);
  if (values.help) {
    println(io.out, SAVE_HELP);
    return 0;
  }
  const [url] = positionals;
  if (url === undefined || !/^https?:\/\//i.test(url)) throw new UsageError('which page? (newsmirror save https://... [--source SLUG])');
  const config = await loadConfig({ config: values.config, archive: values.archive, cwd: process.cwd() });
  const source = pickSource(config, values.source);
  const { candidate, id, saved, warnings } = await savePage(config, source, url, cleanForSource);
  const path = `articles/${source.slug}/${id}.md`;
  if (values.json) printJson(io.out, { url: candidate.url, source: source.slug, id, path, title: candidate.title, saved, from: candidate.bodySource, warnings });
  else {
    const file = join(config.archiveDir, path);
    println(io.out, saved ? `newsmirror: saved ${candidate.url} as ${file} (${candidate.bodySource})` : `newsmirror: ${candidate.url} is already archived as ${file}`);
    for (const warning of warnings) println(io.out, `! ${warning}`);
  }
  return 0;
}

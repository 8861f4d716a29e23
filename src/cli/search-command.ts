import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { decodeHTML } from 'entities';
import { loadConfig } from '../config/load-config.js';
import { listSourceFolders } from '../archive/scan-archive.js';
import { Catalog } from '../catalog/catalog.js';
import { dayStart } from '../catalog/reader-queries.js';
import { searchArticles, type SearchResult } from '../catalog/search-articles.js';
import { listUnindexedIds, withSearchFile } from '../catalog/search-index.js';
import { articlePath } from '../domain/article.js';
import { calendarDay } from '../domain/calendar.js';
import { ArchiveError } from '../domain/errors.js';
import { CATALOG_FILE } from '../catalog/catalog-location.js';
import { syncReaderCatalog } from '../pipeline/sync-reader-catalog.js';
import { indexPendingSources } from '../pipeline/sync-catalog.js';
import { parseCommandArgs, UsageError } from './cli-args.js';
import { counted, printJson, println, type Output } from './output.js';

export const SEARCH_HELP = `Usage: newsmirror search QUERY [--source SLUG]... [--from DATE] [--to DATE]
                         [--order newest|relevance] [--limit N] [--offset N] [--json]

Searches the titles and bodies of the archived articles. Chinese needs no
spaces: 台湾 finds 台湾 wherever it stands, one character finds every article
with it, and Traditional and Simplified forms find each other (台灣 = 台湾).
Several words must all match; "quotes" make a phrase. Latin words match
whole words, in any case.

  --source SLUG   only this source (repeat for several)
  --from DATE     published on or after DATE (YYYY-MM-DD, in the archive's time zone)
  --to DATE       published on or before DATE (the whole day)
  --order         newest (default) or relevance
  --limit N       results to show (1-100, default 20); --offset N skips the first N

Matches print as 【…】; with --json, snippets are HTML with <mark>.`;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A day in the archive's time zone: its first millisecond, or with `end` its last. */
function readDay(option: string, text: string | undefined, timeZone: string, end: boolean): number | undefined {
  if (text === undefined) return undefined;
  const match = DAY.exec(text);
  const [y, m, d] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  const valid = match !== null && m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (!valid) throw new UsageError(`--${option} "${text}" is not a date (YYYY-MM-DD)`);
  return end ? dayStart(y, m, d + 1, timeZone) - 1 : dayStart(y, m, d, timeZone);
}

function readCount(option: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  if (!/^\d{1,9}$/.test(text) || Number(text) < min || Number(text) > max) throw new UsageError(`--${option} "${text}" is not a number from ${min} to ${max}`);
  return Number(text);
}

/** Snippet HTML as terminal text: marks as 【】, entities decoded, control characters (escape sequences) dropped. */
function terminalText(html: string): string {
  const text = decodeHTML(html.replaceAll('<mark>', '【').replaceAll('</mark>', '】'));
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}

function renderDate(ms: number, timeZone: string): string {
  const { year, month, day } = calendarDay(ms, timeZone);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function printResult(io: Output, result: SearchResult, q: string, offset: number, timeZone: string): void {
  const count = `${result.total}${result.exact ? '' : '+'}`;
  const one = result.total === 1 && result.exact;
  println(io.out, `${count} ${one ? 'article matches' : 'articles match'} ${JSON.stringify(q)}`);
  for (const hit of result.hits) {
    println(io.out, '');
    println(io.out, `${renderDate(hit.published, timeZone)}  ${hit.source}  ${terminalText(hit.titleHtml)}`);
    if (hit.snippet !== '') println(io.out, `    ${terminalText(hit.snippet)}`);
    println(io.out, `    ${articlePath(hit.source, hit.id)}`);
  }
  const shown = offset + result.hits.length;
  if (result.hits.length > 0 && (shown < result.total || !result.exact)) println(io.out, `\n… more with --offset ${shown}`);
}

/**
 * Brings the search index up to date first: a catalog rebuilt from a large
 * archive leaves its articles to be indexed when search is first needed
 * (about a minute per 100k articles, once; an interrupted pass keeps what it did).
 */
async function indexPending(root: string, catalog: Catalog, io: Output): Promise<void> {
  const slugs = (catalog.sqlite.prepare('SELECT DISTINCT source FROM items').pluck().all() as string[]).sort();
  const pending = slugs.map((slug) => ({ slug, count: listUnindexedIds(catalog, slug).length })).filter((p) => p.count > 0);
  const total = pending.reduce((n, p) => n + p.count, 0);
  if (total === 0) return;
  println(io.err, `newsmirror search: indexing ${counted(total, 'article')} that the search index lacks (once)…`);
  for (const warning of await indexPendingSources(root, pending.map((p) => p.slug), catalog)) println(io.err, `! ${warning}`);
}

function isEmpty(catalog: Catalog): boolean {
  return catalog.sqlite.prepare('SELECT 1 FROM items LIMIT 1').get() === undefined;
}

/** A --source that names no source of the config or the archive is a typo: said, not answered with "0 articles". */
function checkSources(wanted: readonly string[], configured: readonly string[], catalog: Catalog): void {
  const known = new Set([...configured, ...(catalog.sqlite.prepare('SELECT DISTINCT source FROM items').pluck().all() as string[])]);
  const unknown = wanted.filter((slug) => !known.has(slug));
  if (unknown.length > 0) throw new UsageError(`--source ${unknown.join(', ')}: no such source in this archive (known: ${[...known].sort().join(', ')})`);
}

export async function searchCommand(args: string[], io: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs('search', args, {
    source: { type: 'string', multiple: true },
    from: { type: 'string' },
    to: { type: 'string' },
    order: { type: 'string' },
    limit: { type: 'string' },
    offset: { type: 'string' },
  }, Infinity);
  if (values.help) {
    println(io.out, SEARCH_HELP);
    return 0;
  }
  const q = positionals.join(' ').trim();
  if (q === '') throw new UsageError('what to look for? (newsmirror search QUERY; see newsmirror search --help)');
  const order = values.order ?? 'newest';
  if (order !== 'newest' && order !== 'relevance') throw new UsageError(`--order "${order}" is not newest or relevance`);
  const config = await loadConfig({ config: values.config, archive: values.archive, cwd: process.cwd() });
  const limit = readCount('limit', values.limit, 20, 1, 100);
  const offset = readCount('offset', values.offset, 0, 0, 1_000_000);
  const from = readDay('from', values.from, config.timezone, false);
  const to = readDay('to', values.to, config.timezone, true);
  const file = join(config.archiveDir, CATALOG_FILE);
  if (!existsSync(file)) {
    throw new ArchiveError('no_catalog', `${file}: no catalog yet, so nothing to search (run \`newsmirror run\` or \`newsmirror reindex\` first)`);
  }
  const query = { q, sources: values.source, from, to, order, limit, offset } as const;
  let catalog = Catalog.open(file);
  try {
    // An unreadable catalog was moved aside and an empty one made: it is filled from the files before
    // anything is searched (it answered "0 articles" before). So is one that another command made so
    // (status, which leaves the filling to the next run) and that holds no article of the archive's.
    if (catalog.recoveredFrom !== undefined || (isEmpty(catalog) && (await listSourceFolders(config.archiveDir)).length > 0)) {
      for (const warning of await syncReaderCatalog(config.archiveDir, catalog, Date.now())) println(io.err, `! ${warning}`);
    }
    await indexPending(config.archiveDir, catalog, io);
    checkSources(values.source ?? [], config.sources.map((s) => s.slug), catalog);
    // Damage found while indexing was reported with the indexer's warnings.
    const reported = catalog.searchDamage !== undefined;
    // searchArticles reads the search file alone: damage it meets is that file's.
    let result = withSearchFile(catalog, () => searchArticles(catalog, query));
    if (result === undefined) {
      // The search file is derived from the article files: closing deletes it, opening makes it anew.
      if (!reported) println(io.err, `! ${catalog.searchDamage ?? ''}; the search index is damaged: it is made anew from the article files`);
      catalog.close();
      catalog = Catalog.open(file);
      await indexPending(config.archiveDir, catalog, io);
      result = searchArticles(catalog, query);
    }
    if (values.json) {
      const hits = result.hits.map((h) => ({ ...h, date: new Date(h.published).toISOString(), path: articlePath(h.source, h.id) }));
      printJson(io.out, { query: q, order, total: result.total, exact: result.exact, offset, hits });
    } else {
      printResult(io, result, q, offset, config.timezone);
    }
    return 0;
  } finally {
    catalog.close();
  }
}

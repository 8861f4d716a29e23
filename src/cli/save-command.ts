import { join } from 'node:path';
import { acquireLock } from '../archive/archive-lock.js';
import { Catalog } from '../catalog/catalog.js';
import type { SourceConfig } from '../config/config-schema.js';
import { loadConfig, type Config } from '../config/load-config.js';
import { extractArticle } from '../content/extract-article.js';
import { renderBodyLine } from '../domain/body-line.js';
import { NewsmirrorError } from '../domain/errors.js';
import { decodeBody } from '../http/decode-body.js';
import { HttpClient } from '../http/http-client.js';
import { archiveItems } from '../pipeline/archive-items.js';
import { cleanForSource } from '../pipeline/clean-for-source.js';
import { prepareItem, type Candidate } from '../pipeline/prepare-item.js';
import { CATALOG_FILE } from '../pipeline/run-archive.js';
import { syncCatalog } from '../pipeline/sync-catalog.js';
import { writeLists, writeReadme } from '../pipeline/write-lists.js';
import { UsageError, parseCommandArgs } from './cli-args.js';
import { printJson, println, type Output } from './output.js';

export const SAVE_HELP = `Usage: newsmirror save URL [--source SLUG] [--config FILE] [--archive DIR] [--json]

Archives one article page like a feed item: fetches it, extracts the article
(the site's rule, else Readability), cleans it as the source's feed items
are, writes articles/<slug>/<id>.md with the next id, and regenerates the
source's lists and the README. A page already archived (same link or title)
is not archived again. --source is needed when the config has several sources.`;

function pickSource(config: Config, slug: string | undefined): SourceConfig {
  if (slug === undefined) {
    if (config.sources.length === 1) return config.sources[0]!;
    throw new UsageError(`which source does the page belong to? (--source SLUG; known: ${config.sources.map((s) => s.slug).join(', ')})`);
  }
  const source = config.sources.find((s) => s.slug === slug);
  if (!source) throw new UsageError(`--source ${slug}: no such source in ${config.file ?? 'the built-in config'} (known: ${config.sources.map((s) => s.slug).join(', ')})`);
  return source;
}

/** The page as a candidate of the source: extracted, cleaned and rendered as one body line. */
async function readPage(config: Config, source: SourceConfig, url: string): Promise<Candidate> {
  const http = new HttpClient({
    maxPerHost: config.maxPerHost,
    ...(config.proxy !== undefined ? { proxy: config.proxy } : {}),
    ...(config.userAgent !== undefined ? { userAgent: config.userAgent } : {}),
  });
  try {
    // The URL comes from the person running the command, as a configured feed URL does.
    const result = await http.fetch(url, { trusted: true, headers: { ...source.headers, ...(source.userAgent ? { 'user-agent': source.userAgent } : {}) } });
    if (result.kind === 'unchanged') throw new NewsmirrorError('unchanged', `${url}: 304 Not Modified to an unconditional request`);
    const page = extractArticle(decodeBody(result.body, result.contentType).text, result.url);
    if (!page) throw new NewsmirrorError('no_article', `${result.url}: no article found in the page (neither a site rule nor Readability found its text)`);
    const candidate = prepareItem(
      { title: page.title ?? '', link: result.url, published: page.published, content: page.html, categories: [], enclosures: [] },
      0,
      { ...source, link: 'link', content: 'content' },
      result.url,
    );
    candidate.bodySource = page.rule ? `page:${page.rule}` : 'page:readability';
    return Object.assign(candidate, { body: renderBodyLine(cleanForSource(candidate.html, candidate.url, source)) });
  } finally {
    await http.close();
  }
}

export async function saveCommand(args: string[], io: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs('save', args, { source: { type: 'string' } });
  if (values.help) {
    println(io.out, SAVE_HELP);
    return 0;
  }
  const [url] = positionals;
  if (url === undefined || !/^https?:\/\//i.test(url)) throw new UsageError('which page? (newsmirror save https://... [--source SLUG])');
  const config = await loadConfig({ config: values.config, archive: values.archive, cwd: process.cwd() });
  const source = pickSource(config, values.source);
  const candidate = await readPage(config, source, url);
  const root = config.archiveDir;
  const lock = await acquireLock(root);
  const catalog = Catalog.open(join(root, CATALOG_FILE));
  try {
    catalog.upsertSource(source.slug, source.name);
    const sync = await syncCatalog(root, source.slug, catalog, Date.now());
    const existing = catalog.findMatch(source.slug, candidate);
    let id = existing?.id;
    if (existing === undefined) {
      // Both shapes of the archive step: a renderer that reads `clean`, or one that takes the rendered body.
      const context = { root, catalog, source, now: Date.now(), clean: (html: string, link: string | undefined) => cleanForSource(html, link, source) };
      [id] = await archiveItems([candidate], new Set([...sync.idsInUse, ...catalog.listIds(source.slug)]), context);
      await writeLists(root, catalog, source, config.timezone, true);
      await writeReadme(root, config.readme.title, config.sources.map((s) => s.name), config.readme.footer);
    }
    const path = `articles/${source.slug}/${id}.md`;
    if (values.json) printJson(io.out, { url: candidate.url, source: source.slug, id, path, title: candidate.title, saved: existing === undefined, from: candidate.bodySource });
    else println(io.out, existing === undefined ? `newsmirror: saved ${candidate.url} as ${join(root, path)} (${candidate.bodySource})` : `newsmirror: ${candidate.url} is already archived as ${join(root, path)}`);
    return 0;
  } finally {
    catalog.close();
    await lock.release();
  }
}

import { ImageBudget } from './image-budget.js';
import { join } from 'node:path';
import { NewsmirrorError } from '../domain/errors.js';
import type { Config } from '../config/load-config.js';
import type { SourceConfig } from '../config/config-schema.js';
import { acquireLock } from './archive-lock.js';
import { Catalog } from '../catalog/catalog.js';
import { searchDamageWarnings } from '../catalog/search-index.js';
import type { HttpClient } from '../http/http-client.js';
import { decodeBody } from '../http/decode-body.js';
import { extractArticle, type ExtractedArticle } from '../content/extract-article.js';
import type { FetchSettings } from './fetch-feed.js';
import { ImageStore } from './archive-images.js';
import { archiveItems } from './archive-items.js';
import { clampToSeen, prepareItem, type Candidate } from './prepare-item.js';
import { bodyRenderer, type CleanFn } from './render-body.js';
import { CATALOG_FILE } from '../catalog/catalog-location.js';
import { recheckArticles, syncCatalog } from './sync-catalog.js';
import { writeLists, writeReadme } from './write-lists.js';
import { openHttp } from './open-http.js';
import { isUndecodedTitle } from '../domain/title.js';

export interface SavedPage {
  candidate: Candidate;
  id: number;
  /** False when the page was archived already (same link or guid; a title alone does not count). */
  saved: boolean;
  warnings: string[];
}

/**
 * A `wordpress`-ids source names an article 0xFFFFF ^ its post id: a saved
 * page gets its own, from the page (as a feed item from its `?p=` guid).
 * The next countdown id, which it got, is a later post's, which then had
 * to take another. Without a post id in the page it is not saved.
 */
function wordpressGuid(source: SourceConfig, url: string, { postId, shortlink }: ExtractedArticle): string | undefined {
  if (source.ids !== 'wordpress') return undefined;
  if (postId === undefined) {
    throw new NewsmirrorError('no_post_id', `${url}: no WordPress post id in the page (a shortlink ?p= or a postid- class), which ${source.slug} (ids: wordpress) names its articles by; not saved, so as to take no post's id`);
  }
  // The post's shortlink is the guid WordPress gives it in the feed (`<home>/?p=<id>`).
  return shortlink ?? new URL(`/?p=${postId}`, url).href;
}

async function readPage(http: HttpClient, source: SourceConfig, url: string, settings: FetchSettings): Promise<Candidate> {
  // The URL comes from the person running the command, as a configured feed URL does.
  const headers = { ...source.headers, ...(source.userAgent ? { 'user-agent': source.userAgent } : {}) };
  // The source's own proxy and limits, as a run uses them for the same site's pages.
  const limits = {
    proxy: source.proxy ?? settings.proxy,
    timeoutMs: source.timeoutMs ?? settings.timeoutMs,
    connectTimeoutMs: source.connectTimeoutMs ?? settings.connectTimeoutMs,
    maxBytes: source.maxBytes ?? settings.maxBytes,
    tries: source.tries ?? settings.tries,
  };
  const defined = Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)) as Partial<typeof limits>;
  const result = await http.fetch(url, { trusted: true, headers, ...defined });
  if (result.kind === 'unchanged') throw new NewsmirrorError('unchanged', `${url}: 304 Not Modified to an unconditional request`);
  const decoded = decodeBody(result.body, result.contentType);
  const page = extractArticle(decoded.text, result.url);
  if (!page) throw new NewsmirrorError('no_article', `${result.url}: no article found in the page (neither a site rule nor Readability found its text)`);
  const candidate = prepareItem(
    { title: page.title ?? '', link: result.url, guid: wordpressGuid(source, result.url, page), published: page.published, content: page.html, categories: [], enclosures: [] },
    0,
    { ...source, link: 'link', content: 'content' },
    result.url,
  );
  candidate.bodySource = page.rule ? `page:${page.rule}` : 'page:readability';
  if (decoded.lossy && isUndecodedTitle(candidate.title)) {
    throw new NewsmirrorError('undecodable', `${result.url}: the title has bytes that could not be decoded ("${candidate.title}"); not saved, rather than saved wrong`);
  }
  // A page dated later than now is as old as the time it is saved, as a feed item is (run-source.ts).
  return clampToSeen(candidate, Date.now());
}

/**
 * Archives one article page like a feed item of `source` (the
 * duty-machine-action use): fetched, extracted by the site rule or
 * Readability, cleaned, images archived, written under the next id, lists
 * and README regenerated. A page already archived is not archived twice.
 */
export async function savePage(config: Config, source: SourceConfig, url: string, clean: CleanFn): Promise<SavedPage> {
  const root = config.archiveDir;
  const http = openHttp(config);
  try {
    const candidate = await readPage(http, source, url, config);
    const lock = await acquireLock(root);
    const catalog = Catalog.open(join(root, CATALOG_FILE));
    try {
      catalog.upsertSource(source.slug, source.name);
      const sync = await syncCatalog(root, source.slug, catalog, Date.now());
      // A page asked for by its address is the same article only by that address (or its guid): pages
      // of a site often share a <title>, and the title rule is for feeds (run-source.ts).
      const named = catalog.findMatch(source.slug, candidate);
      // The file of the article it names may hold another one by now (run-source.ts does the same).
      if (named) await recheckArticles(root, source.slug, catalog, [named], Date.now());
      const existing = catalog.matchItem(source.slug, candidate);
      if (existing && existing.by !== 'title') return { candidate, id: existing.record.id, saved: false, warnings: searchDamageWarnings(catalog) };
      const rendered = await bodyRenderer(clean, new ImageStore(root, catalog, http, { ...config.images, maxUrlLength: config.maxUrlLength }, new ImageBudget(root, config.budgets)), config.body, config.maxBodyBytes)(candidate.html, candidate.url, source);
      candidate.body = rendered.body;
      const [id] = await archiveItems([candidate], new Set([...sync.idsInUse, ...catalog.listIds(source.slug)]), { root, catalog, source, now: Date.now() });
      await writeLists(root, catalog, source, config.timezone, true);
      await writeReadme(root, config.readme.title, config.sources.map((s) => s.name), config.readme.footer);
      return { candidate, id: id!, saved: true, warnings: [...rendered.warnings, ...searchDamageWarnings(catalog)] };
    } finally {
      catalog.close();
      await lock.release();
    }
  } finally {
    await http.close();
  }
}

import type { ListRow } from '../catalog/catalog.js';
import { listSourceArticles, listSourceMonths, listSourceSummaries, monthStart, type MonthCount } from '../catalog/reader-queries.js';
import { type ReaderArchive } from './reader-archive.js';
import { ID_PATTERN, SLUG_PATTERN } from '../domain/article.js';
import { READER_CSS, READER_ICON } from './reader-style.js';
import { READER_JS } from './reader-script.js';
import { SEARCH_JS } from './search-script.js';
import { renderArticlePage } from './render-article-page.js';
import { renderHomePage, type HomeSource } from './render-home-page.js';
import { renderMonthPage, renderSourcePage, type SourceInfo } from './render-list-pages.js';
import { ICON_FILE, MONTH_PAGE_SIZE, monthPage, PAGE_SIZE, SCRIPT_FILE, SEARCH_SCRIPT_FILE, sourcePage, STYLE_FILE } from './site-paths.js';

/** Every path the reader answers, as the static site names its files. */
export type ReaderPath =
  | { kind: 'home' }
  | { kind: 'search' }
  | { kind: 'source'; slug: string; page: number }
  | { kind: 'month'; slug: string; month: string; page: number }
  | { kind: 'article'; slug: string; id: number }
  | { kind: 'feed'; slug: string | undefined }
  | { kind: 'static'; file: string }
  | { kind: 'asset'; path: string };

const PAGE_FILE = /^page-([2-9]|[1-9]\d{1,6})\.html$/;
const MONTH_FILE = /^(\d{4}-(?:0[1-9]|1[0-2]))(?:-page-([2-9]|[1-9]\d{1,6}))?\.html$/;
const ASSET = /^assets\/[0-9a-f]{2}\/[0-9a-f]{64}\.[a-z0-9]{2,5}$/;

export const STATIC_FILES: Readonly<Record<string, { body: string | Uint8Array; type: string }>> = {
  [STYLE_FILE]: { body: READER_CSS, type: 'text/css; charset=utf-8' },
  [SCRIPT_FILE]: { body: READER_JS, type: 'text/javascript; charset=utf-8' },
  [SEARCH_SCRIPT_FILE]: { body: SEARCH_JS, type: 'text/javascript; charset=utf-8' },
  [ICON_FILE]: { body: READER_ICON, type: 'image/x-icon' },
};

/**
 * Reads a path from the site root (no leading slash, still percent-encoded)
 * into what it names, or undefined. Each part must match a strict pattern
 * (slugs, numeric ids, hex asset names), so no path that could leave the
 * archive (`..`, encoded dots or slashes, absolute paths) names anything.
 */
export function parseReaderPath(path: string): ReaderPath | undefined {
  if (path === '' || path === 'index.html') return { kind: 'home' };
  if (path === 'search.html') return { kind: 'search' };
  if (Object.hasOwn(STATIC_FILES, path)) return { kind: 'static', file: path };
  if (ASSET.test(path)) return { kind: 'asset', path };
  const parts = path.split('/');
  const [top, slug, file] = parts;
  if (top === 'feeds' && parts.length === 2 && slug?.endsWith('.xml')) {
    const name = slug.slice(0, -4);
    if (name === 'all') return { kind: 'feed', slug: undefined };
    return SLUG_PATTERN.test(name) ? { kind: 'feed', slug: name } : undefined;
  }
  if (parts.length !== 3 || slug === undefined || file === undefined || !SLUG_PATTERN.test(slug)) return undefined;
  if (top === 'articles') {
    const id = file.endsWith('.html') ? file.slice(0, -5) : '';
    return ID_PATTERN.test(id) ? { kind: 'article', slug, id: Number(id) } : undefined;
  }
  if (top !== 'sources') return undefined;
  if (file === 'index.html' || file === '') return { kind: 'source', slug, page: 1 };
  const page = PAGE_FILE.exec(file);
  if (page) return { kind: 'source', slug, page: Number(page[1]) };
  const month = MONTH_FILE.exec(file);
  if (month) return { kind: 'month', slug, month: month[1]!, page: Number(month[2] ?? 1) };
  return undefined;
}

/** The home page's sources: counts and newest titles; `health` adds a badge per source (the server's). */
export function homeSources(archive: ReaderArchive, health?: ReadonlyMap<string, HomeSource['health']>): HomeSource[] {
  const summaries = new Map(listSourceSummaries(archive.catalog, 5).map((s) => [s.slug, s]));
  return archive.sources().map((source) => {
    const summary = summaries.get(source.slug);
    const badge = health?.get(source.slug);
    return {
      ...source,
      count: summary?.count ?? 0,
      newest: summary?.newest ?? null,
      latest: archive.entries(summary?.latest ?? [], source),
      ...(badge ? { health: badge } : {}),
    };
  });
}

export function renderHome(archive: ReaderArchive, health?: ReadonlyMap<string, HomeSource['health']>): string {
  return renderHomePage(archive.site, homeSources(archive, health));
}

/** A page of a source; undefined past its last page (the first page always exists). */
export function renderSource(archive: ReaderArchive, slug: string, page: number): string | undefined {
  const source = archive.source(slug);
  if (!source) return undefined;
  const listed = listSourceArticles(archive.catalog, slug, { offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE });
  if (!listed || (page > 1 && listed.items.length === 0)) return undefined;
  return renderSourcePageOf(archive, source, { items: listed.items, page, count: archive.catalog.countItems(slug).count, hasOlder: listed.next !== undefined });
}

/** One page of a source from its rows (the static site holds all of them at once). */
export function renderSourcePageOf(
  archive: ReaderArchive,
  source: SourceInfo,
  input: { items: readonly ListRow[]; page: number; count: number; hasOlder: boolean; months?: readonly MonthCount[] },
): string {
  const { page } = input;
  const name = (p: number) => sourcePage(source.slug, p).split('/').pop()!;
  return renderSourcePage(archive.site, sourcePage(source.slug, page), {
    source,
    count: input.count,
    items: archive.entries(input.items, source),
    page,
    newer: page > 1 ? name(page - 1) : undefined,
    older: input.hasOlder ? name(page + 1) : undefined,
    ...(page === 1 ? { months: input.months ?? listSourceMonths(archive.catalog, source.slug, archive.site.timeZone) } : {}),
  });
}

/** A page of one month of a source; undefined when the month has no (such page of) articles. */
export function renderMonth(archive: ReaderArchive, slug: string, month: string, page: number): string | undefined {
  const source = archive.source(slug);
  if (!source) return undefined;
  const [year, number] = month.split('-').map(Number) as [number, number];
  const from = monthStart(year, number, archive.site.timeZone);
  const to = monthStart(number === 12 ? year + 1 : year, number === 12 ? 1 : number + 1, archive.site.timeZone);
  const all = archive.catalog.listBetween(slug, from, to);
  const items = all.slice((page - 1) * MONTH_PAGE_SIZE, page * MONTH_PAGE_SIZE);
  if (items.length === 0) return undefined;
  const name = (p: number) => monthPage(slug, month, p).split('/').pop()!;
  return renderMonthPage(archive.site, monthPage(slug, month, page), {
    source,
    month,
    count: all.length,
    items: archive.entries(items, source),
    page,
    newer: page > 1 ? name(page - 1) : undefined,
    older: page * MONTH_PAGE_SIZE < all.length ? name(page + 1) : undefined,
  });
}

export async function renderArticle(archive: ReaderArchive, slug: string, id: number): Promise<string | undefined> {
  const article = await archive.readArticle(slug, id);
  if (!article) return undefined;
  return renderArticlePage(archive.site, {
    source: article.source,
    id,
    title: article.title,
    url: article.url,
    published: article.published,
    bodyHtml: archive.pageBody(article),
    newer: article.newer,
    older: article.older,
    edits: (await archive.readEdits(slug, id)).map((edit) => ({ seen: edit.seen, title: edit.title, bodyHtml: archive.pageBody({ ...article, body: edit.body }) })),
  });
}

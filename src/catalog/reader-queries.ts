import type { Catalog, ListRow } from './catalog.js';
import { zoneOffset } from '../domain/calendar.js';

/*
 * Read-only queries the reader's pages need (home, source pages, month
 * archives, article neighbours). Every list is in the family's order:
 * newest first, equal times by ascending id (catalog.listNewest's order).
 */

export interface SourceSummary {
  slug: string;
  /** The name the catalog knows (from the config at the last run), or undefined. */
  name: string | undefined;
  count: number;
  newest: number | null;
  /** The newest few articles, newest first. */
  latest: ListRow[];
}

export interface ArticleRow extends ListRow {
  source: string;
}

export interface ArticlePage {
  items: ListRow[];
  /** The id to pass as `before` for the next (older) page; undefined on the last page. */
  next: number | undefined;
}

export interface Neighbours {
  row: ArticleRow & { link: string | null };
  /** The next newer article of the same source. */
  newer: ListRow | undefined;
  /** The next older article of the same source. */
  older: ListRow | undefined;
}

export interface MonthCount {
  /** `YYYY-MM` in the archive's time zone. */
  month: string;
  count: number;
  /** Bounds of the month as instants: from inclusive, to exclusive. */
  from: number;
  to: number;
}

const statements = new WeakMap<Catalog, ReturnType<typeof prepare>>();

function prepare(catalog: Catalog) {
  const db = catalog.sqlite;
  return {
    counts: db.prepare('SELECT source, count(*) AS count, max(published) AS newest FROM items GROUP BY source'),
    names: db.prepare('SELECT slug, name FROM sources'),
    newest: db.prepare('SELECT id, title, published FROM items WHERE source = ? ORDER BY published DESC, id ASC LIMIT ?'),
    page: db.prepare('SELECT id, title, published FROM items WHERE source = ? ORDER BY published DESC, id ASC LIMIT ? OFFSET ?'),
    one: db.prepare('SELECT source, id, title, published, link FROM items WHERE source = ? AND id = ?'),
    after: db.prepare(
      'SELECT id, title, published FROM items WHERE source = @source AND (published < @published OR (published = @published AND id > @id)) ORDER BY published DESC, id ASC LIMIT @limit',
    ),
    newer: db.prepare(
      'SELECT id, title, published FROM items WHERE source = @source AND (published > @published OR (published = @published AND id < @id)) ORDER BY published ASC, id DESC LIMIT 1',
    ),
    range: db.prepare('SELECT min(published) AS first, max(published) AS last FROM items WHERE source = ?'),
    countBetween: db.prepare('SELECT count(*) FROM items WHERE source = ? AND published >= ? AND published < ?').pluck(),
    all: db.prepare('SELECT id, title, published, content_hash AS contentHash FROM items WHERE source = ? ORDER BY published DESC, id ASC'),
    oldestAll: db.prepare('SELECT source, id, title, published, content_hash AS contentHash FROM items ORDER BY published ASC, source ASC, id DESC'),
    newestAll: db.prepare('SELECT source, id, title, published FROM items ORDER BY published DESC, source ASC, id ASC LIMIT ?'),
  };
}

function queries(catalog: Catalog): ReturnType<typeof prepare> {
  let prepared = statements.get(catalog);
  if (!prepared) {
    prepared = prepare(catalog);
    statements.set(catalog, prepared);
  }
  return prepared;
}

/** Every source that has articles (or a name in the catalog), with counts and its newest titles; sorted by slug. */
export function listSourceSummaries(catalog: Catalog, latest = 5): SourceSummary[] {
  const q = queries(catalog);
  const names = new Map((q.names.all() as { slug: string; name: string }[]).map((r) => [r.slug, r.name]));
  const counts = new Map((q.counts.all() as { source: string; count: number; newest: number }[]).map((r) => [r.source, r]));
  const slugs = [...new Set([...names.keys(), ...counts.keys()])].sort();
  return slugs.map((slug) => ({
    slug,
    name: names.get(slug),
    count: counts.get(slug)?.count ?? 0,
    newest: counts.get(slug)?.newest ?? null,
    latest: latest > 0 ? (q.newest.all(slug, latest) as ListRow[]) : [],
  }));
}

/**
 * One page of a source, newest first. `before` is the id of the last article
 * of the previous page (a cursor, stable while new articles arrive; an id
 * the source does not have gives undefined); without it, `offset` articles
 * are skipped (numbered pages).
 */
export function listSourceArticles(catalog: Catalog, source: string, options: { before?: number; offset?: number; limit: number }): ArticlePage | undefined {
  const q = queries(catalog);
  let items: ListRow[];
  if (options.before === undefined) {
    items = q.page.all(source, options.limit + 1, options.offset ?? 0) as ListRow[];
  } else {
    const cursor = q.one.get(source, options.before) as ArticleRow | undefined;
    if (!cursor) return undefined;
    items = q.after.all({ source, published: cursor.published, id: cursor.id, limit: options.limit + 1 }) as ListRow[];
  }
  const more = items.length > options.limit;
  if (more) items = items.slice(0, options.limit);
  return { items, next: more ? items.at(-1)?.id : undefined };
}

export interface KeyedRow extends ListRow {
  /** The catalog's hash of the body: changes when the file's body does; null when unknown. */
  contentHash: string | null;
}

/** Every article of a source, newest first (the static site renders them all). */
export function listAllArticles(catalog: Catalog, source: string): KeyedRow[] {
  return queries(catalog).all.all(source) as KeyedRow[];
}

/** Every article of every source, oldest first (published, then source, then id from highest, the reverse of list order). */
export function listOldestFirst(catalog: Catalog): (KeyedRow & { source: string })[] {
  return queries(catalog).oldestAll.all() as (KeyedRow & { source: string })[];
}

/** The newest articles across sources. */
export function listNewestAcrossSources(catalog: Catalog, limit: number): ArticleRow[] {
  return queries(catalog).newestAll.all(limit) as ArticleRow[];
}

/** One article with its newer and older neighbours in its source; undefined when the catalog does not know it. */
export function findArticleNeighbours(catalog: Catalog, source: string, id: number): Neighbours | undefined {
  const q = queries(catalog);
  const row = q.one.get(source, id) as (ArticleRow & { link: string | null }) | undefined;
  if (!row) return undefined;
  const at = { source, published: row.published, id: row.id };
  const newer = q.newer.get(at) as ListRow | undefined;
  const [older] = q.after.all({ ...at, limit: 1 }) as ListRow[];
  return { row, newer, older };
}


/** The instant a calendar month starts in a time zone (twice corrected, for offsets that change at the boundary). */
export function monthStart(year: number, month: number, timeZone: string): number {
  return dayStart(year, month, 1, timeZone);
}

/** The instant a calendar day starts in a time zone. */
export function dayStart(year: number, month: number, day: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day);
  let guess = wall - zoneOffset(wall, timeZone);
  guess = wall - zoneOffset(guess, timeZone);
  return guess;
}

/**
 * The months that hold articles of a source, newest first, counted with one
 * indexed range query per month (no per-row time-zone arithmetic).
 */
export function listSourceMonths(catalog: Catalog, source: string, timeZone: string): MonthCount[] {
  const q = queries(catalog);
  const range = q.range.get(source) as { first: number | null; last: number | null };
  if (range.first === null || range.last === null) return [];
  const wall = (ms: number) => new Date(ms + zoneOffset(ms, timeZone));
  const first = wall(range.first);
  const last = wall(range.last);
  const months: MonthCount[] = [];
  let year = last.getUTCFullYear();
  let month = last.getUTCMonth() + 1;
  const stop = first.getUTCFullYear() * 12 + first.getUTCMonth();
  while (year * 12 + month - 1 >= stop) {
    const from = monthStart(year, month, timeZone);
    const to = monthStart(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, timeZone);
    const count = q.countBetween.get(source, from, to) as number;
    if (count > 0) months.push({ month: `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`, count, from, to });
    month -= 1;
    if (month === 0) {
      month = 12;
      year -= 1;
    }
  }
  return months;
}

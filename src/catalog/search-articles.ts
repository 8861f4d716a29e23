import type { Database, Statement } from './sqlite.js';
import type { Catalog } from './catalog.js';
import { keySpill, minuteKey, searchStatements, sourceToken, unpackText } from './search-index.js';
import { ftsString, parseQuery, SearchError, type ParsedQuery } from './search-query.js';
import { renderHighlighted, renderSnippet } from './search-snippet.js';

export interface SearchOptions {
  /** The query: words and Chinese text; several terms must all match; "quotes" make a phrase. */
  q: string;
  /** Only these sources (slugs); all when absent or empty. */
  sources?: readonly string[] | undefined;
  /** Published at or after (ms since the epoch). */
  from?: number | undefined;
  /** Published at or before (ms since the epoch). */
  to?: number | undefined;
  /** `newest` (default) or `relevance` (BM25, title matches weigh more). */
  order?: 'newest' | 'relevance' | undefined;
  /** Hits per page: 1-100, default 20. */
  limit?: number | undefined;
  offset?: number | undefined;
}

export interface SearchHit {
  source: string;
  id: number;
  /** Plain text, as in the catalog: escape it before putting it in HTML. */
  title: string;
  /** The title as HTML: escaped, matches in `<mark>`. */
  titleHtml: string;
  published: number;
  /** A stretch of the body as HTML: escaped, matches in `<mark>`, `…` where cut. */
  snippet: string;
}

export interface SearchResult {
  /** Articles matching, all pages; when `exact` is false, at least this many (TOTAL_CAP). */
  total: number;
  exact: boolean;
  hits: SearchHit[];
  /**
   * By relevance, how many of the newest matches were ranked: at most
   * RELEVANCE_WINDOW, as ranking every match of a word found in most
   * articles would take seconds. 0 when ordered newest first.
   */
  ranked: number;
}

/** Matches are counted up to this many: "10000+" is all a reader needs to know. */
export const TOTAL_CAP = 10_000;
/** Matches ranked by relevance, newest first: the cost of BM25 grows with every match it scores. */
export const RELEVANCE_WINDOW = TOTAL_CAP;
const MAX_LIMIT = 100;

/** BM25 column weights: body, title, meta (the source token must not count). */
const BM25 = 'bm25(search_terms, 1.0, 4.0, 0.0)';

interface Plan {
  /** FTS tables (aliases t, c) and their MATCH conditions; `key` is the rowid column both share. */
  tables: string;
  where: string;
  key: string;
  params: string[];
  /** Whether BM25 applies (not to character-only queries: the character lists have no frequencies). */
  ranked: boolean;
}

/** Which FTS tables answer the query: phrases need search_terms, lone characters search_chars. */
function plan(query: ParsedQuery, sources: readonly string[]): Plan {
  const source = sources.length > 0 ? `(${sources.map((s) => ftsString(sourceToken(s))).join(' OR ')})` : undefined;
  const phrases = query.phrases.map((p) => ftsString(p.join(' ')));
  const chars = query.chars.map(ftsString);
  const all = (parts: (string | undefined)[]) => parts.filter((x): x is string => x !== undefined).join(' AND ');
  if (phrases.length === 0) {
    return { tables: 'search_chars c', where: 'search_chars MATCH ?', key: 'c.rowid', params: [all([source, ...chars])], ranked: false };
  }
  const terms = all([source, ...phrases]);
  if (chars.length === 0) return { tables: 'search_terms t', where: 'search_terms MATCH ?', key: 't.rowid', params: [terms], ranked: true };
  return {
    tables: 'search_terms t JOIN search_chars c ON c.rowid = t.rowid',
    where: 'search_terms MATCH ? AND search_chars MATCH ?',
    key: 't.rowid',
    params: [terms, all(chars)],
    ranked: true,
  };
}

interface Range {
  from: number;
  to: number;
  /** Keys that may hold an article inside [from, to]. */
  lo: number;
  hi: number;
}

function checkTime(name: string, value: number | undefined): void {
  if (value !== undefined && !Number.isFinite(value)) throw new SearchError('bad_query', `${name} is not a time (${value})`);
}

/**
 * A key lies at or after its article's minute, by at most the spill, so the
 * keys of [from, to] are [minute(from), minute(to) + spill]; rows there whose
 * time is outside are dropped by their `published`.
 */
function range(options: SearchOptions, spill: number): Range | undefined {
  checkTime('from', options.from);
  checkTime('to', options.to);
  if (options.from === undefined && options.to === undefined) return undefined;
  const from = options.from ?? Number.MIN_SAFE_INTEGER;
  const to = options.to ?? Number.MAX_SAFE_INTEGER;
  return { from, to, lo: minuteKey(from), hi: minuteKey(to) + spill };
}

/**
 * Matching articles, counted up to `cap`: an exact count of a word in most of
 * a million articles walks a million index entries, which costs more than
 * the page itself. Keys well inside the range are in it; keys near its ends
 * are checked against the time.
 */
function countMatches(catalog: Catalog, p: Plan, r: Range | undefined, spill: number, cap: number): number {
  const { key } = p;
  let filter = '';
  const params: unknown[] = [...p.params];
  if (r) {
    filter = ` AND ${key} BETWEEN ? AND ? AND (${key} BETWEEN ? AND ? OR (SELECT published FROM search_docs WHERE key = ${key}) BETWEEN ? AND ?)`;
    params.push(r.lo, r.hi, r.lo + spill + 1, minuteKey(r.to) - 1, r.from, r.to);
  }
  const sql = `SELECT count(*) FROM (SELECT 1 FROM ${p.tables} WHERE ${p.where}${filter} LIMIT ${cap + 1})`;
  return statement(catalog, sql).pluck().get(...params) as number;
}

interface Row {
  key: number;
  source: string;
  id: number;
  published: number;
  title: string;
}

function findRows(catalog: Catalog, p: Plan, r: Range | undefined, options: { relevance: boolean; limit: number; offset: number }): Row[] {
  const { key } = p;
  const bounds = r ? ` AND ${key} BETWEEN ? AND ?` : '';
  const time = r ? ' AND d.published BETWEEN ? AND ?' : '';
  const relevance = options.relevance && p.ranked;
  const limits = [options.limit, options.offset];
  const params = r ? [...p.params, r.lo, r.hi, r.from, r.to, ...limits] : [...p.params, ...limits];
  const columns = 'd.key, d.source, d.id, d.published, d.title';
  const sql = relevance
    ? `SELECT ${columns} FROM (SELECT ${key} AS key, ${BM25} AS score FROM ${p.tables} WHERE ${p.where}${bounds}
         ORDER BY ${key} DESC LIMIT ${RELEVANCE_WINDOW}) m
       JOIN search_docs d ON d.key = m.key WHERE 1${time} ORDER BY m.score, m.key DESC LIMIT ? OFFSET ?`
    : `SELECT ${columns} FROM ${p.tables} JOIN search_docs d ON d.key = ${key}
       WHERE ${p.where}${bounds}${time} ORDER BY ${key} DESC LIMIT ? OFFSET ?`;
  return statement(catalog, sql).all(...params) as Row[];
}

const prepared = new WeakMap<Database, Map<string, Statement>>();

/** The few statement shapes a search uses, prepared once per connection. */
function statement(catalog: Catalog, sql: string): Statement {
  const db = catalog.sqlite;
  let cache = prepared.get(db);
  if (!cache) {
    cache = new Map();
    prepared.set(db, cache);
  }
  let found = cache.get(sql);
  if (!found) {
    found = db.prepare<unknown[]>(sql);
    cache.set(sql, found);
  }
  return found;
}

function clampInt(value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.trunc(value)));
}

/**
 * Full-text search over the archive's titles and bodies. Chinese matches by
 * character bigrams (any run of two or more characters is a phrase of them),
 * a single character through each article's character list, Latin words as
 * words; Traditional and Simplified forms find each other. Throws
 * SearchError for an empty query or a bad time.
 */
export function searchArticles(catalog: Catalog, options: SearchOptions): SearchResult {
  const query = parseQuery(options.q);
  const limit = clampInt(options.limit, 20, 1, MAX_LIMIT);
  const offset = clampInt(options.offset, 0, 0, Number.MAX_SAFE_INTEGER);
  const spill = keySpill(catalog);
  const r = range(options, spill);
  const p = plan(query, options.sources ?? []);
  if (r && r.from > r.to) return { total: 0, exact: true, hits: [], ranked: 0 };
  const counted = countMatches(catalog, p, r, spill, TOTAL_CAP);
  const total = Math.min(counted, TOTAL_CAP);
  const relevance = options.order === 'relevance';
  const rows = total === 0 ? [] : findRows(catalog, p, r, { relevance, limit, offset });
  const text = searchStatements(catalog).text;
  const hits = rows.map((row) => {
    const blob = text.get(row.key) as Buffer | undefined;
    const body = blob ? unpackText(blob) : '';
    return {
      source: row.source,
      id: row.id,
      title: row.title,
      titleHtml: renderHighlighted(row.title, query.highlight),
      published: row.published,
      snippet: renderSnippet(body, query.highlight),
    };
  });
  return { total, exact: counted <= TOTAL_CAP, hits, ranked: relevance && p.ranked ? Math.min(counted, RELEVANCE_WINDOW) : 0 };
}

import { dayStart } from '../catalog/reader-queries.js';
import { SLUG_PATTERN } from '../domain/article.js';
import { DEFAULT_SEARCH_LIMIT } from '../publish/render-search-page.js';

/** What the catalog's search takes (src/catalog/search-index.ts searchArticles). */
export interface SearchQuery {
  q: string;
  sources?: string[];
  from?: number;
  to?: number;
  order?: 'newest' | 'relevance';
  limit?: number;
  offset?: number;
}

export interface SearchHit {
  source: string;
  id: number;
  title: string;
  /** The title as HTML, matches in <mark>, when the search gives it. */
  titleHtml?: string;
  published: number;
  /** HTML: escaped text, matches in <mark>. */
  snippet: string;
}

export interface SearchResult {
  total: number;
  hits: SearchHit[];
}

export type SearchFn = (query: SearchQuery) => SearchResult;

export interface SearchForm {
  query: SearchQuery;
  /** As typed, for the form: `YYYY-MM-DD`. */
  fromDay?: string;
  toDay?: string;
  source?: string;
  order: 'newest' | 'relevance';
  limit: number;
  offset: number;
}

export const MAX_QUERY = 200;
const MAX_LIMIT = 100;
const MAX_OFFSET = 10_000;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function day(text: string | undefined, timeZone: string, next: boolean): number | undefined {
  const match = DAY.exec(text ?? '');
  if (!match) return undefined;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  if (m < 1 || m > 12 || d < 1 || d > 31) return undefined;
  // `to` is inclusive (at or before): the last millisecond of its day.
  return next ? dayStart(y, m, d + 1, timeZone) - 1 : dayStart(y, m, d, timeZone);
}

function integer(text: string | undefined, fallback: number, min: number, max: number): number {
  const n = text !== undefined && /^\d{1,9}$/.test(text) ? Number(text) : fallback;
  return Math.min(max, Math.max(min, n));
}

/**
 * Reads a search from URL parameters (q, source, from, to, order, limit,
 * offset), dropping what does not parse instead of failing: days are whole
 * days in the archive's time zone, `to` included.
 */
export function readSearchParams(get: (name: string) => string | undefined, timeZone: string): SearchForm {
  const q = (get('q') ?? '').trim().slice(0, MAX_QUERY);
  const rawSource = get('source');
  const source = rawSource !== undefined && SLUG_PATTERN.test(rawSource) ? rawSource : undefined;
  const order = get('order') === 'relevance' ? 'relevance' : 'newest';
  const limit = integer(get('limit'), DEFAULT_SEARCH_LIMIT, 1, MAX_LIMIT);
  const offset = integer(get('offset'), 0, 0, MAX_OFFSET);
  const from = day(get('from'), timeZone, false);
  const to = day(get('to'), timeZone, true);
  const query: SearchQuery = { q, order, limit, offset };
  if (source !== undefined) query.sources = [source];
  if (from !== undefined) query.from = from;
  if (to !== undefined) query.to = to;
  return {
    query,
    order,
    limit,
    offset,
    ...(source !== undefined ? { source } : {}),
    ...(from !== undefined ? { fromDay: get('from')! } : {}),
    ...(to !== undefined ? { toDay: get('to')! } : {}),
  };
}

import { Hono } from 'hono';
import { listSourceArticles, listSourceSummaries } from '../catalog/reader-queries.js';
import { type ReaderArchive } from '../publish/reader-archive.js';
import { ID_PATTERN } from '../domain/article.js';
import { articlePage } from '../publish/site-paths.js';
import { readSearchParams, type SearchFn } from './search-params.js';
import { runSearch } from './search-page.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const API_PAGE = 50;

function error(code: string, message: string) {
  return { error: { code, message } };
}

/**
 * The JSON API, under /api: the same lists as the pages. Times are RFC 3339
 * UTC; `path` is the article's page, relative to the site root.
 */
export function readerApi(archive: ReaderArchive, search: SearchFn | undefined): Hono {
  const api = new Hono();
  api.get('/sources', (c) => {
    const summaries = new Map(listSourceSummaries(archive.catalog, 5).map((s) => [s.slug, s]));
    const sources = archive.sources().map((source) => {
      const summary = summaries.get(source.slug);
      return {
        slug: source.slug,
        name: source.name,
        count: summary?.count ?? 0,
        newest: iso(summary?.newest ?? null),
        latest: (summary?.latest ?? []).map((r) => ({ id: r.id, title: r.title, published: iso(r.published), path: articlePage(source.slug, r.id) })),
      };
    });
    return c.json({ sources });
  });
  api.get('/articles', (c) => {
    const slug = c.req.query('source') ?? '';
    const source = archive.source(slug);
    if (!source) return c.json(error('unknown_source', `source "${slug}": no such source in this archive (see /api/sources)`), slug ? 404 : 400);
    const before = c.req.query('before');
    if (before !== undefined && !ID_PATTERN.test(before)) return c.json(error('bad_cursor', `before "${before}": not an article id`), 400);
    const page = listSourceArticles(archive.catalog, slug, { limit: API_PAGE, ...(before !== undefined ? { before: Number(before) } : {}) });
    if (!page) return c.json(error('bad_cursor', `before "${before}": ${slug} has no article with this id`), 400);
    return c.json({
      source: source.slug,
      items: page.items.map((r) => ({ id: r.id, title: r.title, published: iso(r.published), path: articlePage(slug, r.id) })),
      next: page.next ?? null,
    });
  });
  api.get('/search', (c) => {
    const form = readSearchParams((name) => c.req.query(name), archive.site.timeZone);
    if (!search) return c.json(error('search_unavailable', 'search not available yet: this newsmirror has no full-text index'), 503);
    if (form.query.q === '') return c.json(error('empty_query', 'q: give words to search for'), 400);
    const { result, message, code } = runSearch(search, form.query);
    if (!result && code === 'search_damaged') return c.json(error(code, message ?? 'cannot search'), 503);
    if (!result) return c.json(error('bad_query', message ?? 'cannot search'), 400);
    return c.json({
      query: form.query.q,
      total: result.total,
      offset: form.offset,
      hits: result.hits.map((h) => ({ ...h, published: iso(h.published), path: articlePage(h.source, h.id) })),
    });
  });
  api.all('*', (c) => c.json(error('not_found', `${new URL(c.req.url).pathname}: no such API route (/api/sources, /api/articles, /api/search)`), 404));
  return api;
}

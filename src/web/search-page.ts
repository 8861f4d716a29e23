import type { Context } from 'hono';
import { NewsmirrorError } from '../domain/errors.js';
import type { ReaderArchive } from '../publish/reader-archive.js';
import { renderServerSearchPage } from '../publish/render-search-page.js';
import { readSearchParams, type SearchFn, type SearchResult } from './search-params.js';

export const SEARCH_UNAVAILABLE = '搜索功能尚未提供（search not available yet）：这个版本的 newsmirror 还没有全文索引。';

/** Runs a search for a page or the API: the result, or the one-line reason there is none. */
export function runSearch(search: SearchFn | undefined, query: Parameters<SearchFn>[0]): { result?: SearchResult; message?: string; code?: string } {
  if (!search) return { message: SEARCH_UNAVAILABLE };
  if (query.q === '') return {};
  try {
    return { result: search(query) };
  } catch (error) {
    // A query the search cannot read is the reader's mistake, said on the page, and so is a damaged
    // search index (reader-search.ts); anything else is a bug.
    if (error instanceof NewsmirrorError) return { message: error.message, code: error.code };
    throw error;
  }
}

/** search.html on the server: the results rendered into the page, with filters and paging. */
export function searchPage(c: Context, archive: ReaderArchive, search: SearchFn | undefined): Response {
  const form = readSearchParams((name) => c.req.query(name), archive.site.timeZone);
  const { result, message } = runSearch(search, form.query);
  const html = renderServerSearchPage(archive.site, {
    query: form.query.q,
    sources: archive.sources(),
    source: form.source,
    order: form.order,
    from: form.fromDay,
    to: form.toDay,
    offset: form.offset,
    limit: form.limit,
    result,
    message,
  });
  return c.html(html);
}

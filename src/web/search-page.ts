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

/** The page speaks the reader's language (as SEARCH_UNAVAILABLE): the reason in Chinese, the search's own words after it. */
const PAGE_MESSAGES: Readonly<Record<string, string>> = {
  empty_query: '查询里没有可以查找的字或词',
  bad_query: '无法按这个查询搜索',
  search_damaged: '搜索索引已损坏，正在从文章文件重建：请过一会儿再搜索',
};

function pageMessage(message: string | undefined, code: string | undefined): string | undefined {
  const chinese = code === undefined ? undefined : PAGE_MESSAGES[code];
  return chinese === undefined || message === undefined ? message : `${chinese}（${message}）`;
}

/** search.html on the server: the results rendered into the page, with filters and paging. */
export function searchPage(c: Context, archive: ReaderArchive, search: SearchFn | undefined): Response {
  const form = readSearchParams((name) => c.req.query(name), archive.site.timeZone);
  const { result, message, code } = runSearch(search, form.query);
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
    message: pageMessage(message, code),
  });
  return c.html(html);
}

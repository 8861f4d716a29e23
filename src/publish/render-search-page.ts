import { escapeHtml } from '../domain/escape-html.js';
import { formatDate } from './format-time.js';
import { renderPage } from './page-frame.js';
import type { SiteInfo, SourceInfo } from './render-list-pages.js';
import { articlePage, SEARCH_INDEX_DIR, SEARCH_PAGE, SEARCH_SCRIPT_FILE } from './site-paths.js';

/** The static site's search page: an empty result list the client search (search-script.ts) fills. */
export function renderStaticSearchPage(site: SiteInfo): string {
  const main = [
    '<h1>搜索</h1>',
    '<p id="status" class="note" role="status" aria-live="polite"></p>',
    '<noscript><p class="note">搜索需要 JavaScript；也可以在各来源的按月列表中浏览。</p></noscript>',
    '<ul class="list results" id="results"></ul>',
    '<p><button type="button" id="more" hidden>更多结果</button></p>',
  ].join('\n');
  return renderPage({
    root: '',
    siteTitle: site.title,
    title: `搜索 · ${site.title}`,
    main,
    scripts: [SEARCH_SCRIPT_FILE],
    bodyData: { 'search-index': `${SEARCH_INDEX_DIR}/` },
  });
}

export interface SearchHitView {
  source: string;
  id: number;
  title: string;
  /** The title as HTML with its matches in <mark> (see renderSnippet); else the title is escaped. */
  titleHtml?: string | undefined;
  published: number;
  /** HTML: escaped text with the matches in <mark> (see renderSnippet). */
  snippet: string;
}

export interface ServerSearchInput {
  query: string;
  sources: readonly SourceInfo[];
  source?: string | undefined;
  order: 'newest' | 'relevance';
  from?: string | undefined;
  to?: string | undefined;
  offset: number;
  limit: number;
  result?: { total: number; hits: readonly SearchHitView[] } | undefined;
  /** Shown instead of results: search missing, or a query it cannot read. */
  message?: string | undefined;
}

/**
 * A snippet as the catalog's search gives it (HTML: escaped text, matches in
 * <mark>) made safe to put in a page whatever it holds: every part between
 * the <mark> tags has its `<`, `>` and `"` escaped.
 */
export function renderSnippet(snippet: string): string {
  return snippet
    .split(/(<\/?mark>)/)
    .map((part) => (part === '<mark>' || part === '</mark>' ? part : part.replace(/[<>"]/g, (c) => escapeHtml(c))))
    .join('');
}

/** Hits per page unless the address says otherwise. */
export const DEFAULT_SEARCH_LIMIT = 20;

function option(value: string, label: string, selected: boolean): string {
  return `<option value="${escapeHtml(value)}"${selected ? ' selected' : ''}>${escapeHtml(label)}</option>`;
}

function filters(input: ServerSearchInput): string {
  const sources = [option('', '全部来源', !input.source), ...input.sources.map((s) => option(s.slug, s.name, input.source === s.slug))];
  return [
    `<form class="filters" action="${SEARCH_PAGE}" method="get">`,
    `<input type="hidden" name="q" value="${escapeHtml(input.query)}">`,
    `<label>来源 <select name="source">${sources.join('')}</select></label>`,
    `<label>排序 <select name="order">${option('newest', '最新', input.order === 'newest')}${option('relevance', '相关', input.order === 'relevance')}</select></label>`,
    `<label>从 <input type="date" name="from" value="${escapeHtml(input.from ?? '')}"></label>`,
    `<label>到 <input type="date" name="to" value="${escapeHtml(input.to ?? '')}"></label>`,
    '<button type="submit">筛选</button>',
    '</form>',
  ].join('\n');
}

function pageLink(input: ServerSearchInput, offset: number): string {
  const params = new URLSearchParams({ q: input.query });
  if (input.source) params.set('source', input.source);
  if (input.order !== 'newest') params.set('order', input.order);
  if (input.from) params.set('from', input.from);
  if (input.to) params.set('to', input.to);
  if (input.limit !== DEFAULT_SEARCH_LIMIT) params.set('limit', String(input.limit));
  if (offset > 0) params.set('offset', String(offset));
  return `${SEARCH_PAGE}?${params.toString()}`;
}

/** The server's search page: results rendered on the server, with filters and paging. */
export function renderServerSearchPage(site: SiteInfo, input: ServerSearchInput): string {
  const names = new Map(input.sources.map((s) => [s.slug, s.name]));
  const parts = ['<h1>搜索</h1>'];
  if (input.query) parts.push(filters(input));
  let prev: string | undefined;
  let next: string | undefined;
  if (input.message !== undefined) {
    parts.push(`<p class="note" id="status" role="status">${escapeHtml(input.message)}</p>`);
  } else if (!input.query) {
    parts.push('<p class="note" id="status">输入词语，搜索全部文章的标题和正文（简繁通用）。</p>');
  } else if (input.result) {
    const { total, hits } = input.result;
    parts.push(`<p class="note" id="status" role="status">${total === 0 ? `没有找到“${escapeHtml(input.query)}”。` : `找到 ${total} 篇。`}</p>`);
    const items = hits.map(
      (h) =>
        `<li><time datetime="${new Date(h.published).toISOString()}">${formatDate(h.published, site.timeZone)}</time> <span class="src">${escapeHtml(names.get(h.source) ?? h.source)}</span> <a href="${articlePage(h.source, h.id)}">${h.titleHtml !== undefined ? renderSnippet(h.titleHtml) : escapeHtml(h.title)}</a><p class="snippet">${renderSnippet(h.snippet)}</p></li>`,
    );
    if (items.length) parts.push(`<ul class="list results" id="results">\n${items.join('\n')}\n</ul>`);
    if (input.offset > 0) prev = pageLink(input, Math.max(0, input.offset - input.limit));
    if (input.offset + hits.length < total) next = pageLink(input, input.offset + input.limit);
    if (prev !== undefined || next !== undefined) {
      parts.push(
        `<nav class="pager">${prev !== undefined ? `<a href="${escapeHtml(prev)}" rel="prev">← 上一页</a>` : '<span></span>'}${next !== undefined ? `<a href="${escapeHtml(next)}" rel="next">下一页 →</a>` : '<span></span>'}</nav>`,
      );
    }
  }
  return renderPage({ root: '', siteTitle: site.title, title: `${input.query ? `${input.query} · ` : ''}搜索 · ${site.title}`, main: parts.join('\n'), query: input.query, prev, next });
}

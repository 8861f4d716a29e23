import { escapeHtml } from '../domain/escape-html.js';
import { formatDate } from './format-time.js';
import { renderPage } from './page-frame.js';
import { articlePage, feedFile, HOME_PAGE, monthPage, rootOf, sourcePage } from './site-paths.js';

/** What every page needs to know about the site. */
export interface SiteInfo {
  title: string;
  /** IANA zone the archive shows times in (the config's timezone). */
  timeZone: string;
  /** An origin the pages load images from besides their own (site --assets-url): the archive's own copies. */
  imageOrigin?: string | undefined;
}

export interface SourceInfo {
  slug: string;
  name: string;
}

export interface ListEntry {
  id: number;
  title: string;
  published: number;
  /** Shown before the title on lists that mix sources. */
  source?: SourceInfo;
}

/** One `<li>` of an article list; `root` leads from the page to the site root. */
export function renderListEntry(entry: ListEntry, slug: string, root: string, timeZone: string): string {
  const date = formatDate(entry.published, timeZone);
  const source = entry.source ? `<span class="src">${escapeHtml(entry.source.name)}</span>` : '';
  return `<li><time datetime="${new Date(entry.published).toISOString()}">${date}</time>${source}<a href="${root}${articlePage(entry.source?.slug ?? slug, entry.id)}">${escapeHtml(entry.title)}</a></li>`;
}

export function renderList(entries: readonly ListEntry[], slug: string, root: string, timeZone: string): string {
  if (entries.length === 0) return '<p class="note">没有文章。</p>';
  return `<ul class="list">\n${entries.map((e) => renderListEntry(e, slug, root, timeZone)).join('\n')}\n</ul>`;
}

function pager(newer: string | undefined, older: string | undefined): string {
  if (newer === undefined && older === undefined) return '';
  const left = newer !== undefined ? `<a href="${escapeHtml(newer)}" rel="prev">← 较新</a>` : '<span></span>';
  const right = older !== undefined ? `<a href="${escapeHtml(older)}" rel="next">较旧 →</a>` : '<span></span>';
  return `<nav class="pager">${left}${right}</nav>`;
}

export interface SourcePageInput {
  source: SourceInfo;
  count: number;
  items: readonly ListEntry[];
  /** 1-based; shown in the title after the first page. */
  page: number;
  /** Links to the newer and older page, relative to this page. */
  newer?: string | undefined;
  older?: string | undefined;
  /** Month archive (shown on the first page), newest first. */
  months?: readonly { month: string; count: number }[];
}

/** A source's articles, newest first, with a pager and (on the first page) its month archive. */
export function renderSourcePage(site: SiteInfo, path: string, input: SourcePageInput): string {
  const root = rootOf(path);
  const { source } = input;
  const months = input.months?.length
    ? `<h2>按月浏览</h2>\n<nav class="months">${input.months
        .map((m) => `<a href="${root}${monthPage(source.slug, m.month)}">${m.month}</a><span class="count">${m.count}</span>`)
        .join(' ')}</nav>`
    : '';
  const main = [
    `<h1>${escapeHtml(source.name)}</h1>`,
    `<p class="meta">共 ${input.count} 篇${input.page > 1 ? ` · 第 ${input.page} 页` : ''} · <a href="${root}${feedFile(source.slug)}">Atom 订阅</a> · <a href="${root}${HOME_PAGE}">全部来源</a></p>`,
    renderList(input.items, source.slug, root, site.timeZone),
    pager(input.newer, input.older),
    months,
  ].join('\n');
  return renderPage({
    root,
    siteTitle: site.title,
    title: `${source.name}${input.page > 1 ? ` · 第 ${input.page} 页` : ''} · ${site.title}`,
    main,
    prev: input.newer,
    next: input.older,
    feeds: [{ title: source.name, path: feedFile(source.slug) }],
  });
}

export interface MonthPageInput {
  source: SourceInfo;
  month: string;
  count: number;
  items: readonly ListEntry[];
  page: number;
  newer?: string | undefined;
  older?: string | undefined;
}

/** Every article of a source in one month of the archive's time zone (paged when long). */
export function renderMonthPage(site: SiteInfo, path: string, input: MonthPageInput): string {
  const root = rootOf(path);
  const { source } = input;
  const heading = `${source.name} · ${input.month}`;
  const main = [
    `<h1>${escapeHtml(heading)}</h1>`,
    `<p class="meta">${input.count} 篇${input.page > 1 ? ` · 第 ${input.page} 页` : ''} · <a href="${root}${sourcePage(source.slug)}">${escapeHtml(source.name)}</a></p>`,
    renderList(input.items, source.slug, root, site.timeZone),
    pager(input.newer, input.older),
  ].join('\n');
  return renderPage({
    root,
    siteTitle: site.title,
    title: `${heading}${input.page > 1 ? ` · 第 ${input.page} 页` : ''} · ${site.title}`,
    main,
    prev: input.newer,
    next: input.older,
    feeds: [{ title: source.name, path: feedFile(source.slug) }],
  });
}

import { escapeHtml } from '../domain/escape-html.js';
import { formatDateTime } from './format-time.js';
import { renderPage } from './page-frame.js';
import { renderList, type ListEntry, type SiteInfo, type SourceInfo } from './render-list-pages.js';
import { ALL_FEED, feedFile, sourcePage } from './site-paths.js';

export interface HomeSource extends SourceInfo {
  count: number;
  newest: number | null;
  latest: readonly ListEntry[];
  /** The server shows it (it changes with the clock); the static site leaves it out. */
  health?: { state: 'ok' | 'stale' | 'failing'; text: string };
}

const HEALTH_LABEL = { ok: '正常', stale: '久未更新', failing: '抓取失败' } as const;

function renderSource(source: HomeSource, timeZone: string): string {
  const health = source.health
    ? `<span class="health ${source.health.state}" title="${escapeHtml(source.health.text)}">${HEALTH_LABEL[source.health.state]}</span>`
    : '';
  const newest = source.newest !== null ? ` · 最新 ${formatDateTime(source.newest, timeZone)}` : '';
  return [
    `<section class="source" id="source-${escapeHtml(source.slug)}">`,
    `<h2><a href="${sourcePage(source.slug)}">${escapeHtml(source.name)}</a>${health}</h2>`,
    `<p class="meta">共 ${source.count} 篇${newest} · <a href="${feedFile(source.slug)}">Atom</a></p>`,
    renderList(source.latest, source.slug, '', timeZone),
    '</section>',
  ].join('\n');
}

/** The front page: every source with its article count, newest titles and (on the server) health. */
export function renderHomePage(site: SiteInfo, sources: readonly HomeSource[]): string {
  const main = sources.length
    ? sources.map((s) => renderSource(s, site.timeZone)).join('\n')
    : '<p class="note">这个存档还没有文章。</p>';
  return renderPage({
    root: '',
    siteTitle: site.title,
    title: site.title,
    main: `<h1>${escapeHtml(site.title)}</h1>\n${main}`,
    feeds: [{ title: `${site.title}（全部）`, path: ALL_FEED }],
  });
}

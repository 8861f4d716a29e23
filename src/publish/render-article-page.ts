import { escapeHtml } from '../domain/escape-html.js';
import { formatDateTime, formatOffset } from './format-time.js';
import { renderPage } from './page-frame.js';
import type { SiteInfo, SourceInfo } from './render-list-pages.js';
import { articlePage, feedFile, rootOf, sourcePage } from './site-paths.js';

export interface ArticlePageInput {
  source: SourceInfo;
  id: number;
  title: string;
  /** The original article. */
  url: string;
  published: number;
  /** The body as renderReaderBody made it (sanitized, images local). */
  bodyHtml: string;
  newer?: { id: number; title: string } | undefined;
  older?: { id: number; title: string } | undefined;
  /** Later versions its feed carried (edits/...), oldest first, bodies as bodyHtml. */
  edits?: ReadonlyArray<{ seen: number; title: string; bodyHtml: string }> | undefined;
}

/** The later versions, each folded: the archived text stays the page's. */
function renderEdits(site: SiteInfo, edits: NonNullable<ArticlePageInput['edits']>): string {
  const items = edits.map(
    (edit) =>
      `<details><summary><time datetime="${new Date(edit.seen).toISOString()}">${formatDateTime(edit.seen, site.timeZone)}</time> ${escapeHtml(edit.title)}</summary><div class="article-body">${edit.bodyHtml}</div></details>`,
  );
  return `<section class="edits"><h2>后来的版本（源站修改过此文）</h2>\n${items.join('\n')}\n</section>`;
}

function originalLink(url: string): string {
  try {
    const { protocol } = new URL(url);
    if (protocol === 'http:' || protocol === 'https:') return ` · <a href="${escapeHtml(url)}" rel="noopener noreferrer">原文</a>`;
  } catch {
    // An old file's link that is no URL: shown as nothing rather than as a broken link.
  }
  return '';
}

/** One article: title, source, time in the archive's zone with its offset, original link, body, newer/older. */
export function renderArticlePage(site: SiteInfo, input: ArticlePageInput): string {
  const path = articlePage(input.source.slug, input.id);
  const root = rootOf(path);
  const here = (id: number) => `${root}${articlePage(input.source.slug, id)}`;
  const newer = input.newer ? here(input.newer.id) : undefined;
  const older = input.older ? here(input.older.id) : undefined;
  const when = `${formatDateTime(input.published, site.timeZone)} (UTC${formatOffset(input.published, site.timeZone)})`;
  const nav = [
    input.newer ? `<a href="${newer}" rel="prev" title="${escapeHtml(input.newer.title)}">← 较新：${escapeHtml(input.newer.title)}</a>` : '<span></span>',
    input.older ? `<a href="${older}" rel="next" title="${escapeHtml(input.older.title)}">较旧：${escapeHtml(input.older.title)} →</a>` : '<span></span>',
  ].join('');
  const main = [
    '<article>',
    `<h1>${escapeHtml(input.title)}</h1>`,
    `<p class="meta"><a href="${root}${sourcePage(input.source.slug)}">${escapeHtml(input.source.name)}</a> · <time datetime="${new Date(input.published).toISOString()}">${when}</time>${originalLink(input.url)}</p>`,
    `<div class="article-body">${input.bodyHtml}</div>`,
    ...(input.edits && input.edits.length > 0 ? [renderEdits(site, input.edits)] : []),
    '</article>',
    `<nav class="pager">${nav}</nav>`,
  ].join('\n');
  return renderPage({
    root,
    siteTitle: site.title,
    title: `${input.title} · ${input.source.name}`,
    main,
    prev: newer,
    next: older,
    feeds: [{ title: input.source.name, path: feedFile(input.source.slug) }],
    imageOrigin: site.imageOrigin,
  });
}

import { escapeHtml } from '../domain/escape-html.js';
import { ALL_FEED, HOME_PAGE, ICON_FILE, SCRIPT_FILE, SEARCH_PAGE, STYLE_FILE } from './site-paths.js';

/**
 * Everything from this site, nothing from anywhere else; no inline script
 * or style (the reader's CSS and JS are files). Images may also be small
 * inline data: images, which articles carry.
 */
export const CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'";

export interface PageFrame {
  /** `''` at the site root, `../` per folder below it (site-paths rootOf). */
  root: string;
  siteTitle: string;
  /** The document title, plain text. */
  title: string;
  /** The page's main content, HTML. */
  main: string;
  /** rel=prev/next targets, relative to the page: what ←/→ (and k/j on an article) open. */
  prev?: string | undefined;
  next?: string | undefined;
  /** Atom feeds to announce, paths from the site root. */
  feeds?: { title: string; path: string }[];
  /** The search box's current text. */
  query?: string;
  /** More scripts to load, paths from the site root. */
  scripts?: string[];
  /** Set on the body (the client search reads it). */
  bodyData?: Record<string, string>;
  /** Another origin images may come from (the archive's copies, site --assets-url). */
  imageOrigin?: string | undefined;
}

/** The policy, with one more origin for images when the pictures are the archive's own, served from elsewhere. */
function policyOf(imageOrigin: string | undefined): string {
  return imageOrigin === undefined ? CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY.replace("img-src 'self' data:", `img-src 'self' data: ${imageOrigin}`);
}

/** A whole HTML page around `main`: header with the search box, footer, the stylesheet and the keyboard script. */
export function renderPage(frame: PageFrame): string {
  const r = frame.root;
  const head = [
    '<!DOCTYPE html>',
    '<html lang="zh">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(policyOf(frame.imageOrigin))}">`,
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(frame.title)}</title>`,
    `<link rel="stylesheet" href="${r}${STYLE_FILE}">`,
    // Named, so a browser does not ask the host for /favicon.ico (a 404 on most static hosts).
    `<link rel="icon" href="${r}${ICON_FILE}">`,
    ...(frame.feeds ?? []).map((f) => `<link rel="alternate" type="application/atom+xml" title="${escapeHtml(f.title)}" href="${escapeHtml(r + f.path)}">`),
    frame.prev !== undefined ? `<link rel="prev" href="${escapeHtml(frame.prev)}">` : '',
    frame.next !== undefined ? `<link rel="next" href="${escapeHtml(frame.next)}">` : '',
    `<script src="${r}${SCRIPT_FILE}" defer></script>`,
    ...(frame.scripts ?? []).map((s) => `<script src="${escapeHtml(r + s)}" defer></script>`),
    '</head>',
  ];
  const data = Object.entries(frame.bodyData ?? {})
    .map(([k, v]) => ` data-${k}="${escapeHtml(v)}"`)
    .join('');
  const body = [
    `<body${data}>`,
    '<header class="top"><div class="wrap">',
    `<a class="site" href="${r}${HOME_PAGE}">${escapeHtml(frame.siteTitle)}</a>`,
    `<form class="search" action="${r}${SEARCH_PAGE}" method="get" role="search">`,
    `<input id="q" name="q" type="search" placeholder="搜索（按 / ）" aria-label="搜索" value="${escapeHtml(frame.query ?? '')}">`,
    '<button type="submit">搜索</button></form>',
    '</div></header>',
    `<main class="wrap">${frame.main}</main>`,
    '<footer class="bottom"><div class="wrap">',
    `<a href="${r}${ALL_FEED}">Atom 订阅（全部）</a> · 键盘：<kbd>j</kbd>/<kbd>k</kbd> 上下篇，<kbd>←</kbd>/<kbd>→</kbd> 翻页，<kbd>/</kbd> 搜索`,
    '</div></footer>',
    '</body>',
    '</html>',
    '',
  ];
  return [...head.filter((line) => line !== ''), ...body].join('\n');
}

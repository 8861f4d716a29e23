/*
 * Where each page lives, as a path from the site root. The static site and
 * the server use the same paths, so every link can be relative: it works on
 * GitHub Pages under a project path, on any static host, from disk
 * (file://, which has no directory index: links name index.html), and on the
 * reader server.
 */

export const HOME_PAGE = 'index.html';
export const SEARCH_PAGE = 'search.html';
export const ALL_FEED = 'feeds/all.xml';
export const STYLE_FILE = 'static/reader.css';
export const SCRIPT_FILE = 'static/reader.js';
export const SEARCH_SCRIPT_FILE = 'static/search.js';
/** At the root, where browsers look for it when a document names none (an Atom feed shown as XML). */
export const ICON_FILE = 'favicon.ico';
/** The client search index (static site only). */
export const SEARCH_INDEX_DIR = 'search-index';

/** Source and month pages list this many articles. */
export const PAGE_SIZE = 50;
export const MONTH_PAGE_SIZE = 200;

export function sourcePage(slug: string, page = 1): string {
  return page <= 1 ? `sources/${slug}/index.html` : `sources/${slug}/page-${page}.html`;
}

export function monthPage(slug: string, month: string, page = 1): string {
  return page <= 1 ? `sources/${slug}/${month}.html` : `sources/${slug}/${month}-page-${page}.html`;
}

export function articlePage(slug: string, id: number): string {
  return `articles/${slug}/${id}.html`;
}

export function feedFile(slug: string): string {
  return `feeds/${slug}.xml`;
}

/** The way from a page back to the site root: `''` or `../` per folder. */
export function rootOf(path: string): string {
  return '../'.repeat(path.split('/').length - 1);
}

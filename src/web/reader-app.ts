import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono, type Context } from 'hono';
import { CONTENT_SECURITY_POLICY, renderPage } from '../publish/page-frame.js';
import type { ReaderArchive } from '../publish/reader-archive.js';
import { parseReaderPath, renderArticle, renderHome, renderMonth, renderSource, STATIC_FILES } from '../publish/reader-pages.js';
import type { HomeSource } from '../publish/render-home-page.js';
import { rootOf } from '../publish/site-paths.js';
import { readerApi } from './reader-api.js';
import type { SearchFn } from './search-params.js';
import { searchPage } from './search-page.js';
import { escapeControlCharacters } from '../domain/control-characters.js';

export interface ReaderAppOptions {
  archive: ReaderArchive;
  /** Full-text search over the catalog; undefined until it exists (pages say so). */
  search?: SearchFn | undefined;
  /** Health badges by source for the home page (they change with the clock: the server's only). */
  health?: (() => Promise<ReadonlyMap<string, HomeSource['health']>>) | undefined;
}

const IMAGE_TYPES: Readonly<Record<string, string>> = {
  avif: 'image/avif',
  gif: 'image/gif',
  jpeg: 'image/jpeg',
  jpg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
};

/** Sent with every answer: the page's own files only, no sniffing, no referrer to the sites an article links to. */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

function notFound(c: Context, path: string, siteTitle: string): Response {
  const html = renderPage({ root: rootOf(path), siteTitle, title: '找不到这一页', main: '<h1>找不到这一页</h1><p class="note">地址不对，或者这篇文章已不在存档中。</p>' });
  return c.html(html, 404);
}

async function serveAsset(c: Context, archive: ReaderArchive, path: string): Promise<Response> {
  const type = IMAGE_TYPES[path.slice(path.lastIndexOf('.') + 1)];
  if (type === undefined) return notFound(c, path, archive.site.title);
  try {
    const bytes = await readFile(join(archive.root, path));
    // Content-addressed (assets/<2 hex>/<sha256>.<ext>): the bytes at a name never change.
    return c.body(bytes, 200, { 'content-type': type, 'cache-control': 'public, max-age=31536000, immutable' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return notFound(c, path, archive.site.title);
    throw error;
  }
}

/**
 * The local reader: the static site's pages, rendered per request from the
 * catalog and the article files, plus server-side search and a JSON API.
 * Paths are the static site's, so every link in a page is relative and
 * works the same here and on disk.
 */
export function createReaderApp(options: ReaderAppOptions): Hono {
  const { archive } = options;
  const app = new Hono();
  app.use('*', async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value);
  });
  app.route('/api', readerApi(archive, options.search));
  app.get('*', async (c) => {
    const path = new URL(c.req.url).pathname.slice(1);
    const target = parseReaderPath(path);
    // A folder typed without its slash (/sources/rfi): its page's relative links need the slash.
    if (!target && path !== '' && !path.endsWith('/') && parseReaderPath(`${path}/`)) return c.redirect(`/${path}/${new URL(c.req.url).search}`, 301);
    if (!target) return notFound(c, path, archive.site.title);
    let html: string | undefined;
    switch (target.kind) {
      case 'home':
        html = renderHome(archive, options.health ? await options.health() : undefined);
        break;
      case 'search':
        return searchPage(c, archive, options.search);
      case 'source':
        html = renderSource(archive, target.slug, target.page);
        break;
      case 'month':
        html = renderMonth(archive, target.slug, target.month, target.page);
        break;
      case 'article':
        html = await renderArticle(archive, target.slug, target.id);
        break;
      case 'feed': {
        const xml = await archive.renderFeed(target.slug, new URL('/', c.req.url).href);
        if (xml === undefined) return notFound(c, path, archive.site.title);
        return c.body(xml, 200, { 'content-type': 'application/atom+xml; charset=utf-8' });
      }
      case 'static': {
        const file = STATIC_FILES[target.file]!;
        const body = typeof file.body === 'string' ? file.body : new Uint8Array(file.body);
        return c.body(body, 200, { 'content-type': file.type, 'cache-control': 'no-cache' });
      }
      case 'asset':
        return serveAsset(c, archive, target.path);
    }
    return html === undefined ? notFound(c, path, archive.site.title) : c.html(html);
  });
  app.onError((error, c) => {
    console.error(escapeControlCharacters(`newsmirror serve: ${c.req.method} ${new URL(c.req.url).pathname}: ${error.message}`));
    return c.text('internal error', 500);
  });
  return app;
}

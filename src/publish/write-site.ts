import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listEditedIds, listEditFiles, readEditFiles } from '../archive/scan-archive.js';
import { parseArticleFile } from '../archive/article-file.js';
import { listAllArticles, listOldestFirst, listSourceMonths } from '../catalog/reader-queries.js';
import { addedText, searchTextFromHtml } from '../catalog/search-text.js';
import { copyAssets } from './copy-assets.js';
import type { ReaderArchive } from './reader-archive.js';
import { renderReaderBody } from './reader-body.js';
import { renderHome, renderMonth, renderSourcePageOf, STATIC_FILES } from './reader-pages.js';
import { renderArticlePage, type ArticlePageInput } from './render-article-page.js';
import { renderStaticSearchPage } from './render-search-page.js';
import { writeSearchIndex } from './search-index-files.js';
import type { SiteOutput } from './site-output.js';
import type { SiteInfo } from './render-list-pages.js';

/** The origin of an absolute assets root (a URL), which the pages' policy must let images come from. */
function originOf(assetsRoot: string): string | undefined {
  return /^https?:\/\//i.test(assetsRoot) ? new URL(assetsRoot).origin : undefined;
}
import { ALL_FEED, articlePage, feedFile, HOME_PAGE, MONTH_PAGE_SIZE, PAGE_SIZE, SEARCH_PAGE } from './site-paths.js';

export interface WriteSiteOptions {
  /** The site's absolute URL, for the Atom feeds' links (else they are relative to the feed). */
  baseUrl?: string | undefined;
  /**
   * Where article pages find the archive's pictures: unset, the site's own
   * copies (copied into it, `../../assets/`); else what replaces `../../`
   * before `assets/` (a URL, or the way from a page to the archive folder),
   * and no picture is copied: the site stays under the Pages limit.
   */
  assetsRoot?: string | undefined;
}

/**
 * A fingerprint of how pages are made: an article page rendered from fixed
 * input. Any change to the page frame, the body cleaning or the stylesheet
 * changes it, and with it the key of every article page, so an upgrade
 * re-renders what it must while a rebuild with the same code skips pages
 * whose input did not change.
 */
function renderFingerprint(archive: ReaderArchive, site: SiteInfo, assetsRoot: string): string {
  const sample: ArticlePageInput = {
    source: { slug: 's', name: '源' },
    id: 1,
    title: '样本 <标题>',
    url: 'https://example.org/a',
    published: 0,
    bodyHtml: renderReaderBody(
      `<p onclick="x">段落<b>粗</b></p><img src="../../assets/00/${'0'.repeat(64)}.png" alt="a"><img src="https://example.org/i.png"><a href="/r">r</a><script>x</script>`,
      { format: archive.config.body, articleUrl: 'https://example.org/a', root: assetsRoot, remote: 'link' },
    ),
    newer: { id: 2, title: 'n' },
    older: { id: 0, title: 'o' },
  };
  return createHash('sha256')
    .update(renderArticlePage(site, sample))
    .update(STATIC_FILES['static/reader.css']?.body ?? '')
    .digest('hex');
}

async function writeArticles(archive: ReaderArchive, out: SiteOutput, slug: string, assetsRoot: string): Promise<void> {
  const source = archive.source(slug)!;
  const rows = listAllArticles(archive.catalog, slug);
  const site = { ...archive.site, imageOrigin: originOf(assetsRoot) };
  const fingerprint = renderFingerprint(archive, site, assetsRoot);
  const edited = await listEditedIds(archive.root, slug);
  for (let i = 0; i < rows.length; i += 1) {
    const row = rows[i]!;
    const newer = rows[i - 1];
    const older = rows[i + 1];
    const path = articlePage(slug, row.id);
    const edits = edited.has(row.id) ? await archive.readEdits(slug, row.id) : [];
    const key =
      row.contentHash === null
        ? ''
        : createHash('sha256')
            .update(JSON.stringify([fingerprint, source, row, newer && [newer.id, newer.title], older && [older.id, older.title], ...edits]))
            .digest('hex')
            .slice(0, 32);
    if (await out.unchangedSince(path, key)) continue;
    const rel = `articles/${slug}/${row.id}.md`;
    const file = parseArticleFile(await readFile(join(archive.root, rel), 'utf8'), rel);
    const html = renderArticlePage(site, {
      source,
      id: row.id,
      title: file.title,
      url: file.url,
      published: file.published ?? row.published,
      bodyHtml: renderReaderBody(file.body, { format: archive.config.body, articleUrl: file.url, root: assetsRoot, remote: 'link' }),
      newer,
      older,
      edits: edits.map((edit) => ({
        seen: edit.seen,
        title: edit.title,
        bodyHtml: renderReaderBody(edit.body, { format: archive.config.body, articleUrl: file.url, root: assetsRoot, remote: 'link' }),
      })),
    });
    await out.write(path, html, key);
  }
}

async function writeSourcePages(archive: ReaderArchive, out: SiteOutput, slug: string): Promise<void> {
  const source = archive.source(slug)!;
  const rows = listAllArticles(archive.catalog, slug);
  const months = listSourceMonths(archive.catalog, slug, archive.site.timeZone);
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  for (let page = 1; page <= pages; page += 1) {
    const items = rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
    const html = renderSourcePageOf(archive, source, { items, page, count: rows.length, hasOlder: page < pages, months });
    await out.write(`sources/${slug}/${page === 1 ? 'index' : `page-${page}`}.html`, html);
  }
  for (const month of months) {
    for (let page = 1; (page - 1) * MONTH_PAGE_SIZE < month.count; page += 1) {
      const html = renderMonth(archive, slug, month.month, page);
      if (html !== undefined) await out.write(`sources/${slug}/${month.month}${page === 1 ? '' : `-page-${page}`}.html`, html);
    }
  }
}

async function writeSearch(archive: ReaderArchive, out: SiteOutput): Promise<void> {
  const edited = new Map<string, Set<number>>();
  const editsOf = async (source: string, id: number): Promise<string[]> => {
    let ids = edited.get(source);
    if (!ids) edited.set(source, (ids = await listEditedIds(archive.root, source)));
    return ids.has(id) ? listEditFiles(archive.root, source, id) : [];
  };
  const textOf = (body: string) => (archive.config.body === 'markdown' ? body : searchTextFromHtml(body));
  const docs = [];
  for (const r of listOldestFirst(archive.catalog)) {
    // An edit recorded since the last build changes what the article is found by.
    const edits = await editsOf(r.source, r.id);
    const bodyKey = r.contentHash === null || edits.length === 0 ? r.contentHash : `${r.contentHash} ${edits.join(' ')}`;
    docs.push({ source: r.source, id: r.id, title: r.title, published: r.published, bodyKey });
  }
  const shards = await writeSearchIndex(
    {
      docs,
      sources: archive.sources(),
      timeZone: archive.site.timeZone,
      readText: async (doc) => {
        const rel = `articles/${doc.source}/${doc.id}.md`;
        const text = await readFile(join(archive.root, rel), 'utf8').catch(() => undefined);
        if (text === undefined) return '';
        const own = textOf(parseArticleFile(text, rel).body);
        if ((await editsOf(doc.source, doc.id)).length === 0) return own;
        // What its edits added, and their titles: the server's search finds the article by them too.
        const edits = await readEditFiles(archive.root, doc.source, doc.id);
        const titles = [...new Set(edits.map((edit) => edit.title))].filter((title) => title !== doc.title);
        return [own, addedText(own, edits.map((edit) => textOf(edit.body))), ...titles].filter(Boolean).join(' ');
      },
    },
    out,
    (out.note('searchShards') as number[] | undefined) ?? [],
  );
  out.setNote('searchShards', shards);
}

/**
 * The static site: the reader's pages as files with relative links (GitHub
 * Pages, any static host, file://), the Atom feeds, the archived images and
 * the client-side search index. Incremental through `out`.
 */
export async function writeSite(archive: ReaderArchive, out: SiteOutput, options: WriteSiteOptions = {}): Promise<void> {
  for (const [path, file] of Object.entries(STATIC_FILES)) await out.write(path, file.body);
  await out.write(HOME_PAGE, renderHome(archive));
  await out.write(SEARCH_PAGE, renderStaticSearchPage(archive.site));
  const slugs = archive.sources().map((s) => s.slug);
  for (const slug of slugs) {
    await writeSourcePages(archive, out, slug);
    await writeArticles(archive, out, slug, options.assetsRoot ?? '../../');
    await out.write(feedFile(slug), (await archive.renderFeed(slug, options.baseUrl, options.assetsRoot))!);
  }
  await out.write(ALL_FEED, (await archive.renderFeed(undefined, options.baseUrl, options.assetsRoot))!);
  if (options.assetsRoot === undefined) await copyAssets(archive.root, out);
  await writeSearch(archive, out);
}

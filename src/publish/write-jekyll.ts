import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { parseArticleFile } from '../archive/article-file.js';
import { listAllArticles } from '../catalog/reader-queries.js';
import { formatDate, formatRfc3339 } from './format-time.js';
import { copyAssets } from './copy-assets.js';
import type { ReaderArchive } from './reader-archive.js';
import { renderReaderBody } from './reader-body.js';
import type { SiteOutput } from './site-output.js';

export interface JekyllPostInput {
  sourceSlug: string;
  sourceName: string;
  id: number;
  title: string;
  url: string;
  published: number;
  /** The body as the article file holds it. */
  body: string;
}

/** Where images point in a post: Jekyll's own base URL, filled in when the site is built. */
const SITE_ROOT = '{{ site.baseurl }}/';
const ROOT_MARK = 'newsmirror-site-root/';
/** An archived image or link target in a markdown body: `](../../assets/<2 hex>/<sha256>.<ext>`. */
const MARKDOWN_ASSET = /\]\(\.\.\/\.\.\/(assets\/[0-9a-f]{2}\/[0-9a-f]{64}\.[a-z0-9]{2,5})(?=[\s)])/g;

/** `_posts/YYYY-MM-DD-<source>-<id>.md`, the date in the archive's time zone. */
export function jekyllPostPath(post: Pick<JekyllPostInput, 'sourceSlug' | 'id' | 'published'>, timeZone: string): string {
  return `_posts/${formatDate(post.published, timeZone)}-${post.sourceSlug}-${post.id}.md`;
}

/**
 * One Jekyll post (the NodeBE4/waimei member of the family): YAML front
 * matter written by the yaml package, so any title (quotes, colons, a
 * leading `-` or `#`, newlines, `---`) reads back as itself, then the
 * sanitized body. Liquid would run `{{` and `{%` in a body, so every `{` of
 * the body is written as the character reference `&#123;`, which HTML shows
 * as `{`; only the image addresses this writer adds use Liquid.
 */
export function renderJekyllPost(post: JekyllPostInput, options: { timeZone: string; format: 'html' | 'markdown' }): string {
  const front = stringify(
    {
      layout: 'post',
      title: post.title,
      // Jekyll's own form: `2026-01-12 10:00:00 +0800`.
      date: formatRfc3339(post.published, options.timeZone).replace('T', ' ').replace(/([+-]\d{2}):(\d{2})$/, ' $1$2'),
      author: post.sourceName,
      from: post.url,
      tags: [post.sourceName],
      categories: [post.sourceSlug],
    },
    { lineWidth: 0 },
  );
  const html =
    options.format === 'markdown'
      ? // `../../assets/` is the way from articles/<slug>/ to the images, not from a post's URL.
        post.body.replace(MARKDOWN_ASSET, `](${ROOT_MARK}$1`)
      : `<div class="newsmirror-body">${renderReaderBody(post.body, { format: 'html', articleUrl: post.url, root: ROOT_MARK, remote: 'keep' })}</div>`;
  const body = html.replaceAll('{', '&#123;').replaceAll(`"${ROOT_MARK}`, `"${SITE_ROOT}`).replaceAll(`](${ROOT_MARK}`, `](${SITE_ROOT}`);
  return `---\n${front}---\n\n${body}\n`;
}

/** Every article as a Jekyll post, and the archived images under assets/. Incremental through `out`. */
export async function writeJekyll(archive: ReaderArchive, out: SiteOutput): Promise<void> {
  const options = { timeZone: archive.site.timeZone, format: archive.config.body };
  // How posts are made, from a fixed sample: a change to this writer changes every post's key.
  const fingerprint = renderJekyllPost(
    {
      sourceSlug: 's',
      sourceName: '源',
      id: 1,
      title: 't: "x"',
      url: 'https://example.org/',
      published: 0,
      body: options.format === 'markdown' ? `{{x}}\n\n![](../../assets/00/${'0'.repeat(64)}.png)` : `<p>{{x}}</p><img src="../../assets/00/${'0'.repeat(64)}.png">`,
    },
    options,
  );
  for (const source of archive.sources()) {
    for (const row of listAllArticles(archive.catalog, source.slug)) {
      const path = jekyllPostPath({ sourceSlug: source.slug, id: row.id, published: row.published }, archive.site.timeZone);
      const key =
        row.contentHash === null ? '' : createHash('sha256').update(JSON.stringify([fingerprint, source, row])).digest('hex').slice(0, 32);
      if (await out.unchangedSince(path, key)) continue;
      const rel = `articles/${source.slug}/${row.id}.md`;
      const file = parseArticleFile(await readFile(join(archive.root, rel), 'utf8'), rel);
      const post = renderJekyllPost(
        { sourceSlug: source.slug, sourceName: source.name, id: row.id, title: file.title, url: file.url, published: file.published ?? row.published, body: file.body },
        options,
      );
      await out.write(path, post, key);
    }
  }
  await copyAssets(archive.root, out);
}

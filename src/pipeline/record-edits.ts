import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderArticleFile } from '../archive/article-file.js';
import { writeNewFileAtomic } from '../archive/write-file-atomic.js';
import type { Catalog, ItemRecord, ItemVersion } from '../catalog/catalog.js';
import type { SourceConfig } from '../config/config-schema.js';
import { editPath, toEditFileBody } from '../domain/article.js';
import { describeError } from '../domain/errors.js';
import { wantsFullText } from './complete-article.js';
import { contentBasis, selectContent, type Candidate, type ContentBasis } from './prepare-item.js';
import { cleanWithin, type CleanFn, type RenderBody } from './render-body.js';
import { DEFAULT_CAPS } from '../domain/caps.js';

/** A feed item taken for an archived article by its guid or its link. */
export interface KnownItem {
  item: Candidate;
  record: ItemRecord;
}

export interface EditContext {
  root: string;
  catalog: Catalog;
  source: SourceConfig;
  /** Today's cleaning (the run's): both versions are compared through it, as `clean: true` would make them. */
  clean: CleanFn;
  /** The whole rendering of a body, as a new article gets it (cleaning, images, Markdown). */
  render: RenderBody;
  now: number;
  /** The source's body cap: versions are judged as archived, so a change past the cut is no edit. */
  maxBodyBytes?: number | undefined;
}

export interface EditsRecorded {
  /** Ids of the articles an edit was recorded for. */
  edited: number[];
  /**
   * Ids of the articles whose edit was found already written (another
   * clone's, pulled; a killed run's) and taken as their version: no edit of
   * this run's, but the article is searched by it from now on.
   */
  found: number[];
  /** The edit files written. */
  written: string[];
  warnings: string[];
}

/**
 * A cleaned body as versions are judged: an image's query (a signature that
 * expires, a cache buster: many feeds sign their image links anew on each
 * request) says nothing of the text, and would pass for an edit every run.
 */
function judgedBody(html: string): string {
  return html.replace(/<img\b[^>]*>/gi, (tag) => tag.replace(/\?[^"'\s,>]*/g, ''));
}

/** An edit file of the article that holds exactly `text`, if there is one. */
async function findSameFile(root: string, slug: string, id: number, text: string): Promise<string | undefined> {
  const folder = `edits/${slug}/${id}`;
  const names = await readdir(join(root, folder)).catch(() => [] as string[]);
  for (const name of names.filter((n) => /^\d+\.md$/.test(n)).sort()) {
    if ((await readFile(join(root, folder, name), 'utf8').catch(() => undefined)) === text) return `${folder}/${name}`;
  }
  return undefined;
}

/**
 * The version an item is compared with: the newest recorded, else the raw
 * body the article was archived from (when it came from the feed; a body
 * fetched from the page is not what the feed carries), else none: an article
 * imported from files, whose feed version is recorded now as the first.
 * `recorded` says it is a row of item_versions.
 */
function baseline(catalog: Catalog, known: KnownItem): { version: ItemVersion; recorded: boolean } | undefined {
  const { record } = known;
  const latest = catalog.latestVersion(record.source, record.id);
  if (latest) return { version: latest, recorded: true };
  if (record.bodySource !== 'feed') return undefined;
  const raw = catalog.findRawItem(record.source, record.id);
  return raw === undefined ? undefined : { version: { seen: record.firstSeen, title: record.title, raw: raw.raw, path: null, basis: raw.basis }, recorded: false };
}

const BASES: readonly ContentBasis[] = ['auto', 'content', 'summary'];

/**
 * The fields a version may have been read from: the one it was (its basis),
 * or, where that is not known (kept before it was), today's first, then
 * either field.
 */
function basesOf(version: ItemVersion, today: ContentBasis): ContentBasis[] {
  const known = BASES.find((b) => b === version.basis);
  return known ? [known] : [today, 'content', 'summary'];
}

/** An item's body as `basis` reads it (selectContent): the same field as a version compared with it. */
function bodyUnder(item: Candidate, basis: ContentBasis, today: ContentBasis): string {
  return basis === today ? item.html : selectContent(item.fields, basis);
}

interface SameVersion {
  item: Candidate;
  /** The field it was found the same in. */
  basis: ContentBasis;
  /** Byte for byte, not only once cleaned. */
  exact: boolean;
}

/**
 * The item of `entries` (one article's) that is `base` again, if any: same
 * title, and the same body in the field `base` was read from (a change of
 * the source's `content` setting is no edit), byte for byte or as cleaned.
 */
async function findSame(base: ItemVersion, entries: readonly KnownItem[], context: EditContext, today: ContentBasis): Promise<SameVersion | undefined> {
  const bases = basesOf(base, today);
  const titled = entries.filter((e) => e.item.title === base.title);
  for (const basis of bases) {
    for (const { item } of titled) if (bodyUnder(item, basis, today) === base.raw) return { item, basis, exact: true };
  }
  // Judged as cleaned even where the source keeps its bytes (clean: false): a nonce is no edit. Both
  // against the item's address (relative links, the site's rule): a link moved is no edit either.
  const judged = { ...context.source, clean: true };
  const cap = context.maxBodyBytes ?? DEFAULT_CAPS.maxBodyBytes;
  const judge = async (html: string, url: string | undefined) => judgedBody((await cleanWithin(context.clean, html, url, judged, cap)).cleaned);
  const before = new Map<string | undefined, string>();
  for (const basis of bases) {
    for (const { item, record } of titled) {
      const url = item.url ?? record.link ?? undefined;
      if (!before.has(url)) before.set(url, await judge(base.raw, url));
      if ((await judge(bodyUnder(item, basis, today), url)) === before.get(url)) return { item, basis, exact: false };
    }
  }
  return undefined;
}

/**
 * Records what the feed changed in articles already archived: an article
 * file is never rewritten, so a new title or body the feed carries for the
 * same guid or link is written beside it, as `edits/<slug>/<id>/<ms>.md`.
 * The versions are compared as today's cleaning makes them, from the raw
 * bodies (so better cleaning rules never pass for an edit, and neither do
 * bytes that cleaning takes away: a nonce, a tracking parameter), each in
 * the field of the feed item it was read from. Items whose article came
 * from its page, or that would (a summary feed), are left out: their feed
 * text is not the article's. A failure is a warning, never the source's
 * failure.
 */
export async function recordEdits(known: readonly KnownItem[], context: EditContext): Promise<EditsRecorded> {
  const { catalog, source } = context;
  const today = contentBasis(source.content);
  const out: EditsRecorded = { edited: [], found: [], written: [], warnings: [] };
  // A feed may list one article more than once (same guid or link, two bodies: an item in two
  // categories, a repeated teaser). Each is no edit when any of them is the version recorded,
  // else the first (top of the feed) is the one recorded: compared one by one, they would pass
  // for an edit of each other on every run.
  const byArticle = new Map<number, KnownItem[]>();
  for (const entry of known) {
    const group = byArticle.get(entry.record.id);
    if (group) group.push(entry);
    else byArticle.set(entry.record.id, [entry]);
  }
  for (const group of byArticle.values()) {
    group.sort((a, b) => a.item.index - b.item.index);
    const entries = group.filter(({ item, record }) => !(record.bodySource?.startsWith('page:') || wantsFullText(item, source)));
    if (entries.length === 0) continue;
    const { item, record } = entries[0]!;
    try {
      const base = baseline(catalog, entries[0]!);
      const version: ItemVersion = { seen: context.now, title: item.title, raw: item.html, path: null, basis: today };
      if (!base) {
        catalog.putVersion(source.slug, record.id, version);
        continue;
      }
      const same = await findSame(base.version, entries, context, today);
      if (same) {
        // The bytes recorded, read as today: nothing to keep. Else the same version, kept as the feed
        // carries it now, in today's field: compared from these bytes next time, without cleaning.
        if (same.exact && same.basis === today) continue;
        if (base.recorded) catalog.setVersionRaw(source.slug, record.id, base.version.seen, same.item.html, today);
        else catalog.putVersion(source.slug, record.id, { ...version, raw: same.item.html, seen: base.version.seen });
        continue;
      }
      const { body, warnings } = await context.render(item.html, item.url, source);
      const text = renderArticleFile({ published: record.published, title: item.title, url: item.url ?? record.link ?? '', body: toEditFileBody(body) });
      // A run killed between writing the file and recording it left the very same file: that one is it.
      const left = await findSameFile(context.root, source.slug, record.id, text);
      if (left !== undefined) {
        catalog.putVersion(source.slug, record.id, { ...version, path: left });
        out.found.push(record.id);
        continue;
      }
      const path = editPath(source.slug, record.id, context.now);
      if (!(await writeNewFileAtomic(context.root, path, text))) {
        out.warnings.push(`${path}: exists already; this edit was not recorded again`);
        continue;
      }
      catalog.putVersion(source.slug, record.id, { ...version, path });
      out.edited.push(record.id);
      out.written.push(path);
      out.warnings.push(...warnings);
    } catch (error) {
      out.warnings.push(`${item.url ?? item.guid ?? item.title}: could not compare with ${record.path} (${describeError(error)})`);
    }
  }
  return out;
}

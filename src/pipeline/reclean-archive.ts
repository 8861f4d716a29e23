import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config/load-config.js';
import { acquireLock } from './archive-lock.js';
import { parseArticleFile, renderArticleFile } from '../archive/article-file.js';
import { writeFileAtomic } from '../archive/write-file-atomic.js';
import { readEditFiles } from '../archive/scan-archive.js';
import { Catalog, type ItemRecord } from '../catalog/catalog.js';
import { indexArticle, searchDamageWarnings, withSearchFile } from '../catalog/search-index.js';
import { openHttp } from './open-http.js';
import { CATALOG_FILE } from '../catalog/catalog-location.js';
import { ImageStore } from './archive-images.js';
import { bodyRenderer, cutNote, type CleanFn } from './render-body.js';
import { hashBody, syncCatalog } from './sync-catalog.js';

export interface RecleanResult {
  slug: string;
  /** Articles whose file changed under today's rules. */
  rewritten: number[];
  unchanged: number;
  /** Articles with no raw body kept (imported from files, or archived before raw bodies were kept): left as they are. */
  withoutRawBody: number;
  /** Articles whose file is no longer what newsmirror wrote or last read (edited by hand, say): left as they are. */
  changedByHand: number[];
  /**
   * Articles archived whole before the body cap (maxBodyBytes) that today's
   * rules would cut: left whole, since a reclean never takes text out of the archive.
   */
  keptWhole: number[];
}

/** A body today's cap cuts, in place of a file that holds it whole (archived before the cap, or under a larger one). */
function isNewlyCut(body: string, current: string | undefined, maxBytes: number): boolean {
  const note = cutNote(maxBytes);
  return current !== undefined && body.includes(note) && !current.includes(note);
}

/**
 * Whether the article file still holds what the catalog recorded for it: the
 * same header and the body newsmirror wrote or last read. A file changed since
 * (a redaction, a corrected title, another article put in its place) is the
 * archivist's, and the raw body must not undo it.
 */
function isAsRecorded(text: string | undefined, record: ItemRecord): boolean {
  if (text === undefined) return false;
  try {
    const file = parseArticleFile(text, record.path);
    return (
      file.published === record.published &&
      file.title === record.title &&
      file.url === (record.link ?? '') &&
      (record.contentHash === null || hashBody(file.body) === record.contentHash)
    );
  } catch {
    return false;
  }
}

/**
 * Rewrites article files from the raw bodies kept in the catalog with
 * today's cleaning rules: same ids, same header lines, atomic writes, and
 * only where the bytes change. Articles without a raw body (imported from an
 * older archive), and files changed since newsmirror wrote them, are left
 * exactly as they are.
 */
export async function recleanArchive(
  config: Config,
  only: readonly string[],
  clean: CleanFn,
): Promise<{ sources: RecleanResult[]; warnings: string[] }> {
  const root = config.archiveDir;
  const lock = await acquireLock(root);
  const catalog = Catalog.open(join(root, CATALOG_FILE));
  const http = openHttp(config);
  const render = bodyRenderer(clean, new ImageStore(root, catalog, http, { ...config.images, maxUrlLength: config.maxUrlLength }), config.body, config.maxBodyBytes);
  try {
    const results: RecleanResult[] = [];
    for (const source of config.sources.filter((s) => only.length === 0 || only.includes(s.slug))) {
      await syncCatalog(root, source.slug, catalog, Date.now());
      const rawIds = catalog.listRawIds(source.slug);
      const result: RecleanResult = { slug: source.slug, rewritten: [], unchanged: 0, withoutRawBody: catalog.countItems(source.slug).count - rawIds.length, changedByHand: [], keptWhole: [] };
      for (const id of rawIds) {
        const item = catalog.findRawItem(source.slug, id);
        if (!item) continue;
        const { record, raw } = item;
        const { body } = await render(raw, record.link ?? undefined, source);
        const text = renderArticleFile({ published: record.published, title: record.title, url: record.link ?? '', body });
        const current = await readFile(join(root, record.path), 'utf8').catch(() => undefined);
        if (current === text) {
          // Also where a reclean was killed between writing the file and recording its hash.
          if (record.contentHash !== hashBody(body)) catalog.setContentHash(source.slug, id, hashBody(body));
          result.unchanged += 1;
        } else if (!isAsRecorded(current, record)) {
          result.changedByHand.push(id);
        } else if (isNewlyCut(body, current, source.maxBodyBytes ?? config.maxBodyBytes)) {
          result.keptWhole.push(id);
        } else {
          await writeFileAtomic(root, record.path, text);
          catalog.setContentHash(source.slug, id, hashBody(body));
          // With its edits, as every other indexing: a search still finds what they added.
          const edits = (await readEditFiles(root, source.slug, id)).map((edit) => ({ title: edit.title, html: edit.body }));
          withSearchFile(catalog, () => indexArticle(catalog, { source: source.slug, id, published: record.published, title: record.title, html: body, edits }));
          result.rewritten.push(id);
        }
      }
      results.push(result);
    }
    return { sources: results, warnings: searchDamageWarnings(catalog) };
  } finally {
    catalog.close();
    await http.close();
    await lock.release();
  }
}

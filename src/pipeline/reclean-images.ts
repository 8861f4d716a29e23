import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config/load-config.js';
import type { SourceConfig } from '../config/config-schema.js';
import { acquireLock } from './archive-lock.js';
import { parseArticleFile } from '../archive/article-file.js';
import { listArticleIds } from '../archive/scan-archive.js';
import { writeFileAtomic } from '../archive/write-file-atomic.js';
import { Catalog } from '../catalog/catalog.js';
import { CATALOG_FILE } from '../catalog/catalog-location.js';
import { readImageInfo } from '../content/image-bytes.js';
import { listImageUrls } from '../content/localize-images.js';
import { articlePath } from '../domain/article.js';
import { describeError } from '../domain/errors.js';
import { ImageStore } from './archive-images.js';
import { openHttp } from './open-http.js';
import { storeImage } from './store-image.js';
import { hashBody } from './sync-catalog.js';

export interface RecleanImagesResult {
  /** Article files whose images changed, relative to the archive. */
  rewritten: string[];
  /** Pictures the archive held as the publisher's bytes, now compact. */
  compacted: number;
  /** Hotlinked pictures downloaded (and stored compact). */
  downloaded: number;
  /** Originals no article or edit links any more, removed (images.originals: drop). */
  removed: string[];
  /** Whether articles with work left remain: run it again. */
  more: boolean;
  warnings: string[];
}

/** A local image link in a body, HTML (`src="../../assets/…"`) or Markdown (`](../../assets/…`). */
const LOCAL = /(src="|\]\()\.\.\/\.\.\/(assets\/[0-9a-f]{2}\/([0-9a-f]{64})\.[a-z0-9]{2,5})(?=["\s)])/g;
/** Any asset path in an article or edit file, for the count of who still links an original. */
const ANY_ASSET = /assets\/[0-9a-f]{2}\/[0-9a-f]{64}\.[a-z0-9]{2,5}/g;

/**
 * Articles whose pictures failed (a 404 for good, a picture the decoder refuses), with why: later
 * runs skip them, or every run would spend its limit on them first and never get further.
 * Machine-local (not committed): a fresh clone tries them once more.
 */
const FAILED_FILE = '.newsmirror/reclean-images-failed.json';

async function readFailed(root: string): Promise<Record<string, string[]>> {
  try {
    const parsed: unknown = JSON.parse(await readFile(join(root, FAILED_FILE), 'utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, string[]>) : {};
  } catch {
    return {};
  }
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** How many article and edit files link each asset: an original is removed only when none does. */
async function countLinks(root: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const top of ['articles', 'edits']) {
    const dir = join(root, top);
    if (!existsSync(dir)) continue;
    for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.md')) continue;
      const text = await readFile(join(entry.parentPath, entry.name), 'utf8');
      for (const path of new Set(text.match(ANY_ASSET) ?? [])) counts.set(path, (counts.get(path) ?? 0) + 1);
    }
  }
  return counts;
}

/** The publisher's bytes among a body's local images: files named by the sha256 of their own bytes (compact copies are not). */
async function originalsIn(root: string, body: string): Promise<string[]> {
  const out: string[] = [];
  for (const match of new Set([...body.matchAll(LOCAL)].map((m) => `${m[2]}\u0000${m[3]}`))) {
    const [path = '', hash = ''] = match.split('\u0000');
    const bytes = await readFile(join(root, path)).catch(() => undefined);
    if (bytes !== undefined && sha256(bytes) === hash) out.push(path);
  }
  return out;
}

interface Work {
  root: string;
  settings: Config['images'];
  catalog: Catalog;
  images: ImageStore;
  result: RecleanImagesResult;
  links: Map<string, number>;
  /** Originals whose every link this run moved to a compact copy. */
  unlinked: Set<string>;
}

/** Re-encodes one article's originals and downloads its hotlinked pictures; the body with only its `src` values changed. */
async function compactBody(work: Work, source: SourceConfig, rel: string, body: string, originals: string[], remote: number): Promise<string> {
  let next = body;
  for (const original of originals) {
    try {
      const bytes = await readFile(join(work.root, original));
      const info = readImageInfo(bytes);
      if (info === undefined) throw new Error('not an image (its bytes are no PNG, JPEG, GIF, WebP or AVIF)');
      const stored = await storeImage(work.root, bytes, info, work.settings, original);
      if (stored.path === original) continue;
      work.catalog.repointAssets(original, stored);
      next = next.replace(LOCAL, (all, lead: string, path: string) => (path === original ? `${lead}../../${stored.path}` : all));
      work.result.compacted += 1;
      const left = (work.links.get(original) ?? 1) - 1;
      work.links.set(original, left);
      if (left <= 0) work.unlinked.add(original);
    } catch (error) {
      work.result.warnings.push(`${source.slug}: ${rel}: image kept as it is: ${original}: ${describeError(error)}`);
    }
  }
  if (remote > 0) {
    // The run's own path: the SSRF guard, referers, size caps; src local, the URL kept in data-original-src.
    const localized = await work.images.localize(next, source.proxy);
    work.result.downloaded += remote - localized.warnings.length;
    work.result.warnings.push(...localized.warnings.map((w) => `${source.slug}: ${rel}: ${w}`));
    next = localized.html;
  }
  return next;
}

/**
 * `reclean --images`: re-encodes the pictures an archive holds as the
 * publishers served them (archives made before compact images), and
 * downloads the hotlinked ones of sources with `images: archive` (HTML
 * bodies). At most `limit` pictures a run, whole articles at a time, newest
 * first; each article file is rewritten once, atomically, changed only in
 * its images' `src` (and, for a downloaded one, `data-original-src` and
 * `srcset`, as a run writes them). Resumable: a run does what is left, and a
 * run with nothing left changes no file.
 */
export async function recleanImages(config: Config, only: readonly string[], limit: number): Promise<RecleanImagesResult> {
  const root = config.archiveDir;
  const lock = await acquireLock(root);
  const catalog = Catalog.open(join(root, CATALOG_FILE));
  const http = openHttp(config);
  const result: RecleanImagesResult = { rewritten: [], compacted: 0, downloaded: 0, removed: [], more: false, warnings: [] };
  const work: Work = { root, settings: config.images, catalog, images: new ImageStore(root, catalog, http, config.images), result, links: await countLinks(root), unlinked: new Set() };
  let budget = limit;
  const failed = await readFailed(root);
  try {
    sources: for (const source of config.sources.filter((s) => only.length === 0 || only.includes(s.slug))) {
      // Ids count down: the smallest is the newest article, the one readers open first.
      for (const id of (await listArticleIds(root, source.slug)).sort((a, b) => a - b)) {
        const rel = articlePath(source.slug, id);
        if (failed[rel] !== undefined) continue;
        const text = await readFile(join(root, rel), 'utf8');
        let body: string;
        try {
          body = parseArticleFile(text, rel).body;
        } catch (error) {
          result.warnings.push(`skipped ${describeError(error)}`);
          continue;
        }
        if (!text.endsWith(`${body}\n`)) continue;
        const originals = await originalsIn(root, body);
        const remote = source.images === 'archive' && body.startsWith('<') ? listImageUrls(body).length : 0;
        const needs = originals.length + remote;
        if (needs === 0) continue;
        // Whole articles only; the first one is done even when it alone holds more than the limit.
        if (needs > budget && budget < limit) {
          result.more = true;
          break sources;
        }
        budget -= needs;
        const warned = result.warnings.length;
        const next = await compactBody(work, source, rel, body, originals, remote);
        if (result.warnings.length > warned) failed[rel] = result.warnings.slice(warned);
        if (next === body) continue;
        await writeFileAtomic(root, rel, `${text.slice(0, text.length - body.length - 1)}${next}\n`);
        // Recorded as newsmirror's own: a later reclean or sync does not take it for a hand edit.
        const record = catalog.findItem(source.slug, id);
        if (record !== undefined && (record.contentHash === null || record.contentHash === hashBody(body))) catalog.setContentHash(source.slug, id, hashBody(next));
        result.rewritten.push(rel);
      }
    }
    if (Object.keys(failed).length > 0) await writeFile(join(root, FAILED_FILE), `${JSON.stringify(failed, null, 2)}\n`);
    if (config.images.originals === 'drop') {
      for (const original of [...work.unlinked].sort()) {
        if ((work.links.get(original) ?? 0) > 0) continue;
        await rm(join(root, original), { force: true });
        result.removed.push(original);
      }
    }
    return result;
  } finally {
    catalog.close();
    await http.close();
    await lock.release();
  }
}

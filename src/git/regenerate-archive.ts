import { existsSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { readArticle } from '../archive/scan-archive.js';
import { Catalog, type ItemRecord } from '../catalog/catalog.js';
import type { Config } from '../config/load-config.js';
import { articlePath } from '../domain/article.js';
import { CATALOG_FILE } from '../catalog/catalog-location.js';
import { indexFromFiles, syncCatalog } from '../pipeline/sync-catalog.js';
import { writeLists, writeReadme } from '../pipeline/write-lists.js';
import { ARTICLE_PATH } from './article-identity.js';
import { EDIT_PATH } from './commit-run.js';
import type { ArchiveChanges } from './push-run.js';
import type { Renumbered } from './rebase-run.js';

/**
 * A renumbered article's edit files (edits/<slug>/<from>/, which our commits
 * added: the catalog recorded them) go with it, or the reader would show them
 * under the other clone's article that holds the id now, and its versions
 * would be compared with that article's feed item.
 */
async function moveEdits(root: string, catalog: Catalog, slug: string, from: number, to: number): Promise<void> {
  const paths = catalog.listEditPaths(slug, from);
  for (const path of paths) {
    const target = path.replace(`edits/${slug}/${from}/`, `edits/${slug}/${to}/`);
    if (target === path || existsSync(join(root, target)) || !existsSync(join(root, path))) continue;
    await mkdir(dirname(join(root, target)), { recursive: true });
    await rename(join(root, path), join(root, target));
  }
  catalog.moveVersions(slug, from, to);
}

/**
 * A renumbered article keeps its catalog row (guid, first seen) and raw body
 * under its new id. The id it left now holds another clone's article, whose
 * raw body this clone never saw: its archived body stands in, so `reclean`
 * cannot rewrite that article from our article's raw HTML.
 */
async function moveRenumbered(root: string, catalog: Catalog, moves: readonly Renumbered[]): Promise<Set<string>> {
  const kept = new Set<string>();
  for (const { slug, from, to } of moves) {
    await moveEdits(root, catalog, slug, from, to);
    const item = catalog.findRawItem(slug, from);
    if (!item) continue;
    catalog.transaction(
      () => {
        catalog.deleteItem(slug, to);
        catalog.insertItem({ ...item.record, id: to, path: articlePath(slug, to) });
        catalog.putRawBody(slug, to, item.raw, item.record.link ?? '', item.basis);
        catalog.moveAliases(slug, from, to);
      },
      { search: true },
    );
    kept.add(`${slug}/${to}`);
    const now = await readArticle(root, slug, from).catch(() => undefined);
    if (now) catalog.putRawBody(slug, from, now.body, now.url);
  }
  return kept;
}

/**
 * Our article dropped for the remote's copy of it under another id
 * (rebase-run.ts) leaves its edit files and versions to that copy: the id it
 * left may hold another article of the remote's, which would show them, and
 * the copy would be compared with none of them. After the renumbered ones: a
 * copy may sit where one of ours was. Returns our rows, whose names the
 * copies take once their rows are read from the files (see nameDuplicates).
 */
async function moveDuplicates(root: string, catalog: Catalog, duplicates: readonly Renumbered[]): Promise<Array<{ record: ItemRecord; to: number }>> {
  const ours = [];
  for (const { slug, from, to } of duplicates) {
    await moveEdits(root, catalog, slug, from, to);
    const record = catalog.findRawItem(slug, from)?.record;
    if (record) ours.push({ record, to });
  }
  return ours;
}

/**
 * The remote's copy of our dropped article is known by our article's guid
 * too: read from its file alone it has none, and a later headline would pass
 * for another article rather than an edit of it. Not by its link: a feed
 * may link many items to one page, told apart by their guids.
 */
function nameDuplicates(catalog: Catalog, ours: ReadonlyArray<{ record: ItemRecord; to: number }>): void {
  for (const { record, to } of ours) if (record.guid !== null) catalog.addAliases(record.source, { guid: record.guid, title: record.title }, to);
}

/**
 * The rows of the article files the rebase changed (but those renumbered,
 * `kept`), which the sync reads again; `foreign` where the file is gone or
 * holds another article (its link and title both differ from the row's, as
 * recheckArticles judges): the versions kept under the id are the old
 * article's, and the one read from the file would be compared with them
 * (another clone deleted ours by hand and gave its id to a new article).
 */
async function rowsToReread(root: string, catalog: Catalog, paths: readonly string[], kept: ReadonlySet<string>): Promise<Array<{ slug: string; id: number; foreign: boolean }>> {
  const rows = [];
  for (const path of paths) {
    const match = ARTICLE_PATH.exec(path);
    if (!match || kept.has(`${match[1]}/${match[2]}`)) continue;
    const [slug, id] = [match[1]!, Number(match[2])];
    const row = catalog.findItem(slug, id);
    const file = row && (await readArticle(root, slug, id).catch(() => undefined));
    rows.push({ slug, id, foreign: row !== undefined && (file === undefined || (file.url !== (row.link ?? '') && file.title !== row.title)) });
  }
  return rows;
}

/**
 * The ids of `slug` whose edit files the rebase changed (another clone's
 * edit of an article both have, one of ours dropped for the remote's copy)
 * and that are still in the catalog: search finds an article by what its
 * edits added, so each is indexed again as its files now are. Those whose
 * rows were read again (renumbered, rewritten) were indexed by the sync.
 */
function editedIds(catalog: Catalog, slug: string, edits: readonly string[]): number[] {
  const ids = new Set<number>();
  for (const path of edits) {
    const match = EDIT_PATH.exec(path);
    if (match && match[1] === slug) ids.add(Number(match[2]));
  }
  const rows = new Set(catalog.listIds(slug));
  return [...ids].filter((id) => rows.has(id));
}

/**
 * After a rebase brought in another clone's commits: makes the catalog agree
 * with the files again (rows of rewritten files are dropped and re-read) and
 * rewrites every configured source's lists and the README from it, so the
 * generated files reflect both clones' articles. Call while holding the
 * archive lock.
 */
export async function regenerateArchive(config: Config, changes: ArchiveChanges): Promise<void> {
  const root = config.archiveDir;
  const catalog = Catalog.open(join(root, CATALOG_FILE));
  try {
    // First: the moves below take a version along by the path it names.
    for (const { path, keptAs } of changes.sameEdits) catalog.setVersionPath(EDIT_PATH.exec(path)![1]!, path, keptAs);
    const kept = await moveRenumbered(root, catalog, changes.renumbered);
    const duplicates = await moveDuplicates(root, catalog, changes.duplicates);
    const reread = await rowsToReread(root, catalog, changes.articles, kept);
    catalog.transaction(
      () => {
        for (const { slug, id, foreign } of reread) {
          catalog.deleteItem(slug, id);
          if (foreign) catalog.deleteVersions(slug, id);
        }
      },
      { search: true },
    );
    nameDuplicates(catalog, duplicates);
    const now = Date.now();
    for (const source of config.sources) {
      catalog.upsertSource(source.slug, source.name);
      await syncCatalog(root, source.slug, catalog, now);
      await indexFromFiles(root, source.slug, catalog, editedIds(catalog, source.slug, changes.edits));
      // Every list, monthly ones too: a list the rebase took from the remote
      // lacks our articles even where no article file changed (the remote
      // archived one of ours byte for byte, and the rest did not conflict).
      await writeLists(root, catalog, source, config.timezone, true);
    }
    await writeReadme(root, config.readme.title, config.sources.map((s) => s.name), config.readme.footer);
  } finally {
    catalog.close();
  }
}

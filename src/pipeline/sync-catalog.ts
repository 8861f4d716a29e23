import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { articlePath, editsAsideFolder } from '../domain/article.js';
import { setEditsAside } from '../archive/set-edits-aside.js';
import { canonicalLink } from '../domain/link.js';
import { describeError } from '../domain/errors.js';
import { bodiesDiffer } from '../domain/text-overlap.js';
import { escapeTitle } from '../domain/title.js';
import { listArticleIds, listEditedIds, readArticle, readEditFiles, type EditFile, type ReadArticle } from '../archive/scan-archive.js';
import type { Catalog, ItemRecord } from '../catalog/catalog.js';
import { indexArticles, listUnindexedIds, withSearchFile, type SearchableArticle } from '../catalog/search-index.js';
import { SearchIndexer } from './search-indexer.js';

export interface SyncResult {
  /** Files found that the catalog did not know (a fresh catalog, or a run killed after a write). */
  imported: number;
  /** Catalog rows whose file is gone. */
  removed: number;
  /** Recorded edits whose file is gone, forgotten: the feed's version is compared with what is left. */
  editsGone: number;
  /** Files that are not article files: reported, skipped, and their ids never reused. */
  unreadable: string[];
  /**
   * Every id in use in the folder, readable or not, and every id with edit
   * files (edits/<slug>/<id>/): an article deleted by hand leaves its edits,
   * which a new article under its id would show as its own.
   */
  idsInUse: number[];
}

/** Short content hash: enough to notice an edit, small in the catalog. */
export function hashBody(body: string): string {
  return createHash('sha256').update(body).digest('hex').slice(0, 32);
}

const READ_CONCURRENCY = 32;
const BATCH = 2000;
/**
 * A search backlog above this is left to indexPendingArticles rather than
 * indexed by the sync: a catalog rebuilt from a large archive would spend a
 * minute per 100k articles on search (FTS5 bound) in a run that needs none.
 * A killed run or another clone's articles stay well below it.
 */
const INLINE_SEARCH_LIMIT = 1000;

type ReadEntry = { id: number; file: ReadArticle; edits: EditFile[] };

/**
 * Reads article files in batches, a few at a time, with the edit files of
 * the ids in `edited` (listEditedIds: one readdir per source, so articles
 * without edits cost nothing more); `failed` hears of each file that cannot be read.
 */
async function* readBatches(
  root: string,
  slug: string,
  ids: readonly number[],
  edited: ReadonlySet<number>,
  failed: (id: number, error: unknown) => void,
): AsyncGenerator<ReadEntry[]> {
  for (let start = 0; start < ids.length; start += BATCH) {
    const batch = ids.slice(start, start + BATCH);
    const entries: ReadEntry[] = [];
    for (let i = 0; i < batch.length; i += READ_CONCURRENCY) {
      const read = await Promise.all(
        batch.slice(i, i + READ_CONCURRENCY).map(async (id) => {
          try {
            const [file, edits] = await Promise.all([readArticle(root, slug, id), edited.has(id) ? readEditFiles(root, slug, id) : []]);
            return { id, file, edits };
          } catch (error) {
            failed(id, error);
            return undefined;
          }
        }),
      );
      for (const entry of read) if (entry) entries.push(entry);
    }
    yield entries;
  }
}

/** The catalog row of an article known only from its file (no guid, no raw body). */
function recordOfFile(slug: string, { id, file }: ReadEntry, now: number): ItemRecord {
  return {
    source: slug,
    id,
    guid: null,
    link: file.url,
    canonicalLink: canonicalLink(file.url) ?? null,
    title: file.title,
    published: file.published ?? file.mtimeMs,
    firstSeen: now,
    contentHash: hashBody(file.body),
    path: articlePath(slug, id),
    bodySource: null,
    // An older family file's title as it writes it (entities left as the feed had them), for the lists.
    writtenTitle: file.writtenTitle === escapeTitle(file.title) ? null : file.writtenTitle,
  };
}

function searchable(slug: string, { id, file, edits }: ReadEntry): SearchableArticle {
  return { source: slug, id, published: file.published ?? file.mtimeMs, title: file.title, html: file.body, edits: edits.map((edit) => ({ title: edit.title, html: edit.body })) };
}

/**
 * Versions kept under the id of a file the sync takes in are the file's
 * article's only if they look like it: an article deleted (its row gone
 * with its file) leaves its versions, and a file that arrives later under
 * that id (another clone's article, pulled) would be compared with them and
 * get a false edit. Another headline and a text that plainly differs
 * (bodiesDiffer) is another article; an article that comes back keeps them.
 */
function forgetForeignVersions(catalog: Catalog, slug: string, { id, file }: ReadEntry): void {
  const version = catalog.latestVersion(slug, id);
  if (version && version.title !== file.title && bodiesDiffer(version.raw, file.body)) catalog.deleteVersions(slug, id);
}

/** Where a sync's articles go for search: a SearchIndexer's add (a thread indexes them), and whether all of them do. */
export interface SyncSearch {
  index?: ((articles: SearchableArticle[]) => void | Promise<void>) | undefined;
  /** Index every article the search index lacks, however many (a rebuild), not only up to INLINE_SEARCH_LIMIT. */
  all?: boolean;
}

/**
 * Makes the catalog agree with the files of one source folder: the archive
 * is the source of truth. Cheap when they already agree (one readdir, one
 * query); when the catalog is missing it reads every file once. Articles it
 * adds go into the search index too (through `search.index` once their rows
 * are committed, else in the same transaction), unless there are more than
 * INLINE_SEARCH_LIMIT to index and not `search.all` (then see
 * indexPendingArticles).
 */
export async function syncCatalog(root: string, slug: string, catalog: Catalog, now: number, options: SyncSearch = {}): Promise<SyncResult> {
  const fileIds = await listArticleIds(root, slug);
  const known = new Set(catalog.listIds(slug));
  const onDisk = new Set(fileIds);
  const missing = fileIds.filter((id) => !known.has(id));
  const gone = [...known].filter((id) => !onDisk.has(id));
  // Rows the search index lacks (a run killed in between, a catalog older than search) are read again for it.
  const unindexed = listUnindexedIds(catalog, slug).filter((id) => onDisk.has(id));
  const search = options.all === true || missing.length + unindexed.length <= INLINE_SEARCH_LIMIT;
  const edited = await listEditedIds(root, slug);
  const unreadable: string[] = [];
  let imported = 0;
  // A known row whose file cannot be read now was reported when it was imported.
  const failed = (id: number, error: unknown) => (known.has(id) ? undefined : unreadable.push(describeError(error)));
  for await (const entries of readBatches(root, slug, search ? [...missing, ...unindexed] : missing, edited, failed)) {
    const taken = entries.filter((entry) => !known.has(entry.id));
    const inline = search && !options.index && catalog.searchDamage === undefined;
    catalog.transaction(
      () => {
        for (const entry of taken) {
          const record = recordOfFile(slug, entry, now);
          catalog.insertItem(record);
          // A raw body under this id is the file's only if it was kept for its link (a run killed after
          // the file landed); one for another link is a killed run's whose id another article took since.
          catalog.deleteForeignRawBody(slug, record.id, record.link ?? '');
          forgetForeignVersions(catalog, slug, entry);
        }
        // A damaged search file does not keep the rows out (withSearchFile): it is made anew.
        if (inline) withSearchFile(catalog, () => indexArticles(catalog, entries.map((entry) => searchable(slug, entry))));
      },
      { search: inline },
    );
    if (search && options.index) await options.index(entries.map((entry) => searchable(slug, entry)));
    imported += taken.length;
  }
  // Edit files are the record too: those gone (a CI run's whose push failed, its catalog restored
  // from the cache) take their versions with them, so that the edit is recorded again.
  const editsGone = catalog.listSourceEditPaths(slug).filter((path) => !existsSync(join(root, path)));
  if (editsGone.length > 0) {
    catalog.transaction(() => {
      for (const path of editsGone) catalog.deleteVersionAt(slug, path);
    });
  }
  if (gone.length > 0) {
    // Deleting a row deletes its search entry (the trigger; not from a damaged search file: see Catalog.transaction).
    catalog.transaction(
      () => {
        for (const id of gone) catalog.deleteItem(slug, id);
      },
      { search: true },
    );
  }
  return { imported, removed: gone.length, editsGone: editsGone.length, unreadable: unreadable.sort(), idsInUse: [...fileIds, ...edited] };
}

type IndexFn = (articles: SearchableArticle[]) => void | Promise<void>;

/**
 * Puts the articles of a source that the search index lacks into it, read
 * from their files in batches: through `index` (a SearchIndexer's add, so
 * a thread indexes while the files are read), or in a transaction per
 * batch here, so an interrupted call keeps what it did. Call before
 * searching a catalog that a large rebuild left unindexed. Returns how
 * many were handed over.
 */
export async function indexPendingArticles(root: string, slug: string, catalog: Catalog, index?: IndexFn): Promise<number> {
  return indexFromFiles(root, slug, catalog, listUnindexedIds(catalog, slug), index);
}

/**
 * Indexes articles again as their files and edit files now are: those a
 * run recorded an edit of (the search finds what an edit added). Returns
 * how many were handed over.
 */
export async function indexFromFiles(
  root: string,
  slug: string,
  catalog: Catalog,
  ids: readonly number[],
  index: IndexFn = (articles) => void withSearchFile(catalog, () => indexArticles(catalog, articles)),
): Promise<number> {
  if (ids.length === 0) return 0;
  const edited = await listEditedIds(root, slug);
  let done = 0;
  for await (const entries of readBatches(root, slug, ids, edited, () => undefined)) {
    await index(entries.map((entry) => searchable(slug, entry)));
    done += entries.length;
  }
  return done;
}

/**
 * indexPendingArticles for several sources, with one indexing thread for
 * all (main thread reads, the thread indexes). Returns the indexer's warnings
 * (articles left unindexed, and why).
 */
export async function indexPendingSources(root: string, slugs: readonly string[], catalog: Catalog): Promise<string[]> {
  const pending = slugs.filter((slug) => listUnindexedIds(catalog, slug).length > 0);
  if (pending.length === 0) return [];
  const indexer = SearchIndexer.start(catalog);
  try {
    for (const slug of pending) await indexPendingArticles(root, slug, catalog, (articles) => indexer.add(articles));
  } catch (error) {
    // What was handed over is still indexed before the caller closes the catalog.
    await indexer.close();
    throw error;
  }
  return indexer.close();
}

/** What recheckArticles found: files replaced under their ids. */
export interface Rechecked {
  /** Archive paths whose rows were replaced. */
  replaced: string[];
  /** One line per replaced path: what was done, and where the old article's edit files went. */
  warnings: string[];
  /** Edit files moved aside (setEditsAside). */
  written: string[];
}

/**
 * Checks that the files of archived articles a feed names still hold those
 * articles. The sync goes by ids alone, so a file replaced under its id (a
 * discarded uncommitted file, then another clone's article pulled in under
 * the same id) keeps the row of the article that is gone: its item would be
 * taken as archived and never archived again. A file whose link and title
 * both differ from its row's is another article: the row, its names, its
 * raw body and its versions go, its edit files are set aside (the new
 * article would show them, and be compared with them), and the file is taken
 * in as the sync takes in a new one. (A hand edit changes one of them, and
 * keeps its row.)
 */
export async function recheckArticles(root: string, slug: string, catalog: Catalog, records: readonly ItemRecord[], now: number, options: SyncSearch = {}): Promise<Rechecked> {
  const byId = new Map(records.filter((r) => r.source === slug).map((r) => [r.id, r]));
  const replaced: ReadEntry[] = [];
  const edited = await listEditedIds(root, slug);
  for await (const entries of readBatches(root, slug, [...byId.keys()], edited, () => undefined)) {
    for (const entry of entries) {
      const record = byId.get(entry.id)!;
      if (entry.file.url !== (record.link ?? '') && entry.file.title !== record.title) replaced.push(entry);
    }
  }
  const out: Rechecked = { replaced: [], warnings: [], written: [] };
  if (replaced.length === 0) return out;
  for (const entry of replaced) {
    const path = articlePath(slug, entry.id);
    // Moved before the rows go: a run killed in between finds the old row again, and moves nothing twice.
    const aside = await setEditsAside(root, slug, entry.id, now);
    // Those edits were read with the file: they are not this article's, and search must not find it by them.
    entry.edits = [];
    const kept = aside.length === 0 ? '' : `; the edit files of the article it held are kept in ${editsAsideFolder(slug, entry.id, now)}/`;
    out.replaced.push(path);
    out.warnings.push(`${path}: holds another article than the catalog recorded (the file was replaced): taken in as it is${kept}`);
    out.written.push(...aside);
  }
  const inline = !options.index && catalog.searchDamage === undefined;
  catalog.transaction(
    () => {
      for (const entry of replaced) {
        catalog.deleteItem(slug, entry.id);
        catalog.deleteRawBody(slug, entry.id);
        catalog.deleteVersions(slug, entry.id);
        catalog.insertItem(recordOfFile(slug, entry, now));
      }
      if (inline) withSearchFile(catalog, () => indexArticles(catalog, replaced.map((entry) => searchable(slug, entry))));
    },
    { search: true },
  );
  if (options.index) await options.index(replaced.map((entry) => searchable(slug, entry)));
  return out;
}

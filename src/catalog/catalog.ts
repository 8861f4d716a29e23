import { openDatabase, type Database } from './sqlite.js';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync, gzip, gzipSync } from 'node:zlib';
import { ArchiveError, describeError } from '../domain/errors.js';
import { mapLimited } from '../domain/map-limited.js';
import { prepareStatements } from './catalog-statements.js';
import { aliasKeys, SAME_TITLE_WINDOW_MS, toRecord, type ItemIdentity, type ItemRecord, type Row } from './item-record.js';
import { MIGRATIONS } from './migrations.js';
import { attachSearchFile, deleteSearchFile, isDamage, searchFileOf } from './search-file.js';

const gzipAsync = promisify(gzip);
/** libuv's default thread pool size. */
const RAW_GZIPS_IN_FLIGHT = 4;

/** The code of a fetch the server answered 304 (a fetch record with status `unchanged`). */
export const NOT_MODIFIED = 'not_modified';

export type { ItemIdentity, ItemRecord } from './item-record.js';
export { SAME_TITLE_WINDOW_MS } from './item-record.js';

/** A version of an archived article as its feed carried it (migration 11). */
export interface ItemVersion {
  seen: number;
  title: string;
  /** The body as received. */
  raw: string;
  /** The edit file written for it (edits/<slug>/<id>/<seen>.md), or null for a version compared from. */
  path: string | null;
  /** Which field of the feed item `raw` is (the source's `content` setting: auto, content, summary); null when not known. */
  basis: string | null;
}

/** One source's fetch in one run. */
export interface FetchRecord {
  source: string;
  at: number;
  status: 'ok' | 'unchanged' | 'failed' | 'skipped';
  url: string;
  code: string | null;
  message: string | null;
  added: number;
  ms: number;
}

export interface ListRow {
  id: number;
  title: string;
  published: number;
}

/** A row of a source's list files: the title also as its file writes it, where that differs (ItemRecord.writtenTitle). */
export interface ListFileRow extends ListRow {
  writtenTitle: string | null;
}

/** Page cache of a catalog connection, in KiB (see connect). */
const CATALOG_CACHE_KB = 8_000;

/** Bytes per database page of a new catalog. */
export const PAGE_SIZE = 16_384;

type FileIdentity = { dev: bigint; ino: bigint };

/** A file's device and inode, or undefined when there is no such file. */
function fileIdentity(file: string): FileIdentity | undefined {
  try {
    const { dev, ino } = statSync(file, { bigint: true });
    return { dev, ino };
  } catch {
    return undefined;
  }
}

/**
 * A name to keep an unreadable catalog under, `<file>.corrupt-<ms>`, never
 * one already taken (two kept in the same millisecond): it may be the only
 * copy of what the files do not hold.
 */
export function corruptAside(file: string): string {
  const base = `${file}.corrupt-${Date.now()}`;
  const taken = (name: string) => ['', '-wal', '-shm'].some((suffix) => existsSync(name + suffix));
  let name = base;
  for (let n = 2; taken(name); n += 1) name = `${base}-${n}`;
  return name;
}

/**
 * The archive's index in SQLite (WAL). It is never the source of truth: the
 * files are, and the catalog can be rebuilt from them at any time. Its
 * search index is a second file, ATTACHed (search-file.ts). Only this folder
 * uses better-sqlite3, loaded by sqlite.ts.
 */
export class Catalog {
  private readonly db: Database;
  private readonly statements: ReturnType<typeof prepareStatements>;

  /** The search index's file (search-file.ts), ATTACHed to this connection. */
  readonly searchFile: string;

  private constructor(
    db: Database,
    /** The catalog's file (`:memory:` for an in-memory catalog). */
    readonly file: string,
  ) {
    this.db = db;
    this.searchFile = searchFileOf(file);
    this.statements = prepareStatements(db);
  }

  /** Set when the file was not a usable SQLite database: where it was moved before a fresh one was made. */
  recoveredFrom: string | undefined;

  /** Set when the search index's file was not a usable SQLite database: it was deleted and made anew, empty. */
  searchRemade = false;

  /** Why the search file is damaged (markSearchDamaged); close() deletes it. */
  private damage: string | undefined;
  /** Which file was found damaged (device and inode): close() deletes that one only, not one made since by another process. */
  private damagedFile: { dev: bigint; ino: bigint } | undefined;

  /** The catalog file and the search file this connection opened (device and inode): see replaced(). */
  private opened: { catalog: FileIdentity | undefined; search: FileIdentity | undefined } = { catalog: undefined, search: undefined };

  private static connect(file: string): { db: Database; searchRemade: boolean } {
    const db = openDatabase(file);
    try {
      // A new catalog gets 16 KB pages (SQLite's default is 4 KB): the search index writes its
      // segments in fewer, larger pages, so a rebuild spends less on B-tree and WAL pages (~5-8% of the
      // search build, measured). An existing catalog keeps its page size; a rebuild makes a new one.
      if (db.pragma('page_count', { simple: true }) === 0) db.pragma(`page_size = ${PAGE_SIZE}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
      // better-sqlite3 builds SQLite with a 16 MB page cache per file and connection; the
      // catalog's working set is far smaller, and a run's peak RSS was ~60 MB lower with these.
      db.pragma(`cache_size = -${CATALOG_CACHE_KB}`);
      const applied = db.pragma('user_version', { simple: true }) as number;
      for (let i = applied; i < MIGRATIONS.length; i += 1) {
        db.transaction(() => {
          db.exec(MIGRATIONS[i] ?? '');
          db.pragma(`user_version = ${i + 1}`);
        })();
      }
      // A migration that dropped much (8: the search index, often the larger part of an old
      // catalog) leaves free pages that would stay in the file and in every cached copy of it.
      const free = db.pragma('freelist_count', { simple: true }) as number;
      if (applied < MIGRATIONS.length && free * 4 > (db.pragma('page_count', { simple: true }) as number)) db.exec('VACUUM');
      return { db, searchRemade: attachSearchFile(db, searchFileOf(file)) };
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /**
   * Opens (creating or migrating) the catalog. The catalog is only an index
   * of the files, so a file that is not a readable database (a disk fault, a
   * truncated copy) is moved aside, never deleted, and a fresh catalog is
   * made: the caller's sync rebuilds it from the article files.
   */
  static open(file: string): Catalog {
    mkdirSync(dirname(file), { recursive: true });
    const make = () => {
      // Taken before the files are opened: a file replaced in between is then seen as replaced (and
      // opened again) rather than taken for the one this connection holds.
      const before = { catalog: fileIdentity(file), search: fileIdentity(searchFileOf(file)) };
      const { db, searchRemade } = Catalog.connect(file);
      try {
        const catalog = new Catalog(db, file);
        catalog.searchRemade = searchRemade;
        // A file made by this open (none was there, or an unreadable one was remade) is the one now there.
        catalog.opened = {
          catalog: before.catalog ?? fileIdentity(file),
          search: before.search !== undefined && !searchRemade ? before.search : fileIdentity(searchFileOf(file)),
        };
        return catalog;
      } catch (error) {
        // The catalog file was read (its migrations ran): whatever fails here is not a reason to move it aside.
        db.close();
        throw new Error(`${file}: ${describeError(error)}`);
      }
    };
    try {
      return make();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (file === ':memory:' || (code !== 'SQLITE_NOTADB' && code !== 'SQLITE_CORRUPT')) {
        // A full disk, a folder where the file should be: said with the file's name, not as "disk I/O error".
        if (code?.startsWith('SQLITE_')) throw new ArchiveError('catalog_unusable', `${file}: cannot open the catalog (${describeError(error)})`, { cause: error });
        throw error;
      }
      const aside = corruptAside(file);
      renameSync(file, aside);
      for (const suffix of ['-wal', '-shm']) if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix);
      // The search index went with the old rows: it is made again from the files with the catalog.
      deleteSearchFile(searchFileOf(file));
      const catalog = make();
      catalog.recoveredFrom = aside;
      return catalog;
    }
  }

  /**
   * Damage in the search file found after it opened (a statement failed
   * with SQLITE_CORRUPT*: see isDamage), which no later write repairs: the
   * file is deleted when the catalog closes, and the next open makes it
   * anew, empty, for the article files to be indexed again (the backlog
   * check finds them). Nothing of the catalog's own is touched.
   */
  markSearchDamaged(reason: string): void {
    if (this.damage !== undefined || this.searchFile === ':memory:') return;
    this.damage = reason;
    this.damagedFile = fileIdentity(this.searchFile);
    this.forgetTrigger();
  }

  /**
   * Whether damage an error reports is the search file's. Statements on the
   * catalog's connection read both files, so the catalog's own pages are
   * checked (quick_check, on this error path only): if they are whole, the
   * damage is the search file's; if not, the error is the catalog's, and
   * goes to the caller as it is.
   */
  blamesSearchFile(error: unknown): boolean {
    if (!isDamage(error) || this.searchFile === ':memory:') return false;
    try {
      return this.db.pragma('main.quick_check(1)', { simple: true }) === 'ok';
    } catch {
      return false;
    }
  }

  /** Deleting a row no longer touches a damaged search file (its entries go with the file). */
  private forgetTrigger(): void {
    this.db.exec('DROP TRIGGER IF EXISTS temp.search_forget_item');
  }

  /**
   * Whether another process replaced the catalog file or the search file
   * since this connection opened them (a reindex sets the catalog aside and
   * makes a new one; a run deletes a damaged search file and makes it
   * anew): this connection still reads the old ones, which nothing writes
   * any more. False while either is missing (being replaced: not ready yet).
   * Two stat calls: for a long-lived reader to ask now and then.
   */
  replaced(): boolean {
    if (this.searchFile === ':memory:') return false;
    const catalog = fileIdentity(this.file);
    const search = fileIdentity(this.searchFile);
    if (catalog === undefined || search === undefined) return false;
    const same = (a: FileIdentity | undefined, b: FileIdentity) => a !== undefined && a.dev === b.dev && a.ino === b.ino;
    return !same(this.opened.catalog, catalog) || !same(this.opened.search, search);
  }

  /** Whether close() was called. */
  get closed(): boolean {
    return !this.db.open;
  }

  /** Why the search file was found damaged, if it was: nothing more is written to it. */
  get searchDamage(): string | undefined {
    return this.damage;
  }

  close(): void {
    if (!this.db.open) return;
    this.db.close();
    // Best effort: a file that stays is found damaged again, and reported again, by the next run.
    // Only the file found damaged: another process may have deleted it and made a new one since.
    const now = this.damagedFile && fileIdentity(this.searchFile);
    if (now && now.dev === this.damagedFile!.dev && now.ino === this.damagedFile!.ino) {
      try {
        deleteSearchFile(this.searchFile);
      } catch {
        // (see above)
      }
    }
  }

  /**
   * The connection, for the other query modules of src/catalog/ (search,
   * reader queries): better-sqlite3 stays behind this folder.
   */
  get sqlite(): Database {
    return this.db;
  }

  /**
   * Runs `fn` in a transaction that holds the catalog's write lock from its
   * first statement: with another process writing the catalog (a `serve`
   * while a run archives), a transaction that read first would fail with
   * SQLITE_BUSY when it came to write instead of waiting its turn. (A single
   * write statement outside a transaction takes the lock before it reads.)
   * Not BEGIN IMMEDIATE: that locks every attached file, the search index
   * too, which a run's indexing thread writes meanwhile. A transaction that
   * reads and writes search tables (or deletes rows: the trigger) says
   * `search: true` and takes the search file's lock first as well, for the
   * same reason. Nested calls are savepoints; a nested `search: true` takes
   * the search lock at that point, which is safe as long as the outer
   * transaction has not read search tables before.
   */
  transaction<T>(fn: () => T, options: { search?: boolean } = {}): T {
    const search = options.search === true && this.damage === undefined;
    // Dropped once when the damage was found, the trigger may have come back with a rollback.
    if (this.damage !== undefined && !this.db.inTransaction) this.forgetTrigger();
    if (this.db.inTransaction) {
      if (search) this.statements.lockSearch.run();
      return this.db.transaction(fn)();
    }
    try {
      return this.db.transaction(() => {
        this.statements.lockCatalog.run();
        if (search) this.statements.lockSearch.run();
        return fn();
      })();
    } catch (error) {
      // Damage in the search file often shows only at COMMIT, where FTS5 flushes and merges its
      // segments. Once it is marked (markSearchDamaged), `fn` runs again without the search file:
      // withSearchFile skips its part, and deleting a row no longer fires the trigger.
      if (!search || !this.blamesSearchFile(error)) throw error;
      this.markSearchDamaged(`${this.searchFile}: ${describeError(error)}`);
      return this.transaction(fn, options);
    }
  }

  upsertSource(slug: string, name: string): void {
    this.statements.upsertSource.run(slug, name);
  }

  listIds(source: string): number[] {
    return this.statements.ids.all(source) as number[];
  }

  insertItem(record: ItemRecord): void {
    this.statements.insert.run({ ...record, writtenTitle: record.writtenTitle ?? null });
  }

  /** Many rows in one transaction (one commit instead of one per article). */
  insertItems(records: Iterable<ItemRecord>, each?: (record: ItemRecord) => void): void {
    this.transaction(() => {
      for (const record of records) {
        this.insertItem(record);
        each?.(record);
      }
    });
  }

  /** The row of article `id`, if the catalog has one. */
  findItem(source: string, id: number): ItemRecord | undefined {
    const row = this.statements.item.get(source, id) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  deleteItem(source: string, id: number): void {
    this.statements.delete.run(source, id);
    this.statements.deleteAliases.run(source, id);
  }

  /**
   * The archived item a feed item is, if any (FORMAT.md): same guid, same
   * canonical link, one of the names recorded with addAliases (`alias`), or
   * the same title published within 12 hours (the same article republished
   * under a new link). `by` says which. A link does not make an item with a
   * guid the same as an article archived under another guid: a feed that
   * links every item to one page (its front page, a page updated daily, the
   * anchors of one page) tells its items apart by their guids, and each would
   * otherwise be taken for the first and never archived (sameKey in
   * run-source.ts applies the same rule within one feed). An article known
   * only from its file (no guid: a rebuilt catalog, a killed run) is taken
   * for an item with a guid by its link only when their titles agree too,
   * and, for a dated item, their dates lie within SAME_TITLE_WINDOW_MS.
   * `sameStory` tells whether an article of the same title is the item's
   * story at all (run-source.ts compares their texts): two "快讯" an hour
   * apart are two articles.
   */
  matchItem(
    source: string,
    item: ItemIdentity,
    sameStory: (record: ItemRecord) => boolean = () => true,
  ): { record: ItemRecord; by: 'guid' | 'link' | 'alias' | 'title' } | undefined {
    const s = this.statements;
    // A dated item is that file's article only if published around the file's date too: a feed may give
    // one page and one headline to an item every day ("每日简报"), told apart by guid and date alone.
    const linkWindow =
      item.published === undefined ? [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER] : [item.published - SAME_TITLE_WINDOW_MS, item.published + SAME_TITLE_WINDOW_MS];
    const otherGuid = (row: Row) => item.guid !== undefined && item.guid !== '' && row.guid !== null && row.guid !== item.guid;
    for (const [key, by] of aliasKeys(item)) {
      if (by !== 'dated title') {
        const own =
          by === 'guid'
            ? s.byGuid.get(source, key.slice(2))
            : item.guid
              ? s.byLinkNoGuid.get(source, key.slice(2), item.title, ...linkWindow)
              : s.byLink.get(source, key.slice(2));
        if (own) return { record: toRecord(own as Row), by };
      }
      const alias = s.byAlias.get(source, key) as Row | undefined;
      if (alias && !(by === 'link' && otherGuid(alias))) return { record: toRecord(alias), by: 'alias' };
    }
    if (!item.title) return undefined;
    // An undated item is as old as the time it is seen; only one with no guid and no link, known by its
    // title alone, matches that title at any time (else it would be archived again on every run).
    const at = item.published ?? (item.guid || item.canonicalLink ? item.seen : undefined);
    // The nearest in time first; `sameStory` passes over articles that only share the headline.
    const rows = (
      at === undefined
        ? s.byTitleAny.all(source, item.title)
        : s.byTitle.all(source, item.title, at - SAME_TITLE_WINDOW_MS, at + SAME_TITLE_WINDOW_MS, at)
    ) as Row[];
    const record = rows.map(toRecord).find(sameStory);
    return record ? { record, by: 'title' } : undefined;
  }

  findMatch(source: string, item: ItemIdentity): ItemRecord | undefined {
    return this.matchItem(source, item)?.record;
  }

  /** The aliases of article `from` go to `to` (a renumbered article, git/regenerate-archive.ts). */
  moveAliases(source: string, from: number, to: number): void {
    this.statements.moveAliases.run(to, source, from);
  }

  /** Records an item's guid and link as other names of archived article `id` (see matchItem). */
  addAliases(source: string, item: ItemIdentity, id: number): void {
    for (const [key] of aliasKeys(item)) this.statements.putAlias.run(source, key, id);
  }

  /** Newest first; equal times by ascending id (the family's list order). `published` is the time lists give (catalog-statements.ts LISTED). */
  listNewest(source: string, limit: number): ListFileRow[] {
    return this.statements.newest.all(source, limit) as ListFileRow[];
  }

  listBetween(source: string, from: number, to: number): ListFileRow[] {
    return this.statements.between.all(source, from, to) as ListFileRow[];
  }

  listPublished(source: string): number[] {
    return this.statements.publishedAll.all(source) as number[];
  }

  countItems(source: string): { count: number; newest: number | null } {
    return this.statements.count.get(source) as { count: number; newest: number | null };
  }

  /** Keeps the body as received, compressed, with the link its article file writes: raw is never lost, so cleaning can be redone. */
  putRawBody(source: string, id: number, html: string, link: string | null, basis: string | null = null): void {
    // Level 1: raw bodies are written on every archived item and read rarely (reclean); speed wins.
    this.statements.putRaw.run(source, id, gzipSync(html, { level: 1 }), link, basis);
  }

  /** Many raw bodies in one transaction. */
  async putRawBodies(rows: ReadonlyArray<{ source: string; id: number; html: string; link: string | null; basis: string | null }>): Promise<void> {
    // Compressed on libuv's threads (~0.1 ms an article), so the calling thread goes on meanwhile; a few at
    // a time, as libuv has threads: each stream holds ~300 KB of zlib state until the GC frees it, and all of
    // a 150,000-item feed's at once took the run to gigabytes (issue 15).
    const gzipped = await mapLimited(rows, RAW_GZIPS_IN_FLIGHT, (row) => gzipAsync(row.html, { level: 1 }));
    this.transaction(() => {
      rows.forEach((row, i) => this.statements.putRaw.run(row.source, row.id, gzipped[i]!, row.link, row.basis));
    });
  }

  /** Forgets the raw body kept under an id whose file holds another article now. */
  deleteRawBody(source: string, id: number): void {
    this.statements.deleteRaw.run(source, id);
  }

  /**
   * Forgets the raw body under an id if it was kept for an article of another
   * link than `link` (the file's): a run killed before its file landed, and
   * another article put under that id since.
   */
  deleteForeignRawBody(source: string, id: number, link: string): void {
    this.statements.deleteForeignRaw.run(source, id, link);
  }

  /** Ids of a source's items that have a raw body, highest first. */
  listRawIds(source: string): number[] {
    return this.statements.rawIds.all(source) as number[];
  }

  /** An article's row and raw body; `basis` as in ItemVersion. */
  findRawItem(source: string, id: number): { record: ItemRecord; raw: string; basis: string | null } | undefined {
    const row = this.statements.rawItem.get(source, id) as (Row & { raw: Buffer; basis: string | null }) | undefined;
    return row ? { record: toRecord(row), raw: gunzipSync(row.raw).toString('utf8'), basis: row.basis } : undefined;
  }

  /** The newest version of an article its feed carried (record-edits.ts), if one was recorded. */
  latestVersion(source: string, id: number): ItemVersion | undefined {
    const row = this.statements.latestVersion.get(source, id) as { seen: number; title: string; raw: Buffer; path: string | null; basis: string | null } | undefined;
    return row ? { seen: row.seen, title: row.title, raw: gunzipSync(row.raw).toString('utf8'), path: row.path, basis: row.basis } : undefined;
  }

  putVersion(source: string, id: number, version: ItemVersion): void {
    this.statements.putVersion.run(source, id, version.seen, version.title, gzipSync(version.raw, { level: 1 }), version.path, version.basis);
  }

  /** The same version as the feed carries it now (bytes that cleaning takes away changed, or the field read): compared from next time. */
  setVersionRaw(source: string, id: number, seen: number, raw: string, basis: string | null): void {
    this.statements.setVersionRaw.run(gzipSync(raw, { level: 1 }), basis, source, id, seen);
  }

  /** The version recorded with edit file `from` is the one in `to` (the same bytes, another clone's: rebase-run.ts). */
  setVersionPath(source: string, from: string, to: string): void {
    this.statements.setVersionPath.run(to, source, from);
  }

  /** The files of an article's recorded edits, oldest first. */
  listEditPaths(source: string, id: number): string[] {
    return this.statements.editPaths.all(source, id) as string[];
  }

  /** The files of every recorded edit of a source's articles. */
  listSourceEditPaths(source: string): string[] {
    return this.statements.sourceEditPaths.all(source) as string[];
  }

  /** Forgets the version recorded with edit file `path`. */
  deleteVersionAt(source: string, path: string): void {
    this.statements.deleteVersionAt.run(source, path);
  }

  /** Forgets the versions recorded under an id whose file holds another article now. */
  deleteVersions(source: string, id: number): void {
    this.statements.deleteVersions.run(source, id);
  }

  /**
   * An article renumbered (rebase-run.ts) takes its versions along, their
   * edit files named under the new id (the caller moves the files): the id
   * it left holds another article now. Versions left under `to` go first.
   */
  moveVersions(source: string, from: number, to: number): void {
    this.statements.deleteVersions.run(source, to);
    this.statements.moveVersions.run({ source, from, to });
  }

  setContentHash(source: string, id: number, hash: string): void {
    this.statements.setHash.run(hash, source, id);
  }

  /** The archive path of an image already downloaded from `url`. */
  findAsset(url: string): string | undefined {
    return this.statements.findAsset.get(url) as string | undefined;
  }

  putAsset(asset: { url: string; path: string; sha256: string; bytes: number; type: string }): void {
    this.statements.putAsset.run(asset);
  }

  /** Every URL downloaded into `from` now has its image at `to` (an original re-encoded by reclean --images). */
  repointAssets(from: string, to: { path: string; bytes: number; type: string }): void {
    this.statements.repointAssets.run({ from, to: to.path, bytes: to.bytes, type: to.type });
  }

  /** The fingerprint of the feed body a source last archived completely. */
  findFeedFingerprint(source: string): string | undefined {
    return this.sqlite.prepare('SELECT fingerprint FROM feed_bodies WHERE source = ?').pluck().get(source) as string | undefined;
  }

  setFeedFingerprint(source: string, fingerprint: string): void {
    this.sqlite.prepare('INSERT OR REPLACE INTO feed_bodies (source, fingerprint) VALUES (?, ?)').run(source, fingerprint);
  }

  recordFetch(record: FetchRecord): void {
    this.statements.recordFetch.run(record);
  }

  /**
   * How many of the source's latest fetches in a row (up to `limit`; failed
   * ones left out) the server answered 304, recorded with code `not_modified`.
   */
  notModifiedStreak(source: string, limit: number): number {
    const codes = this.statements.recentFetchCodes.all(source, limit) as Array<string | null>;
    const broken = codes.findIndex((code) => code !== NOT_MODIFIED);
    return broken === -1 ? codes.length : broken;
  }

  lastFetch(source: string): FetchRecord | undefined {
    return this.statements.lastFetch.get(source) as FetchRecord | undefined;
  }

  lastSuccess(source: string): number | null {
    return this.statements.lastSuccess.get(source) as number | null;
  }

  /** Publication times of the newest `limit` items, newest first. */
  recentPublished(source: string, limit: number): number[] {
    return this.statements.recentPublished.all(source, limit) as number[];
  }

  startRun(started: number): number {
    return Number(this.statements.startRun.run(started).lastInsertRowid);
  }

  finishRun(id: number, finished: number, status: string, report: unknown): void {
    this.statements.finishRun.run(finished, status, JSON.stringify(report), id);
  }
}

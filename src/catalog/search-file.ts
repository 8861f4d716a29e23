import { openDatabase, type Database } from './sqlite.js';
import { rmSync } from 'node:fs';
import { ArchiveError, describeError } from '../domain/errors.js';

/**
 * The search index lives in a file of its own beside the catalog,
 * `catalog.sqlite-search` (named like SQLite's own -wal and -shm companions,
 * so `.newsmirror/catalog.sqlite*` in .gitignore files and workflow caches
 * covers it). Apart, it can be written by a thread of its own while the
 * run writes the catalog (one writer per SQLite file), and it holds nothing
 * that cannot be made again from the article files: an unreadable one is
 * deleted and rebuilt.
 *
 * The catalog's connection ATTACHes it as `search`; its tables' names are
 * unique across both files, so queries name them without the schema.
 */
export const SEARCH_SCHEMA = 'search';

/** The search index's file for a catalog file (`:memory:` for an in-memory catalog). */
export function searchFileOf(catalogFile: string): string {
  return catalogFile === ':memory:' ? ':memory:' : `${catalogFile}-search`;
}

/** A search index is made with 16 KB pages: FTS5 writes its segments in fewer, larger pages (~5-8% of a build). */
const SEARCH_PAGE_SIZE = 16_384;

/**
 * The search index's migrations, numbered like the catalog's
 * (`PRAGMA user_version` of the search file), written for any schema name:
 * the catalog's connection runs them on `search`, a thread's own connection on `main`.
 *
 * Each article has a key that orders by publication (its minute, or the next
 * free key when that minute is taken), the FTS rowid, so newest-first is the
 * index's own order. search_terms: bigrams of CJK runs and words, with
 * positions, for phrases; meta holds the source as one token. search_chars:
 * each article's distinct CJK characters and its source, without positions,
 * for one-character queries. search_text: the plain body text for snippets.
 * automerge 16 (FTS5's default is 4): a bulk import merges segments a fifth
 * as often, queries barely notice.
 */
function searchMigrations(s: string): readonly string[] {
  return [
    `
    CREATE TABLE ${s}.search_docs (
      key INTEGER PRIMARY KEY,
      source TEXT NOT NULL,
      id INTEGER NOT NULL,
      published INTEGER NOT NULL,
      title TEXT NOT NULL
    );
    CREATE UNIQUE INDEX ${s}.search_docs_by_item ON search_docs (source, id);
    CREATE TABLE ${s}.search_text (
      key INTEGER PRIMARY KEY,
      body BLOB NOT NULL
    );
    CREATE TABLE ${s}.search_meta (
      name TEXT PRIMARY KEY,
      value INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE VIRTUAL TABLE ${s}.search_terms USING fts5(body, title, meta, content='', contentless_delete=1, tokenize='ascii');
    CREATE VIRTUAL TABLE ${s}.search_chars USING fts5(chars, content='', contentless_delete=1, detail=none, tokenize='ascii');
    INSERT INTO ${s}.search_terms (search_terms, rank) VALUES ('automerge', 16);
    INSERT INTO ${s}.search_chars (search_chars, rank) VALUES ('automerge', 16);
    `,
  ];
}

/** How many search migrations there are: the search file's user_version once it is up to date. */
export const SEARCH_VERSION = searchMigrations('main').length;

/** Page size, WAL, then the migrations not yet applied, on schema `s` of `db`. */
export function prepareSearchSchema(db: Database, s: string, inMemory: boolean): void {
  if (db.pragma(`${s}.page_count`, { simple: true }) === 0) db.pragma(`${s}.page_size = ${SEARCH_PAGE_SIZE}`);
  if (!inMemory) db.pragma(`${s}.journal_mode = WAL`);
  db.pragma(`${s}.synchronous = NORMAL`);
  const applied = db.pragma(`${s}.user_version`, { simple: true }) as number;
  const migrations = searchMigrations(s);
  for (let i = applied; i < migrations.length; i += 1) {
    db.transaction(() => {
      db.exec(migrations[i] ?? '');
      db.pragma(`${s}.user_version = ${i + 1}`);
    })();
  }
}

/**
 * Deleting a catalog row deletes its search entry. Only a TEMP trigger may
 * change another file's tables, so every catalog connection makes it anew.
 */
const FORGET_TRIGGER = `
  CREATE TEMP TRIGGER IF NOT EXISTS search_forget_item AFTER DELETE ON main.items BEGIN
    DELETE FROM search_terms WHERE rowid = (SELECT key FROM search_docs WHERE source = old.source AND id = old.id);
    DELETE FROM search_chars WHERE rowid = (SELECT key FROM search_docs WHERE source = old.source AND id = old.id);
    DELETE FROM search_text WHERE key = (SELECT key FROM search_docs WHERE source = old.source AND id = old.id);
    DELETE FROM search_docs WHERE source = old.source AND id = old.id;
  END;`;

/**
 * Whether an error says a database file is damaged or not a database
 * (SQLITE_NOTADB, SQLITE_CORRUPT and its extended codes, such as FTS5's
 * SQLITE_CORRUPT_VTAB). A worker's error arrives as a plain object: the code is read all the same.
 */
export function isDamage(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'));
}

/** Deletes a search file and its companions. */
export function deleteSearchFile(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
}

/**
 * ATTACHes the search index to a catalog connection (making or migrating
 * it) and makes the trigger that keeps it in step with the catalog's rows.
 * A file that is not a readable database is deleted and made anew (its
 * articles are indexed again from their files: see listUnindexedIds);
 * returns whether that happened.
 */
export function attachSearchFile(db: Database, file: string): boolean {
  const inMemory = file === ':memory:';
  let remade = false;
  const attached = () => db.prepare('SELECT 1 FROM pragma_database_list WHERE name = ?').get(SEARCH_SCHEMA) !== undefined;
  const open = () => {
    // ATTACH reads the file's header: an unreadable file fails here already.
    db.prepare(`ATTACH DATABASE ? AS ${SEARCH_SCHEMA}`).run(file);
    prepareSearchSchema(db, SEARCH_SCHEMA, inMemory);
    // Opening the FTS5 tables reads their pages (a good header over damaged pages fails here,
    // not later in the catalog's statements, where it would pass for a damaged catalog).
    for (const table of ['search_terms', 'search_chars']) db.prepare(`SELECT 1 FROM ${SEARCH_SCHEMA}.${table} LIMIT 0`).all();
  };
  try {
    try {
      open();
    } catch (error) {
      if (inMemory || !isDamage(error)) throw error;
      if (attached()) db.exec(`DETACH DATABASE ${SEARCH_SCHEMA}`);
      deleteSearchFile(file);
      open();
      remade = true;
    }
  } catch (error) {
    // Never let it pass for the catalog's own error (the caller would move the catalog aside), nor
    // for an unexpected one: a full disk here ended the run as 'unexpected error: ...: database or disk is full'.
    throw new ArchiveError('catalog_unusable', `${file}: cannot open the search index (${describeError(error)})`, { cause: error });
  }
  // Queries and a catalog sync's indexing need little cache (a 2 MB one made a 100k build ~5% slower);
  // a run's indexing thread writes on its own connection (openSearchFile).
  db.pragma(`${SEARCH_SCHEMA}.cache_size = -4000`);
  db.exec(FORGET_TRIGGER);
  return remade;
}

/**
 * The search file on a connection of its own, without the catalog (a run's
 * indexing thread). It waits long for the write lock: it works in the
 * background, and a catalog connection holds that lock only while it
 * writes search entries itself (a catalog sync, a deleted row).
 */
export function openSearchFile(file: string): Database {
  const db = openDatabase(file);
  try {
    db.pragma('busy_timeout = 60000');
    // Half SQLite's default here: the thread's indexing keeps pace with a run either way, and RSS is lower.
    db.pragma('cache_size = -8000');
    prepareSearchSchema(db, 'main', false);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

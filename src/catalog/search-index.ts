import type { Database } from './sqlite.js';
import type { Catalog } from './catalog.js';
import { openSearchFile } from './search-file.js';
import { describeError } from '../domain/errors.js';
import { addedText, searchTextFromHtml } from './search-text.js';
import { articleTokens } from './search-tokens.js';

/** One archived article as search indexes it. */
export interface SearchableArticle {
  source: string;
  id: number;
  /** Milliseconds since the epoch: orders the results newest first. */
  published: number;
  title: string;
  /** The article body as archived (HTML): tags are stripped and entities decoded here. */
  html: string;
  /**
   * Its later versions (edits/<slug>/<id>/), oldest first: their titles, and
   * the sentences of their bodies the article's own does not hold, are
   * searched with it.
   */
  edits?: ReadonlyArray<{ title: string; html: string }> | undefined;
}

/**
 * The search key of an article: its publication minute. Keys are the FTS
 * rowids, so the index itself is in publication order and "newest first" is a
 * walk from the end that stops after one page. Minutes rather than
 * milliseconds keep rowid deltas, stored once per term and article, small.
 */
export function minuteKey(published: number): number {
  return Math.floor(published / 60_000);
}

/** The source as one token no query can produce: a private-use character, then the slug in hex. */
export function sourceToken(slug: string): string {
  return `\ue000${Buffer.from(slug, 'utf8').toString('hex')}`;
}

type Statements = ReturnType<typeof prepare>;
const cache = new WeakMap<Database, Statements>();

/** Statements on the search index's tables alone: they run on a catalog's connection or on the search file's own. */
function prepare(db: Database) {
  return {
    keyOf: db.prepare('SELECT key FROM search_docs WHERE source = ? AND id = ?').pluck(),
    freeKey: db
      .prepare(
        `SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM search_docs WHERE key = @base) THEN @base
           ELSE (SELECT d.key + 1 FROM search_docs d WHERE d.key >= @base
                 AND NOT EXISTS (SELECT 1 FROM search_docs e WHERE e.key = d.key + 1) ORDER BY d.key LIMIT 1) END`,
      )
      .pluck(),
    insertDoc: db.prepare('INSERT INTO search_docs (key, source, id, published, title) VALUES (?, ?, ?, ?, ?)'),
    insertText: db.prepare('INSERT INTO search_text (key, body) VALUES (?, ?)'),
    // Token text comes as UTF-8 bytes (articleTokens): the casts make it text, byte for byte.
    insertTerms: db.prepare('INSERT INTO search_terms (rowid, body, title, meta) VALUES (?, CAST(? AS TEXT), CAST(? AS TEXT), ?)'),
    insertChars: db.prepare('INSERT INTO search_chars (rowid, chars) VALUES (?, CAST(? AS TEXT))'),
    deleteDoc: db.prepare('DELETE FROM search_docs WHERE key = ?'),
    deleteText: db.prepare('DELETE FROM search_text WHERE key = ?'),
    deleteTerms: db.prepare('DELETE FROM search_terms WHERE rowid = ?'),
    deleteChars: db.prepare('DELETE FROM search_chars WHERE rowid = ?'),
    spill: db.prepare("SELECT value FROM search_meta WHERE name = 'spill'").pluck(),
    raiseSpill: db.prepare(
      "INSERT INTO search_meta (name, value) VALUES ('spill', ?) ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)",
    ),
    text: db.prepare('SELECT body FROM search_text WHERE key = ?').pluck(),
  };
}

function statementsOf(db: Database): Statements {
  let statements = cache.get(db);
  if (!statements) {
    statements = prepare(db);
    cache.set(db, statements);
  }
  return statements;
}

export function searchStatements(catalog: Catalog): Statements {
  return statementsOf(catalog.sqlite);
}

/** Statements that compare the search index with the catalog's rows (both files, on a catalog's connection). */
function prepareBacklog(db: Database) {
  return {
    // Count and sum of ids: equal counts alone miss an orphan entry and a missing one together.
    itemsDigest: db.prepare("SELECT count(*) || ':' || total(id) FROM items WHERE source = ?").pluck(),
    docsDigest: db.prepare("SELECT count(*) || ':' || total(id) FROM search_docs WHERE source = ?").pluck(),
    unindexed: db
      .prepare('SELECT id FROM items i WHERE source = ? AND NOT EXISTS (SELECT 1 FROM search_docs d WHERE d.source = i.source AND d.id = i.id)')
      .pluck(),
    orphans: db
      .prepare('SELECT key FROM search_docs d WHERE source = ? AND NOT EXISTS (SELECT 1 FROM items i WHERE i.source = d.source AND i.id = d.id)')
      .pluck(),
  };
}

const backlogCache = new WeakMap<Database, ReturnType<typeof prepareBacklog>>();

function backlogStatements(catalog: Catalog): ReturnType<typeof prepareBacklog> {
  let statements = backlogCache.get(catalog.sqlite);
  if (!statements) {
    statements = prepareBacklog(catalog.sqlite);
    backlogCache.set(catalog.sqlite, statements);
  }
  return statements;
}

/**
 * The body text as stored for snippets: UTF-16, two bytes a Chinese
 * character where UTF-8 takes three. Not deflated: that would save a fifth to
 * a third more and cost as much time as tokenizing (~60 µs an article).
 */
function packText(text: string): Buffer {
  return Buffer.from(text, 'utf16le');
}

export function unpackText(blob: Buffer): string {
  return blob.toString('utf16le');
}

function removeKey(s: Statements, key: number): void {
  s.deleteTerms.run(key);
  s.deleteChars.run(key);
  s.deleteText.run(key);
  s.deleteDoc.run(key);
}

/** The body text and titles searched for an article: its own, then what its edits added. */
function searchedText(article: SearchableArticle): { text: string; titles: string } {
  const own = searchTextFromHtml(article.html);
  const edits = article.edits ?? [];
  if (edits.length === 0) return { text: own, titles: article.title };
  const added = addedText(own, edits.map((edit) => searchTextFromHtml(edit.html)));
  const titles = new Set([article.title, ...edits.map((edit) => edit.title)]);
  return { text: added === '' ? own : `${own} ${added}`, titles: [...titles].join(' ') };
}

function insertArticle(s: Statements, article: SearchableArticle): void {
  const old = s.keyOf.get(article.source, article.id) as number | undefined;
  if (old !== undefined) removeKey(s, old);
  const base = minuteKey(article.published);
  const key = s.freeKey.get({ base }) as number;
  if (key !== base) s.raiseSpill.run(key - base);
  const { text, titles } = searchedText(article);
  const source = sourceToken(article.source);
  const tokens = articleTokens(titles, text, source);
  s.insertDoc.run(key, article.source, article.id, article.published, article.title);
  s.insertText.run(key, packText(text));
  s.insertTerms.run(key, tokens.body, tokens.title, source);
  s.insertChars.run(key, tokens.chars);
}

/**
 * Adds an article to the search index, or replaces its entry (a rewritten
 * body, a new title). Call it after the catalog row is in: deleting the row
 * later removes the entry too (migration 6's trigger).
 */
export function indexArticle(catalog: Catalog, article: SearchableArticle): void {
  const s = searchStatements(catalog);
  catalog.transaction(() => insertArticle(s, article), { search: true });
}

/**
 * Runs `use` (statements on the search file, through the catalog's
 * connection) unless the search file was found damaged. Damage it finds
 * marks the file for remaking (Catalog.markSearchDamaged) instead of
 * failing the caller: the search index is made again from the article
 * files, and nothing of the catalog's waits for it. Returns what `use`
 * returned, or undefined when the file is damaged.
 */
export function withSearchFile<T>(catalog: Catalog, use: () => T): T | undefined {
  if (catalog.searchDamage !== undefined) return undefined;
  try {
    return use();
  } catch (error) {
    if (!catalog.blamesSearchFile(error)) throw error;
    catalog.markSearchDamaged(`${catalog.searchFile}: ${describeError(error)}`);
    return undefined;
  }
}

/**
 * The warning for a search file found damaged on this catalog (see
 * withSearchFile), if it was: every command that writes the catalog says so.
 */
export function searchDamageWarnings(catalog: Catalog): string[] {
  const why = catalog.searchDamage;
  return why === undefined ? [] : [`search index: ${why}; the file is damaged: it is deleted, and the next catalog sync makes it anew from the article files`];
}

/** Many articles in one transaction: a catalog rebuild. */
export function indexArticles(catalog: Catalog, articles: Iterable<SearchableArticle>): void {
  const s = searchStatements(catalog);
  catalog.transaction(
    () => {
      for (const article of articles) insertArticle(s, article);
    },
    { search: true },
  );
}

/**
 * The search index written on its own connection, without the catalog: a
 * run's indexing thread (pipeline/search-indexer.ts) builds it so while the
 * run writes the catalog, each file with its own writer.
 */
export class SearchWriter {
  private constructor(private readonly db: Database) {}

  static open(file: string): SearchWriter {
    return new SearchWriter(openSearchFile(file));
  }

  /** Adds or replaces entries, in one transaction. */
  index(articles: Iterable<SearchableArticle>): void {
    const s = statementsOf(this.db);
    this.db.transaction(() => {
      for (const article of articles) insertArticle(s, article);
    }).immediate();
  }

  close(): void {
    this.db.close();
  }
}

/** Removes an article from the search index (a no-op when it is not there). */
export function removeIndexedArticle(catalog: Catalog, source: string, id: number): void {
  const s = searchStatements(catalog);
  catalog.transaction(
    () => {
      const key = s.keyOf.get(source, id) as number | undefined;
      if (key !== undefined) removeKey(s, key);
    },
    { search: true },
  );
}

/**
 * Ids of a source's catalog rows that have no search entry: a catalog made
 * before search had its own file, a run killed before its indexing, a
 * search file deleted or found unreadable. Entries of rows that are gone
 * (the two files commit apart, so a crash can leave one) are removed on
 * the way. Cheap when both sides have the same ids (a count and a sum each,
 * from indexes: ~7 ms per 100k articles). None while the search file is
 * found damaged (withSearchFile): it is made anew when the catalog closes.
 */
export function listUnindexedIds(catalog: Catalog, source: string): number[] {
  const b = backlogStatements(catalog);
  const unindexed = withSearchFile(catalog, () => {
    if (b.itemsDigest.get(source) === b.docsDigest.get(source)) return [];
    const orphans = b.orphans.all(source) as number[];
    if (orphans.length > 0) {
      const s = searchStatements(catalog);
      catalog.transaction(
        () => {
          for (const key of orphans) removeKey(s, key);
        },
        { search: true },
      );
    }
    return b.unindexed.all(source) as number[];
  });
  // A damaged file is deleted when the catalog closes: nothing is indexed into it meanwhile.
  return unindexed ?? [];
}

/** The largest distance between an article's key and its publication minute. */
export function keySpill(catalog: Catalog): number {
  return (searchStatements(catalog).spill.get() as number | undefined) ?? 0;
}

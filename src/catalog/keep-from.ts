import { openDatabase, type Database } from './sqlite.js';
import { existsSync, renameSync } from 'node:fs';
import { describeError } from '../domain/errors.js';
import type { Catalog } from './catalog.js';

/*
 * What reindex carries over from the catalog it replaces: the catalog is
 * rebuilt from the files, and these are the parts the files do not hold.
 */

/**
 * After a rebuild from the files (reindex), takes from a catalog it
 * replaces what the files do not hold: the feed's raw bodies (for
 * reclean), each row's guid, first-seen time and body source, the fetch
 * and run history, the image registry, feed fingerprints and item
 * aliases. Rows are matched by source, id and title, so nothing is carried
 * to an article that is not the one it was recorded for; a raw body also
 * needs the body the old catalog recorded, so reclean never undoes an edit. Several old
 * catalogs may be taken from, newest first: what one gave is kept, the
 * next fills gaps. Each part is taken on its own, so a damaged table costs
 * only itself; `failed` names the parts that could not be read.
 */
export function keepFrom(catalog: Catalog, oldFile: string): { rawBodies: number; failed: string[] } {
  const db = catalog.sqlite;
  db.prepare('ATTACH DATABASE ? AS old').run(oldFile);
  const failed: string[] = [];
  let rawBodies = 0;
  try {
    // An old catalog may predate a migration: only the tables and columns both have are taken.
    const columnsOf = (schema: string, table: string) => db.prepare('SELECT name FROM pragma_table_info(?, ?)').pluck().all(table, schema) as string[];
    const shared = (table: string) => {
      const old = new Set(columnsOf('old', table));
      return columnsOf('main', table).filter((c) => old.has(c));
    };
    const part = (name: string, take: () => void) => {
      try {
        db.transaction(take)();
      } catch (error) {
        failed.push(`${name} (${describeError(error)})`);
      }
    };
    const same = 'o.source = items.source AND o.id = items.id AND o.title = items.title';
    part('items', () => {
      const has = new Set(shared('items'));
      const set = [
        has.has('guid') ? 'guid = coalesce(items.guid, o.guid)' : '',
        has.has('first_seen') ? 'first_seen = min(items.first_seen, o.first_seen)' : '',
        has.has('body_source') ? 'body_source = coalesce(items.body_source, o.body_source)' : '',
      ].filter(Boolean);
      if (set.length > 0) db.exec(`UPDATE items SET ${set.join(', ')} FROM old.items o WHERE ${same}`);
    });
    for (const table of ['fetches', 'runs', 'assets', 'feed_bodies']) {
      const columns = shared(table).join(', ');
      if (columns !== '') part(table, () => db.exec(`INSERT OR IGNORE INTO ${table} (${columns}) SELECT ${columns} FROM old.${table}`));
    }
    // The columns both have, by name: an old catalog may lack some (raw_bodies.link before migration 10).
    const ofSameArticle = (table: string, also = '') => {
      const columns = shared(table);
      return `INSERT OR IGNORE INTO ${table} (${columns.join(', ')}) SELECT ${columns.map((c) => `r.${c}`).join(', ')} FROM old.${table} r
         JOIN old.items o ON o.source = r.source AND o.id = r.id
         JOIN items ON ${same}${also}`;
    };
    if (shared('item_aliases').length > 0) part('item_aliases', () => db.exec(ofSameArticle('item_aliases')));
    if (shared('item_versions').length > 0) part('item_versions', () => db.exec(ofSameArticle('item_versions')));
    if (shared('raw_bodies').length > 0) {
      part('raw_bodies', () => {
        // Only to a file whose body is still the one recorded: a body changed by hand since (a
        // redaction) would be undone by reclean from the raw body.
        const sameBody = ' AND (o.content_hash IS NULL OR o.content_hash = items.content_hash)';
        rawBodies += db.prepare(ofSameArticle('raw_bodies', sameBody)).run().changes;
      });
    }
    return { rawBodies, failed };
  } finally {
    db.exec('DETACH DATABASE old');
  }
}

/**
 * Moves a catalog file aside for reindex (keepFrom reads it after the
 * rebuild): its write-ahead log is folded into it first, so one file holds
 * everything and a rename cannot be cut between the file and its log. A
 * catalog that cannot be opened is moved with its -wal and -shm as they are.
 */
export function setAside(file: string, aside: string): void {
  try {
    const db = openDatabase(file);
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
  } catch {
    // Unreadable: moved as it is, companions with it.
  }
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix);
}

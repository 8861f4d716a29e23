import { driverPath, openDatabase, type Database } from './sqlite.js';
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { itemRecord } from '../../test/helpers/item-record.js';
import { Catalog } from './catalog.js';
import { MIGRATIONS } from './migrations.js';
import { searchArticles } from './search-articles.js';
import { SEARCH_VERSION, searchFileOf } from './search-file.js';
import { damagePages } from '../../test/helpers/damage-pages.js';
import { indexArticles, listUnindexedIds, withSearchFile } from './search-index.js';

const T0 = Date.UTC(2025, 0, 1);

const record = (id: number) => itemRecord('s', id, { title: `标题${id}`, published: T0 + id * 60_000 });

const article = (id: number) => ({ source: 's', id, published: T0 + id * 60_000, title: `标题${id}`, html: `<p>台灣政府第${id}号公告</p>` });

/** A catalog as it was before the search index had its own file: catalog migration 6 made it in the catalog. */
const OLD_SEARCH_IN_CATALOG = `
  CREATE TABLE search_docs (key INTEGER PRIMARY KEY, source TEXT NOT NULL, id INTEGER NOT NULL, published INTEGER NOT NULL, title TEXT NOT NULL);
  CREATE UNIQUE INDEX search_docs_by_item ON search_docs (source, id);
  CREATE TABLE search_text (key INTEGER PRIMARY KEY, body BLOB NOT NULL);
  CREATE TABLE search_meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
  CREATE VIRTUAL TABLE search_terms USING fts5(body, title, meta, content='', contentless_delete=1, tokenize='ascii');
  CREATE VIRTUAL TABLE search_chars USING fts5(chars, content='', contentless_delete=1, detail=none, tokenize='ascii');
  CREATE TRIGGER search_forget_item AFTER DELETE ON items BEGIN
    DELETE FROM search_docs WHERE source = old.source AND id = old.id;
  END;
`;

/** Three indexed rows, then row 3 deleted on a connection without the trigger: what a crash between the two files' commits leaves. */
function withOrphanOf3(catalog: Catalog, file: string): void {
  catalog.insertItems([record(1), record(2), record(3)]);
  indexArticles(catalog, [article(1), article(2), article(3)]);
  const bare = openDatabase(file);
  bare.prepare("DELETE FROM items WHERE source = 's' AND id = 3").run();
  bare.close();
}

async function withCatalog(test: (catalog: Catalog, file: string) => void | Promise<void>): Promise<void> {
  const file = join(await tempDir(), 'catalog.sqlite');
  const catalog = Catalog.open(file);
  try {
    await test(catalog, file);
  } finally {
    catalog.close();
  }
}

const tablesOf = (db: Database, schema: string) =>
  db.prepare(`SELECT name FROM ${schema}.sqlite_schema WHERE type = 'table' AND name LIKE 'search%' ORDER BY name`).pluck().all();

describe('the search index in its own file', () => {
  it('lives in catalog.sqlite-search, and deleting a catalog row deletes its entry', async () => {
    await withCatalog((catalog, file) => {
      expect(catalog.searchFile).toBe(`${file}-search`);
      catalog.insertItems([record(1), record(2)]);
      indexArticles(catalog, [article(1), article(2)]);
      expect(searchArticles(catalog, { q: '台湾' }).hits.map((h) => h.id)).toEqual([2, 1]);
      catalog.deleteItem('s', 2);
      expect(searchArticles(catalog, { q: '台湾' }).hits.map((h) => h.id)).toEqual([1]);
      expect(tablesOf(catalog.sqlite, 'main')).toEqual([]);
      expect(tablesOf(catalog.sqlite, 'search')).toContain('search_terms');
      const search = openDatabase(catalog.searchFile, { readonly: true });
      expect(search.pragma('user_version', { simple: true })).toBe(SEARCH_VERSION);
      expect(search.prepare('SELECT id FROM search_docs').pluck().all()).toEqual([1]);
      search.close();
    });
  });

  it('moves the search index out of a catalog made before, and lists its articles to index again', async () => {
    const file = join(await tempDir(), 'catalog.sqlite');
    const old = openDatabase(file);
    old.pragma('journal_mode = WAL');
    for (let i = 0; i < 5; i += 1) old.exec(MIGRATIONS[i] ?? '');
    old.exec(OLD_SEARCH_IN_CATALOG);
    // The old index was most of an old catalog: its pages must not stay in the file.
    const insertText = old.prepare('INSERT INTO search_text (key, body) VALUES (?, ?)');
    for (let key = 1; key <= 200; key += 1) insertText.run(key, Buffer.alloc(20_000, key));
    old.exec(MIGRATIONS[6] ?? '');
    old.pragma('user_version = 7');
    old.pragma('wal_checkpoint(TRUNCATE)');
    old.close();
    const before = statSync(file).size;
    const catalog = Catalog.open(file);
    try {
      catalog.sqlite.pragma('wal_checkpoint(TRUNCATE)');
      expect(catalog.sqlite.pragma('freelist_count', { simple: true })).toBe(0);
      expect(statSync(file).size).toBeLessThan(before / 4);
      expect(tablesOf(catalog.sqlite, 'main')).toEqual([]);
      expect(catalog.sqlite.prepare("SELECT count(*) FROM main.sqlite_schema WHERE type = 'trigger'").pluck().get()).toBe(0);
      catalog.insertItems([record(1), record(2)]);
      expect(listUnindexedIds(catalog, 's').sort()).toEqual([1, 2]);
      indexArticles(catalog, [article(1), article(2)]);
      expect(listUnindexedIds(catalog, 's')).toEqual([]);
      expect(searchArticles(catalog, { q: '政府' }).total).toBe(2);
    } finally {
      catalog.close();
    }
  });

  it('holds only the catalog file in a catalog transaction: the search file stays writable by its own connection', async () => {
    await withCatalog((catalog, file) => {
      const otherCatalog = openDatabase(file);
      otherCatalog.pragma('busy_timeout = 0');
      const search = openDatabase(searchFileOf(file));
      search.pragma('busy_timeout = 0');
      try {
        catalog.transaction(() => {
          expect(() => otherCatalog.prepare("INSERT INTO sources (slug, name) VALUES ('o', 'O')").run()).toThrow(/database is locked/);
          search.prepare("INSERT INTO search_meta (name, value) VALUES ('probe', 1)").run();
          catalog.insertItem(record(1));
        });
        expect(catalog.listIds('s')).toEqual([1]);
      } finally {
        search.close();
        otherCatalog.close();
      }
    });
  });

  it('makes an unreadable search file anew, keeps the catalog, and lists every article to index again', async () => {
    const file = join(await tempDir(), 'catalog.sqlite');
    const first = Catalog.open(file);
    first.insertItems([record(1), record(2), record(3)]);
    indexArticles(first, [article(1), article(2), article(3)]);
    first.close();
    await writeFile(searchFileOf(file), 'not a database: a disk fault cut this file short'.repeat(200));
    const catalog = Catalog.open(file);
    try {
      expect(catalog.searchRemade).toBe(true);
      expect(catalog.recoveredFrom).toBeUndefined();
      expect(catalog.listIds('s').sort()).toEqual([1, 2, 3]);
      expect(searchArticles(catalog, { q: '台湾' }).total).toBe(0);
      expect(listUnindexedIds(catalog, 's').sort()).toEqual([1, 2, 3]);
    } finally {
      catalog.close();
    }
  });

  it('removes entries whose catalog rows are gone (the two files commit apart)', async () => {
    await withCatalog((catalog, file) => {
      withOrphanOf3(catalog, file);
      expect(searchArticles(catalog, { q: '台湾' }).total).toBe(3);
      expect(listUnindexedIds(catalog, 's')).toEqual([]);
      expect(searchArticles(catalog, { q: '台湾' }).hits.map((h) => h.id)).toEqual([2, 1]);
    });
  });

  it('goes with a corrupt catalog: the rebuilt catalog indexes its articles afresh', async () => {
    const file = join(await tempDir(), 'catalog.sqlite');
    const first = Catalog.open(file);
    first.insertItems([record(1)]);
    indexArticles(first, [article(1)]);
    first.close();
    await writeFile(file, 'not a database'.repeat(500));
    const catalog = Catalog.open(file);
    try {
      expect(catalog.recoveredFrom).toMatch(/catalog\.sqlite\.corrupt-\d+$/);
      expect(existsSync(catalog.searchFile)).toBe(true);
      expect(searchArticles(catalog, { q: '台湾' }).total).toBe(0);
    } finally {
      catalog.close();
    }
  });

  it('waits for another connection that holds the search file (a run\'s indexing thread), instead of failing', async () => {
    await withCatalog(async (catalog) => {
      catalog.insertItems([record(1), record(2)]);
      indexArticles(catalog, [article(1)]);
      // Another process takes the search file's write lock and keeps it 400 ms.
      const sqlite = driverPath();
      const holder = spawn(process.execPath, [
        '-e',
        `const db = new (require(${JSON.stringify(sqlite)}))(${JSON.stringify(catalog.searchFile)});
         db.exec("BEGIN IMMEDIATE"); db.exec("INSERT INTO search_meta (name, value) VALUES ('probe', 1)");
         console.log('locked'); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400); db.exec('COMMIT');`,
      ]);
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on('data', () => resolve());
        holder.on('exit', (code) => reject(new Error(`lock holder exited (${code})`)));
      });
      // As a catalog sync does: rows, then their search entries, in one transaction that reads
      // search tables before it writes them. It must wait for the lock, not fail with SQLITE_BUSY.
      catalog.transaction(() => {
        catalog.insertItem(record(3));
        indexArticles(catalog, [article(2), article(3)]);
      });
      catalog.deleteItem('s', 1);
      expect(searchArticles(catalog, { q: '台湾' }).hits.map((h) => h.id)).toEqual([3, 2]);
      await new Promise((resolve) => holder.once('close', resolve));
    });
  });

  it('deletes a search file found damaged after it opened, and keeps the catalog rows going in and out', async () => {
    const file = join(await tempDir(), 'catalog.sqlite');
    const ids = Array.from({ length: 300 }, (_, i) => i + 1);
    // Enough text for the FTS5 segments to fill several pages.
    const long = (id: number) => ({ ...article(id), html: `<p>${Array.from({ length: 40 }, (_, k) => `第${id * 41 + k}号公告，台灣政府说明${k}`).join('')}</p>` });
    const first = Catalog.open(file);
    first.insertItems(ids.map(record));
    indexArticles(first, ids.map(long));
    first.close();
    expect(damagePages(searchFileOf(file), 'search_terms_data')).toBeGreaterThan(0);

    const catalog = Catalog.open(file);
    // Opening does not notice, nor does a write that only adds a segment: the first merge of the
    // damaged segments (automerge: 16 of a level) does. The catalog's rows commit all the same.
    expect(catalog.searchRemade).toBe(false);
    let written = 0;
    for (let id = 301; id <= 340; id += 1) {
      // As a catalog sync writes its rows and their search entries.
      catalog.transaction(
        () => {
          catalog.insertItems([record(id)]);
          withSearchFile(catalog, () => {
            indexArticles(catalog, [long(id)]);
            written += 1;
          });
        },
        { search: true },
      );
    }
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(40);
    expect(catalog.listIds('s').length).toBe(340);
    expect(catalog.searchDamage).toMatch(/catalog\.sqlite-search: .*(malformed|corrupt)/);
    // Nothing more goes to the damaged file: no backlog to index into it, and deleting a row works.
    expect(listUnindexedIds(catalog, 's')).toEqual([]);
    catalog.deleteItem('s', 1);
    catalog.close();
    expect(existsSync(searchFileOf(file))).toBe(false);

    const again = Catalog.open(file);
    try {
      expect(again.listIds('s').length).toBe(339);
      expect(listUnindexedIds(again, 's').length).toBe(339);
      indexArticles(again, [long(2)]);
      expect(searchArticles(again, { q: '台灣政府' }).total).toBe(1);
    } finally {
      again.close();
    }
  });

  it('does not take damage in the catalog file for the search file\'s: the error is the catalog\'s, the search file stays', async () => {
    const file = join(await tempDir(), 'catalog.sqlite');
    const ids = Array.from({ length: 2000 }, (_, i) => i + 1);
    const first = Catalog.open(file);
    first.insertItems(ids.map(record));
    indexArticles(first, ids.map(article));
    first.close();
    // The rows and every index of them: queries read whichever covers them.
    for (const name of ['items', 'items_by_guid', 'items_by_link', 'items_by_title', 'items_by_published']) damagePages(file, name);
    const catalog = Catalog.open(file);
    try {
      expect(() => listUnindexedIds(catalog, 's')).toThrow(/malformed/);
      expect(catalog.searchDamage).toBeUndefined();
    } finally {
      catalog.close();
    }
    expect(existsSync(searchFileOf(file))).toBe(true);
  });

  it('deletes at close only the search file it found damaged, not one another process has made since', async () => {
    const file = join(await tempDir(), 'catalog.sqlite');
    const catalog = Catalog.open(file);
    catalog.markSearchDamaged('test: damaged');
    // Another process (a run) deletes the damaged file and makes a new one meanwhile.
    const other = Catalog.open(file);
    other.markSearchDamaged('test: damaged');
    other.close();
    const fresh = Catalog.open(file);
    fresh.insertItems([record(1)]);
    indexArticles(fresh, [article(1)]);
    fresh.close();
    catalog.close();
    expect(existsSync(searchFileOf(file))).toBe(true);
    const again = Catalog.open(file);
    try {
      expect(searchArticles(again, { q: '公告' }).total).toBe(1);
    } finally {
      again.close();
    }
  });

  it('makes a search file with a good header over damaged pages anew, and keeps the catalog', async () => {
    const file = join(await tempDir(), 'catalog.sqlite');
    const first = Catalog.open(file);
    first.insertItems([record(1), record(2)]);
    indexArticles(first, [article(1), article(2)]);
    first.close();
    const search = await open(searchFileOf(file), 'r+');
    const { size } = await search.stat();
    await search.write(Buffer.alloc(size - 16_384, 0x5a), 0, size - 16_384, 16_384);
    await search.close();
    const catalog = Catalog.open(file);
    try {
      expect([catalog.searchRemade, catalog.recoveredFrom]).toEqual([true, undefined]);
      expect(catalog.listIds('s').sort()).toEqual([1, 2]);
      expect(listUnindexedIds(catalog, 's').sort()).toEqual([1, 2]);
    } finally {
      catalog.close();
    }
  });

  it('finds a missing entry even when an orphan entry makes the counts agree', async () => {
    await withCatalog((catalog, file) => {
      withOrphanOf3(catalog, file);
      catalog.insertItem(record(4));
      expect(listUnindexedIds(catalog, 's')).toEqual([4]);
      expect(searchArticles(catalog, { q: '台湾' }).hits.map((h) => h.id)).toEqual([2, 1]);
    });
  });
});

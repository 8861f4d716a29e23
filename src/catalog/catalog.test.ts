import { openDatabase } from './sqlite.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Catalog, corruptAside, PAGE_SIZE } from './catalog.js';
import { MIGRATIONS } from './migrations.js';
import { searchArticles } from './search-articles.js';
import { indexArticle } from './search-index.js';
import { itemRecord } from '../../test/helpers/item-record.js';

describe('Catalog page size', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsmirror-catalog-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const pageSize = (catalog: Catalog) => catalog.sqlite.pragma('page_size', { simple: true }) as number;
  const article = { source: 's', id: 1, published: Date.UTC(2025, 0, 1), title: '标题', html: '<p>台灣政府</p>' };

  it('makes a new catalog with large pages', () => {
    const catalog = Catalog.open(join(dir, 'catalog.sqlite'));
    try {
      expect(PAGE_SIZE).toBe(16_384);
      expect(pageSize(catalog)).toBe(PAGE_SIZE);
    } finally {
      catalog.close();
    }
  });

  it('keeps the page size of an existing catalog, which still migrates and searches', () => {
    const file = join(dir, 'catalog.sqlite');
    const old = openDatabase(file);
    old.pragma('page_size = 4096');
    old.pragma('journal_mode = WAL');
    for (let i = 0; i < 6; i += 1) old.exec(MIGRATIONS[i] ?? '');
    old.pragma('user_version = 6');
    old.close();
    const catalog = Catalog.open(file);
    try {
      expect(pageSize(catalog)).toBe(4096);
      expect(catalog.sqlite.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      indexArticle(catalog, article);
      expect(searchArticles(catalog, { q: '台湾' }).hits.map((h) => h.id)).toEqual([1]);
    } finally {
      catalog.close();
    }
  });
});

describe('Catalog transactions with another writer', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsmirror-catalog-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const record = (id: number) => itemRecord('s', id);

  it('takes the write lock at BEGIN, so a write after a read never fails because another connection wrote in between', () => {
    const file = join(dir, 'catalog.sqlite');
    const catalog = Catalog.open(file);
    // Another process's connection (a `serve` indexing its backlog), told not to wait.
    const other = openDatabase(file);
    other.pragma('busy_timeout = 0');
    try {
      catalog.transaction(() => {
        expect(catalog.listIds('s')).toEqual([]);
        // With a deferred BEGIN the other connection could write here, and this
        // transaction's write below would then fail with SQLITE_BUSY (snapshot).
        expect(() => other.prepare("INSERT INTO sources (slug, name) VALUES ('o', 'O')").run()).toThrow(/database is locked/);
        catalog.insertItem(record(1));
      });
      expect(catalog.listIds('s')).toEqual([1]);
      // Once it committed, the other connection writes as usual.
      other.prepare("INSERT INTO sources (slug, name) VALUES ('o', 'O')").run();
    } finally {
      other.close();
      catalog.close();
    }
  });
});

describe('corruptAside', () => {
  afterEach(() => vi.useRealTimers());

  it('never names a catalog kept aside after one kept in the same millisecond', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'newsmirror-aside-'));
    try {
      vi.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
      const file = join(dir, 'catalog.sqlite');
      const first = corruptAside(file);
      writeFileSync(first, 'kept');
      const second = corruptAside(file);
      writeFileSync(`${second}-wal`, 'kept');
      const third = corruptAside(file);
      expect(first).toBe(`${file}.corrupt-${Date.UTC(2026, 0, 1)}`);
      expect(new Set([first, second, third]).size).toBe(3);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalog } from './catalog.js';
import {
  findArticleNeighbours,
  listAllArticles,
  listNewestAcrossSources,
  listOldestFirst,
  listSourceArticles,
  listSourceMonths,
  listSourceSummaries,
  monthStart,
  dayStart,
} from './reader-queries.js';

const HOUR = 3600_000;

describe('reader queries', () => {
  let dir: string;
  let catalog: Catalog;
  const add = (source: string, id: number, published: number, title = `${source} ${id}`) =>
    catalog.insertItem({
      source,
      id,
      guid: null,
      link: `https://example.org/${source}/${id}`,
      canonicalLink: null,
      title,
      published,
      firstSeen: published,
      contentHash: null,
      path: `articles/${source}/${id}.md`,
      bodySource: null,
    });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsmirror-rq-'));
    catalog = Catalog.open(join(dir, 'catalog.sqlite'));
    const base = Date.UTC(2026, 0, 31, 12);
    // Seven articles of "a", two sharing a time (ordered by ascending id), one of "b".
    for (let k = 0; k < 6; k += 1) add('a', 1048574 - k, base + k * 10 * HOUR);
    add('a', 1048560, base + 5 * 10 * HOUR);
    add('b', 1048574, base - 40 * 24 * HOUR, '乙');
    catalog.upsertSource('a', '甲源');
    catalog.upsertSource('empty', '空');
  });
  afterEach(async () => {
    catalog.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('summarises every source with counts and its newest titles, including a named source without articles', () => {
    const summaries = listSourceSummaries(catalog, 2);
    expect(summaries.map((s) => [s.slug, s.name, s.count])).toEqual([
      ['a', '甲源', 7],
      ['b', undefined, 1],
      ['empty', '空', 0],
    ]);
    expect(summaries[0]?.latest.map((r) => r.id)).toEqual([1048560, 1048569]);
    expect(summaries[2]?.newest).toBeNull();
  });

  it('pages a source newest first with an id cursor that keeps equal times in id order', () => {
    const first = listSourceArticles(catalog, 'a', { limit: 3 });
    expect(first?.items.map((r) => r.id)).toEqual([1048560, 1048569, 1048570]);
    const second = listSourceArticles(catalog, 'a', { limit: 3, before: first?.next ?? 0 });
    expect(second?.items.map((r) => r.id)).toEqual([1048571, 1048572, 1048573]);
    const third = listSourceArticles(catalog, 'a', { limit: 3, before: second?.next ?? 0 });
    expect([third?.items.map((r) => r.id), third?.next]).toEqual([[1048574], undefined]);
    expect(listSourceArticles(catalog, 'a', { limit: 3, before: 12345 })).toBeUndefined();
    expect(listSourceArticles(catalog, 'a', { limit: 3, offset: 3 })?.items.map((r) => r.id)).toEqual([1048571, 1048572, 1048573]);
    expect(listAllArticles(catalog, 'a').map((r) => r.id)).toEqual([1048560, 1048569, 1048570, 1048571, 1048572, 1048573, 1048574]);
    expect(listOldestFirst(catalog).map((r) => `${r.source}/${r.id}`)).toEqual([
      'b/1048574',
      ...[1048574, 1048573, 1048572, 1048571, 1048570, 1048569, 1048560].map((id) => `a/${id}`),
    ]);
  });

  it('finds an article with its newer and older neighbours', () => {
    const middle = findArticleNeighbours(catalog, 'a', 1048569);
    expect([middle?.row.title, middle?.newer?.id, middle?.older?.id]).toEqual(['a 1048569', 1048560, 1048570]);
    const newest = findArticleNeighbours(catalog, 'a', 1048560);
    expect([newest?.newer, newest?.older?.id]).toEqual([undefined, 1048569]);
    expect(findArticleNeighbours(catalog, 'a', 1048574)?.older).toBeUndefined();
    expect(findArticleNeighbours(catalog, 'b', 1)).toBeUndefined();
  });

  it('counts months in the archive time zone, where a UTC evening is already the next day', () => {
    // The second article, 2026-01-31 22:00 UTC, is already 2026-02-01 06:00 in Shanghai.
    expect(listSourceMonths(catalog, 'a', 'Asia/Shanghai').map((m) => [m.month, m.count])).toEqual([
      ['2026-02', 6],
      ['2026-01', 1],
    ]);
    expect(listSourceMonths(catalog, 'a', 'UTC').map((m) => [m.month, m.count])).toEqual([
      ['2026-02', 5],
      ['2026-01', 2],
    ]);
    expect(listSourceMonths(catalog, 'empty', 'UTC')).toEqual([]);
  });

  it('finds month starts across daylight-saving changes', () => {
    expect(new Date(monthStart(2026, 4, 'America/New_York')).toISOString()).toBe('2026-04-01T04:00:00.000Z');
    expect(new Date(monthStart(2026, 1, 'America/New_York')).toISOString()).toBe('2026-01-01T05:00:00.000Z');
    expect(new Date(monthStart(2026, 3, 'Asia/Shanghai')).toISOString()).toBe('2026-02-28T16:00:00.000Z');
    expect(new Date(dayStart(2026, 3, 8, 'America/New_York')).toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(new Date(dayStart(2026, 3, 9, 'America/New_York')).toISOString()).toBe('2026-03-09T04:00:00.000Z');
  });

  it('lists the newest articles across sources', () => {
    expect(listNewestAcrossSources(catalog, 3).map((r) => `${r.source}/${r.id}`)).toEqual(['a/1048560', 'a/1048569', 'a/1048570']);
  });
});

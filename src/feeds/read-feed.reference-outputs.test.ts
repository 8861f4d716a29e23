/**
 * readFeed against the expected outputs that ship with two other parsers' test
 * suites in ../shared/corpus: rss-parser (the library the original duty-machine
 * archiver used, so its field semantics are the archive's) and gofeed's JSON Feed
 * cases. Differences we keep on purpose are listed with their reasons.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeHTMLStrict } from 'entities';
import { describe, expect, it } from 'vitest';
import type { ParsedFeed } from '../domain/feed-item.js';
import { decodeBody } from '../http/decode-body.js';
import { readFeed } from './read-feed.js';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const feedsDir = path.join(path.resolve(projectRoot, '../shared/corpus'), 'feeds');
const hasCorpus = existsSync(feedsDir);
if (!hasCorpus) console.log(`read-feed reference-output tests skipped: ${feedsDir} is absent`);

const readCorpusFeed = (relative: string): ParsedFeed =>
  readFeed(decodeBody(readFileSync(path.join(feedsDir, relative))).text);

interface RssParserItem {
  title?: string;
  link?: string;
  guid?: string;
  id?: string;
  isoDate?: string;
}

const RSS_PARSER = 'rss-parser/test';

/**
 * - encoding.rss, uolNoticias.rss: rss-parser read Latin-1 bytes as UTF-8 (its
 *   titles hold U+FFFD); we decode them, so their titles are checked for the absence
 *   of U+FFFD instead.
 * - incomplete-fields.atom: an entry with nothing in it; feedsmith drops it.
 * - RDF items (craigslist, rss-1, xml2js-options): rss-parser has no guid; ours is rdf:about.
 * - Links: rss-parser keeps them as written (relative in gulp-atom, with surrounding
 *   newlines in itunes-href); ours are trimmed, resolved and WHATWG-serialized.
 * - Titles: doubly escaped references are decoded once more (craigslist).
 */
const RSS_PARSER_EMPTY_ENTRY_DROPPED = new Set(['incomplete-fields']);

function rssParserCases(): Array<[string, string, RssParserItem[]]> {
  const inputs = readdirSync(path.join(feedsDir, RSS_PARSER, 'input'));
  return readdirSync(path.join(feedsDir, RSS_PARSER, 'output'))
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const base = name.replace(/\.json$/, '');
      const input = inputs.find((file) => file.replace(/\.[^.]+$/, '') === base);
      if (input === undefined) throw new Error(`no rss-parser input for ${name}`);
      const output = JSON.parse(readFileSync(path.join(feedsDir, RSS_PARSER, 'output', name), 'utf8')) as {
        feed: { items: RssParserItem[] };
      };
      return [base, input, output.feed.items];
    });
}

function expectedLink(raw: string | undefined, feed: ParsedFeed): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  return new URL(raw.trim(), feed.link).href;
}

describe.skipIf(!hasCorpus)('readFeed agrees with rss-parser expected outputs', () => {
  const cases = hasCorpus ? rssParserCases() : [];

  it.each(cases.length > 0 ? cases : [['(none)', '', []] as [string, string, RssParserItem[]]])(
    '%s',
    (base, input, expected) => {
      if (input === '') return;
      const feed = readCorpusFeed(`${RSS_PARSER}/input/${input}`);
      expect(feed.items).toHaveLength(RSS_PARSER_EMPTY_ENTRY_DROPPED.has(base) ? expected.length - 1 : expected.length);
      expected.forEach((want, index) => {
        const item = feed.items[index];
        if (item === undefined) return;
        const at = `${input} item ${index}`;
        if (want.title?.includes('\ufffd')) expect(item.title, at).not.toContain('\ufffd');
        else expect(item.title, at).toBe(decodeHTMLStrict(want.title ?? '').trim());
        expect(item.link, at).toBe(expectedLink(want.link, feed));
        const guid = want.guid ?? want.id;
        if (guid !== undefined) expect(item.guid, at).toBe(guid.trim());
        expect(item.published, at).toBe(want.isoDate === undefined ? undefined : Date.parse(want.isoDate));
      });
    },
  );

  it('reads content:encoded where rss-parser did (content-encoded.rss)', () => {
    const output = JSON.parse(readFileSync(path.join(feedsDir, RSS_PARSER, 'output/content-encoded.json'), 'utf8')) as {
      feed: { items: Array<{ 'content:encoded'?: string }> };
    };
    const feed = readCorpusFeed(`${RSS_PARSER}/input/content-encoded.rss`);
    output.feed.items.forEach((want, index) => {
      expect(feed.items[index]?.content).toBe(want['content:encoded']);
    });
  });
});

interface GofeedJsonItem {
  id?: string;
  url?: string;
  title?: string;
  content_html?: string;
  summary?: string;
  date_published?: string;
  tags?: string[];
  author?: { name?: string };
  authors?: Array<{ name?: string }>;
  attachments?: Array<{ url: string; mime_type?: string; size_in_bytes?: number }>;
}

describe.skipIf(!hasCorpus)('readFeed agrees with gofeed JSON Feed expected outputs', () => {
  it.each([
    ['parser/json/version_json_10.json', 'parser/json/version_json_10_expected.json', '1.0'],
    ['parser/json/version_json_11.json', 'parser/json/version_json_11_expected.json', '1.1'],
    ['parser/json/version_json_11_deprecated_author.json', 'parser/json/version_json_11_deprecated_author_expected.json', '1.1'],
  ])('%s', (input, expectedFile, version) => {
    const feed = readCorpusFeed(`gofeed/testdata/${input}`);
    const expected = JSON.parse(readFileSync(path.join(feedsDir, 'gofeed/testdata', expectedFile), 'utf8')) as {
      title: string;
      home_page_url: string;
      items: GofeedJsonItem[];
    };
    expect(feed).toMatchObject({ format: 'json', version, title: expected.title, link: new URL(expected.home_page_url).href });
    expect(feed.items).toHaveLength(expected.items.length);
    expected.items.forEach((want, index) => {
      expect(feed.items[index]).toEqual({
        guid: want.id,
        link: want.url,
        title: want.title,
        published: Date.parse(want.date_published ?? ''),
        content: want.content_html,
        summary: want.summary,
        // JSON Feed 1.0's single `author` and 1.1's `authors` read alike.
        author: (want.authors?.[0] ?? want.author)?.name,
        categories: want.tags ?? [],
        enclosures: (want.attachments ?? []).map((a) => ({ url: a.url, type: a.mime_type, length: a.size_in_bytes })),
      });
    });
  });

  it('reads a minimal 1.0 feed with only content_text (translator/json/json10_simple.json)', () => {
    const feed = readCorpusFeed('gofeed/testdata/translator/json/json10_simple.json');
    expect(feed.items).toEqual([{ title: '', summary: 'content_text', categories: [], enclosures: [] }]);
  });
});

/**
 * feedsmith's reference documents (one per feed version) with the parse result
 * its own test suite expects: the raw fields, which our normalization must read
 * as the same titles, links, ids and dates.
 */
interface FeedsmithItem {
  title?: string;
  link?: string;
  links?: Array<{ href?: string; rel?: string; type?: string }>;
  id?: string;
  guid?: { value?: string };
  rdf?: { about?: string };
  pubDate?: string;
  published?: string;
  updated?: string;
  dc?: { titles?: string[]; dates?: string[] };
}

const FEEDSMITH = 'feedsmith/src/feeds';

function feedsmithCases(): Array<[string]> {
  return ['rss', 'rdf', 'atom'].flatMap((kind) =>
    readdirSync(path.join(feedsDir, FEEDSMITH, kind, 'references'))
      .filter((name) => name.endsWith('.xml'))
      .sort()
      .map((name): [string] => [`${kind}/references/${name}`]),
  );
}

function feedsmithLink(want: FeedsmithItem, feed: ParsedFeed): string | undefined {
  const href = want.link ?? want.links?.find((l) => (l.rel ?? 'alternate') === 'alternate')?.href;
  if (href !== undefined) return expectedLink(href, feed);
  // RSS 2.0: a guid is a permalink unless it says otherwise; Atom: an http id stands in (feedparser's rule).
  const fallback = want.guid?.value ?? want.id;
  return fallback?.startsWith('http') ? expectedLink(fallback, feed) : undefined;
}

describe.skipIf(!hasCorpus)('readFeed agrees with feedsmith reference outputs', () => {
  it.each(hasCorpus ? feedsmithCases() : [['(none)'] as [string]])('%s', (relative) => {
    if (relative === '(none)') return;
    const expected = JSON.parse(readFileSync(path.join(feedsDir, FEEDSMITH, relative.replace(/\.xml$/, '.json')), 'utf8')) as {
      title?: string;
      items?: FeedsmithItem[];
      entries?: FeedsmithItem[];
    };
    const feed = readCorpusFeed(`${FEEDSMITH}/${relative}`);
    const wanted = expected.items ?? expected.entries ?? [];
    if (expected.title !== undefined) expect(feed.title).toBe(decodeHTMLStrict(expected.title).trim());
    expect(feed.items).toHaveLength(wanted.length);
    wanted.forEach((want, index) => {
      const item = feed.items[index];
      const at = `${relative} item ${index}`;
      expect(item?.title, at).toBe(decodeHTMLStrict(want.title ?? want.dc?.titles?.[0] ?? '').trim());
      expect(item?.link, at).toBe(feedsmithLink(want, feed));
      expect(item?.guid, at).toBe(want.guid?.value ?? want.rdf?.about ?? want.id);
      const date = want.pubDate ?? want.published ?? want.updated ?? want.dc?.dates?.[0];
      expect(item?.published, at).toBe(date === undefined ? undefined : Date.parse(date.replace(/ 0:/, ' 00:')));
    });
  });
});

interface GofeedItem {
  title?: string;
  link?: string;
  guid?: string;
  publishedParsed?: string;
  updatedParsed?: string;
  description?: string;
}

/** Where we differ from gofeed on purpose, by file and field, with the reason. */
const GOFEED_EXCEPTIONS: Record<string, { summary?: string }> = {
  'itunes/itunes_item_summary_cdata_multi.xml': {
    summary: 'gofeed takes itunes:summary for the description; an item\'s text is read only from description, dc:description and content:encoded',
  },
};

describe.skipIf(!hasCorpus)('readFeed agrees with gofeed extension expected outputs', () => {
  const dir = path.join(feedsDir, 'gofeed/testdata/extensions');
  const cases: Array<[string]> = hasCorpus
    ? readdirSync(dir)
        .sort()
        .flatMap((kind) => readdirSync(path.join(dir, kind)).filter((n) => n.endsWith('.xml')).sort().map((n): [string] => [`${kind}/${n}`]))
    : [['(none)']];
  it.each(cases)('%s', (relative) => {
    if (relative === '(none)') return;
    const expected = JSON.parse(readFileSync(path.join(dir, relative.replace(/\.xml$/, '.json')), 'utf8')) as {
      title?: string;
      link?: string;
      items?: GofeedItem[];
    };
    const feed = readCorpusFeed(`gofeed/testdata/extensions/${relative}`);
    expect(feed.title).toBe(expected.title);
    expect(feed.link).toBe(expected.link);
    const wanted = expected.items ?? [];
    expect(feed.items).toHaveLength(wanted.length);
    wanted.forEach((want, index) => {
      const item = feed.items[index];
      const at = `${relative} item ${index}`;
      expect(item?.title, at).toBe(want.title ?? '');
      expect(item?.link, at).toBe(want.link);
      expect(item?.guid, at).toBe(want.guid);
      const date = want.publishedParsed ?? want.updatedParsed;
      expect(item?.published, at).toBe(date === undefined ? undefined : Date.parse(date));
      // gofeed's description is the summary field (RSS description, or dc:description when there is none).
      if (GOFEED_EXCEPTIONS[relative]?.summary === undefined) expect(item?.summary?.trim(), at).toBe(want.description?.trim());
    });
  });
});

describe.skipIf(!hasCorpus)('readFeed agrees with gofeed translator expected outputs (JSON Feed into gofeed\'s universal feed)', () => {
  it.each([['translator/json/json10_full.json'], ['translator/json/json11_full.json']])('%s', (relative) => {
    const expected = JSON.parse(readFileSync(path.join(feedsDir, 'gofeed/testdata', relative.replace(/\.json$/, '_expected.json')), 'utf8')) as {
      title?: string;
      link?: string;
      items?: Array<GofeedItem & { content?: string }>;
    };
    const feed = readCorpusFeed(`gofeed/testdata/${relative}`);
    expect(feed.title).toBe(expected.title);
    expect(feed.link).toBe(expected.link === undefined ? undefined : new URL(expected.link).href);
    expect(feed.items).toHaveLength(expected.items?.length ?? 0);
    (expected.items ?? []).forEach((want, index) => {
      const item = feed.items[index];
      const at = `${relative} item ${index}`;
      expect(item?.title, at).toBe(want.title ?? '');
      expect(item?.link, at).toBe(want.link === undefined ? undefined : new URL(want.link).href);
      expect(item?.guid, at).toBe(want.guid);
      expect(item?.published, at).toBe(want.publishedParsed === undefined ? undefined : Date.parse(want.publishedParsed));
      expect(item?.summary, at).toBe(want.description);
      expect(item?.content, at).toBe(want.content);
    });
  });
});

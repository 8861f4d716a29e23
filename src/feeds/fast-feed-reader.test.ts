/**
 * The fast reader against the feedsmith path: on every corpus feed, every
 * fixture and generated RSS/Atom documents, readFeed's output with the fast
 * path is deep-equal to its output without it (or both fail alike), and the
 * fast reader takes the feeds it exists for.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BENCH_SOURCES, generateArticle } from '../../bench/corpus/article-html.js';
import { renderFeed, type FeedShape } from '../../bench/corpus/feed-xml.js';
import { decodeBody } from '../http/decode-body.js';
import { readFeedFast } from './fast-feed-reader.js';
import { readFeed } from './read-feed.js';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const feedsDir = path.join(path.resolve(projectRoot, '../shared/corpus'), 'feeds');
const hasCorpus = existsSync(feedsDir);
if (!hasCorpus) console.log(`fast-feed-reader corpus tests skipped: ${feedsDir} is absent`);
const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url));
const URL_OF = 'https://example.com/feeds/feed.xml';

function xmlFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...xmlFiles(full));
    else if (/\.(xml|rss|atom)$/.test(entry.name)) found.push(full);
  }
  return found.sort();
}

function outcome(text: string, fastPath: boolean): unknown {
  try {
    return readFeed(text, { url: URL_OF, fastPath });
  } catch (error) {
    return { error: String(error) };
  }
}

/** Whether the fast reader reads `text` (and why not), and that readFeed gives the same either way. */
function differential(text: string): { taken: boolean; why?: string } {
  let why: string | undefined;
  const taken = readFeedFast(text.replace(/^[\s\ufeff]+/, ''), (reason) => (why = reason)) !== undefined;
  expect(outcome(text, true)).toStrictEqual(outcome(text, false));
  return why === undefined ? { taken } : { taken, why };
}

const corpus = hasCorpus ? xmlFiles(feedsDir) : [];
/** Real feeds of the common kind that the fast reader must take (so that it cannot silently always fall back). */
const MUST_TAKE = [
  'rodel-reader/Atom/ruanyifeng.xml',
  'rodel-reader/Atom/v2ex.xml',
  'rodel-reader/Rss/meituan.xml',
  'rodel-reader/Rss/ruanyifeng.xml',
  'miniflux/internal/reader/parser/testdata/large_rss.xml',
  'miniflux/internal/reader/parser/testdata/large_atom.xml',
  'rss-parser/test/input/guardian.rss',
  'rss-parser/test/input/heise.atom',
  'rss-parser/test/input/content-encoded.rss',
  'gofeed/testdata/extensions/dublincore/dublincore_item_fields.xml',
];

describe.skipIf(!hasCorpus)('fast reader = feedsmith path on the corpus', () => {
  it.each(corpus.length > 0 ? corpus.map((f) => path.relative(feedsDir, f)) : ['(none)'])('%s', (file) => {
    if (!hasCorpus) return;
    const { text } = decodeBody(readFileSync(path.join(feedsDir, file)));
    const { taken, why } = differential(text);
    if (MUST_TAKE.includes(file)) expect(taken, why).toBe(true);
  });

  it('takes most of the corpus feeds', () => {
    const taken = corpus.filter((file) => differential(decodeBody(readFileSync(file)).text).taken);
    expect(taken.length).toBeGreaterThanOrEqual(50);
  });
});

describe('fast reader = feedsmith path on the fixtures', () => {
  it.each(xmlFiles(fixturesDir).map((f) => path.basename(f)))('%s', (name) => {
    const { taken } = differential(readFileSync(path.join(fixturesDir, name), 'utf8'));
    if (name !== 'atom-xml-base.xml') expect(taken).toBe(true); // that one has xhtml content
  });
});

describe('fast reader on the parse bench feeds', () => {
  const shapes: FeedShape[] = [
    { format: 'rss', escaping: 'cdata', encoding: 'utf-8' },
    { format: 'rss', escaping: 'entities', encoding: 'utf-8', contentEncoded: true },
    { format: 'atom', escaping: 'cdata', encoding: 'utf-8' },
    { format: 'atom', escaping: 'entities', encoding: 'gbk' },
  ];
  it.each(shapes.map((s) => [`${s.format}/${s.escaping}/${s.encoding}`, s] as const))('%s is taken and equal', (_, shape) => {
    const source = BENCH_SOURCES[0]!;
    const articles = Array.from({ length: 12 }, (_, k) => generateArticle(7, source, 'fast', 12 - k, 4096, Date.UTC(2025, 0, 1) + k * 60_000));
    const rendered = renderFeed('Bench', `https://${source.host}/`, articles, shape);
    const { taken, why } = differential(decodeBody(rendered.bytes, rendered.contentType).text);
    expect(taken, why).toBe(true);
  });
});

// Generated documents: the pieces real feeds are made of, and some they should not be.
const word = fc.constantFrom('新闻', 'a', 'Tom & Jerry', 'x<y', ' ', '\n', '\t', 'é', '\u00a0', '\u0085', '&', ';', ']]', '>', '"', "'", '-');
const entity = fc.constantFrom('&amp;', '&lt;', '&gt;', '&quot;', '&apos;', '&#39;', '&#x4e2d;', '&#20013;', '&nbsp;', '&copy;', '&copy', '&bogus;', '&#0;', '&#128;', '&amp;lt;', '&#xD800;');
const cdata = fc.string({ maxLength: 12 }).map((s) => `<![CDATA[${s.replace(/]]>/g, '')}]]>`);
const markup = fc.constantFrom('<p>', '</p>', '<br/>', '<b>x</b>', '<a href="/r?a=1&amp;b=2">l</a>', '<!-- c -->', '<img src="i.png" />', '<title>t</title>');
const text = fc.array(fc.oneof(word, entity, cdata), { maxLength: 6 }).map((parts) => parts.join(''));
const richText = fc.array(fc.oneof(word, entity, cdata, markup), { maxLength: 6 }).map((parts) => parts.join(''));
const quoted = (value: string) => fc.constantFrom(`"${value.replace(/"/g, '&quot;')}"`, `'${value.replace(/'/g, '&apos;')}'`);
const attrValue = fc.constantFrom('https://example.com/a', '/rel/b?x=1&amp;y=2', ' true ', 'False', 'html', 'text', 'xhtml', '12', '', 'image/png');
const attr = (name: string) => attrValue.chain(quoted).map((v) => ` ${name}=${v}`);
const space = fc.constantFrom('', ' ', '\n  ', '\r\n');

function element(name: string, attrs: fc.Arbitrary<string>, body: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(attrs, body, fc.boolean(), space).map(([a, b, selfClose, ws]) => (selfClose && b === '' ? `<${name}${a}/>` : `<${name}${a}>${b}</${name}>${ws}`));
}
const noAttrs = fc.constant('');
const someAttrs = (...names: string[]) => fc.array(fc.constantFrom(...names), { maxLength: 3 }).chain((list) =>
  fc.tuple(...[...new Set(list)].map((n) => attr(n))).map((parts) => parts.join('')),
);

const rssChild = fc.oneof(
  element('title', noAttrs, text),
  element('link', noAttrs, fc.constantFrom('https://example.com/p/1', '/p/2', ' p3 ', '')),
  element('description', noAttrs, richText),
  element('guid', someAttrs('isPermaLink'), fc.constantFrom('https://example.com/g', 'tag:1', '')),
  element('pubDate', noAttrs, fc.constantFrom('Mon, 06 Jan 2025 08:00:00 GMT', '2025-01-06T08:00:00Z', 'junk', '')),
  element('category', someAttrs('domain'), text),
  element('enclosure', someAttrs('url', 'type', 'length'), fc.constant('')),
  element('dc:creator', noAttrs, text),
  element('dc:subject', noAttrs, text),
  element('dc:date', noAttrs, fc.constantFrom('2025-01-06T08:00:00+08:00', '')),
  element('content:encoded', noAttrs, richText),
  element('atom:published', noAttrs, fc.constantFrom('2025-01-06T08:00:00Z', '')),
  element('author', noAttrs, fc.constantFrom('a@b.c (A B)', 'Someone')),
  element('media:thumbnail', someAttrs('url'), fc.constant('')),
  element('Title', noAttrs, text),
  element('unknown', someAttrs('x'), fc.constantFrom('', '<inner>t</inner>', '<![CDATA[<x>]]>', '<a><a>x</a></a>')),
);
const rssItem = fc.tuple(fc.array(rssChild, { maxLength: 8 }), fc.oneof(noAttrs, someAttrs('xml:base'))).map(([children, a]) => `<item${a}>${children.join('')}</item>`);
const rssDoc = fc
  .tuple(text, fc.array(rssItem, { maxLength: 4 }), fc.oneof(noAttrs, someAttrs('xml:base')), fc.constantFrom('', '<?xml version="1.0" encoding="utf-8"?>\n', '<!-- hi -->'))
  .map(
    ([title, items, base, prolog]) =>
      `${prolog}<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom"${base}>\n<channel><title>${title}</title><link>https://example.com/</link>${items.join('\n')}</channel></rss>`,
  );

const atomChild = fc.oneof(
  element('id', noAttrs, fc.constantFrom('https://example.com/e/1', 'urn:x:1', '')),
  element('title', someAttrs('type'), text),
  element('summary', someAttrs('type'), richText),
  element('content', someAttrs('type', 'src'), richText),
  element('link', someAttrs('href', 'rel', 'type', 'length'), fc.constantFrom('', 'https://example.com/t')),
  element('published', noAttrs, fc.constantFrom('2025-01-06T08:00:00Z', '')),
  element('updated', noAttrs, fc.constantFrom('2025-01-07T08:00:00Z', '')),
  element('category', someAttrs('term', 'label', 'scheme'), fc.constant('')),
  element('author', noAttrs, fc.constantFrom('<name>N</name>', '<email>e@x.y</email>', '<name> </name><uri>u</uri>', '')),
  element('dc:creator', noAttrs, text),
);
const atomEntry = fc.tuple(fc.array(atomChild, { maxLength: 8 }), fc.oneof(noAttrs, someAttrs('xml:base'))).map(([children, a]) => `<entry${a}>${children.join('')}</entry>`);
const atomDoc = fc
  .tuple(text, fc.array(atomEntry, { maxLength: 4 }), fc.oneof(noAttrs, someAttrs('xml:base')))
  .map(
    ([title, entries, base]) =>
      `<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/"${base}><title>${title}</title><link href="https://example.com/"/>${entries.join('\n')}</feed>`,
  );

describe('fast reader = feedsmith path on generated documents', () => {
  it('RSS 2.0', () => {
    let taken = 0;
    fc.assert(fc.property(rssDoc, (doc) => void (differential(doc).taken && taken++)), { numRuns: 600, seed: 20250101 });
    expect(taken).toBeGreaterThan(100);
  });

  it('Atom 1.0', () => {
    let taken = 0;
    fc.assert(fc.property(atomDoc, (doc) => void (differential(doc).taken && taken++)), { numRuns: 600, seed: 20250101 });
    expect(taken).toBeGreaterThan(100);
  });
});

describe('what the fast reader leaves to feedsmith', () => {
  const rss = (inner: string, rootAttrs = '') => `<rss version="2.0"${rootAttrs}><channel><title>T</title>${inner}</channel></rss>`;
  const cases: Array<[string, string, RegExp]> = [
    ['a DOCTYPE', `<!DOCTYPE rss [<!ENTITY x "y">]>${rss('<item><title>&x;</title></item>')}`, /tag name/],
    ['a PI inside the document', rss('<?pi x?><item><title>a</title></item>'), /processing instruction/],
    ['an unpaired tag', rss('<item><title>a</title><foo></item>'), /unpaired/],
    ['an unquoted attribute', rss('<item><title>a</title><foo a=b/></item>'), /unquoted/],
    ['a repeated attribute', rss('<item><title>a</title><foo a="1" a="2"/></item>'), /repeated/],
    ['an unclosed stop node', rss('<item><title>a'), /not closed/],
    ['a renamed namespace prefix', rss('<item><c:encoded>x</c:encoded></item>', ' xmlns:c="http://purl.org/rss/1.0/modules/content/"'), /namespace/],
    ['dc bound to another URI', rss('<item><dc:creator>x</dc:creator></item>', ' xmlns:dc="http://purl.org/dc/terms/"'), /namespace/],
    ['a default namespace on <rss>', rss('<item><title>a</title></item>', ' xmlns="http://backend.userland.com/rss2"'), /default namespace/],
    ['an RSS author to be parsed', rss('<item><title>a</title><author>a@b.c (A)</author></item>'), /author/],
    ['an item with nothing read', rss('<item><comments>x</comments></item>'), /none of the fields/],
    ['items outside the channel', '<rss version="2.0"><channel><title>T</title></channel><item><title>a</title></item></rss>', /outside the channel/],
    ['content after the root', `${rss('<item><title>a</title></item>')}<extra/>`, /after the root/],
    ['a truncated RSS feed (no </channel></rss>)', '<rss><channel><item><title>未闭合</title><link>http://x/1</link></item>', /channel not closed/],
    ['a truncated RSS feed (no </rss>)', rss('<item><title>a</title></item>').slice(0, -'</rss>'.length), /rss not closed/],
    ['an RSS feed cut in a CDATA', rss('<item><title>a</title><description><![CDATA[<p>前半</p>]]></description></item>').split('</p>')[0]!, /]]> missing/],
    ['a truncated Atom feed', '<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry><id>1</id><title>a</title></entry>', /feed not closed/],
    ['RDF', '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel><title>T</title></channel></rdf:RDF>', /neither RSS nor Atom/],
    ['xhtml in Atom', '<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry><id>1</id><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">x</div></content></entry></feed>', /xhtml/],
    ['the Atom namespace under a prefix in Atom', '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:atom="http://www.w3.org/2005/Atom"><title>T</title></feed>', /namespace/],
    ['an Atom author without name or email', '<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry><id>1</id><author><uri>u</uri></author></entry></feed>', /author/],
  ];
  it.each(cases)('%s', (_, doc, reason) => {
    let why = '';
    expect(readFeedFast(doc, (r) => (why = r))).toBeUndefined();
    expect(why).toMatch(reason);
    expect(outcome(doc, true)).toStrictEqual(outcome(doc, false));
  });
});

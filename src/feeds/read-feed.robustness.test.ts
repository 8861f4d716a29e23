import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { FeedError } from '../domain/errors.js';
import type { FeedErrorCode } from '../domain/errors.js';
import type { ParsedFeed } from '../domain/feed-item.js';
import { decodeBody } from '../http/decode-body.js';
import { readFeed } from './read-feed.js';

// readFeed on damaged, odd and wrong input; read-feed.test.ts covers the well-formed fixtures.

const fixture = (name: string): string => readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');

function item(feed: ParsedFeed, index: number) {
  const found = feed.items[index];
  if (found === undefined) throw new Error(`no item ${index}`);
  return found;
}

function feedError(read: () => unknown): FeedError {
  try {
    read();
  } catch (error) {
    if (error instanceof FeedError) return error;
    throw error;
  }
  throw new Error('readFeed did not throw');
}

describe('readFeed: tolerance', () => {
  const rss = '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>t</title><item><title>a</title><link>/a</link></item></channel></rss>';

  it('accepts whitespace and a BOM before the XML declaration', () => {
    expect(readFeed(`\n  \r\n${rss}`).items).toHaveLength(1);
    expect(readFeed(`\ufeff${rss}`).items).toHaveLength(1);
    expect(readFeed(`\ufeff\n ${rss}`).items).toHaveLength(1);
  });

  it('resolves relative links against options.url when the channel has no link', () => {
    expect(item(readFeed(rss, { url: 'https://example.com/feeds/x.xml' }), 0).link).toBe('https://example.com/a');
    expect(item(readFeed(rss), 0).link).toBeUndefined();
  });

  it('resolves against xml:base on <rss>, <channel> and <item>', () => {
    const based = (where: 'rss' | 'channel') =>
      `<rss version="2.0"${where === 'rss' ? ' xml:base="https://a.example/news/"' : ''}><channel${
        where === 'channel' ? ' xml:base="https://a.example/news/"' : ''
      }><title>t</title><link>https://site.example/</link>` +
      '<item xml:base="sub/"><title>a</title><link>p1.html</link><enclosure url="e.mp3" type="audio/mpeg"/></item>' +
      '<item><title>b</title><link>p2.html</link></item></channel></rss>';
    for (const where of ['rss', 'channel'] as const) {
      const feed = readFeed(based(where), { url: 'https://feeds.example/x.xml' });
      expect(feed.items.map((i) => i.link)).toEqual(['https://a.example/news/sub/p1.html', 'https://a.example/news/p2.html']);
      expect(item(feed, 0).enclosures).toEqual([{ url: 'https://a.example/news/sub/e.mp3', type: 'audio/mpeg' }]);
    }
  });

  it('drops javascript: links', () => {
    const evil = rss.replace('<link>/a</link>', '<link>javascript:alert(1)</link>');
    expect(item(readFeed(evil, { url: 'https://example.com/' }), 0).link).toBeUndefined();
  });

  it('reads RSS 0.91, RDF and Atom 0.3 versions', () => {
    expect(readFeed('<rss version="0.91"><channel><title>t</title><item><title>a</title></item></channel></rss>').version).toBe('0.91');
    const rdf = `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
      <channel rdf:about="https://example.com/"><title>t</title><link>https://example.com/</link><description>d</description></channel>
      <item rdf:about="https://example.com/1"><title>One</title><link>https://example.com/1</link><dc:date xmlns:dc="http://purl.org/dc/elements/1.1/">2024-01-02T03:04:05Z</dc:date></item>
    </rdf:RDF>`;
    expect(readFeed(rdf)).toMatchObject({
      format: 'rdf',
      version: '1.0',
      items: [{ guid: 'https://example.com/1', link: 'https://example.com/1', title: 'One', published: Date.parse('2024-01-02T03:04:05Z') }],
    });
  });

  it('reads a GBK feed decoded by decodeBody end to end', () => {
    const text = fixture('feedx-rfi.xml').replace('encoding="UTF-8"', 'encoding="gb2312"');
    const bytes = iconv.encode(text, 'gbk');
    const feed = readFeed(decodeBody(bytes, 'text/xml').text);
    expect(item(feed, 0).title).toBe('欧盟贸专：中国 "商业环境更政治化"  缺乏透明，但不脱钩 - 要闻解说');
  });
});

describe('readFeed: repairs', () => {
  const wrap = (items: string) => `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>${items}</channel></rss>`;
  const ok = (n: number) => `<item><title>ok ${n}</title><link>https://a.example/${n}</link></item>`;

  it('reads a title with a bare "<"', () => {
    const feed = readFeed(wrap(`${ok(1)}<item><title>5 < 6 &amp; 7 > 6</title></item>${ok(2)}`));
    expect(feed.items.map((i) => i.title)).toEqual(['ok 1', '5 < 6 & 7 > 6', 'ok 2']);
  });

  it('drops only the item whose markup is broken', () => {
    const feed = readFeed(wrap(`${ok(1)}<item><title>bad</title><foo x="1></item>${ok(2)}`));
    expect(feed.items.map((i) => i.title)).toEqual(['ok 1', 'ok 2']);
  });

  it('makes titles one line of text without control characters', () => {
    const feed = readFeed(wrap('<item><title>\n  第一行\n    第二行\u000b  </title></item>'));
    expect(item(feed, 0).title).toBe('第一行 第二行');
  });
});

describe('readFeed: truncation', () => {
  // A body cut off in transfer is refused whole (the next run fetches it again),
  // by the fast reader and by the feedsmith path alike: nothing of it is archived.
  const head = '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>';
  const ok = (n: number) => `<item><title>ok ${n}</title><link>https://a.example/${n}</link><description><![CDATA[<p>正文 ${n}</p>]]></description></item>`;
  const entry = (n: number) => `<entry><id>urn:${n}</id><title>e${n}</title><content type="html">&lt;p&gt;正文 ${n}&lt;/p&gt;</content></entry>`;
  const atomHead = '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>';
  const rdfHead = '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel rdf:about="https://a.example/"><title>t</title></channel>';
  const cases: Array<[string, string, string]> = [
    ["the user's report: one item, no </channel></rss>", '<rss><channel><item><title>未闭合</title><link>http://x/1</link></item>', 'RSS feed (truncated: the document ends before </rss>)'],
    ['cut after </channel>', `${head}${ok(1)}</channel>`, 'RSS feed (truncated: the document ends before </rss>)'],
    ['cut inside an end tag', `${head}${ok(1)}</channel></rs`, 'RSS feed (truncated: the document ends before </rss>)'],
    ['cut between items', `${head}${ok(1)}${ok(2)}\n`, 'RSS feed (truncated: the document ends before </rss>)'],
    ['cut in the CDATA of a description', `${head}${ok(1)}<item><title>b</title><link>https://a.example/b</link><description><![CDATA[<p>前半`, 'RSS feed (truncated: the document ends in a CDATA section, before </rss>)'],
    ['cut in a CDATA that quotes </rss>', `${head}${ok(1)}<item><title>b</title><description><![CDATA[<pre></channel></rss></pre>`, 'RSS feed (truncated: the document ends in a CDATA section, before </rss>)'],
    ['cut in a tag', `${head}${ok(1)}<item><title>b</ti`, 'RSS feed (truncated: the document ends before </rss>)'],
    ['an Atom feed without </feed>', `${atomHead}${entry(1)}${entry(2)}`, 'Atom feed (truncated: the document ends before </feed>)'],
    ['an Atom feed cut in an entry', `${atomHead}${entry(1)}<entry><id>urn:2</id><content type="html">&lt;p&gt;前半`, 'Atom feed (truncated: the document ends before </feed>)'],
    ['a prefixed Atom root', `<a:feed xmlns:a="http://www.w3.org/2005/Atom"><a:title>t</a:title><a:entry><a:id>urn:1</a:id><a:title>e</a:title></a:entry>`, 'Atom feed (truncated: the document ends before </a:feed>)'],
    ['an RDF feed without </rdf:RDF>', `${rdfHead}<item rdf:about="https://a.example/1"><title>One</title><link>https://a.example/1</link></item>`, 'RSS 1.0 (RDF) feed (truncated: the document ends before </rdf:RDF>)'],
  ];

  it.each(cases)('refuses %s as malformed, on both paths', (_name, body, reason) => {
    for (const fastPath of [true, false]) {
      const error = feedError(() => readFeed(body, { url: 'https://example.com/feed', fastPath }));
      expect(error.code).toBe('malformed');
      expect(error.message).toBe(`https://example.com/feed: malformed ${reason}`);
    }
  });

  it('still reads the whole documents those were cut from, with text after the root or not', () => {
    for (const fastPath of [true, false]) {
      const read = (body: string) => readFeed(body, { url: 'https://example.com/feed', fastPath }).items.length;
      expect(read(`${head}${ok(1)}${ok(2)}</channel></rss>`)).toBe(2);
      expect(read(`${head}${ok(1)}<item><title>b</title><description><![CDATA[<pre></channel></rss></pre>]]></description></item></channel></rss>`)).toBe(2);
      expect(read(`${atomHead}${entry(1)}${entry(2)}</feed>`)).toBe(2);
      expect(read(`${rdfHead}<item rdf:about="https://a.example/1"><title>One</title></item></rdf:RDF>`)).toBe(1);
      // Lenient as browsers and other readers: what follows a closed root is not the feed's.
      expect(read(`${head}${ok(1)}</channel></rss>\n<!-- cache: hit -->\n<script>track()</script>`)).toBe(1);
      expect(read(`${head}${ok(1)}</channel></rss >\n\n`)).toBe(1);
    }
  });
});

describe('readFeed: errors', () => {
  const cases: Array<[string, string, FeedErrorCode, string]> = [
    ['an empty body', '', 'empty', 'https://example.com/feed: empty body, not a feed'],
    ['a whitespace body', ' \n\t ', 'empty', 'https://example.com/feed: empty body, not a feed'],
    [
      'an HTML page',
      '<!DOCTYPE html>\n<html><head><title>Moved</title></head><body><a href="/rss">rss</a></body></html>',
      'not_a_feed',
      'https://example.com/feed: not a feed (looks like an HTML page)',
    ],
    [
      'an HTML fragment page',
      '<head><title>Document Moved</title></head><body>here</body>',
      'not_a_feed',
      'https://example.com/feed: not a feed (looks like an HTML page)',
    ],
    ['plain text', 'Service Unavailable', 'not_a_feed', 'https://example.com/feed: not a feed (plain text, not XML or JSON)'],
    [
      'another XML vocabulary',
      '<?xml version="1.0"?><note><to>Tove</to><body>x</body></note>',
      'not_a_feed',
      'https://example.com/feed: not a feed (XML root <note> is not RSS, Atom or RDF)',
    ],
    ['JSON that is not a JSON Feed', '{"error":"rate limited"}', 'not_a_feed', 'https://example.com/feed: not a feed (JSON, but not a JSON Feed)'],
    [
      'XML broken before any item',
      '<rss version="2.0"><channel><!-- unclosed <title>t</title></channel></rss>',
      'malformed',
      'https://example.com/feed: malformed RSS feed (truncated: the document ends in a comment, before </rss>)',
    ],
    [
      'a truncated Atom feed without one complete entry',
      '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title>a</title><link href="https://a.example/',
      'malformed',
      'https://example.com/feed: malformed Atom feed (truncated: the document ends before </feed>)',
    ],
    [
      'an RSS root without a channel',
      '<rss version="2.0"></rss>',
      'malformed',
      'https://example.com/feed: malformed RSS feed (no channel or feed element to read)',
    ],
  ];

  it.each(cases)('%s', (_name, body, code, message) => {
    const error = feedError(() => readFeed(body, { url: 'https://example.com/feed' }));
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
    expect(error.message).not.toContain('\n');
  });

  it('names "input" when no url is given', () => {
    expect(feedError(() => readFeed('hello')).message).toBe('input: not a feed (plain text, not XML or JSON)');
  });

  it('reports broken JSON as malformed, on one line', () => {
    const error = feedError(() => readFeed('{\n  "version": "https://jsonfeed.org/version/1.1",\n  "items": [', { url: 'https://x.test/f.json' }));
    expect(error.code).toBe('malformed');
    expect(error.message).toMatch(/^https:\/\/x\.test\/f\.json: malformed JSON \(SyntaxError: .+\)$/);
  });
});

/**
 * The long tail of real feed formats (issue 15): each case is a document
 * written here, read by both of readFeed's paths (the fast reader and
 * feedsmith), which must agree.
 */
import { describe, expect, it } from 'vitest';
import type { ParsedFeed } from '../domain/feed-item.js';
import { readFeed } from './read-feed.js';

const FEED_URL = 'https://feeds.example.net/news.xml';

function readBoth(text: string): ParsedFeed {
  const fast = readFeed(text, { url: FEED_URL });
  expect(readFeed(text, { url: FEED_URL, fastPath: false })).toEqual(fast);
  return fast;
}

describe('readFeed: Dublin Core and DCMI terms', () => {
  const doc = `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">
  <channel>
    <dc:title>Harbour Gazette</dc:title>
    <link>https://gazette.example.org/</link>
    <item>
      <title>Ferry timetable changes</title>
      <link>https://gazette.example.org/ferry</link>
      <dc:description>&lt;p&gt;New crossings from May.&lt;/p&gt;</dc:description>
      <dcterms:issued>2024-04-30T06:15:00Z</dcterms:issued>
    </item>
    <item>
      <title>Lighthouse repainted</title>
      <link>https://gazette.example.org/lighthouse</link>
      <description>Plain description wins</description>
      <dc:description>not this one</dc:description>
      <dcterms:modified>2024-05-02T10:00:00+02:00</dcterms:modified>
    </item>
    <item>
      <title>Both terms</title>
      <link>https://gazette.example.org/both</link>
      <dcterms:modified>2024-06-09T00:00:00Z</dcterms:modified>
      <dcterms:issued>2024-06-01T00:00:00Z</dcterms:issued>
    </item>
  </channel>
</rss>`;

  it('takes the channel title from dc:title and an item summary from dc:description', () => {
    const feed = readBoth(doc);
    expect(feed.title).toBe('Harbour Gazette');
    expect(feed.items[0]?.summary).toBe('<p>New crossings from May.</p>');
    expect(feed.items[1]?.summary).toBe('Plain description wins');
  });

  it('dates items by dcterms:issued, and by dcterms:modified only when nothing else dates them', () => {
    const feed = readBoth(doc);
    expect(feed.items.map((item) => item.published)).toEqual([
      Date.parse('2024-04-30T06:15:00Z'),
      Date.parse('2024-05-02T08:00:00Z'),
      Date.parse('2024-06-01T00:00:00Z'),
    ]);
  });
});

describe('readFeed: an HTML title', () => {
  it('drops tags whole when an attribute value holds ">"', () => {
    const feed = readBoth(`<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
<entry><id>https://blog.example.org/1</id><title type="html">&lt;a title="2 &gt; 1" href='/x?a&gt;b'&gt;Bigger&lt;/a&gt; numbers</title></entry>
<entry><id>https://blog.example.org/2</id><title type="html">&lt;span data-x="&lt;i&gt;"&gt;Inner&lt;/span&gt; 5 &gt; 3</title></entry>
</feed>`);
    expect(feed.items.map((item) => item.title)).toEqual(['Bigger numbers', 'Inner 5 > 3']);
  });
});

describe('readFeed: a well-formed feed with nothing in it', () => {
  it.each([
    ['an RSS channel with no title and no items', '<rss version="2.0"><channel></channel></rss>', 'rss'],
    ['a self-closed RSS channel', '<?xml version="1.0"?>\n<rss version="2.0"><channel/></rss>', 'rss'],
    ['an RSS channel with a title and no items', '<rss version="2.0"><channel><title>Quiet</title></channel></rss>', 'rss'],
    ['an RSS channel with a link only', '<rss version="0.91"><channel><link>https://quiet.example.org/</link></channel></rss>', 'rss'],
    ['an empty Atom feed', '<feed xmlns="http://www.w3.org/2005/Atom"></feed>', 'atom'],
    ['an Atom feed with a title only', '<feed xmlns="http://www.w3.org/2005/Atom"><title>Quiet</title></feed>', 'atom'],
    ['an RSS 1.0 channel with no items', '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel rdf:about="https://q.example.org/"></channel></rdf:RDF>', 'rdf'],
  ])('reads %s as 0 items, not as malformed', (_, text, format) => {
    const feed = readBoth(text);
    expect(feed).toMatchObject({ format, items: [] });
  });

  it('still calls an RSS document with no channel at all malformed', () => {
    expect(() => readFeed('<rss version="2.0"></rss>', { url: FEED_URL })).toThrow(/malformed RSS feed/);
  });
});

describe('readFeed: a DOCTYPE with internal entities', () => {
  const feed = (subset: string, title: string) => `<?xml version="1.0"?>
<!DOCTYPE rss [
${subset}
]>
<rss version="2.0"><channel><title>&paper;</title><link>https://gazette.example.org/</link>
<item><title>${title}</title><link>https://gazette.example.org/1?a=1&amp;b=2</link><description><![CDATA[&paper; stays in CDATA]]></description></item>
</channel></rss>`;

  it('expands the declared entities, nested ones too, outside CDATA', () => {
    const read = readBoth(feed('<!ENTITY paper "Harbour Gazette"><!ENTITY ed \'&paper; editors\'>', 'A note from the &ed; &amp; readers'));
    expect(read.title).toBe('Harbour Gazette');
    expect(read.items[0]).toMatchObject({
      title: 'A note from the Harbour Gazette editors & readers',
      link: 'https://gazette.example.org/1?a=1&b=2',
      summary: '&paper; stays in CDATA',
    });
  });

  it('reads a feed whose subset declares a parameter entity or an external one (neither is used)', () => {
    const read = readBoth(feed('<!ENTITY % local "INCLUDE"><!-- a comment ] > --><!ENTITY paper "Gazette"><!ENTITY ext SYSTEM "https://evil.example/x">', 'Hello &ext;'));
    expect(read.title).toBe('Gazette');
    expect(read.items).toHaveLength(1);
  });

  it('refuses a billion-laughs document quickly, with a one-line reason', () => {
    const levels = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`);
    const text = feed(`<!ENTITY lol0 "lol">${levels.join('')}<!ENTITY paper "&lol9;">`, 'x');
    const started = Date.now();
    expect(() => readFeed(text, { url: FEED_URL })).toThrow(/^https:\/\/feeds\.example\.net\/news\.xml: malformed XML feed \(DOCTYPE refused: [^\n]+\)$/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('looks for a DOCTYPE without backtracking over whitespace in the prolog', () => {
    const started = Date.now();
    const text = `<?xml version="1.0"?>${' \n'.repeat(5_000)}<!-- c -->${' '.repeat(5_000)}<rss version="2.0"><channel><title>t</title></channel></rss>`;
    expect(readBoth(text).items).toEqual([]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses a document with more references than the limit', () => {
    const many = feed('<!ENTITY nbsp "&#160;"><!ENTITY paper "P">', '&nbsp;'.repeat(50_000));
    expect(readBoth(many).items[0]?.title).toBe('');
    const text = feed('<!ENTITY paper "P">', '&paper;'.repeat(100_001));
    expect(() => readFeed(text, { url: FEED_URL })).toThrow(/more than 100000 entity references/);
  });
});

describe('readFeed: RSS 2.0 under a namespace prefix', () => {
  it('reads r:rss, r:channel and r:item as RSS, leaving other namespaces and CDATA alone', () => {
    const feed = readBoth(`<?xml version="1.0"?>
<r:rss xmlns:r="http://backend.userland.com/rss2" xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0">
  <r:channel>
    <r:title>Ledger</r:title>
    <r:link>https://ledger.example.com/</r:link>
    <r:item>
      <r:title>Quarterly figures</r:title>
      <r:link>https://ledger.example.com/q3</r:link>
      <r:guid isPermaLink="false">ledger-q3</r:guid>
      <r:pubDate>Tue, 01 Oct 2024 09:00:00 GMT</r:pubDate>
      <dc:creator>A. Clerk</dc:creator>
      <r:description><![CDATA[<p>Text with <r:odd> inside</p>]]></r:description>
    </r:item>
  </r:channel>
</r:rss>`);
    expect(feed).toMatchObject({ format: 'rss', version: '2.0', title: 'Ledger', link: 'https://ledger.example.com/' });
    expect(feed.items).toEqual([
      {
        title: 'Quarterly figures',
        link: 'https://ledger.example.com/q3',
        guid: 'ledger-q3',
        published: Date.parse('2024-10-01T09:00:00Z'),
        author: 'A. Clerk',
        summary: '<p>Text with <r:odd> inside</p>',
        categories: [],
        enclosures: [],
      },
    ]);
  });
});

describe('readFeed: Atom 0.3 base64 content', () => {
  const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
  it('decodes mode="base64" titles and content, then reads them by their type', () => {
    const feed = readBoth(`<?xml version="1.0" encoding="utf-8"?>
<feed version="0.3" xmlns="http://purl.org/atom/ns#">
  <title type="text/plain" mode="base64">${b64('Notes & Queries')}</title>
  <link rel="alternate" type="text/html" href="https://notes.example.org/"/>
  <modified>2004-05-01T12:00:00Z</modified>
  <entry>
    <title type="text/html" mode="base64">${b64('<b>Bold</b> café')}</title>
    <link rel="alternate" type="text/html" href="https://notes.example.org/1"/>
    <id>tag:notes.example.org,2004:1</id>
    <issued>2004-05-01T10:00:00Z</issued>
    <modified>2004-05-01T11:00:00Z</modified>
    <content type="text/html" mode="base64">
${b64('<p>First <a href="https://notes.example.org/x">line</a> &amp; more</p>').replace(/(.{20})/g, '$1\n')}
    </content>
  </entry>
  <entry>
    <title mode="escaped" type="text/html">&lt;i&gt;Escaped&lt;/i&gt; stays</title>
    <id>tag:notes.example.org,2004:2</id>
    <issued>2004-05-02T10:00:00Z</issued>
    <content type="text/plain" mode="base64">not base64 at all!</content>
  </entry>
</feed>`);
    expect(feed.title).toBe('Notes & Queries');
    expect(feed.items.map((item) => item.title)).toEqual(['Bold café', 'Escaped stays']);
    expect(feed.items[0]?.content).toBe('<p>First <a href="https://notes.example.org/x">line</a> &amp; more</p>');
    expect(feed.items[1]?.content).toBe('not base64 at all!');
  });
});

describe('readFeed: xml:base at every level', () => {
  it('resolves an RSS channel link, item links and the URLs inside content against the xml:base in scope', () => {
    const feed = readBoth(`<rss version="2.0" xml:base="https://static.example.com/site/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel xml:base="news/"><title>Base</title><link>./</link>
<item xml:base="2024/"><title>One</title><link>one.html</link>
<description>&lt;a href="more.html"&gt;more&lt;/a&gt; &lt;a href="#fn1"&gt;1&lt;/a&gt; &lt;a href="mailto:ed@example.com"&gt;mail&lt;/a&gt;</description>
<content:encoded><![CDATA[<p><img src="img/a.png" srcset="img/a.png 1x, /img/a2.png 2x" alt="a > b"><a href='https://other.example.org/x'>abs</a></p>]]></content:encoded></item>
<item><title>Two</title><link>two.html</link><description><![CDATA[<a href="../up.html">up</a>]]></description></item>
</channel></rss>`);
    expect(feed.link).toBe('https://static.example.com/site/news/');
    expect(feed.items.map((item) => item.link)).toEqual(['https://static.example.com/site/news/2024/one.html', 'https://static.example.com/site/news/two.html']);
    expect(feed.items[0]?.summary).toBe(
      '<a href="https://static.example.com/site/news/2024/more.html">more</a> <a href="#fn1">1</a> <a href="mailto:ed@example.com">mail</a>',
    );
    expect(feed.items[0]?.content).toBe(
      '<p><img src="https://static.example.com/site/news/2024/img/a.png" srcset="https://static.example.com/site/news/2024/img/a.png 1x, https://static.example.com/img/a2.png 2x" alt="a > b"><a href=\'https://other.example.org/x\'>abs</a></p>',
    );
    expect(feed.items[1]?.summary).toBe('<a href="https://static.example.com/site/up.html">up</a>');
  });

  it('resolves Atom entry content against the entry\'s xml:base, and leaves content alone where no xml:base is given', () => {
    const feed = readBoth(`<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><link href="https://blog.example.org/"/>
<entry xml:base="https://cdn.example.org/posts/7/"><id>https://blog.example.org/7</id><title>Seven</title><link href="https://blog.example.org/7"/>
<content type="html">&lt;img src="cover.jpg"&gt;</content></entry>
<entry><id>https://blog.example.org/8</id><title>Eight</title><link href="https://blog.example.org/8"/><content type="html">&lt;img src="cover.jpg"&gt;</content></entry>
</feed>`);
    expect(feed.items.map((item) => item.content)).toEqual(['<img src="https://cdn.example.org/posts/7/cover.jpg">', '<img src="cover.jpg">']);
  });

  it('resolves Atom content and summary against their own xml:base, relative to the entry\'s and the feed\'s', () => {
    const feed = readBoth(`<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example.org/a/"><title>t</title>
<entry xml:base="b/"><id>https://blog.example.org/9</id><title>Nine</title><link href="nine.html"/>
<summary type="html" xml:base="s/">&lt;a href="x.html"&gt;x&lt;/a&gt;</summary>
<content type="html" xml:base="/media/">&lt;img src="p.png"&gt;</content></entry>
</feed>`);
    expect(feed.items[0]).toMatchObject({
      link: 'https://blog.example.org/a/b/nine.html',
      summary: '<a href="https://blog.example.org/a/b/s/x.html">x</a>',
      content: '<img src="https://blog.example.org/media/p.png">',
    });
  });
});

describe('readFeed: the rewrites before reading stay linear on hostile input', () => {
  it.each([
    ['a prefixed RSS document', '<r:rss xmlns:r="http://backend.userland.com/rss2" version="2.0"><r:channel><r:title>t</r:title>'],
    ['a DOCTYPE with entities', '<!DOCTYPE rss [<!ENTITY e "x">]><rss version="2.0"><channel><title>&e;</title>'],
  ])('gives up on %s full of unclosed CDATA sections within seconds', (_, head) => {
    const started = Date.now();
    expect(() => readFeed(`${head}${'<![CDATA[ &e; <r:x '.repeat(40_000)}`, { url: FEED_URL })).toThrow(/malformed/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

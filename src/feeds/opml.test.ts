import { describe, expect, it } from 'vitest';
import { FeedError } from '../domain/errors.js';
import { parseOpmlFeeds, renderOpml } from './opml.js';

const NESTED = `<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
  <head><title>My feeds</title></head>
  <body>
    <outline text="新闻">
      <outline text="法广 RFI" title="法广" type="rss" xmlUrl="https://feedx.net/rss/rfi.xml" htmlUrl="https://www.rfi.fr/cn/"/>
      <outline text="World">
        <outline text="BBC &amp; friends" type="rss" xmlUrl="https://feedx.net/rss/bbc.xml"/>
      </outline>
    </outline>
    <outline text="no feed here"/>
    <outline type="rss" xmlUrl=" https://example.org/feed.xml "/>
  </body>
</opml>`;

describe('OPML', () => {
  it('reads feeds from every level, with title, folders and links', () => {
    expect(parseOpmlFeeds(NESTED, 'feeds.opml')).toEqual([
      { title: '法广', xmlUrl: 'https://feedx.net/rss/rfi.xml', htmlUrl: 'https://www.rfi.fr/cn/', folders: ['新闻'] },
      { title: 'BBC & friends', xmlUrl: 'https://feedx.net/rss/bbc.xml', folders: ['新闻', 'World'] },
      { title: 'example.org', xmlUrl: 'https://example.org/feed.xml', folders: [] },
    ]);
  });

  it('writes OPML 2.0 that reads back to the same feeds, slugs included', () => {
    const feeds = [
      { title: '纽约时报 "NYT" <中文>', xmlUrl: 'https://feedx.net/rss/nytimes.xml?a=1&b=2', slug: 'nyt', folders: [] },
      { title: 'RFA', xmlUrl: 'https://www.rfa.org/mandarin/rss2.xml', htmlUrl: 'https://www.rfa.org/mandarin/', slug: 'rfa', folders: [] },
    ];
    const xml = renderOpml('newsmirror sources', feeds);
    expect(xml).toMatch(/<opml version="2\.0">/);
    expect(xml).toContain('slug="nyt"');
    expect(parseOpmlFeeds(xml, 'x.opml')).toEqual(feeds);
  });

  it('names the file when the document is not OPML', () => {
    for (const text of ['<html><body>hi</body></html>', 'not xml at all <', '']) {
      const fail = () => parseOpmlFeeds(text, '/tmp/feeds.opml');
      expect(fail).toThrow(FeedError);
      expect(fail).toThrow('/tmp/feeds.opml: not an OPML document');
    }
  });
});

import { describe, expect, it } from 'vitest';
import { sourceSchema } from '../config/config-schema.js';
import type { FeedItem } from '../domain/feed-item.js';
import { prepareItem } from './prepare-item.js';
import { wantsFullText } from './complete-article.js';

const FEED = 'https://feeds.example.net/harbour.xml';
const SITE = 'https://harbour.example.org/';
const item = (fields: Partial<FeedItem>): FeedItem => ({ title: 'Tide tables', categories: [], enclosures: [], ...fields });
const source = (link?: 'guid') => sourceSchema.parse({ name: 'H', slug: 'h', url: FEED, fullText: 'always', ...(link ? { link } : {}) });

describe('prepareItem: the line-2 link', () => {
  it.each<[string, Partial<FeedItem>]>([
    ['a urn: guid', { guid: 'urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66' }],
    ['a tag: guid', { guid: 'tag:harbour.example.org,2024:tides' }],
    ['a bare id guid', { guid: '48213' }],
    ['no link and no guid', {}],
  ])('an item with %s links to the feed\'s site, which is no identity and no page to fetch', (_, fields) => {
    const candidate = prepareItem(item(fields), 0, source(), FEED, { siteLink: SITE });
    expect(candidate).toMatchObject({ url: SITE, canonicalLink: undefined, siteLink: true });
    expect(candidate.guid).toBe(fields.guid);
    expect(wantsFullText(candidate, source())).toBe(false);
  });

  it('has no link at all when the feed names no site either (never the guid)', () => {
    expect(prepareItem(item({ guid: 'urn:x:1' }), 0, source(), FEED).url).toBeUndefined();
  });

  it('keeps an item\'s own http(s) link, and an absolute http guid where the link is missing or not the source\'s choice', () => {
    expect(prepareItem(item({ link: 'https://harbour.example.org/a', guid: 'urn:x:1' }), 0, source(), FEED, { siteLink: SITE })).toMatchObject({
      url: 'https://harbour.example.org/a',
      canonicalLink: 'https://harbour.example.org/a',
    });
    expect(prepareItem(item({ guid: 'https://harbour.example.org/?p=3' }), 0, source(), FEED, { siteLink: SITE }).url).toBe('https://harbour.example.org/?p=3');
    // link: guid takes the guid, but a guid that is not a web link leaves the item its own link.
    expect(prepareItem(item({ link: 'https://harbour.example.org/b', guid: 'tag:h,1' }), 0, source('guid'), FEED, { siteLink: SITE }).url).toBe('https://harbour.example.org/b');
  });
});

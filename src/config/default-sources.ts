import type { SourceInput } from './config-schema.js';

const FEEDX_MIRRORS = ['feedx.site', 'feedx.best', 'feedx.top'];

function feedx(name: string, slug: string, feed: string): SourceInput {
  return {
    name,
    slug,
    url: `https://feedx.net/rss/${feed}.xml`,
    mirrors: FEEDX_MIRRORS.map((host) => `https://${host}/rss/${feed}.xml`),
  };
}

/** The seed system's set: feedx.net full-text mirrors, RFA's own feed and China Digital Times. */
export const DEFAULT_SOURCES: readonly SourceInput[] = [
  feedx('路透', 'reuters', 'reuters'),
  feedx('纽约时报', 'nyt', 'nytimes'),
  feedx('美国之音', 'voa', 'mgzy1'),
  feedx('金融时报', 'ft', 'ft'),
  feedx('BBC', 'bbc', 'bbc'),
  feedx('法广', 'rfi', 'rfi'),
  feedx('德国之声', 'dw', 'dw'),
  {
    name: '自由亚洲电台',
    slug: 'rfa',
    url: 'https://www.rfa.org/mandarin/yataibaodao/rss2.xml',
    content: 'content:encoded',
    link: 'guid',
  },
  {
    name: '中国数字时代',
    slug: 'cdt',
    url: 'https://chinadigitaltimes.net/chinese/feed/',
    ids: 'wordpress',
    // As the seed system did: only the editors' picks (an emoji category), full text from the page.
    requireCategory: '\\p{Extended_Pictographic}',
    fullText: 'always',
  },
];

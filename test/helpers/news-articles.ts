import type { SearchableArticle } from '../../src/catalog/search-index.js';

/** `count` generated articles of source rfi from number `from` on: ids count down, one minute apart, all match 选举 and election. */
export function newsArticles(from: number, count: number): SearchableArticle[] {
  return Array.from({ length: count }, (_, i) => ({
    source: 'rfi',
    id: 1_000_000 - from - i,
    published: Date.UTC(2025, 0, 1) + (from + i) * 60_000,
    title: `新闻 ${from + i}`,
    html: `<p>北京第${from + i}号消息：香港选举 election</p>`,
  }));
}

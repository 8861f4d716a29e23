import { BENCH_SOURCES, generateArticle, type BenchSource, type GeneratedArticle } from './article-html.js';
import { renderFeed, type FeedShape, type RenderedFeed } from './feed-xml.js';
import { SeededRandom } from './seeded-random.js';

export interface BenchFeed {
  /** Source slug, unique in the set: `<site>-<n>`, e.g. `rfi-017`. */
  slug: string;
  /** Display name (list file name): unique too. */
  name: string;
  site: BenchSource;
  shape: FeedShape;
  /** Path on the local feed server. */
  path: string;
}

/**
 * The mix of shapes a real source list has: mostly RSS, some Atom, HTML in
 * CDATA or entity-escaped, WordPress-style content:encoded now and then, and
 * one feed in ten in GBK. Fixed by the feed's index, not drawn, so that
 * --quick keeps the same proportions on fewer feeds.
 */
export function feedShape(index: number): FeedShape {
  return {
    format: index % 4 === 3 ? 'atom' : 'rss',
    escaping: index % 5 < 3 ? 'cdata' : 'entities',
    encoding: index % 10 === 7 ? 'gbk' : 'utf-8',
    contentEncoded: index % 4 === 1,
  };
}

export function benchFeeds(count: number): BenchFeed[] {
  return Array.from({ length: count }, (_, i) => {
    const site = BENCH_SOURCES[i % BENCH_SOURCES.length]!;
    const n = String(i).padStart(3, '0');
    return { slug: `${site.slug}-${n}`, name: `${site.name}${n}`, site, shape: feedShape(i), path: `/feeds/${site.slug}-${n}.xml` };
  });
}

/** Article sizes from 2 to 20 KB, more small ones than large (log-uniform): about 7 KB on average. */
export function articleBytes(rng: SeededRandom): number {
  return Math.round(2048 * Math.pow(10, rng.next()));
}

export interface FeedWindow {
  /** Index of the newest item: a later run's feed starts further on. */
  newest: number;
  items: number;
}

/** Base of the generated publication times: one hour per item index. */
const EPOCH = Date.UTC(2025, 0, 1);

/**
 * The items `window.newest` down to `window.newest - items + 1` of one feed,
 * newest first. Item k is the same article in every window that holds it, so
 * a rerun serves identical bodies and a continued feed overlaps the archive.
 */
export function feedArticles(seed: number, feed: BenchFeed, window: FeedWindow, fixedBytes?: number): GeneratedArticle[] {
  const out: GeneratedArticle[] = [];
  for (let k = window.newest; k > window.newest - window.items && k >= 0; k -= 1) {
    const rng = new SeededRandom(seed ^ Math.imul(k + 7, 0x27d4eb2d));
    const bytes = fixedBytes ?? articleBytes(rng);
    out.push(generateArticle(seed, feed.site, feed.slug, k, bytes, EPOCH + k * 3_600_000));
  }
  return out;
}

export function renderBenchFeed(seed: number, feed: BenchFeed, window: FeedWindow, fixedBytes?: number): RenderedFeed {
  const site = `https://${feed.site.host}/`;
  return renderFeed(feed.name, site, feedArticles(seed, feed, window, fixedBytes), feed.shape);
}

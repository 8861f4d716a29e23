import { parseFeed } from 'feedsmith';
import { Parser as XmlTokenizer } from 'htmlparser2';
import RssParser from 'rss-parser';
import { readFeed } from '../src/feeds/read-feed.js';
import { decodeBody } from '../src/http/decode-body.js';
import { BENCH_SOURCES, generateArticle } from './corpus/article-html.js';
import { renderFeed, type FeedShape, type RenderedFeed } from './corpus/feed-xml.js';
import { pairedSpeedup, round, timeInterleaved, type Contender, type ContenderTiming } from './measure.js';

export interface ParseResult {
  items: number;
  megabytes: number;
  itemsPerSec: number;
  megabytesPerSec: number;
  rssParserItemsPerSec: number;
  feedsmithItemsPerSec: number;
  floorItemsPerSec: number;
  ratioVsRssParser: number;
  ratioVsFeedsmith: number;
  /**
   * Ratios are medians of per-round ratios (see pairedSpeedup), so they can
   * differ a little from the ratio of the items/s figures above.
   * fractionOfFloor: newsmirror's speed as a share of the bare tokenize.
   */
  fractionOfFloor: number;
  /** The same documents GBK-encoded (newsmirror finds the encoding itself; rss-parser is handed TextDecoder('gbk')). */
  gbk: { itemsPerSec: number; rssParserItemsPerSec: number; ratioVsRssParser: number; ratioVsUtf8: number };
  rounds: number;
  shapes: string[];
}

export interface ParseOptions {
  seed: number;
  quick: boolean;
}

const ITEMS_PER_FEED = 500;
const ITEM_BYTES = 8 * 1024;

function buildInputs(seed: number, shapes: FeedShape[]): RenderedFeed[] {
  return shapes.map((shape, i) => {
    const source = BENCH_SOURCES[i % BENCH_SOURCES.length]!;
    const articles = Array.from({ length: ITEMS_PER_FEED }, (_, k) =>
      generateArticle(seed + i, source, `parse-${i}`, ITEMS_PER_FEED - k, ITEM_BYTES, Date.UTC(2025, 0, 1) + (ITEMS_PER_FEED - k) * 60_000),
    );
    return renderFeed(`${source.name} ${i}`, `https://${source.host}/`, articles, shape);
  });
}

function charsetOf(contentType: string): string {
  return /charset=([^;]+)/.exec(contentType)?.[1] ?? 'utf-8';
}

function checked(name: string, got: number, expected: number): number {
  if (got !== expected) throw new Error(`parse bench: ${name} read ${got} items, expected ${expected}`);
  return got;
}

/**
 * Four readers of the same bytes, each including its decoding: newsmirror
 * (decodeBody + readFeed), rss-parser (the seed system's parser, xml2js),
 * feedsmith alone (what newsmirror's reader is built on), and a bare
 * htmlparser2 tokenize in XML mode, which builds nothing: the floor.
 */
function contenders(inputs: RenderedFeed[]): Contender[] {
  const expected = inputs.reduce((n, f) => n + f.items, 0);
  const texts = () => inputs.map((f) => new TextDecoder(charsetOf(f.contentType)).decode(f.bytes));
  const rssParser = new RssParser();
  return [
    {
      name: 'newsmirror',
      pass: () => checked('newsmirror', inputs.reduce((n, f, i) => n + readFeed(decodeBody(f.bytes, f.contentType).text, { url: `https://bench.example/${i}.xml` }).items.length, 0), expected),
    },
    {
      name: 'rss-parser',
      pass: async () => {
        let n = 0;
        for (const text of texts()) n += (await rssParser.parseString(text)).items.length;
        return checked('rss-parser', n, expected);
      },
    },
    {
      name: 'feedsmith',
      pass: () => {
        let n = 0;
        for (const text of texts()) {
          const parsed = parseFeed(text);
          n += parsed.format === 'atom' ? (parsed.feed.entries?.length ?? 0) : parsed.format === 'json' ? 0 : (parsed.feed.items?.length ?? 0);
        }
        return checked('feedsmith', n, expected);
      },
    },
    {
      name: 'htmlparser2 (floor)',
      pass: () => {
        let n = 0;
        for (const text of texts()) {
          const tokenizer = new XmlTokenizer({ onopentagname: (name) => void ((name === 'item' || name === 'entry') && (n += 1)) }, { xmlMode: true });
          tokenizer.end(text);
        }
        return checked('htmlparser2', n, expected);
      },
    },
  ];
}

function rate(timing: ContenderTiming | undefined, amount: number): number {
  return amount / present(timing).median;
}

function present(timing: ContenderTiming | undefined): ContenderTiming {
  if (!timing) throw new Error('parse bench: missing timing');
  return timing;
}

export async function benchParse(options: ParseOptions, log: (line: string) => void): Promise<ParseResult> {
  const shapes: FeedShape[] = options.quick
    ? [
        { format: 'rss', escaping: 'cdata', encoding: 'utf-8' },
        { format: 'atom', escaping: 'entities', encoding: 'utf-8' },
      ]
    : [
        { format: 'rss', escaping: 'cdata', encoding: 'utf-8' },
        { format: 'rss', escaping: 'entities', encoding: 'utf-8' },
        { format: 'atom', escaping: 'cdata', encoding: 'utf-8' },
        { format: 'atom', escaping: 'entities', encoding: 'utf-8' },
      ];
  const rounds = options.quick ? 3 : 5;
  const inputs = buildInputs(options.seed, shapes);
  const items = inputs.reduce((n, f) => n + f.items, 0);
  const megabytes = inputs.reduce((n, f) => n + f.bytes.length, 0) / 1e6;
  log(`parse: ${inputs.length} feeds × ${ITEMS_PER_FEED} items of ${ITEM_BYTES / 1024} KB (${megabytes.toFixed(1)} MB), ${rounds} interleaved rounds`);
  const [mine, rss, smith, floor] = await timeInterleaved(contenders(inputs), rounds);

  // The same documents in GBK: what a legacy-encoded source costs over UTF-8.
  const gbkInputs = buildInputs(options.seed, shapes.map((s) => ({ ...s, encoding: 'gbk' as const })));
  const gbkItems = gbkInputs.reduce((n, f) => n + f.items, 0);
  const [gbkMine, gbkRss] = await timeInterleaved(contenders(gbkInputs).slice(0, 2), rounds);

  const itemsPerSec = rate(mine, items);
  const speedup = (baseline: ContenderTiming | undefined) => round(pairedSpeedup(present(mine), present(baseline)));
  const result: ParseResult = {
    items,
    megabytes: round(megabytes),
    itemsPerSec: round(itemsPerSec, 0),
    megabytesPerSec: round(rate(mine, megabytes)),
    rssParserItemsPerSec: round(rate(rss, items), 0),
    feedsmithItemsPerSec: round(rate(smith, items), 0),
    floorItemsPerSec: round(rate(floor, items), 0),
    ratioVsRssParser: speedup(rss),
    ratioVsFeedsmith: speedup(smith),
    fractionOfFloor: speedup(floor),
    gbk: {
      itemsPerSec: round(rate(gbkMine, gbkItems), 0),
      rssParserItemsPerSec: round(rate(gbkRss, gbkItems), 0),
      ratioVsRssParser: round(pairedSpeedup(present(gbkMine), present(gbkRss))),
      ratioVsUtf8: round(rate(gbkMine, gbkItems) / itemsPerSec),
    },
    rounds,
    shapes: shapes.map((s) => `${s.format}/${s.escaping}/${s.encoding}`),
  };
  for (const t of [mine, rss, smith, floor]) {
    if (t) log(`  ${t.name.padEnd(20)} ${round(items / t.median, 0).toString().padStart(8)} items/s  ${round(megabytes / t.median).toString().padStart(6)} MB/s`);
  }
  log(`  newsmirror / rss-parser ${result.ratioVsRssParser}×, / feedsmith ${result.ratioVsFeedsmith}×, / floor ${result.fractionOfFloor}×; GBK: ${result.gbk.itemsPerSec} items/s (${result.gbk.ratioVsRssParser}× rss-parser, ${result.gbk.ratioVsUtf8}× UTF-8)`);
  return result;
}

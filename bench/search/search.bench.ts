import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Catalog } from '../../src/catalog/catalog.js';
import { searchArticles } from '../../src/catalog/search-articles.js';
import { indexArticles, type SearchableArticle } from '../../src/catalog/search-index.js';
import { searchTextFromHtml } from '../../src/catalog/search-text.js';
import { searchCorpus, type SearchCorpus } from './search-corpus.js';
import { benchQueries, QUERY_CLASSES, type QueryClass } from './search-queries.js';

export interface SearchLatency {
  query: QueryClass;
  order: 'newest' | 'relevance';
  queries: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** Mean number of matching articles: how much work the class asks for. */
  meanTotal: number;
}

export interface SearchSizeResult {
  articles: number;
  /** Articles indexed per second of wall time (the step from the previous size to this one). */
  buildArticlesPerSec: number;
  /** The same per second of this process's CPU time: steadier on a shared machine. */
  buildCpuArticlesPerSec: number;
  /** UTF-8 bytes of the plain text indexed (titles and bodies, tags stripped). */
  textBytes: number;
  /** The FTS tables (terms with positions, character lists) and the key table. */
  indexBytes: number;
  /** The body text kept for snippets (UTF-16). */
  snippetTextBytes: number;
  indexRatio: number;
  /** Everything search adds to the catalog, snippet text included, over the text. */
  totalRatio: number;
  latency: SearchLatency[];
}

export interface SearchBenchResult {
  quick: boolean;
  seed: number;
  sizes: SearchSizeResult[];
}

export interface SearchBenchOptions {
  quick: boolean;
  seed?: number;
  /** Where the catalogs are built (removed afterwards); default: a fresh folder under the system temp dir. */
  dir?: string;
  log?: (line: string) => void;
  /** Catalog sizes to build and measure at, ascending (default: 100k and 1M; 10k and 100k with quick). */
  steps?: number[];
}

const BATCH = 2_000;
const QUERIES_PER_CLASS = 30;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Indexes articles [from, to) in batches, timing only the indexing. */
function build(catalog: Catalog, corpus: SearchCorpus, from: number, to: number): { seconds: number; cpuSeconds: number; textBytes: number } {
  let seconds = 0;
  let cpuSeconds = 0;
  let textBytes = 0;
  for (let start = from; start < to; start += BATCH) {
    const batch: SearchableArticle[] = [];
    for (let i = start; i < Math.min(to, start + BATCH); i += 1) {
      const a = corpus.article(i);
      batch.push({ source: `s${i % 9}`, id: 1_048_574 - Math.floor(i / 9), published: a.published, title: a.title, html: a.html });
      textBytes += Buffer.byteLength(a.title) + Buffer.byteLength(searchTextFromHtml(a.html));
    }
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    indexArticles(catalog, batch);
    seconds += (performance.now() - t0) / 1000;
    const used = process.cpuUsage(cpu);
    cpuSeconds += (used.user + used.system) / 1e6;
  }
  return { seconds, cpuSeconds, textBytes };
}

function sizes(catalog: Catalog): { index: number; text: number } {
  const rows = catalog.sqlite.prepare("SELECT name, sum(pgsize) AS bytes FROM dbstat('search') WHERE name LIKE 'search%' GROUP BY name").all() as { name: string; bytes: number }[];
  let index = 0;
  let text = 0;
  for (const row of rows) {
    if (row.name === 'search_text') text += row.bytes;
    else index += row.bytes;
  }
  return { index, text };
}

function measure(catalog: Catalog, queries: Map<QueryClass, string[]>): SearchLatency[] {
  const out: SearchLatency[] = [];
  for (const order of ['newest', 'relevance'] as const) {
    for (const name of QUERY_CLASSES) {
      const list = queries.get(name) ?? [];
      for (const q of list) searchArticles(catalog, { q, order }); // warm-up: page cache, statement cache
      const times: number[] = [];
      let totals = 0;
      for (const q of list) {
        const t0 = performance.now();
        const result = searchArticles(catalog, { q, order, limit: 20 });
        times.push(performance.now() - t0);
        totals += result.total;
      }
      times.sort((a, b) => a - b);
      out.push({
        query: name,
        order,
        queries: list.length,
        p50Ms: round(percentile(times, 50)),
        p95Ms: round(percentile(times, 95)),
        maxMs: round(times[times.length - 1] ?? 0),
        meanTotal: Math.round(totals / Math.max(1, list.length)),
      });
    }
  }
  return out;
}

export function renderSearchTable(result: SearchBenchResult): string {
  const lines = ['| articles | query | newest p50 / p95 ms | relevance p50 / p95 ms | mean matches |', '|---:|---|---:|---:|---:|'];
  for (const size of result.sizes) {
    for (const name of QUERY_CLASSES) {
      const newest = size.latency.find((l) => l.query === name && l.order === 'newest');
      const relevance = size.latency.find((l) => l.query === name && l.order === 'relevance');
      lines.push(`| ${size.articles} | ${name} | ${newest?.p50Ms} / ${newest?.p95Ms} | ${relevance?.p50Ms} / ${relevance?.p95Ms} | ${newest?.meanTotal} |`);
    }
  }
  lines.push('', '| articles | build articles/s (CPU) | text MB | index MB (×text) | + snippet text MB (total ×text) |', '|---:|---:|---:|---:|---:|');
  for (const s of result.sizes) {
    lines.push(
      `| ${s.articles} | ${s.buildArticlesPerSec} (${s.buildCpuArticlesPerSec}) | ${round(s.textBytes / 1e6, 1)} | ${round(s.indexBytes / 1e6, 1)} (${s.indexRatio}) | ${round(s.snippetTextBytes / 1e6, 1)} (${s.totalRatio}) |`,
    );
  }
  return lines.join('\n');
}

/**
 * The search benchmark: builds one catalog up to 100k and then 1M generated
 * articles (10k and 100k with quick), and at each size measures the build
 * rate, index size against the text, and latency of 1-, 2-, 3-, 4- and
 * 6-character Chinese queries and English words, newest first and by
 * relevance (first page of 20 with the total).
 */
export async function runSearchBench(options: SearchBenchOptions): Promise<SearchBenchResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const seed = options.seed ?? 20250101;
  const steps = options.steps ?? (options.quick ? [10_000, 100_000] : [100_000, 1_000_000]);
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'newsmirror-bench-search-')));
  const corpus = searchCorpus(seed);
  const catalog = Catalog.open(join(dir, 'catalog.sqlite'));
  const result: SearchBenchResult = { quick: options.quick, seed, sizes: [] };
  try {
    let built = 0;
    let textBytes = 0;
    for (const articles of steps) {
      const step = build(catalog, corpus, built, articles);
      textBytes += step.textBytes;
      const count = articles - built;
      built = articles;
      const bytes = sizes(catalog);
      const size: SearchSizeResult = {
        articles,
        buildArticlesPerSec: Math.round(count / step.seconds),
        buildCpuArticlesPerSec: Math.round(count / step.cpuSeconds),
        textBytes,
        indexBytes: bytes.index,
        snippetTextBytes: bytes.text,
        indexRatio: round(bytes.index / textBytes),
        totalRatio: round((bytes.index + bytes.text) / textBytes),
        latency: measure(catalog, benchQueries(corpus, articles, QUERIES_PER_CLASS, seed)),
      };
      result.sizes.push(size);
      log(`search: ${articles} articles built at ${size.buildArticlesPerSec} articles/s; index ${size.indexRatio}× the text (${size.totalRatio}× with snippet text)`);
    }
    log(renderSearchTable(result));
    return result;
  } finally {
    catalog.close();
    if (options.dir === undefined) await rm(dir, { recursive: true, force: true });
  }
}

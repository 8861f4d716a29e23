import type { SearchBenchResult } from './search/search.bench.js';
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { ContinueResult, ReindexResult } from './archive.bench.js';
import type { GrowthResult } from './growth.bench.js';
import type { SizeResult } from './size.bench.js';
import type { BigBodyResult } from './big-body.bench.js';
import type { CleanResult } from './clean.bench.js';
import type { DecodeResult } from './decode.bench.js';
import type { HostileResult } from './hostile.bench.js';
import type { ParseResult } from './parse.bench.js';
import type { RerunResult, RunResult } from './run.bench.js';
import type { StartupResult } from './startup.bench.js';

/** Everything one `npm run bench` measured. A benchmark that was not run, or skipped, is null. */
export interface BenchResults {
  date: string;
  commit: string;
  /** Files changed in the working tree when the bench ran (the figures may not match the commit alone). */
  dirty: boolean;
  quick: boolean;
  seed: number;
  /** The benchmark groups this run ran (--only). */
  groups: string[];
  machine: { cpus: number; cpuModel: string; memoryGB: number; node: string; platform: string };
  parse: ParseResult | null;
  decode: DecodeResult | null;
  run: RunResult | null;
  rerun: RerunResult | null;
  continue: ContinueResult | null;
  reindex: ReindexResult | null;
  clean: CleanResult | null;
  search: SearchBenchResult | null;
  startup: StartupResult | null;
  growth?: GrowthResult | null;
  size?: SizeResult | null;
  bigBody: BigBodyResult | null;
  hostile: HostileResult | null;
  /** Benchmarks that failed to run, with the error: a broken harness, never a slow result. */
  errors: Record<string, string>;
}

function git(args: string[], cwd: string): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

export function emptyResults(repo: string, quick: boolean, seed: number, groups: string[]): BenchResults {
  const cpu = cpus();
  return {
    date: new Date().toISOString(),
    commit: git(['rev-parse', '--short', 'HEAD'], repo) ?? 'nogit',
    dirty: (git(['status', '--porcelain', '--untracked-files=no'], repo) ?? '') !== '',
    quick,
    seed,
    groups,
    machine: {
      cpus: cpu.length,
      cpuModel: cpu[0]?.model ?? 'unknown',
      memoryGB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
    },
    parse: null,
    decode: null,
    run: null,
    rerun: null,
    continue: null,
    reindex: null,
    clean: null,
    search: null,
    startup: null,
    growth: null,
    bigBody: null,
    hostile: null,
    errors: {},
  };
}

/** bench/results/<YYYY-MM-DD>-<sha>.json (…-quick.json for --quick, which is not committed). */
export async function writeResults(dir: string, results: BenchResults): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${results.date.slice(0, 10)}-${results.commit}${results.quick ? '-quick' : ''}.json`);
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

const n = (value: number) => value.toLocaleString('en-US');

function verdict(met: boolean, quick: boolean): string {
  return quick ? '–' : met ? 'yes' : 'no';
}

/** The Markdown table printed at the end and pasted into bench/README.md. */
export function renderTable(r: BenchResults): string {
  const rows: string[][] = [];
  const q = r.quick;
  if (r.parse) {
    const p = r.parse;
    rows.push([
      'parse',
      `${n(p.itemsPerSec)} items/s, ${p.megabytesPerSec} MB/s`,
      `rss-parser ${n(p.rssParserItemsPerSec)}/s; feedsmith ${n(p.feedsmithItemsPerSec)}/s; floor ${n(p.floorItemsPerSec)}/s`,
      `${p.ratioVsRssParser}× rss-parser, ${p.ratioVsFeedsmith}× feedsmith, ${p.fractionOfFloor}× floor`,
      '≥ 2.5× rss-parser, ≥ 1.3× feedsmith',
      verdict(p.ratioVsRssParser >= 2.5 && p.ratioVsFeedsmith >= 1.3, false),
    ]);
    rows.push(['parse (same feeds in GBK)', `${n(p.gbk.itemsPerSec)} items/s`, `rss-parser ${n(p.gbk.rssParserItemsPerSec)}/s`, `${p.gbk.ratioVsRssParser}× rss-parser, ${p.gbk.ratioVsUtf8}× UTF-8`, '', '']);
  }
  for (const x of r.decode?.encodings ?? []) {
    rows.push([`decode ${x.encoding}`, `${x.megabytesPerSec} MB/s`, `Node's TextDecoder ${x.nodeMegabytesPerSec} MB/s`, `${x.ratioVsNode}× Node (which misreads big5, euc-kr)`, '', '']);
  }
  if (r.run) {
    const x = r.run;
    rows.push([
      `run (${x.feeds}×${x.items / x.feeds})`,
      `${n(x.itemsPerSec)} items/s, peak RSS ${x.peakRssMB} MB`,
      `durable-write floor ${n(x.durableWriteFloorPerSec)} files/s`,
      `${x.ratioVsFloor}× floor`,
      '≥ 0.7× floor, < 300 MB',
      verdict(x.ratioVsFloor >= 0.7 && x.peakRssMB < 300, false),
    ]);
  }
  if (r.rerun) {
    const x = r.rerun;
    rows.push([`rerun (${x.feeds} feeds)`, `304: ${x.notModifiedSeconds} s; identical 200: ${x.identicalBodySeconds} s`, '', '', '< 1 s for 200 feeds', verdict(x.seconds < 1, q)]);
  }
  if (r.continue) {
    const x = r.continue;
    rows.push([`continue (${n(x.articles)})`, `${x.seconds} s`, '', '', '< 30 s for 100k', verdict(x.seconds < 30, q)]);
  }
  if (r.reindex) {
    const x = r.reindex;
    rows.push([`reindex (${n(x.articles)})`, `${n(x.articlesPerSec)} articles/s (${x.seconds} s)`, '', '', '', '']);
  }
  if (r.clean) {
    const x = r.clean;
    rows.push(['clean', `${n(x.articlesPerSec)} articles/s, ${x.megabytesPerSec} MB/s`, `linkedom parse+serialize ${n(x.domFloorArticlesPerSec)}/s`, `${x.fractionOfFloor}× floor`, '', '']);
  } else if (r.groups.includes('clean') && !r.errors.clean) {
    rows.push(['clean', 'skipped: no cleaner yet', '', '', '', '']);
  }
  if (r.startup) {
    const x = r.startup;
    rows.push([
      'startup',
      `--help ${x.helpMs} ms, status ${x.statusMs} ms, run ${x.runMs} ms`,
      `node -e 0: ${x.bareNodeMs} ms`,
      `${x.helpVsNode}×, ${x.statusVsNode}×, ${x.runVsNode}× node`,
      '',
      '',
    ]);
  }
  if (r.search) {
    const largest = r.search.sizes[r.search.sizes.length - 1];
    if (largest) {
      const worst = (order: string) => Math.max(...largest.latency.filter((l) => l.order === order).map((l) => l.p95Ms));
      const newest = worst('newest');
      const relevance = worst('relevance');
      rows.push([
        `search (${n(largest.articles)})`,
        `p95 newest ${newest} ms, relevance ${relevance} ms; build ${n(largest.buildArticlesPerSec)} articles/s; index ${largest.indexRatio}× text`,
        '',
        '',
        'p95 < 50 ms / < 200 ms at 1M, index ≤ 2×, ≥ 2,000/s',
        verdict(newest < 50 && relevance < 200 && largest.indexRatio <= 2 && largest.buildArticlesPerSec >= 2000, q || largest.articles < 1_000_000),
      ]);
    }
  }
  if (r.growth) {
    const x = r.growth;
    const kb = (bytes: number) => `${n(Math.round(bytes / 1024))} KB`;
    rows.push([
      `growth (${x.articles} articles, ${x.pictures} pictures)`,
      `images ${kb(x.compactBytesPerArticle)}/article compact (${kb(x.keptBytesPerArticle)} with originals kept), text ${kb(x.textBytesPerArticle)}; largest side ${x.largestSide}`,
      `publishers' images ${kb(x.originalBytesPerArticle)}/article`,
      `${x.compactRatio}× originals (${x.compactRatioRealBytes}× on the real pictures alone)`,
      '≤ 0.2×, all decodable in the 1280 box',
      verdict(x.compactRatio <= 0.2 && x.allDecodeInBox, false),
    ]);
    rows.push(['growth: speed', `${x.imagesPerSec} images/s re-encoded; run ${x.itemsPerSecWithImages} items/s with images`, `${x.itemsPerSecWithout} items/s without`, `${x.ratioWithVsWithout}×`, '', '']);
  }
  if (r.size) {
    const x = r.size;
    rows.push([
      `size (${n(x.articles)} articles, ${n(x.files)} files)`,
      `report ${x.reportSeconds} s (${n(x.windowArticles)} window articles read)${x.deterministic ? '' : ', NOT deterministic'}`,
      `stat walk ${x.statSeconds} s; listing ${x.listSeconds} s`,
      `${x.reportVsStat}×`,
      '',
      '',
    ]);
  }
  if (r.bigBody) {
    const x = r.bigBody;
    rows.push([
      `bigbody (${x.bodyMegabytes} MB body)`,
      `peak RSS ${x.cappedPeakRssMB} MB (+${x.cappedExtraMB} MB), ${x.cappedSeconds} s`,
      `without it ${x.baselinePeakRssMB} MB` + (x.uncappedPeakRssMB === null ? '' : `; archived whole ${x.uncappedPeakRssMB} MB, ${x.uncappedSeconds} s`),
      x.ratioVsUncapped === null ? '' : `${x.ratioVsUncapped}× whole`,
      '+128 MB at most',
      verdict(x.cappedExtraMB <= 128, false),
    ]);
  }
  if (r.hostile) {
    const x = r.hostile;
    const outcomes = x.outcomes.map((o) => `${o.slug} ${o.status === 'ok' ? 'ok' : (o.code ?? o.status)} ${o.seconds} s`).join(', ');
    const shapes = Object.entries(x.shapes ?? {}).map(([shape, v]) => `${shape} ${v.seconds} s +${v.extraRssMB} MB`).join(', ');
    rows.push([
      `hostile (${n(x.sizes.references)} refs, ${n(x.sizes.depth)} deep, ${n(x.sizes.items)} items + 3 good)`,
      `${x.hostileSeconds} s, peak RSS ${x.hostilePeakRssMB} MB (${outcomes}); each alone beside the good: ${shapes}`,
      `3 good feeds alone: ${x.goodSeconds} s, ${x.goodPeakRssMB} MB`,
      `${x.ratioVsGood}× time, +${x.extraRssMB} MB`,
      'a few seconds, ≤ +128 MB',
      verdict(x.hostileSeconds < 10 && x.extraRssMB <= 128, q),
    ]);
  }
  for (const [name, message] of Object.entries(r.errors)) rows.push([name, `error: ${message}`, '', '', '', '']);
  const header = ['benchmark', 'newsmirror', 'baseline (same run)', 'ratio', 'target', 'met'];
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

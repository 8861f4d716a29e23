import { Writable } from 'node:stream';
import { reindexCommand } from '../src/cli/reindex-command.js';
import { cleanForSource } from '../src/pipeline/clean-for-source.js';
import { runArchive } from '../src/pipeline/run-archive.js';
import { benchConfig } from './bench-config.js';
import { ensureLargeArchive, resetLargeArchive, type LargeArchive } from './corpus/large-archive.js';
import { FeedServerHandle } from './feed-server-handle.js';
import { round, timeOnce } from './measure.js';

export interface ContinueResult {
  articles: number;
  sources: number;
  /** Wall time of the run: catalog rebuilt from every file, then one new item per source archived. */
  seconds: number;
}

export interface ReindexResult {
  articles: number;
  seconds: number;
  articlesPerSec: number;
}

export interface ArchiveBenchOptions {
  seed: number;
  quick: boolean;
  cacheDir: string;
}

/** Items per feed in the continue benchmark: the newest is new, the rest are in the archive already. */
const FEED_ITEMS = 20;

function collector(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** reindex: `newsmirror reindex --archive DIR` on the archive without a catalog, as a user would run it. */
async function benchReindex(archive: LargeArchive): Promise<ReindexResult> {
  const out = collector();
  const err = collector();
  const io = { out: out.stream, err: err.stream, interactive: false };
  // loadConfig looks for newsmirror.yaml in the working directory: the archive has none, so names default to slugs.
  const cwd = process.cwd();
  process.chdir(archive.root);
  try {
    const { seconds, value: code } = await timeOnce(() => reindexCommand(['--archive', archive.root, '--json'], io));
    if (code !== 0) throw new Error(`reindex exited ${code}: ${err.text()}`);
    const report = JSON.parse(out.text()) as { sources: { articles: number }[] };
    const articles = report.sources.reduce((n, s) => n + s.articles, 0);
    if (articles !== archive.articles) throw new Error(`reindex imported ${articles} articles, expected ${archive.articles}`);
    return { articles, seconds: round(seconds), articlesPerSec: round(articles / seconds, 0) };
  } finally {
    process.chdir(cwd);
  }
}

/** continue: a run over the old archive with no catalog, each feed holding one item the archive lacks. */
async function benchContinue(archive: LargeArchive, seed: number): Promise<ContinueResult> {
  const server = FeedServerHandle.start();
  try {
    const windows = archive.sources.map(({ count }) => ({ newest: count, items: FEED_ITEMS }));
    const served = await server.serve(seed, windows);
    const config = benchConfig(archive.root, served.url, archive.sources.map((s) => s.feed));
    const { seconds, value: report } = await timeOnce(() => runArchive(config, { clean: cleanForSource }));
    for (const source of report.sources) {
      if (source.status === 'failed') throw new Error(`continue: ${source.slug} failed: ${source.error?.message ?? '?'}`);
      if (source.added.length !== 1) throw new Error(`continue: ${source.slug} added ${source.added.length} articles, expected 1 (the catalog rebuild did not recognise the archived items)`);
    }
    return { articles: archive.articles, sources: archive.sources.length, seconds: round(seconds) };
  } finally {
    await server.stop();
  }
}

/**
 * The benchmarks over a large old archive (100k articles, 5k with --quick):
 * reindex, then continue. Each starts from the same state: article files
 * only, no catalog.
 */
export async function benchArchive(
  options: ArchiveBenchOptions,
  log: (line: string) => void,
): Promise<{ reindex: ReindexResult; continue: ContinueResult }> {
  const articles = options.quick ? 5_000 : 100_000;
  const prepared = await timeOnce(() => ensureLargeArchive(options.cacheDir, articles, options.seed, log));
  const archive = prepared.value;
  log(`archive: ${articles} articles in 9 sources, ${archive.generated ? `generated in ${prepared.seconds.toFixed(1)} s` : 'from the cache'}`);
  try {
    const reindex = await benchReindex(archive);
    log(`  reindex ${reindex.seconds} s: ${reindex.articlesPerSec} articles/s`);
    await resetLargeArchive(archive);
    const cont = await benchContinue(archive, options.seed);
    log(`  continue (rebuild + 1 new item per source) ${cont.seconds} s`);
    return { reindex, continue: cont };
  } finally {
    await resetLargeArchive(archive);
  }
}

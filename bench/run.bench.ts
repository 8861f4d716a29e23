import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runArchive, type RunReport } from '../src/pipeline/run-archive.js';
import { CleanPool } from '../src/pipeline/clean-pool.js';
import { benchConfig } from './bench-config.js';
import { benchFeeds } from './corpus/feed-set.js';
import { measureDurableWriteFloor } from './durable-write-floor.js';
import { FeedServerHandle } from './feed-server-handle.js';
import { peakRssMB, round, timeOnce } from './measure.js';

export interface RunResult {
  feeds: number;
  items: number;
  /** Megabytes of feed XML fetched. */
  feedMegabytes: number;
  seconds: number;
  itemsPerSec: number;
  /** Temp file + fsync + rename of 4 KB files, 16 in flight: the median of three passes (before the run, after it, after the reruns). */
  durableWriteFloorPerSec: number;
  /** The three passes, files/s: a shared disk's fsync rate moves a lot; their spread says how much. */
  durableWriteFloorPasses: number[];
  /** run.itemsPerSec / durableWriteFloorPerSec (target ≥ 0.7). */
  ratioVsFloor: number;
  /**
   * CPU milliseconds per item of this process (all its threads; the feed
   * server runs apart), user and system: the run is CPU-bound when
   * (user + system) / seconds nears the number of cores.
   */
  userMsPerItem: number;
  systemMsPerItem: number;
  /** The floor's CPU milliseconds per file (user + system), median pass: the part of an item's CPU that durability alone costs. */
  floorCpuMsPerFile: number;
  peakRssMB: number;
  /** RSS before the run, with every module loaded: the part of the peak that is not the run's. */
  startRssMB: number;
  concurrency: number;
  /** Whether the run's cleaner changed the feed HTML (false while cleanForSource passes bodies through). */
  cleaning: boolean;
}

export interface RerunResult {
  feeds: number;
  /** The slower of the two reruns: the figure the target (< 1 s for 200 feeds) is about. */
  seconds: number;
  notModifiedSeconds: number;
  identicalBodySeconds: number;
}

export interface RunOptions {
  seed: number;
  quick: boolean;
  workDir: string;
  concurrency?: number | undefined;
}

function expectAdded(report: RunReport, perSource: number, what: string): void {
  for (const source of report.sources) {
    if (source.status === 'failed') throw new Error(`${what}: ${source.slug} failed: ${source.error?.message ?? '?'}`);
    if (source.added.length !== perSource) throw new Error(`${what}: ${source.slug} added ${source.added.length} articles, expected ${perSource}`);
  }
}

/**
 * Does the cleaner the CLI uses do anything? The feedx promo footer is the one thing every cleaner
 * removes. Loaded only after the run's peak is taken: the CLI's main thread never loads the cleaner
 * (its threads do), so neither does this process before then.
 */
async function cleanerActive(): Promise<boolean> {
  const { cleanForSource } = await import('../src/pipeline/clean-for-source.js');
  const html = '<p>正文</p><br><hr><div>获取更多RSS：<br><a href="https://feedx.net">https://feedx.net</a></div>';
  const source = { clean: true } as Parameters<typeof cleanForSource>[2];
  try {
    return cleanForSource(html, 'https://www.rfi.fr/cn/x', source) !== html;
  } catch {
    return true;
  }
}

/**
 * run: N local feeds × M new items into an empty archive, the whole path
 * (fetch over 127.0.0.1, decode, read, clean, durable writes, catalog, lists);
 * then rerun twice with nothing new: once the server answers 304 to the
 * validators, once it ignores them and sends the identical bodies again.
 */
export async function benchRun(options: RunOptions, log: (line: string) => void): Promise<{ run: RunResult; rerun: RerunResult }> {
  const feedCount = options.quick ? 40 : 200;
  const perFeed = options.quick ? 25 : 50;
  const floorFiles = options.quick ? 1000 : 4000;
  const server = FeedServerHandle.start();
  const dir = await mkdtemp(join(options.workDir, 'run-'));
  try {
    const feeds = benchFeeds(feedCount);
    const served = await server.serve(options.seed, feeds.map(() => ({ newest: perFeed - 1, items: perFeed })));
    const config = benchConfig(join(dir, 'archive'), served.url, feeds, options.concurrency);
    log(`run: ${feedCount} feeds × ${perFeed} new items (${(served.bytes / 1e6).toFixed(1)} MB of XML) over 127.0.0.1, concurrency ${config.concurrency}`);

    const floorPasses = [await measureDurableWriteFloor(dir, floorFiles)];
    const startRss = process.memoryUsage().rss / 2 ** 20;
    // As the CLI runs: cleaning in the worker-thread pool.
    const first = await timeOnce(() => CleanPool.using((clean, readFeed) => runArchive(config, { clean, readFeed })));
    const peak = peakRssMB();
    expectAdded(first.value, perFeed, 'run');
    floorPasses.push(await measureDurableWriteFloor(dir, floorFiles));

    const notModified = await timeOnce(() => CleanPool.using((clean, readFeed) => runArchive(config, { clean, readFeed })));
    expectAdded(notModified.value, 0, 'rerun (304)');
    const unchanged = notModified.value.sources.filter((s) => s.status === 'unchanged').length;
    if (unchanged !== feedCount) log(`  ! rerun: only ${unchanged} of ${feedCount} sources were answered 304`);
    await server.setValidators(false);
    const identical = await timeOnce(() => CleanPool.using((clean, readFeed) => runArchive(config, { clean, readFeed })));
    expectAdded(identical.value, 0, 'rerun (200, identical)');
    floorPasses.push(await measureDurableWriteFloor(dir, floorFiles));
    const byRate = [...floorPasses].sort((a, b) => a.filesPerSec - b.filesPerSec);
    const floor = byRate[1]!;

    const items = feedCount * perFeed;
    const run: RunResult = {
      feeds: feedCount,
      items,
      feedMegabytes: round(served.bytes / 1e6),
      seconds: round(first.seconds),
      itemsPerSec: round(items / first.seconds, 0),
      durableWriteFloorPerSec: round(floor.filesPerSec, 0),
      durableWriteFloorPasses: floorPasses.map((p) => round(p.filesPerSec, 0)),
      ratioVsFloor: round(items / first.seconds / floor.filesPerSec),
      userMsPerItem: round((first.userSeconds * 1000) / items, 3),
      systemMsPerItem: round((first.systemSeconds * 1000) / items, 3),
      floorCpuMsPerFile: round(floor.cpuMsPerFile, 3),
      peakRssMB: round(peak, 0),
      startRssMB: round(startRss, 0),
      concurrency: config.concurrency,
      cleaning: await cleanerActive(),
    };
    const rerun: RerunResult = {
      feeds: feedCount,
      seconds: round(Math.max(notModified.seconds, identical.seconds)),
      notModifiedSeconds: round(notModified.seconds),
      identicalBodySeconds: round(identical.seconds),
    };
    log(`  run ${run.seconds} s: ${run.itemsPerSec} items/s; durable-write floor ${run.durableWriteFloorPerSec} files/s (median of ${run.durableWriteFloorPasses.join(', ')}) → ${run.ratioVsFloor}× floor`);
    const cores = (first.userSeconds + first.systemSeconds) / first.seconds;
    log(`  CPU per item: ${run.userMsPerItem} ms user + ${run.systemMsPerItem} ms system (${round(cores, 1)} cores busy on average); the floor's CPU: ${run.floorCpuMsPerFile} ms per file`);
    log(`  peak RSS ${run.peakRssMB} MB (${run.startRssMB} MB before the run); cleaning ${run.cleaning ? 'on' : 'a pass-through'}`);
    log(`  rerun: 304s ${rerun.notModifiedSeconds} s, identical 200s ${rerun.identicalBodySeconds} s`);
    return { run, rerun };
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

import { fork } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { deepFeed, entityFeed, goodFeed, manyItemsFeed } from './corpus/hostile-feeds.js';
import { round } from './measure.js';

export interface HostileResult {
  /** The shapes' sizes: references, nesting depth, items. */
  sizes: { references: number; depth: number; items: number };
  /** Wall seconds of a run of the 3 good feeds alone (median of the rounds). */
  goodSeconds: number;
  /** Wall seconds of a run of the same 3 good feeds beside the 3 hostile ones (median). */
  hostileSeconds: number;
  /** hostileSeconds / goodSeconds, median of the per-round ratios. */
  ratioVsGood: number;
  goodPeakRssMB: number;
  hostilePeakRssMB: number;
  /** hostilePeakRssMB - goodPeakRssMB (target ≤ 128). */
  extraRssMB: number;
  /** Each source's outcome in the last hostile run: archived, or failed with which code. */
  outcomes: Array<{ slug: string; status: string; added: number; code: string | null; seconds: number }>;
  /** Each shape alone beside the 3 good feeds (median of the rounds): which one costs the time and the memory. */
  shapes: Record<string, { seconds: number; peakRssMB: number; extraRssMB: number }>;
  sourceTimeoutMs: number;
}

interface Reply {
  seconds: number;
  peakRssMB: number;
  sources: HostileResult['outcomes'];
}

const GOOD = ['good1', 'good2', 'good3'];
const SHAPES = ['entities', 'deep', 'many'];
const SOURCE_TIMEOUT_MS = 20_000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** One run of `config` into a fresh archive, in its own process. */
async function runOnce(dir: string, server: LocalFeedServer, slugs: string[]): Promise<Reply> {
  const root = await mkdtemp(join(dir, 'run-'));
  const config = join(root, 'newsmirror.yaml');
  const lines = [`sourceTimeoutMs: ${SOURCE_TIMEOUT_MS}`, 'maxBytes: 60000000', 'sources:'];
  for (const slug of slugs) lines.push(`  - { name: ${slug}, slug: ${slug}, url: "${server.url}/${slug}", fullText: never, images: keep }`);
  await writeFile(config, `${lines.join('\n')}\n`);
  const script = fileURLToPath(new URL('./hostile-run-process.js', import.meta.url));
  const reply = await new Promise<Reply>((resolve, reject) => {
    const child = fork(script, [config], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let message: Reply | undefined;
    child.on('message', (m: Reply) => (message = m));
    child.on('exit', (code) => (message ? resolve(message) : reject(new Error(`hostile run exited (${code}) without a result`))));
  });
  await rm(root, { recursive: true, force: true });
  return reply;
}

/**
 * Issue 15's three hostile shapes (a million references, 200,000 nested
 * elements, 150,000 items; a tenth with --quick) beside 3 good feeds,
 * against a run of the good feeds alone, in interleaved rounds: the wall
 * time as a ratio, and each run's peak RSS (its own process).
 */
export async function benchHostile(s: { quick: boolean; workDir: string }, log: (line: string) => void): Promise<HostileResult> {
  const scale = s.quick ? 10 : 1;
  const sizes = { references: 1_000_000 / scale, depth: 200_000 / scale, items: 150_000 / scale };
  const server = await new LocalFeedServer().start();
  const xml = (body: string) => ({ headers: { 'content-type': 'application/rss+xml' }, body });
  server.routes.set('/entities', xml(entityFeed(sizes.references)));
  server.routes.set('/deep', xml(deepFeed(sizes.depth)));
  server.routes.set('/many', xml(manyItemsFeed(sizes.items)));
  for (const slug of GOOD) server.routes.set(`/${slug}`, xml(goodFeed(slug)));
  const dir = await mkdtemp(join(s.workDir, 'hostile-'));
  const good: Reply[] = [];
  const hostile: Reply[] = [];
  const alone = new Map<string, Reply[]>(SHAPES.map((shape) => [shape, []]));
  try {
    const rounds = s.quick ? 1 : 3;
    for (let i = 0; i < rounds; i += 1) {
      good.push(await runOnce(dir, server, GOOD));
      hostile.push(await runOnce(dir, server, [...SHAPES, ...GOOD]));
      for (const shape of SHAPES) alone.get(shape)!.push(await runOnce(dir, server, [shape, ...GOOD]));
      const shapes = SHAPES.map((shape) => `${shape} ${round(alone.get(shape)![i]!.seconds)} s ${alone.get(shape)![i]!.peakRssMB} MB`).join(', ');
      log(`hostile round ${i + 1}: good ${round(good[i]!.seconds)} s ${good[i]!.peakRssMB} MB; hostile ${round(hostile[i]!.seconds)} s ${hostile[i]!.peakRssMB} MB; alone: ${shapes}`);
    }
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
  const goodPeak = median(good.map((r) => r.peakRssMB));
  const hostilePeak = median(hostile.map((r) => r.peakRssMB));
  return {
    sizes,
    goodSeconds: round(median(good.map((r) => r.seconds))),
    hostileSeconds: round(median(hostile.map((r) => r.seconds))),
    ratioVsGood: round(median(hostile.map((r, i) => r.seconds / good[i]!.seconds))),
    goodPeakRssMB: goodPeak,
    hostilePeakRssMB: hostilePeak,
    extraRssMB: hostilePeak - goodPeak,
    outcomes: hostile[hostile.length - 1]!.sources,
    shapes: Object.fromEntries(
      [...alone].map(([shape, replies]) => {
        const peak = median(replies.map((r) => r.peakRssMB));
        return [shape, { seconds: round(median(replies.map((r) => r.seconds))), peakRssMB: peak, extraRssMB: peak - goodPeak }];
      }),
    ),
    sourceTimeoutMs: SOURCE_TIMEOUT_MS,
  };
}

import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { chineseParagraph, chineseTitle } from './corpus/chinese-text.js';
import { SeededRandom } from './corpus/seeded-random.js';
import type { BigBodyRunReply, BigBodyRunRequest } from './big-body-run.js';
import { round } from './measure.js';

export interface BigBodyResult {
  /** Megabytes (UTF-8) of the one big article body in the feed. */
  bodyMegabytes: number;
  /** The same feed without the big item: 3 articles of ~4 KB. */
  baselinePeakRssMB: number;
  /** With the big item, under the default body cap (maxBodyBytes, 2 MiB). */
  cappedPeakRssMB: number;
  cappedSeconds: number;
  /** cappedPeakRssMB − baselinePeakRssMB: what the big body costs the run. */
  cappedExtraMB: number;
  /** With the big item and a cap it never reaches (64 MiB): the body archived whole. Null with --quick. */
  uncappedPeakRssMB: number | null;
  uncappedSeconds: number | null;
  /** cappedPeakRssMB / uncappedPeakRssMB. */
  ratioVsUncapped: number | null;
}

const item = (title: string, html: string, k: number) =>
  `<item><title>${title}</title><link>https://example.org/big/${k}</link><guid>urn:big:${k}</guid><pubDate>${new Date(Date.UTC(2026, 0, 1, k)).toUTCString()}</pubDate><description><![CDATA[${html}]]></description></item>`;
const feed = (items: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>big</title><link>https://example.org/</link><description>d</description>${items.join('')}</channel></rss>`;

/** Paragraphs of made-up prose with a link each, up to `bytes` of UTF-8. */
function body(rng: SeededRandom, bytes: number): string {
  const parts: string[] = ['<div>'];
  let size = 0;
  for (let i = 0; size < bytes; i += 1) {
    const p = `<p>${chineseParagraph(rng, 120)}<a href="https://example.org/x/${i}">${chineseTitle(rng)}</a></p>\n`;
    size += Buffer.byteLength(p);
    parts.push(p);
  }
  parts.push('</div>');
  return parts.join('');
}

/** One run in a process of its own, as the CLI runs it: its ru_maxrss is the run's alone. */
function runApart(request: BigBodyRunRequest): Promise<Extract<BigBodyRunReply, { seconds: number }>> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./big-body-run.js', import.meta.url)), [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let reply: BigBodyRunReply | undefined;
    child.on('message', (m: BigBodyRunReply) => (reply = m));
    child.on('exit', (code) => {
      if (reply === undefined) reject(new Error(`run process exited (${code}) without a result`));
      else if ('error' in reply) reject(new Error(reply.error));
      else resolve(reply);
    });
    child.send(request);
  });
}

/**
 * bigbody: what one article body of 13 MB costs a run (the case),
 * under the body cap and, in the same bench run, archived whole; the
 * baseline is the same feed without it. Peak RSS of each run alone.
 */
export async function benchBigBody(options: { seed: number; quick: boolean; workDir: string }, log: (line: string) => void): Promise<BigBodyResult> {
  const rng = new SeededRandom(options.seed);
  const big = body(rng, 13 * 1024 * 1024);
  const small = [1, 2, 3].map((k) => item(chineseTitle(rng), body(rng, 4096), k));
  const server = await new LocalFeedServer().start();
  server.routes.set('/small.xml', { body: feed(small) });
  server.routes.set('/big.xml', { body: feed([item(chineseTitle(rng), big, 0), ...small]) });
  const dir = await mkdtemp(join(options.workDir, 'bigbody-'));
  try {
    const bodyMegabytes = round(Buffer.byteLength(big) / 1e6, 1);
    log(`bigbody: one article body of ${bodyMegabytes} MB beside 3 of 4 KB, each run in its own process`);
    const run = (name: string, path: string, maxBodyBytes?: number) =>
      runApart({ archive: join(dir, name), url: `${server.url}${path}`, expect: path === '/big.xml' ? 4 : 3, ...(maxBodyBytes ? { maxBodyBytes } : {}) });
    const baseline = await run('baseline', '/small.xml');
    const capped = await run('capped', '/big.xml');
    const uncapped = options.quick ? undefined : await run('uncapped', '/big.xml', 64 * 1024 * 1024);
    const result: BigBodyResult = {
      bodyMegabytes,
      baselinePeakRssMB: round(baseline.peakRssMB, 0),
      cappedPeakRssMB: round(capped.peakRssMB, 0),
      cappedSeconds: round(capped.seconds),
      cappedExtraMB: round(capped.peakRssMB - baseline.peakRssMB, 0),
      uncappedPeakRssMB: uncapped ? round(uncapped.peakRssMB, 0) : null,
      uncappedSeconds: uncapped ? round(uncapped.seconds) : null,
      ratioVsUncapped: uncapped ? round(capped.peakRssMB / uncapped.peakRssMB) : null,
    };
    log(`  peak RSS: ${result.baselinePeakRssMB} MB without it; ${result.cappedPeakRssMB} MB capped (${result.cappedSeconds} s)` + (uncapped ? `; ${result.uncappedPeakRssMB} MB archived whole (${result.uncappedSeconds} s)` : ''));
    return result;
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

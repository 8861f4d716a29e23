/*
 * Child process of big-body.bench.ts: one run of one source into an empty
 * archive, as the CLI runs it (its heap settings, cleaning threads), then
 * its peak RSS (ru_maxrss: this process only) back over IPC.
 */
import { performance } from 'node:perf_hooks';
import { tuneMemory } from '../src/cli/tune-memory.js';

export interface BigBodyRunRequest {
  archive: string;
  url: string;
  /** Articles the run must add: fewer is a broken harness. */
  expect: number;
  maxBodyBytes?: number;
}

export type BigBodyRunReply = { peakRssMB: number; seconds: number } | { error: string };

tuneMemory();

async function run(request: BigBodyRunRequest): Promise<BigBodyRunReply> {
  const { configSchema } = await import('../src/config/config-schema.js');
  const { runArchive } = await import('../src/pipeline/run-archive.js');
  const { CleanPool } = await import('../src/pipeline/clean-pool.js');
  const parsed = configSchema.parse({
    archive: request.archive,
    ...(request.maxBodyBytes ? { maxBodyBytes: request.maxBodyBytes } : {}),
    sources: [{ name: 'big', slug: 'big', url: request.url, images: 'keep', fullText: 'never' }],
  });
  const started = performance.now();
  const report = await CleanPool.using((clean) => runArchive({ ...parsed, archiveDir: request.archive, file: undefined }, { clean }));
  const seconds = (performance.now() - started) / 1000;
  const added = report.sources[0]?.added.length ?? 0;
  if (added !== request.expect) return { error: `the run added ${added} articles, expected ${request.expect}: ${JSON.stringify(report.sources[0]?.error ?? {})}` };
  return { peakRssMB: process.resourceUsage().maxRSS / 1024, seconds };
}

process.once('message', (request: BigBodyRunRequest) => {
  run(request).then(
    (reply) => process.send?.(reply, () => process.disconnect()),
    (error: unknown) => process.send?.({ error: String(error) }, () => process.disconnect()),
  );
});

import { performance } from 'node:perf_hooks';

export interface Contender {
  name: string;
  /** One pass over the whole input; returns how many items it produced (checked against the expected count). */
  pass(): unknown;
}

export interface ContenderTiming {
  name: string;
  /** Seconds per pass, in the order measured. */
  seconds: number[];
  median: number;
  best: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Times contenders in interleaved rounds (A B C D, A B C D, ...) after one
 * warm-up round, so that a burst of load from another process hits them all
 * alike; each gets the median of its rounds. Ratios between medians of one
 * call are what the benchmarks report: absolute times on a shared 2-core
 * machine are noise.
 */
export async function timeInterleaved(contenders: readonly Contender[], rounds: number): Promise<ContenderTiming[]> {
  const seconds = contenders.map(() => [] as number[]);
  for (let round = -1; round < rounds; round += 1) {
    for (const [i, contender] of contenders.entries()) {
      collectGarbage();
      const start = performance.now();
      await contender.pass();
      const elapsed = (performance.now() - start) / 1000;
      if (round >= 0) seconds[i]!.push(elapsed);
    }
  }
  return contenders.map((c, i) => ({ name: c.name, seconds: seconds[i]!, median: median(seconds[i]!), best: Math.min(...seconds[i]!) }));
}

/**
 * How many times faster `subject` ran than `baseline`: the median over rounds
 * of the per-round ratio. Passes of one round ran seconds apart, so load from
 * other processes cancels out better than in a ratio of overall medians.
 */
export function pairedSpeedup(subject: ContenderTiming, baseline: ContenderTiming): number {
  return median(subject.seconds.map((s, i) => (baseline.seconds[i] ?? Number.NaN) / s));
}

/**
 * A full collection before each timed pass (when node runs with --expose-gc,
 * as main.ts starts the benchmark processes), so that no contender pays for
 * the garbage the previous one left.
 */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * Wall time of one async call, in seconds, and the CPU time this process
 * spent meanwhile (every thread: the run's cleaning and indexing threads
 * count; a child process such as the feed server does not). User time is
 * our code and the libraries'; system time is mostly the kernel's side of
 * the writes (fsync, rename, link).
 */
export async function timeOnce<T>(task: () => Promise<T>): Promise<{ seconds: number; userSeconds: number; systemSeconds: number; value: T }> {
  const before = process.resourceUsage();
  const start = performance.now();
  const value = await task();
  const seconds = (performance.now() - start) / 1000;
  const after = process.resourceUsage();
  return { seconds, userSeconds: (after.userCPUTime - before.userCPUTime) / 1e6, systemSeconds: (after.systemCPUTime - before.systemCPUTime) / 1e6, value };
}

/** The process's peak resident set so far, in MB (ru_maxrss: never goes down). */
export function peakRssMB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

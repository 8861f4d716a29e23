import { readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { LOCK_FILE } from '../pipeline/archive-lock.js';
import { loadConfig } from '../config/load-config.js';
import { NewsmirrorError, describeError } from '../domain/errors.js';
import { publishRun, renderGitSummary, resolveGitRequest, wantsGit } from '../git/publish-run.js';
import { CleanPool } from '../pipeline/clean-pool.js';
import { recoverRebase } from '../git/recover-rebase.js';
import { runArchive } from '../pipeline/run-archive.js';
import { UsageError, parseCommandArgs } from './cli-args.js';
import { println, type Output } from './output.js';
import { renderSummary, settleRunReport } from './run-command.js';

export const WATCH_HELP = `Usage: newsmirror watch [--every 1h] [--grace 60s] [--commit] [--push] [--config FILE] [--archive DIR] [--json]

Runs \`newsmirror run\` now and then at every interval (90s, 30m, 1h, 1h30m, 1d),
give or take 10% so that many archives do not hit the feeds at the same
second; one run at a time. Each run's summary is logged with its time
(--json: one JSON object per line). The config is read again for every run.
--commit and --push (or git: in the config) commit and push each run.

On SIGTERM or SIGINT, the run in progress finishes the articles in hand and
starts no new source or article (for at most --grace),
the lock is released and watch exits with 0. A second signal stops at once.`;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Each unit at most once, largest first: `1h30m`, never `1h1h` or `30m1h`. */
const DURATION = /^(?=\d)(\d+(\.\d+)?d)?(\d+(\.\d+)?h)?(\d+(\.\d+)?m)?(\d+(\.\d+)?s)?(\d+(\.\d+)?ms)?$/;

/** `90s`, `30m`, `1h`, `1h30m`, `1.5h` → milliseconds; undefined when not a duration. */
export function parseDuration(text: string): number | undefined {
  if (!DURATION.test(text)) return undefined;
  let total = 0;
  for (const [, amount, , unit] of text.matchAll(/(\d+(\.\d+)?)(ms|s|m|h|d)/g)) total += Number(amount) * UNIT_MS[unit!]!;
  return total;
}

/** The longest delay setTimeout keeps (2^31-1 ms). */
const MAX_TIMER_MS = 2 ** 31 - 1;

function duration(option: string, text: string, minimum: number): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms < minimum) throw new UsageError(`--${option} ${text}: must be a duration of at least ${minimum / 1000}s, such as 90s, 30m, 1h or 1h30m`);
  return ms;
}

/** Removes our own lock when we must leave before the run does: its files are atomic, the next run repairs the rest. */
function releaseOwnLock(archiveDir: string | undefined): void {
  if (archiveDir === undefined) return;
  const path = join(archiveDir, LOCK_FILE);
  try {
    const held = JSON.parse(readFileSync(path, 'utf8')) as { pid?: number };
    if (held.pid === process.pid) unlinkSync(path);
  } catch {
    // No lock, or not ours.
  }
}

interface WatchOptions {
  config: string | undefined;
  archive: string | undefined;
  commit: boolean;
  push: boolean;
  json: boolean;
}

/** One run and its git step; never throws (a run that cannot start is logged and the next one tries again). */
async function runOnce(options: WatchOptions, io: Output, onArchive: (dir: string) => void, signal: AbortSignal): Promise<void> {
  const at = new Date().toISOString();
  try {
    const config = await loadConfig({ config: options.config, archive: options.archive, cwd: process.cwd() });
    onArchive(config.archiveDir);
    const request = resolveGitRequest(config, options);
    const ran = await CleanPool.using((clean, readFeed) => runArchive(config, { clean, readFeed, signal, recover: () => recoverRebase(config.archiveDir) }));
    const git = wantsGit(request) ? await publishRun(config, request) : undefined;
    const report = git ? settleRunReport(ran, git) : ran;
    if (options.json) println(io.out, JSON.stringify({ at, ...report, ...(git ? { git } : {}) }));
    else for (const line of [...renderSummary(report), ...(git ? renderGitSummary(git) : [])]) println(io.out, `[${at}] ${line}`);
  } catch (error) {
    if (options.json) println(io.out, JSON.stringify({ at, error: describeError(error) }));
    // A config's problems are one a line: every one is said.
    else for (const line of (error instanceof NewsmirrorError ? error.message : describeError(error)).split('\n')) println(io.out, `[${at}] ✗ newsmirror: ${line}`);
  }
}

export async function watchCommand(args: string[], io: Output): Promise<number> {
  const { values } = parseCommandArgs('watch', args, {
    every: { type: 'string', default: '1h' },
    grace: { type: 'string', default: '60s' },
    commit: { type: 'boolean', default: false },
    push: { type: 'boolean', default: false },
  }, 0);
  if (values.help) {
    println(io.out, WATCH_HELP);
    return 0;
  }
  const every = duration('every', values.every, 1000);
  const grace = duration('grace', values.grace, 0);
  const options: WatchOptions = { config: values.config, archive: values.archive, commit: values.commit, push: values.push, json: values.json };
  let archiveDir: string | undefined;
  let stopping = false;
  let wake: () => void = () => undefined;
  let running: Promise<void> | undefined;
  const stop = new AbortController();
  const leaveNow = (why: string) => {
    println(io.err, `newsmirror watch: ${why}; stopping now (the next run repairs what this one left)`);
    releaseOwnLock(archiveDir);
    process.exit(1);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) leaveNow(`${signal} again`);
    stopping = true;
    stop.abort();
    println(io.err, `newsmirror watch: ${signal}: ${running ? 'letting the run in progress finish' : 'stopping'}`);
    wake();
    if (running) setTimeout(() => leaveNow(`the run is still going after --grace ${values.grace}`), Math.min(grace, MAX_TIMER_MS)).unref();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    while (!stopping) {
      const started = Date.now();
      running = runOnce(options, io, (dir) => (archiveDir = dir), stop.signal);
      await running;
      running = undefined;
      if (stopping) break;
      const delay = Math.max(0, every * (0.9 + Math.random() * 0.2) - (Date.now() - started));
      if (io.interactive) println(io.err, `newsmirror watch: next run at ${new Date(Date.now() + delay).toLocaleTimeString()}`);
      await new Promise<void>((resolve) => {
        // A timer holds at most 2^31-1 ms (24.8 days); a longer one fires at once. Longer waits go in steps.
        const due = Date.now() + delay;
        let timer: NodeJS.Timeout | undefined;
        const arm = () => {
          const left = due - Date.now();
          if (left <= 0) resolve();
          else timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
        };
        arm();
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
  return 0;
}

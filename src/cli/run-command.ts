import { loadConfig } from '../config/load-config.js';
import type { SourceConfig } from '../config/config-schema.js';
import { recoverRebase } from '../git/recover-rebase.js';
import { runArchive, type RunReport } from '../pipeline/run-archive.js';
import type { SourceOutcome } from '../pipeline/run-source.js';
import { CleanPool } from '../pipeline/clean-pool.js';
import { findRepository } from '../git/commit-run.js';
import { gitExitCode, publishRun, renderGitSummary, resolveGitRequest, wantsGit, type GitReport } from '../git/publish-run.js';
import { articlePath } from '../domain/article.js';
import { UsageError, parseCommandArgs } from './cli-args.js';
import { EXIT_CODES_HELP } from './exit-codes.js';
import { counted, printJson, println, type Output } from './output.js';

export const RUN_HELP = `Usage: newsmirror run [--config FILE] [--archive DIR] [--source SLUG]... [--commit] [--push] [--json]

Brings the archive up to date: fetches every configured source (or only the
--source ones), archives new articles, regenerates lists and README.

--commit (or git.commit in the config) commits the archive's files that
changed (articles, lists, images, README, state), also those an earlier
run left uncommitted; --push (or git.push) also pushes to git.push's
remotes, else origin, rebasing onto a remote that moved on. Never
force-pushes.

Config: --config FILE, else ./newsmirror.yaml, else the built-in sources
(archive in ./archive). --archive DIR overrides the config's folder.

${EXIT_CODES_HELP}`;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A message that names its source (as `--json` gives it) said after the source's label: once. */
function withoutSlug(slug: string, message: string): string {
  return message.startsWith(`${slug}: `) ? message.slice(slug.length + 2) : message;
}

function describeOutcome(o: SourceOutcome): string {
  const label = `${o.slug} (${o.name})`;
  if (o.status === 'failed') return `✗ ${label}: ${withoutSlug(o.slug, o.error?.message ?? 'failed')} [${o.error?.code ?? 'error'}]`;
  if (o.status === 'unchanged') return `= ${label}: unchanged (${seconds(o.ms)})`;
  return `✓ ${label}: ${o.added.length} new of ${o.items} (${seconds(o.ms)})`;
}

/**
 * The run's report as the archive stands once pushed: after a rebase, an
 * article of the run is new only if the rebased commit still adds it (under
 * the id it was renumbered to); one the remote had archived too (dropped, or
 * the very same file) is not. The summary counted them all as new.
 */
export function settleRunReport(report: RunReport, git: GitReport): RunReport {
  if (!git.pushes.some((p) => p.incoming > 0)) return report;
  const renumbered = git.pushes.flatMap((p) => p.renumbered);
  const committed = git.commit?.files ?? [];
  const settle = (slug: string, id: number) => renumbered.find((r) => r.slug === slug && r.from === id)?.to ?? id;
  const kept = (slug: string, id: number) => {
    const path = articlePath(slug, id);
    return committed.some((file) => file === path || file.endsWith(`/${path}`));
  };
  return {
    ...report,
    sources: report.sources.map((o) => ({ ...o, added: o.added.map((id) => settle(o.slug, id)).filter((id) => kept(o.slug, id)) })),
  };
}

export function renderSummary(report: RunReport): string[] {
  const count = (status: SourceOutcome['status']) => report.sources.filter((o) => o.status === status).length;
  const added = report.sources.reduce((n, o) => n + o.added.length, 0);
  // "Unchanged": nothing new, whether the server said so (304, the same body) or the feed held only archived items.
  // A source that recorded an edit changed the archive: it was counted "unchanged".
  const unchanged = report.sources.filter((o) => o.status === 'unchanged' || (o.status === 'ok' && o.added.length === 0 && o.edited.length === 0)).length;
  const edited = report.sources.reduce((n, o) => n + o.edited.length, 0);
  const edits = edited > 0 ? `, ${counted(edited, 'edit')} recorded` : '';
  const lines = [
    `newsmirror: ${counted(report.sources.length, 'source')}, ${counted(added, 'new article')}${edits}, ${unchanged} unchanged, ${count('failed')} failed${count('skipped') ? `, ${count('skipped')} skipped (stopping)` : ''} in ${seconds(report.ms)} → ${report.archive}`,
  ];
  for (const o of report.sources) if (o.status === 'failed') lines.push(describeOutcome(o));
  for (const h of report.attention) {
    if (h.stale) lines.push(`~ ${h.slug} (${h.name}): stale, no new article since ${h.newest ?? 'ever'} (usual interval × 4: ${h.staleAfterHours} h)`);
    if (h.consecutiveFailures > 1) lines.push(`~ ${h.slug} (${h.name}): failed ${h.consecutiveFailures} runs in a row; last success ${h.lastSuccess ?? 'never'}`);
  }
  // A source's warnings are said without its slug, which the line adds; one that has it already keeps it once.
  for (const o of report.sources) for (const w of o.warnings) lines.push(w.startsWith(`${o.slug}: `) ? `! ${w}` : `! ${o.slug}: ${w}`);
  for (const w of report.warnings) lines.push(`! ${w}`);
  return lines;
}

/**
 * Ctrl-C (SIGINT) or SIGTERM during a run: the run finishes the articles in
 * hand and starts no new one (as watch does), so what was fetched is kept;
 * a second signal stops at once (the next run repairs what that leaves).
 */
function stopOnSignal(io: Output): { signal: AbortSignal; stoppedBy: NodeJS.Signals | undefined; dispose(): void } {
  const controller = new AbortController();
  const state = {
    signal: controller.signal,
    stoppedBy: undefined as NodeJS.Signals | undefined,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
  function onSignal(signal: NodeJS.Signals): void {
    if (state.stoppedBy) {
      println(io.err, `newsmirror run: ${signal} again; stopping now (the next run repairs what this one left)`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
    state.stoppedBy = signal;
    controller.abort();
    println(io.err, `newsmirror run: ${signal}: finishing the articles in hand, starting no new one (again to stop at once)`);
  }
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return state;
}

export async function runCommand(args: string[], io: Output): Promise<number> {
  const { values } = parseCommandArgs('run', args, {
    source: { type: 'string', multiple: true },
    commit: { type: 'boolean', default: false },
    push: { type: 'boolean', default: false },
  }, 0);
  if (values.help) {
    println(io.out, RUN_HELP);
    return 0;
  }
  const config = await loadConfig({ config: values.config, archive: values.archive, cwd: process.cwd() });
  const only = values.source ?? [];
  const unknown = only.filter((slug) => !config.sources.some((s) => s.slug === slug));
  if (unknown.length > 0) {
    throw new UsageError(`--source ${unknown.join(', ')}: no such source in ${config.file ?? 'the built-in config'} (known: ${config.sources.map((s) => s.slug).join(', ')})`);
  }
  const gitRequest = resolveGitRequest(config, values);
  if (wantsGit(gitRequest)) await findRepository(config.archiveDir);
  const events = io.interactive && !values.json
    ? {
        feedFetching: (s: SourceConfig, url: string) => println(io.err, `… ${s.slug} (${s.name}) ${url}`),
        sourceFinished: (o: SourceOutcome) => println(io.err, describeOutcome(o)),
      }
    : {};
  const stop = stopOnSignal(io);
  let report: RunReport;
  try {
    report = await CleanPool.using((clean, readFeed) => runArchive(config, { only, events, clean, readFeed, signal: stop.signal, recover: () => recoverRebase(config.archiveDir) }));
  } finally {
    stop.dispose();
  }
  if (stop.stoppedBy) {
    // What was archived is whole and in the catalog; the next run (and its commit) takes it from there.
    for (const line of renderSummary(report)) println(values.json ? io.err : io.out, line);
    if (values.json) printJson(io.out, report);
    return stop.stoppedBy === 'SIGINT' ? 130 : 143;
  }
  const git = wantsGit(gitRequest) ? await publishRun(config, gitRequest) : undefined;
  if (git) report = settleRunReport(report, git);
  if (values.json) printJson(io.out, git ? { ...report, git } : report);
  else for (const line of [...renderSummary(report), ...(git ? renderGitSummary(git) : [])]) println(io.out, line);
  return git && gitExitCode(git) !== 0 ? gitExitCode(git) : report.exitCode;
}

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config/load-config.js';
import type { SourceConfig } from '../config/config-schema.js';
import { acquireLock, type ArchiveLock } from './archive-lock.js';
import { failpoint } from '../archive/failpoint.js';
import { readState, writeState, type ArchiveState, type SourceState } from '../archive/state-file.js';
import { clearTemp, syncDirectories } from '../archive/write-file-atomic.js';
import { Catalog } from '../catalog/catalog.js';
import { mapLimited } from '../domain/map-limited.js';
import { setMaxListeners } from 'node:events';
import { ArchiveError, LimitError, NewsmirrorError, describeError } from '../domain/errors.js';
import type { ReadFeedFn } from './read-feed-task.js';
import { openHttp } from './open-http.js';
import { emptyOutcome, runSource, type SourceContext, type SourceOutcome } from './run-source.js';
import { sourceHealth, type SourceHealth } from './source-health.js';
import { ImageStore } from './archive-images.js';
import { ImageBudget, type BudgetReport } from './image-budget.js';
import { bodyRenderer, type CleanFn } from './render-body.js';
import { SearchIndexer } from './search-indexer.js';
import { CATALOG_FILE, SEARCH_FILE, catalogRecovered } from '../catalog/catalog-location.js';
import { listPath } from '../archive/list-file.js';
import { writeGitignore, writeLists, writeReadme } from './write-lists.js';

export interface RunReport {
  archive: string;
  started: string;
  ms: number;
  /** 0 every source fine, 2 some failed (1 is for runs that could not start, which throw instead). */
  exitCode: 0 | 2;
  sources: SourceOutcome[];
  /** Health of the sources that failed or went stale (as `status` shows it). */
  attention: SourceHealth[];
  /** The size budgets: what this run's images used, which budgets kept pictures remote and how many. */
  budgets?: BudgetReport;
  warnings: string[];
}

export interface RunEvents {
  sourceStarted?(source: SourceConfig): void;
  /** Each feed URL of the source as it is requested: the one in use first, then mirrors or the primary when it fails. */
  feedFetching?(source: SourceConfig, url: string): void;
  sourceFinished?(outcome: SourceOutcome): void;
}

export interface RunOptions {
  /** Only these slugs (--source). */
  only?: readonly string[] | undefined;
  events?: RunEvents;
  now?: () => number;
  clean?: CleanFn;
  /** Decodes and reads fetched feeds (the CleanPool's threads; default: on this thread). */
  readFeed?: ReadFeedFn;
  /** Stop early: sources not started are skipped, articles in hand are finished. */
  signal?: AbortSignal;
  /**
   * Run first, under the lock, before any file is written: undoes what a
   * killed run left half done outside the archive's files (its rebase: the
   * git step's recoverRebase). Its line, if any, is a warning of the run.
   */
  recover?: () => Promise<string | undefined>;
}

/** What the run says of the files it opened: a state file it could not read, a catalog or search file it had to make anew. */
function openingWarnings(catalog: Catalog, stateProblem: string | undefined): string[] {
  const warnings = stateProblem ? [stateProblem] : [];
  if (catalog.recoveredFrom !== undefined) {
    warnings.push(catalogRecovered(catalog.recoveredFrom));
  } else if (catalog.searchRemade) {
    warnings.push(`${SEARCH_FILE} was not a readable SQLite database: made anew, and the articles are indexed again from their files`);
  }
  return warnings;
}

/**
 * One source's turn: skipped once a stop was asked for; a failure to write
 * its archive (disk full, permissions...) is its outcome, and the other
 * sources go on. Its state is updated only when it ran through, so nothing
 * is skipped next time.
 */
async function runSourceTurn(context: SourceContext, source: SourceConfig, state: ArchiveState, options: RunOptions, timeoutMs: number): Promise<SourceOutcome> {
  if (options.signal?.aborted) return emptyOutcome(source, 'skipped');
  options.events?.sourceStarted?.(source);
  const sourceState: SourceState = { ...state.sources[source.slug] };
  // The turn's deadline: a timer on this thread, which the CPU work on hostile bytes (reading the feed,
  // cleaning) leaves free by running on the CleanPool's threads, given up when it fires.
  const deadline = new AbortController();
  // Each body in flight and each request listens to it (32 and more): not a leak.
  setMaxListeners(256, deadline.signal);
  const timer = setTimeout(() => deadline.abort(new LimitError('too_slow', `${timeoutMs} ms (sourceTimeoutMs)`)), timeoutMs);
  let outcome: SourceOutcome;
  try {
    const fetching = (url: string) => options.events?.feedFetching?.(source, url);
    outcome = await runSource({ ...context, fetching, deadline: deadline.signal }, source, sourceState);
    state.sources[source.slug] = sourceState;
  } catch (error) {
    const code = error instanceof NewsmirrorError ? error.code : ((error as NodeJS.ErrnoException).code ?? 'error').toLowerCase();
    // SQLite's words name no file ("disk I/O error"): the catalog is the database a source writes.
    const where = code.startsWith('sqlite_') ? `${CATALOG_FILE}: ` : '';
    outcome = { ...emptyOutcome(source, 'failed'), error: { code, message: `${source.slug}: archiving failed: ${where}${describeError(error)}` } };
  } finally {
    clearTimeout(timer);
  }
  options.events?.sourceFinished?.(outcome);
  return outcome;
}

/**
 * The files of the whole archive, once every source has run: lists of
 * configured sources that have none yet, README, .gitignore, state; then
 * the folders the run wrote into are synced, so the run's files are durable.
 */
async function finishArchive(root: string, config: Config, catalog: Catalog, state: ArchiveState, outcomes: readonly SourceOutcome[]): Promise<void> {
  // The README links every configured source's list: a source that has not run yet (run --source
  // another) gets its list now, from what the catalog has of it (often nothing), so no link is dead.
  for (const source of config.sources) {
    if (!existsSync(join(root, listPath(source.name)))) await writeLists(root, catalog, source, config.timezone, false);
  }
  await writeReadme(root, config.readme.title, config.sources.map((s) => s.name), config.readme.footer);
  await writeGitignore(root, await readFile(join(root, '.gitignore'), 'utf8').catch(() => undefined));
  failpoint('before-state');
  await writeState(root, state);
  const dirs = outcomes.flatMap((o) => [
    ...(o.added.length > 0 ? [`articles/${o.slug}`] : []),
    ...o.edited.flatMap((id) => [`edits/${o.slug}/${id}`, `edits/${o.slug}`, 'edits']),
  ]);
  await syncDirectories(root, [...new Set(dirs), 'lists', '.newsmirror', '.']);
}

/**
 * The catalog, opened under the run's lock; a catalog that cannot be opened
 * (a full disk) lets the lock go: watch runs again in this process, which is
 * alive, and a lock left held refused every later run of it as "another
 * newsmirror run holds this archive", after the disk was no longer full.
 */
async function openCatalogUnder(root: string, lock: ArchiveLock): Promise<Catalog> {
  try {
    return Catalog.open(join(root, CATALOG_FILE));
  } catch (error) {
    await lock.release();
    throw error;
  }
}

/**
 * A catalog statement of the run itself (not a source's) that failed: SQLite's
 * words name no file, and a full disk ended the run as 'unexpected error:
 * database or disk is full'.
 */
function namedSqliteError(root: string, error: unknown): unknown {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (error instanceof NewsmirrorError || typeof code !== 'string' || !code.startsWith('SQLITE_')) return error;
  return new ArchiveError(code.toLowerCase(), `${join(root, CATALOG_FILE)}: ${describeError(error)}`, { cause: error });
}

/**
 * The finished run in the catalog's history. Every file of the run is
 * written by now: a catalog that cannot record it (a full disk) is a warning,
 * where it failed the whole run as 'unexpected error: database or disk is
 * full', with no summary and no commit.
 */
function recordRun(catalog: Catalog, runId: number, finished: number, report: RunReport): void {
  try {
    catalog.finishRun(runId, finished, report.exitCode === 0 ? 'ok' : 'partial', report);
  } catch (error) {
    report.warnings.push(`${CATALOG_FILE}: this run could not be recorded in the catalog (${describeError(error)}); status shows the run before it`);
  }
}

/** The run's one line on its budgets, beside the warning of each picture they kept remote. */
export function budgetWarning(budgets: BudgetReport): string {
  const images = budgets.keptRemote === 1 ? '1 image' : `${budgets.keptRemote} images`;
  return `${images} kept remote: over the size budget (budgets.${budgets.reached.join(', budgets.')}); see newsmirror size`;
}

/**
 * One run over the archive: lock, clear what a killed run left, bring every
 * selected source up to date (concurrently, each on its own), then the
 * README, .gitignore and state. Throws (ArchiveError, ConfigError) only when
 * the run cannot start; a source's failure is in its outcome.
 */
export async function runArchive(config: Config, options: RunOptions = {}): Promise<RunReport> {
  const root = config.archiveDir;
  const now = options.now ?? Date.now;
  const startedAt = now();
  const lock = await acquireLock(root);
  const catalog = await openCatalogUnder(root, lock);
  const http = openHttp(config);
  const indexer = SearchIndexer.start(catalog);
  let runId: number | undefined;
  try {
    // Before the state file is read: undoing a rebase puts ours back.
    const recovered = await options.recover?.();
    runId = catalog.startRun(startedAt);
    await clearTemp(root);
    const { state, problem } = await readState(root);
    const warnings = openingWarnings(catalog, problem);
    if (recovered !== undefined) warnings.unshift(recovered);
    const selected = options.only?.length ? config.sources.filter((s) => options.only!.includes(s.slug)) : config.sources;
    const clean = options.clean ?? ((html: string) => html);
    const budget = new ImageBudget(root, config.budgets);
    const renderBody = bodyRenderer(clean, new ImageStore(root, catalog, http, { ...config.images, maxUrlLength: config.maxUrlLength }, budget), config.body, config.maxBodyBytes);
    const context: SourceContext = { root, catalog, http, timeZone: config.timezone, fetch: config, caps: config, now, renderBody, clean, index: (a) => indexer.add(a), signal: options.signal, readFeed: options.readFeed };
    // Without `stop`, every source has its outcome (a skipped one too).
    const outcomes = (await mapLimited(selected, config.concurrency, (source) => runSourceTurn(context, source, state, options, source.sourceTimeoutMs ?? config.sourceTimeoutMs))).filter(
      (o): o is SourceOutcome => o !== undefined,
    );
    warnings.push(...(await indexer.close()));
    const budgets = budget.report();
    if (budgets.keptRemote > 0) warnings.push(budgetWarning(budgets));
    await finishArchive(root, config, catalog, state, outcomes);
    const report: RunReport = {
      archive: root,
      started: new Date(startedAt).toISOString(),
      ms: now() - startedAt,
      exitCode: outcomes.some((o) => o.status === 'failed') ? 2 : 0,
      sources: outcomes,
      attention: selected
        .map((source) => sourceHealth(source, state.sources[source.slug], catalog, now()))
        .filter((h) => h.stale || h.consecutiveFailures > 0),
      budgets,
      warnings,
    };
    recordRun(catalog, runId, now(), report);
    return report;
  } catch (error) {
    try {
      if (runId !== undefined) catalog.finishRun(runId, now(), 'error', { error: String(error) });
    } catch {
      // The catalog failing too (a full disk) must not hide why the run failed.
    }
    throw namedSqliteError(root, error);
  } finally {
    // A run that threw still lets the indexing thread finish what it was given.
    await indexer.close();
    catalog.close();
    await http.close();
    await lock.release();
  }
}

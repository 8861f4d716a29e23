import { join } from 'node:path';
import { describeError } from '../domain/errors.js';
import {
  changedPaths,
  commitPaths,
  describeHead,
  isRunMessage,
  stagePaths,
  stagedMessage,
  type CommitResult,
  type Repository,
  type SourceName,
} from './commit-run.js';
import { GitError } from './git-error.js';
import { isBehindRemote, parsePushPorcelain } from './git-porcelain.js';
import { failpoint } from '../archive/failpoint.js';
import { removeRebaseMarker } from './rebase-marker.js';
import { rebaseRun, type Renumbered } from './rebase-run.js';
import type { SameEdit } from './same-edits.js';
import { git, gitReason, runGit, type GitIdentity } from './run-git.js';

/** What the archive's generated files must be rebuilt from after a rebase brought in other commits. */
export interface ArchiveChanges {
  /** Archive paths under articles/ that differ from before the rebase (added, removed or rewritten). */
  articles: string[];
  renumbered: Renumbered[];
  /** Our articles dropped for the remote's copy under another id (`to`). */
  duplicates: Renumbered[];
  /** Our edit files dropped for the remote's identical ones. */
  sameEdits: SameEdit[];
  /** Archive paths under edits/ that differ from before the rebase (another clone's edits of our articles). */
  edits: string[];
}

/** Rebuilds the lists and README from the files. */
export type Regenerate = (changes: ArchiveChanges) => Promise<void>;

export interface PushOutcome {
  remote: string;
  status: 'pushed' | 'up_to_date' | 'failed';
  /** One line, for failures: git's own reason (`pre-receive hook declined`, `does not appear to be a git repository`, ...). */
  reason?: string;
  attempts: number;
  /** Commits of the remote that our commits were rebased onto. */
  incoming: number;
  renumbered: Renumbered[];
  dropped: string[];
}

export interface PushReport {
  pushes: PushOutcome[];
  /** Set once a rebase rewrote our commits: the last of ours as it now stands, or null when none is left. */
  rebased?: CommitResult | null;
}

export interface PushOptions {
  remotes: readonly string[];
  identity: GitIdentity;
  /** The configured sources, which commit messages name. */
  sources: readonly SourceName[];
  regenerate: Regenerate;
  /** Push attempts per remote (each after a fetch and rebase). */
  attempts?: number;
}

/** Racing hourly runs settle in one or two rounds; more means something keeps pushing. */
const ATTEMPTS = 5;

/** The branch checked out; pushing a detached HEAD would need a guess at the branch. */
export async function currentBranch(repo: Repository): Promise<string> {
  const result = await runGit(repo.top, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
  const branch = result.stdout.toString('utf8').trim();
  if (result.code !== 0 || branch === '') {
    throw new GitError('detached_head', `${repo.top}: HEAD is not on a branch, so there is nothing to push (check out a branch)`);
  }
  return branch;
}

/**
 * After a rebase: rebuild the generated files and fold them into our last
 * commit (or a new one when none of ours is left). A run's commit may add
 * fewer articles than before (the remote had some), so its message is
 * counted again; a commit of the user's keeps its message. Returns our last
 * commit, or undefined when none of ours is left.
 */
async function settle(repo: Repository, upstream: string, changes: ArchiveChanges, options: PushOptions): Promise<CommitResult | undefined> {
  await options.regenerate(changes);
  // Dropped duplicates are staged deletions under articles/: changed paths like the rest.
  const { files } = await changedPaths(repo, options.sources);
  if (files.length > 0) await stagePaths(repo, files);
  const head = (await git(repo.top, ['rev-parse', 'HEAD'])).trim();
  if (head === upstream) {
    if (files.length === 0) return undefined;
    await commitPaths(repo, files, ['-m', await stagedMessage(repo, options.sources)], options.identity);
    return describeHead(repo);
  }
  // Our last commit may hold nothing the remote does not (an edit it recorded too): it goes, as a rebase
  // drops a commit that became empty; amending it would make an empty commit, which git refuses.
  if (files.length > 0 && (await runGit(repo.top, ['diff', '--cached', '--quiet', 'HEAD^'])).code === 0) {
    await git(repo.top, ['reset', '--quiet', '--soft', 'HEAD^']);
    return (await git(repo.top, ['rev-parse', 'HEAD'])).trim() === upstream ? undefined : describeHead(repo);
  }
  const ours = await describeHead(repo);
  const counted = isRunMessage(ours.message) ? await stagedMessage(repo, options.sources, 'HEAD^') : ours.message;
  const messageArgs = counted === ours.message ? ['--no-edit'] : ['-m', counted];
  if (files.length > 0) await commitPaths(repo, files, ['--amend', ...messageArgs], options.identity);
  else if (counted !== ours.message) await git(repo.top, ['commit', '--quiet', '--amend', '--only', ...messageArgs], { identity: options.identity });
  else return ours;
  return describeHead(repo);
}

/** Records moves, joining an article moved twice (over several attempts) into one move. */
function addMoves(moves: Renumbered[], more: readonly Renumbered[]): void {
  for (const move of more) {
    const earlier = moves.find((m) => m.slug === move.slug && m.to === move.from);
    if (earlier) earlier.to = move.to;
    else moves.push({ ...move });
  }
}

async function fetchBranch(repo: Repository, remote: string, branch: string): Promise<string> {
  const fetched = await runGit(repo.top, ['fetch', '--quiet', '--no-tags', '--', remote, `refs/heads/${branch}`]);
  if (fetched.code !== 0) throw new GitError('git_failed', `fetch failed: ${gitReason(fetched)}`);
  return (await git(repo.top, ['rev-parse', 'FETCH_HEAD'])).trim();
}

async function pushOne(repo: Repository, remote: string, branch: string, options: PushOptions, report: PushReport): Promise<PushOutcome> {
  const outcome: PushOutcome = { remote, status: 'failed', attempts: 0, incoming: 0, renumbered: [], dropped: [] };
  const ref = `refs/heads/${branch}`;
  const attempts = options.attempts ?? ATTEMPTS;
  while (outcome.attempts < attempts) {
    outcome.attempts += 1;
    failpoint('before-push');
    const pushed = await runGit(repo.top, ['push', '--porcelain', '--', remote, `HEAD:${ref}`]);
    const status = parsePushPorcelain(pushed.stdout.toString('utf8'), ref);
    if (pushed.code === 0) {
      outcome.status = status?.flag === '=' ? 'up_to_date' : 'pushed';
      return outcome;
    }
    if (!status || !isBehindRemote(status)) {
      outcome.reason = status?.flag === '!' ? `${status.summary.replace(/^\[|\]$/g, '')}${status.reason ? ` (${status.reason})` : ''}` : gitReason(pushed);
      return outcome;
    }
    // Another push held the branch's lock: let it finish before fetching what it pushed.
    if (status.summary === '[remote rejected]') await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 400));
    try {
      const upstream = await fetchBranch(repo, remote, branch);
      const rebased = await rebaseRun(repo, upstream, options.identity);
      // The catalog changes from here (settle's regenerate): going back to the commit before the rebase, as
      // the next run would after a kill (recover-rebase.ts), would no longer be sound.
      await removeRebaseMarker(join(repo.top, repo.prefix));
      outcome.incoming += rebased.incoming;
      addMoves(outcome.renumbered, rebased.renumbered);
      outcome.dropped.push(...rebased.dropped);
      report.rebased = (await settle(repo, upstream, { articles: rebased.changedArticles, renumbered: rebased.renumbered, duplicates: rebased.duplicates, sameEdits: rebased.sameEdits, edits: rebased.changedEdits }, options)) ?? null;
    } catch (error) {
      outcome.reason = describeError(error).replace(`${repo.top}: `, '');
      return outcome;
    }
  }
  outcome.reason = `still behind the remote after ${attempts} attempts (another run keeps pushing)`;
  return outcome;
}

/**
 * Pushes the current branch to each remote in turn, never forcing: a remote
 * that moved on is fetched and our commits rebased onto it (see rebaseRun),
 * then pushed again, a few times at most. A remote that fails is reported and
 * the next one still gets the commits; local commits always stay.
 */
export async function pushRun(repo: Repository, options: PushOptions): Promise<PushReport> {
  const branch = await currentBranch(repo);
  const report: PushReport = { pushes: [] };
  for (const remote of options.remotes) report.pushes.push(await pushOne(repo, remote, branch, options, report));
  return report;
}

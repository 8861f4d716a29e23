import { acquireLock } from '../pipeline/archive-lock.js';
import type { Config } from '../config/load-config.js';
import { ConfigError, describeError } from '../domain/errors.js';
import { changedPaths, checkNoOperation, checkOnBranch, commitRun, findRepository, type CommitResult } from './commit-run.js';
import { pushRun, type PushOutcome, type Regenerate } from './push-run.js';
import { regenerateArchive } from './regenerate-archive.js';
import { clearStaleIndexLock } from './stale-index-lock.js';

/** What to do with git after a run. */
export interface GitRequest {
  commit: boolean;
  /** Remotes to push to, in order; empty for no push. */
  remotes: string[];
}

export interface GitReport {
  /** The work tree's top folder. */
  repository: string;
  /** The run's commit (as pushed, when a rebase rewrote it); null when it made none or a rebase left nothing of it. */
  commit: CommitResult | null;
  pushes: PushOutcome[];
  /** Files under articles/, lists/ or assets/ that newsmirror does not write (swap files, notes): left out of the commit. */
  stray: string[];
  /** A commit that failed (a hook said no, say): one line. */
  error?: string;
  /** A `.git/index.lock` found before the git step: removed (left by a killed git) or kept, and why. */
  indexLock?: { path: string; removed: boolean; why?: string };
}

/**
 * `--commit` / `git.commit` commit; `--push` / `git.push` push (to git.push,
 * else origin) and imply a commit, since pushing without the run's files
 * would publish nothing new.
 */
export function resolveGitRequest(config: Config, flags: { commit?: boolean; push?: boolean }): GitRequest {
  const remotes = config.git.push.length > 0 ? [...config.git.push] : flags.push ? ['origin'] : [];
  for (const remote of remotes) {
    if (remote.startsWith('-') || /\s/.test(remote)) {
      throw new ConfigError('invalid_config', `${config.file ?? 'config'}: git.push: "${remote}" is not a remote name`);
    }
  }
  return { commit: Boolean(flags.commit || flags.push) || config.git.commit || remotes.length > 0, remotes };
}

export function wantsGit(request: GitRequest): boolean {
  return request.commit || request.remotes.length > 0;
}

/**
 * Commits what the run changed and pushes it, holding the archive lock so no
 * other run writes the folder while a rebase rewrites it. Never throws for
 * git's own failures: they are in the report (the run's files are written
 * either way). `regenerate` defaults to rebuilding lists from the catalog.
 */
export async function publishRun(config: Config, request: GitRequest, regenerate?: Regenerate): Promise<GitReport> {
  const repo = await findRepository(config.archiveDir);
  const out: GitReport = { repository: repo.top, commit: null, pushes: [], stray: [] };
  const lock = await acquireLock(config.archiveDir);
  try {
    const index = await clearStaleIndexLock(repo);
    if (index.kind !== 'none') out.indexLock = { path: index.path, removed: index.kind === 'removed', ...(index.kind === 'kept' ? { why: index.why } : {}) };
    await checkNoOperation(repo);
    if (request.commit) {
      await checkOnBranch(repo);
      const changes = await changedPaths(repo, config.sources);
      out.stray = changes.stray;
      out.commit = (await commitRun(repo, changes.files, config.sources, config.git.author)) ?? null;
    }
    if (request.remotes.length > 0) {
      const pushed = await pushRun(repo, {
        remotes: request.remotes,
        identity: config.git.author,
        sources: config.sources,
        regenerate: regenerate ?? ((changes) => regenerateArchive(config, changes)),
      });
      out.pushes = pushed.pushes;
      // A rebase rewrote the run's commit (its id, maybe its count): report it as pushed.
      if (out.commit && pushed.rebased !== undefined) out.commit = pushed.rebased;
    }
  } catch (error) {
    out.error = describeError(error);
  } finally {
    await lock.release();
  }
  return out;
}

/** 3 when committing or a push failed: the archive is written, but not (everywhere) published. */
export function gitExitCode(git: GitReport): 0 | 3 {
  return git.error !== undefined || git.pushes.some((p) => p.status === 'failed') ? 3 : 0;
}

/** Stray files the summary names; the rest are counted. */
const STRAY_NAMED = 3;

/** One line for the commit, one for stray files left out of it, one per remote; failures start with ✗ and name the remote and the reason. */
export function renderGitSummary(git: GitReport): string[] {
  const lines: string[] = [];
  if (git.indexLock?.removed) lines.push(`git: removed ${git.indexLock.path}, left by a git that was killed (no git process runs in the repository)`);
  else if (git.indexLock) lines.push(`git: kept ${git.indexLock.path}: ${git.indexLock.why}; remove it if no git runs there`);
  if (git.error !== undefined) lines.push(`✗ git: ${git.error}`);
  else if (git.commit) lines.push(`git: committed ${git.commit.sha.slice(0, 10)} "${git.commit.message}" (${git.commit.files.length} file${git.commit.files.length === 1 ? '' : 's'})`);
  if (git.stray.length > 0) {
    const more = git.stray.length > STRAY_NAMED ? ` and ${git.stray.length - STRAY_NAMED} more` : '';
    lines.push(`git: not committed, not files newsmirror writes: ${git.stray.slice(0, STRAY_NAMED).join(', ')}${more}`);
  }
  for (const push of git.pushes) {
    if (push.status === 'failed') {
      lines.push(`✗ git push ${push.remote}: ${push.reason ?? 'failed'}`);
      continue;
    }
    const notes: string[] = [];
    if (push.incoming > 0) notes.push(`rebased onto ${push.incoming} new commit${push.incoming === 1 ? '' : 's'}`);
    for (const r of push.renumbered) notes.push(`${r.slug} ${r.from} → ${r.to}`);
    if (push.dropped.length > 0) notes.push(`${push.dropped.length} already there`);
    const verb = push.status === 'up_to_date' ? 'up to date with' : 'pushed to';
    lines.push(`git: ${verb} ${push.remote}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`);
  }
  return lines;
}

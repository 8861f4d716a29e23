import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describeError } from '../domain/errors.js';
import { PUBLISHED_PATHS, findRepository, type Repository } from './commit-run.js';
import { readRebaseMarker, removeCreated, removeRebaseMarker, type RebaseMarker } from './rebase-marker.js';
import { git, gitReason, runGit, splitZ } from './run-git.js';

async function gitPath(repo: Repository, name: string): Promise<string> {
  return resolve(repo.top, (await git(repo.top, ['rev-parse', '--git-path', name])).trim());
}

async function head(repo: Repository): Promise<{ sha: string; branch: string }> {
  const sha = (await git(repo.top, ['rev-parse', 'HEAD'])).trim();
  const branch = (await runGit(repo.top, ['symbolic-ref', '--quiet', 'HEAD'])).stdout.toString('utf8').trim();
  return { sha, branch };
}

/**
 * Whether the rebase git shows in progress is the one the marker describes:
 * the same commit rebased (orig-head), onto the same remote commit (onto),
 * of the same branch (head-name). A maintainer's rebase differs in one of
 * them at least, or uses the apply backend (rebase-apply), which ours never does.
 */
async function isOurRebase(repo: Repository, marker: RebaseMarker, folder: string): Promise<boolean> {
  const read = (name: string) => readFile(join(folder, name), 'utf8').then((t) => t.trim(), () => '');
  return marker.phase === 'rebasing' && (await read('orig-head')) === marker.before && (await read('onto')) === marker.upstream && (await read('head-name')) === marker.branch;
}

/**
 * After our rebase finished, before the generated files were rebuilt (the
 * catalog untouched yet): back to our commit as it was, so the next push
 * rebases it again from the start. The archive's files the rebase's last
 * steps deleted or took from the remote are put back as HEAD has them, then
 * `reset --keep` moves the branch back, keeping any change of the user's
 * elsewhere (it refuses rather than overwrite one).
 */
async function undoFinished(repo: Repository, marker: RebaseMarker): Promise<string | undefined> {
  const pathspecs = PUBLISHED_PATHS.map((p) => `${repo.prefix}${p}`);
  const changed = splitZ(await git(repo.top, ['diff', '--name-only', '-z', '--no-renames', 'HEAD', '--', ...pathspecs]));
  if (changed.length > 0) {
    await git(repo.top, ['checkout', 'HEAD', '--pathspec-from-file=-', '--pathspec-file-nul'], { input: `${changed.join('\0')}\0` });
  }
  const reset = await runGit(repo.top, ['reset', '--quiet', '--keep', marker.before]);
  return reset.code === 0 ? undefined : gitReason(reset);
}

/** Whether HEAD is the result of our rebase, which finished before the marker could say so: the branch's reflog tells. */
async function finishedUnsaid(repo: Repository, marker: RebaseMarker, now: { sha: string; branch: string }): Promise<boolean> {
  if (marker.phase !== 'rebasing' || now.branch !== marker.branch) return false;
  const entry = await runGit(repo.top, ['reflog', '-1', '--format=%H %gs', marker.branch]);
  const expected = `${now.sha} rebase (finish): ${marker.branch} onto ${marker.upstream}`;
  if (entry.stdout.toString('utf8').trim() !== expected) return false;
  const previous = await runGit(repo.top, ['rev-parse', '--verify', '--quiet', `${marker.branch}@{1}`]);
  return previous.stdout.toString('utf8').trim() === marker.before;
}

function short(sha: string): string {
  return sha.slice(0, 10);
}

async function recover(repo: Repository, marker: RebaseMarker): Promise<string | undefined> {
  const merge = await gitPath(repo, 'rebase-merge');
  const inProgress = existsSync(merge) || existsSync(await gitPath(repo, 'rebase-apply'));
  const onto = `the rebase onto ${short(marker.upstream)} that a killed run left`;
  if (inProgress) {
    // Not ours: left alone, and the git step says so (checkNoOperation).
    if (!(await isOurRebase(repo, marker, merge))) return undefined;
    const aborted = await runGit(repo.top, ['rebase', '--abort']);
    if (aborted.code !== 0) return `git: could not undo ${onto}: ${gitReason(aborted)}`;
    const removed = await removeCreated(repo, marker.created);
    const files = removed > 0 ? ` and the ${removed} renumbered file${removed === 1 ? '' : 's'} it wrote removed` : '';
    return `git: undid ${onto} (git rebase --abort${files}); this run's push rebases again`;
  }
  const now = await head(repo);
  if (now.sha === marker.before && now.branch === marker.branch) {
    // Killed before the rebase started, or after it was aborted: at most its untracked files are left.
    const removed = await removeCreated(repo, marker.created);
    return removed > 0 ? `git: removed ${removed} renumbered file${removed === 1 ? '' : 's'} left by a rebase a killed run undid` : undefined;
  }
  const finished = marker.phase === 'rebased' ? now.sha === marker.rebased && now.branch === marker.branch : await finishedUnsaid(repo, marker, now);
  // HEAD moved since by someone else: the marker describes nothing any more.
  if (!finished) return undefined;
  const problem = await undoFinished(repo, marker);
  if (problem !== undefined) return `git: could not take back ${onto}, finished but not pushed: ${problem}`;
  return `git: took back ${onto}, finished but not pushed (its lists not rebuilt), to ${short(marker.before)}; this run's push rebases again`;
}

/**
 * At the start of a run, under the archive's lock and before any file is
 * written: a rebase of ours that a killed run left (its marker says so) is
 * undone, and what it wrote that the undoing leaves behind is removed, so
 * the run archives into our own commit and its push rebases afresh. A
 * rebase that is not ours is left alone. Never throws: one line to say, or
 * undefined when there was nothing of ours to undo.
 */
export async function recoverRebase(archiveDir: string): Promise<string | undefined> {
  const marker = await readRebaseMarker(archiveDir);
  if (!marker) {
    await removeRebaseMarker(archiveDir);
    return undefined;
  }
  try {
    const repo = await findRepository(archiveDir);
    const said = await recover(repo, marker);
    if (!said?.startsWith('git: could not')) await removeRebaseMarker(archiveDir);
    return said;
  } catch (error) {
    return `git: could not undo the rebase a killed run left: ${describeError(error)}`;
  }
}

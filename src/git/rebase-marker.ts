import { existsSync } from 'node:fs';
import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../archive/write-file-atomic.js';
import type { Repository } from './commit-run.js';
import { runGit } from './run-git.js';

/**
 * What a run's rebase is about to do, written before `git rebase` starts and
 * removed once the rebase is settled or undone: a run killed in between
 * leaves it, and the next run (recover-rebase.ts) knows the rebase git shows
 * in progress is its own, and what it wrote that an abort leaves behind.
 * Beside the lock, in the archive's own folder: never committed, and kept by
 * `git rebase --abort` and `git reset` (an untracked file).
 */
export const REBASE_MARKER = '.newsmirror/rebase.json';

/** A renumbered article file the rebase wrote: its path (from the work tree's top) and its blob, which proves it ours. */
export interface CreatedFile {
  path: string;
  blob: string;
}

export interface RebaseMarker {
  /** Our HEAD before the rebase (git's rebase-merge/orig-head). */
  before: string;
  /** The remote's commit we rebase onto (rebase-merge/onto). */
  upstream: string;
  /** The branch being rebased, `refs/heads/main` (rebase-merge/head-name). */
  branch: string;
  /** `rebasing` while git's rebase runs; `rebased` once it finished (HEAD is `rebased`), the generated files not yet rebuilt. */
  phase: 'rebasing' | 'rebased';
  rebased?: string;
  created: CreatedFile[];
}

const SHA = /^[0-9a-f]{40,64}$/;

function isCreated(value: unknown): value is CreatedFile {
  const file = value as Partial<CreatedFile> | null;
  return typeof file?.path === 'string' && file.path !== '' && typeof file.blob === 'string' && SHA.test(file.blob);
}

/** The marker as written, or undefined: none, or not one of ours (cut short, hand-edited), which proves nothing. */
export function parseRebaseMarker(text: string): RebaseMarker | undefined {
  let value: Partial<RebaseMarker>;
  try {
    value = JSON.parse(text) as Partial<RebaseMarker>;
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { before, upstream, branch, phase, rebased, created } = value;
  if (typeof before !== 'string' || !SHA.test(before) || typeof upstream !== 'string' || !SHA.test(upstream)) return undefined;
  if (typeof branch !== 'string' || !branch.startsWith('refs/heads/')) return undefined;
  if (phase !== 'rebasing' && phase !== 'rebased') return undefined;
  if (phase === 'rebased' && (typeof rebased !== 'string' || !SHA.test(rebased))) return undefined;
  if (!Array.isArray(created) || !created.every(isCreated)) return undefined;
  return { before, upstream, branch, phase, ...(rebased === undefined ? {} : { rebased }), created };
}

export async function readRebaseMarker(root: string): Promise<RebaseMarker | undefined> {
  const text = await readFile(join(root, REBASE_MARKER), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : parseRebaseMarker(text);
}

/** Atomically (and fsynced): a marker cut short by a kill would prove nothing, and the rebase would be left as a stranger's. */
export async function writeRebaseMarker(root: string, marker: RebaseMarker): Promise<void> {
  await writeFileAtomic(root, REBASE_MARKER, `${JSON.stringify(marker, null, 2)}\n`);
}

export async function removeRebaseMarker(root: string): Promise<void> {
  await unlink(join(root, REBASE_MARKER)).catch(() => undefined);
}

/**
 * Removes the renumbered files the rebase wrote that git does not track (an
 * abort takes the staged ones away, not one written before its `git add`):
 * only a file still holding the very bytes the marker names, so a file of
 * anyone else's at that path is kept. Returns how many went.
 */
export async function removeCreated(repo: Repository, created: readonly CreatedFile[]): Promise<number> {
  let removed = 0;
  for (const { path, blob } of created) {
    if (!existsSync(join(repo.top, path))) continue;
    if ((await runGit(repo.top, ['ls-files', '--error-unmatch', '--', path])).code === 0) continue;
    const sha = (await runGit(repo.top, ['hash-object', '--', path])).stdout.toString('utf8').trim();
    if (sha !== blob) continue;
    await unlink(join(repo.top, path));
    removed += 1;
  }
  return removed;
}

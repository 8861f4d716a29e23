import { existsSync } from 'node:fs';
import { readdir, readFile, readlink, unlink } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { Repository } from './commit-run.js';
import { git } from './run-git.js';

/** What became of a `.git/index.lock` found before the run's git step. */
export type IndexLockOutcome =
  | { kind: 'none' }
  | { kind: 'removed'; path: string }
  /** Kept: a git process may be using it (or, without /proc, nothing can tell). git's own error then names it. */
  | { kind: 'kept'; path: string; why: string };

function inside(path: string, folders: readonly string[]): boolean {
  return folders.some((folder) => path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep));
}

/**
 * Whether a process of this machine may be git working in `folders` (the work
 * tree and the git folder), read from /proc (Linux): a process named git (or
 * git-*, as git-remote-https) whose working folder or GIT_DIR is inside them.
 * A git process whose folder cannot be read (another user's) counts as one.
 */
async function gitProcessIn(folders: readonly string[]): Promise<string | undefined> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid);
  for (const pid of pids) {
    const name = (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim();
    if (name !== 'git' && !name.startsWith('git-')) continue;
    const cwd = await readlink(`/proc/${pid}/cwd`).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : ''));
    if (cwd === undefined) continue; // gone meanwhile
    if (cwd === '' || inside(cwd, folders)) return `git (pid ${pid}) is running there`;
    const environ = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
    const gitDir = environ.split('\0').find((v) => v.startsWith('GIT_DIR='))?.slice('GIT_DIR='.length);
    if (gitDir !== undefined && inside(resolve(cwd, gitDir), folders)) return `git (pid ${pid}) is running there`;
  }
  return undefined;
}

/**
 * Removes the index lock a killed git (a run killed while it committed or
 * rebased) left, which made every later commit fail with "Unable to create
 * index.lock: File exists". Call only while holding the archive's lock (no
 * run of ours is committing), and it is removed only when no git process
 * works in this repository: a user's `git commit` in another terminal holds
 * the same file. Without /proc (macOS, Windows) no process can be looked up,
 * so the file is kept and git's error says to remove it.
 */
export async function clearStaleIndexLock(repo: Repository): Promise<IndexLockOutcome> {
  const [indexLock = '', gitDir = ''] = (await git(repo.top, ['rev-parse', '--git-path', 'index.lock', '--git-dir'])).split('\n');
  const path = resolve(repo.top, indexLock);
  if (!existsSync(path)) return { kind: 'none' };
  if (!existsSync('/proc/self/cwd')) return { kind: 'kept', path, why: 'no /proc here to tell whether git is running' };
  const running = await gitProcessIn([repo.top, resolve(repo.top, gitDir)]);
  if (running !== undefined) return { kind: 'kept', path, why: running };
  await unlink(path).catch(() => undefined);
  return { kind: 'removed', path };
}

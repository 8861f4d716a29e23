import { existsSync } from 'node:fs';
import { dirname, relative, sep } from 'node:path';
import { STATE_FILE } from '../archive/state-file.js';
import { GitError } from './git-error.js';
import { parseStatusZ } from './git-porcelain.js';
import { git, runGit, type GitIdentity } from './run-git.js';

/** Where the archive sits in its git work tree. */
export interface Repository {
  /** The work tree's top folder (`git rev-parse --show-toplevel`). */
  top: string;
  /** The archive folder relative to `top`, with a trailing `/` (empty when the archive is the top). */
  prefix: string;
}

/**
 * Finds the work tree holding the archive folder, which may be a subfolder
 * (`archive: archive`) and may not exist yet before the first run.
 */
export async function findRepository(archiveDir: string): Promise<Repository> {
  let existing = archiveDir;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  const result = await runGit(existing, ['rev-parse', '--show-toplevel', '--show-prefix']);
  const [top, prefix = ''] = result.stdout.toString('utf8').split('\n');
  if (result.code !== 0 || !top) {
    throw new GitError('not_a_repository', `${archiveDir}: not inside a git work tree (run git init there, or newsmirror init)`);
  }
  const tail = relative(existing, archiveDir).split(sep).filter(Boolean).join('/');
  const full = `${prefix}${tail}`;
  return { top, prefix: full === '' || full.endsWith('/') ? full : `${full}/` };
}

/** Files outside the written list that a run may change and that belong in its commit. */
const RUN_FILES = ['README.md', '.gitignore', STATE_FILE];

/** `newsmirror: 法广 +3, BBC +1` in config order; `newsmirror: update lists` when no article is new. */
export function renderCommitMessage(sources: readonly { name: string; added: readonly number[] }[]): string {
  const parts = sources.filter((s) => s.added.length > 0).map((s) => `${s.name} +${s.added.length}`);
  return parts.length > 0 ? `newsmirror: ${parts.join(', ')}` : 'newsmirror: update lists';
}

/** Archive paths (relative to the archive) that differ from HEAD, among `paths`. */
export async function changedPaths(repo: Repository, paths: Iterable<string>): Promise<string[]> {
  const wanted = new Set<string>();
  for (const path of paths) wanted.add(`${repo.prefix}${path}`);
  const status = await git(repo.top, ['status', '--porcelain', '-z', '--no-renames', '--untracked-files=all', '--', repo.prefix || '.']);
  return parseStatusZ(status)
    .map((entry) => entry.path)
    .filter((path) => wanted.has(path))
    .sort();
}

export interface CommitResult {
  sha: string;
  message: string;
  /** Paths committed, relative to the work tree top. */
  files: string[];
}

/**
 * Commits exactly the files a run wrote (plus README, .gitignore and the
 * state file when they changed), leaving anything else the user has staged
 * or edited alone. Never the catalog, temp files or lock: they are not in the
 * list, and `.newsmirror/` paths other than the state file are dropped.
 * Returns undefined when none of them changed: no empty commits.
 */
export async function commitRun(repo: Repository, written: readonly string[], message: string, identity: GitIdentity): Promise<CommitResult | undefined> {
  const candidates = [...written, ...RUN_FILES].filter((path) => !path.startsWith('.newsmirror/') || path === STATE_FILE);
  const files = await changedPaths(repo, candidates);
  if (files.length === 0) return undefined;
  await commitPaths(repo, files, ['-m', message], identity);
  const sha = (await git(repo.top, ['rev-parse', 'HEAD'])).trim();
  return { sha, message, files };
}

/**
 * `git add` then `git commit --only` on these paths (relative to the top),
 * given through stdin so thousands of paths fit and none can be an option.
 */
export async function commitPaths(repo: Repository, files: readonly string[], commitArgs: readonly string[], identity: GitIdentity): Promise<void> {
  const input = `${files.join('\0')}\0`;
  await git(repo.top, ['add', '--all', '--pathspec-from-file=-', '--pathspec-file-nul'], { input });
  await git(repo.top, ['commit', '--quiet', '--only', ...commitArgs, '--pathspec-from-file=-', '--pathspec-file-nul'], { input, identity });
}

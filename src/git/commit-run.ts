import { existsSync } from 'node:fs';
import { dirname, relative, sep } from 'node:path';
import { STATE_FILE } from '../archive/state-file.js';
import { ARTICLE_PATH } from './article-identity.js';
import { GitError } from './git-error.js';
import { parseStatusZ } from './git-porcelain.js';
import { git, runGit, splitZ, type GitIdentity } from './run-git.js';

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

/**
 * What the archive publishes (README's layout), relative to the archive: the
 * only paths a run commits. Not the rest of the folder (the config, package.json
 * and workflow sit beside an archive at the top), nor `.newsmirror/`'s
 * catalog, search index, temp files and lock.
 */
export const PUBLISHED_PATHS = ['README.md', '.gitignore', STATE_FILE, 'articles/', 'lists/', 'assets/'];

/** `newsmirror: 法广 +3, BBC +1` in config order; `newsmirror: update lists` when no article is new. */
export function renderCommitMessage(sources: readonly { name: string; added: readonly number[] }[]): string {
  const parts = sources.filter((s) => s.added.length > 0).map((s) => `${s.name} +${s.added.length}`);
  return parts.length > 0 ? `newsmirror: ${parts.join(', ')}` : 'newsmirror: update lists';
}

/** Whether a commit message is one renderCommitMessage writes: a run's commit, whose count a rebase may change. */
export function isRunMessage(message: string): boolean {
  return /^newsmirror: (?:update lists|[^\n]* \+\d+)$/.test(message.trimEnd());
}

/** A configured source, as commit messages name it. */
export interface SourceName {
  slug: string;
  name: string;
}

/**
 * The message for the commit the index holds: the article files it adds
 * under articles/ against `base` (default HEAD, or nothing on an unborn
 * branch), counted per source in config order, then any unconfigured slug.
 */
export async function stagedMessage(repo: Repository, sources: readonly SourceName[], base?: string): Promise<string> {
  const args = ['diff', '--cached', '--name-only', '-z', '--no-renames', '--diff-filter=A', ...(base === undefined ? [] : [base])];
  const names = await git(repo.top, [...args, '--', `${repo.prefix}articles/`]);
  const added = new Map<string, number[]>();
  for (const path of splitZ(names)) {
    const match = ARTICLE_PATH.exec(path.slice(repo.prefix.length));
    if (!match) continue;
    let ids = added.get(match[1]!);
    if (!ids) added.set(match[1]!, (ids = []));
    ids.push(Number(match[2]));
  }
  const counted = sources.map((s) => ({ name: s.name, added: added.get(s.slug) ?? [] }));
  for (const [slug, ids] of added) if (!sources.some((s) => s.slug === slug)) counted.push({ name: slug, added: ids });
  return renderCommitMessage(counted);
}

/**
 * The published paths that differ from HEAD (relative to the top, sorted):
 * whatever wrote them, this run or an earlier one whose files never made it
 * into a commit. Git-ignored files are left out.
 */
export async function changedPaths(repo: Repository): Promise<string[]> {
  const pathspecs = PUBLISHED_PATHS.map((path) => `${repo.prefix}${path}`);
  const status = await git(repo.top, ['status', '--porcelain', '-z', '--no-renames', '--untracked-files=all', '--', ...pathspecs]);
  return parseStatusZ(status)
    .map((entry) => entry.path)
    .sort();
}

export interface CommitResult {
  sha: string;
  message: string;
  /** Paths committed, relative to the work tree top. */
  files: string[];
}

/**
 * Commits every published file that differs from HEAD: the articles, lists,
 * images, README, .gitignore and state file this run wrote, and any an
 * earlier run wrote but did not commit (so such an archive heals). Anything
 * outside the published paths that the user has staged or edited is left
 * alone. The message counts the articles the commit adds. Returns undefined
 * when nothing there changed: no empty commits.
 */
export async function commitRun(repo: Repository, sources: readonly SourceName[], identity: GitIdentity): Promise<CommitResult | undefined> {
  const files = await changedPaths(repo);
  if (files.length === 0) return undefined;
  await stagePaths(repo, files);
  const message = await stagedMessage(repo, sources);
  await commitPaths(repo, files, ['-m', message], identity);
  const sha = (await git(repo.top, ['rev-parse', 'HEAD'])).trim();
  return { sha, message, files };
}

/** HEAD as a CommitResult: its message and the paths it changed against its parent. */
export async function describeHead(repo: Repository): Promise<CommitResult> {
  const [sha = '', ...lines] = (await git(repo.top, ['log', '-1', '--format=%H%n%B', 'HEAD'])).split('\n');
  const names = await git(repo.top, ['diff-tree', '-r', '--root', '--no-commit-id', '--name-only', '-z', '--no-renames', 'HEAD']);
  return { sha, message: lines.join('\n').trimEnd(), files: splitZ(names).sort() };
}

/** `git add` of these paths (relative to the top), given through stdin so thousands of paths fit and none can be an option. */
export async function stagePaths(repo: Repository, files: readonly string[]): Promise<void> {
  await git(repo.top, ['add', '--all', '--pathspec-from-file=-', '--pathspec-file-nul'], { input: `${files.join('\0')}\0` });
}

/**
 * `git commit --only` on these paths (relative to the top, staged first with
 * stagePaths: new files must be known to git), through stdin like stagePaths.
 */
export async function commitPaths(repo: Repository, files: readonly string[], commitArgs: readonly string[], identity: GitIdentity): Promise<void> {
  const input = `${files.join('\0')}\0`;
  await git(repo.top, ['commit', '--quiet', '--only', ...commitArgs, '--pathspec-from-file=-', '--pathspec-file-nul'], { input, identity });
}

import { existsSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { STATE_FILE } from '../archive/state-file.js';
import { IMAGE_EXTENSION } from '../content/image-bytes.js';
import { stripControlCharacters } from '../domain/control-characters.js';
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

/** What git keeps in its folder while an operation waits to be finished, and how to undo each. */
const IN_PROGRESS: ReadonlyArray<{ path: string; what: string; abort: string }> = [
  { path: 'rebase-merge', what: 'a rebase', abort: 'git rebase --abort' },
  { path: 'rebase-apply', what: 'a rebase', abort: 'git rebase --abort' },
  { path: 'MERGE_HEAD', what: 'a merge', abort: 'git merge --abort' },
  { path: 'CHERRY_PICK_HEAD', what: 'a cherry-pick', abort: 'git cherry-pick --abort' },
  { path: 'REVERT_HEAD', what: 'a revert', abort: 'git revert --abort' },
  { path: 'BISECT_LOG', what: 'a bisect', abort: 'git bisect reset' },
];

/**
 * Refuses to commit or push in the middle of an unfinished git operation (a
 * merge or rebase of the user's; a rebase of a killed run of ours was undone
 * at the run's start, recover-rebase.ts): a commit would land on the
 * operation's detached HEAD, and aborting the operation, as git advises,
 * would then take the run's new article files out of the work tree. Our own
 * rebase would abort the operation itself.
 */
export async function checkNoOperation(repo: Repository): Promise<void> {
  const paths = IN_PROGRESS.map((op) => op.path);
  // Relative to the work tree's top (where git runs); `--path-format` needs git 2.31.
  const found = (await git(repo.top, ['rev-parse', ...paths.flatMap((p) => ['--git-path', p])])).split('\n').filter(Boolean);
  for (const [i, op] of IN_PROGRESS.entries()) {
    if (found[i] !== undefined && existsSync(resolve(repo.top, found[i]!))) {
      throw new GitError('in_progress', `${repo.top}: ${op.what} is in progress (a run killed in one?); finish it or run \`${op.abort}\`, then run again: nothing was committed`);
    }
  }
}

/**
 * Refuses to commit on a detached HEAD (a tag or a commit checked out): the
 * commit would belong to no branch, and checking a branch out afterwards
 * would take the run's new article files out of the work tree with it.
 */
export async function checkOnBranch(repo: Repository): Promise<void> {
  if ((await runGit(repo.top, ['symbolic-ref', '--quiet', 'HEAD'])).code !== 0) {
    throw new GitError('detached_head', `${repo.top}: HEAD is not on a branch, so a commit would be left behind when one is checked out; check out a branch, then run again: nothing was committed`);
  }
}

/**
 * The folders and files a run's commit looks at, relative to the archive
 * (README's layout). Not the rest of the folder (the config, package.json
 * and workflow sit beside an archive at the top), nor `.newsmirror/`'s
 * catalog, search index, temp files and lock.
 */
export const PUBLISHED_PATHS = ['README.md', '.gitignore', STATE_FILE, 'articles/', 'lists/', 'assets/', 'edits/'];

/** The files directly under the archive that a run writes. */
const ARCHIVE_TOP_FILES = new Set(['README.md', '.gitignore', STATE_FILE]);
/** `lists/<name>.md` and `lists/<name>/<YYYY-MM>.md`: names as the config allows them (no `/`, `\`, control characters, leading `.`). */
const LIST_PATH = /^lists\/(?!\.)[^/\\\u0000-\u001f\u007f]+(?:\.md|\/\d{4}-(?:0[1-9]|1[0-2])\.md)$/;
/** `edits/<slug>/<id>/<ms>.md`: a version of an archived article its feed carried later (record-edits.ts). */
export const EDIT_PATH = /^edits\/([^/]+)\/(-?\d{1,16})\/\d{1,16}\.md$/;
/** `edits/<slug>/<id>-replaced-<ms>/<ms>.md`: the edits of an article whose file was replaced (domain/article.ts editsAsideFolder); no edit of this run's. */
const EDIT_ASIDE_PATH = /^edits\/[^/]+\/-?\d{1,16}-replaced-\d{1,16}\/\d{1,16}\.md$/;
/** `assets/<2 hex>/<sha256>.<ext>`, the folder being the hash's first two digits (ImageStore). */
const ASSET_PATH = new RegExp(`^assets/([0-9a-f]{2})/\\1[0-9a-f]{62}\\.(?:${Object.values(IMAGE_EXTENSION).join('|')})$`);

/** The source name a list file is for: `lists/<name>.md` or `lists/<name>/<YYYY-MM>.md`. */
function listNameOf(rel: string): string {
  return rel.slice('lists/'.length).replace(/(?:\/\d{4}-\d{2})?\.md$/, '');
}

/**
 * Whether a path (relative to the archive) has the shape of a file the
 * archive itself writes: an article, a list, an image, README.md, .gitignore
 * or the state file. The only files a run commits (besides deletions):
 * anything else under articles/, lists/ or assets/ (an editor's swap file or
 * backup, `.DS_Store`, a note of the user's) stays out of the public history.
 */
export function isArchiveFile(rel: string): boolean {
  return ARCHIVE_TOP_FILES.has(rel) || ARTICLE_PATH.test(rel) || LIST_PATH.test(rel) || ASSET_PATH.test(rel) || EDIT_PATH.test(rel) || EDIT_ASIDE_PATH.test(rel);
}

/**
 * `newsmirror: 法广 +3, BBC +1 (2 edits)` in config order: new articles, and
 * edits recorded (record-edits.ts); `newsmirror: update lists` when neither.
 */
export function renderCommitMessage(sources: readonly { name: string; added: readonly number[]; edits?: number }[]): string {
  const parts = sources
    .filter((s) => s.added.length > 0 || (s.edits ?? 0) > 0)
    .map((s) => {
      const edits = s.edits ? `(${s.edits} edit${s.edits === 1 ? '' : 's'})` : '';
      return [s.name, s.added.length > 0 ? `+${s.added.length}` : '', edits].filter(Boolean).join(' ');
    });
  // Names come from the config (which refuses control characters) or from folder names on disk (which may hold any).
  return parts.length > 0 ? `newsmirror: ${stripControlCharacters(parts.join(', ')).replace(/[\t\n]/g, ' ')}` : 'newsmirror: update lists';
}

/** Whether a commit message is one renderCommitMessage writes: a run's commit, whose count a rebase may change. */
export function isRunMessage(message: string): boolean {
  return /^newsmirror: (?:update lists|[^\n]* (?:\+\d+|\(\d+ edits?\)))$/.test(message.trimEnd());
}

/** A configured source, as commit messages name it. */
export interface SourceName {
  slug: string;
  name: string;
}

/**
 * The message for the commit the index holds: the article files it adds
 * under articles/ and the edit files under edits/ against `base` (default
 * HEAD, or nothing on an unborn branch), counted per source in config
 * order, then any unconfigured slug.
 */
export async function stagedMessage(repo: Repository, sources: readonly SourceName[], base?: string): Promise<string> {
  const args = ['diff', '--cached', '--name-only', '-z', '--diff-filter=A', ...(base === undefined ? [] : [base])];
  const names = await git(repo.top, [...args, '--no-renames', '--', `${repo.prefix}articles/`]);
  // An edit file moved whole (with its renumbered article, after a rebase) is a rename, not an edit added.
  const editNames = await git(repo.top, [...args, '--find-renames=100%', '--', `${repo.prefix}edits/`]);
  const added = new Map<string, number[]>();
  const edits = new Map<string, number>();
  for (const path of splitZ(editNames)) {
    const edit = EDIT_PATH.exec(path.slice(repo.prefix.length));
    if (edit) edits.set(edit[1]!, (edits.get(edit[1]!) ?? 0) + 1);
  }
  for (const path of splitZ(names)) {
    const rel = path.slice(repo.prefix.length);
    const match = ARTICLE_PATH.exec(rel);
    if (!match) continue;
    let ids = added.get(match[1]!);
    if (!ids) added.set(match[1]!, (ids = []));
    ids.push(Number(match[2]));
  }
  const counted = sources.map((s) => ({ name: s.name, added: added.get(s.slug) ?? [], edits: edits.get(s.slug) ?? 0 }));
  for (const slug of new Set([...added.keys(), ...edits.keys()])) {
    if (!sources.some((s) => s.slug === slug)) counted.push({ name: slug, added: added.get(slug) ?? [], edits: edits.get(slug) ?? 0 });
  }
  return renderCommitMessage(counted);
}

/** What differs from HEAD under the published paths, relative to the top and sorted. */
export interface PublishedChanges {
  /** Archive files (isArchiveFile) added or changed, and deletions of tracked files: what a run commits. */
  files: string[];
  /** Anything else there (swap files, backups, notes): never committed. */
  stray: string[];
}

/**
 * The published paths that differ from HEAD: whatever wrote them, this run
 * or an earlier one whose files never made it into a commit (so an archive
 * left without its images heals). A tracked file that is gone counts
 * whatever its name (a dropped duplicate, a stray an earlier version
 * committed). Git-ignored files are left out.
 */
export async function changedPaths(repo: Repository, sources: readonly SourceName[]): Promise<PublishedChanges> {
  const pathspecs = PUBLISHED_PATHS.map((path) => `${repo.prefix}${path}`);
  const status = await git(repo.top, ['status', '--porcelain', '-z', '--no-renames', '--untracked-files=all', '--', ...pathspecs]);
  const out: PublishedChanges = { files: [], stray: [] };
  const listNames = new Set(sources.map((s) => s.name));
  for (const { xy, path } of parseStatusZ(status)) {
    const rel = path.slice(repo.prefix.length);
    const deleted = xy[0] === 'D' || (xy[1] === 'D' && xy[0] !== 'A');
    // A new list file that names no configured source (`lists/private.md`, a note) is not the archive's.
    const foreignList = xy === '??' && LIST_PATH.test(rel) && !listNames.has(listNameOf(rel));
    (deleted || (isArchiveFile(rel) && !foreignList) ? out.files : out.stray).push(path);
  }
  out.files.sort();
  out.stray.sort();
  return out;
}

export interface CommitResult {
  sha: string;
  message: string;
  /** Paths committed, relative to the work tree top. */
  files: string[];
}

/**
 * Commits `files` (changedPaths' choice): the articles, lists, images,
 * README, .gitignore and state file this run wrote, any an earlier run wrote
 * but did not commit, and deletions. Anything else the user has staged or
 * edited is left alone. The message counts the articles the commit adds.
 * Returns undefined when there is nothing to commit: no empty commits.
 */
export async function commitRun(repo: Repository, files: readonly string[], sources: readonly SourceName[], identity: GitIdentity): Promise<CommitResult | undefined> {
  if (files.length === 0) return undefined;
  await stagePaths(repo, files);
  const message = await stagedMessage(repo, sources);
  await commitPaths(repo, files, ['-m', message], identity);
  const sha = (await git(repo.top, ['rev-parse', 'HEAD'])).trim();
  return { sha, message, files: [...files] };
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

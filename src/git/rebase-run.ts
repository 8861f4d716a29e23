import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { listArticleIds, listEditedIds } from '../archive/scan-archive.js';
import { STATE_FILE } from '../archive/state-file.js';
import { writeNewFileAtomic } from '../archive/write-file-atomic.js';
import { articlePath } from '../domain/article.js';
import { ID_ORIGIN } from '../domain/ids.js';
import { ARTICLE_PATH, addedArticleKeys, articleKey, readBlobs, sameArticle, type AddedArticle, type ArticleKey } from './article-identity.js';
import { EDIT_PATH, type Repository } from './commit-run.js';
import { GitError } from './git-error.js';
import { parseUnmergedZ, type UnmergedStage } from './git-porcelain.js';
import { findSameEdits, type SameEdit } from './same-edits.js';
import { removeCreated, removeRebaseMarker, writeRebaseMarker, type RebaseMarker } from './rebase-marker.js';
import { failpoint } from '../archive/failpoint.js';
import { git, gitReason, runGit, splitZ, type GitIdentity } from './run-git.js';

/** An article of ours that another clone's article took the id of, moved to a free id. */
export interface Renumbered {
  slug: string;
  from: number;
  to: number;
}

export interface RebaseResult {
  /** Our HEAD before the rebase. */
  before: string;
  /** Commits of the remote we were missing. */
  incoming: number;
  renumbered: Renumbered[];
  /** Archive paths of our articles dropped because the remote already had the same article. */
  dropped: string[];
  /** Those of the dropped articles that the remote holds under another id (`to`): their edit files follow it. */
  duplicates: Renumbered[];
  /** Our edit files dropped because the remote added the same file (findSameEdits). */
  sameEdits: SameEdit[];
  /** Archive paths under articles/ whose content differs from `before` (the catalog must re-read them). */
  changedArticles: string[];
  /** Archive paths under edits/ that differ from `before` (their articles are searched by them: indexed again). */
  changedEdits: string[];
}

/**
 * The rebase is purely path-based: no rename guessing (an article file that
 * looks like another is not a rename), no recorded resolutions replayed.
 */
const REBASE_CONFIG = ['-c', 'rerere.enabled=false', '-c', 'merge.renames=false', '-c', 'merge.directoryRenames=false', '-c', 'rebase.autoSquash=false'];
/** A run makes one commit; a clone whose pushes failed for days has a few dozen. */
const MAX_STEPS = 500;

/** Files newsmirror writes from the catalog: on a conflict the remote's copy is taken, then regenerated. */
function isGenerated(rel: string): boolean {
  return rel === 'README.md' || rel === '.gitignore' || rel === STATE_FILE || rel.startsWith('lists/');
}

interface Context {
  repo: Repository;
  root: string;
  identity: GitIdentity;
  before: string;
  mergeBase: string;
  /** Per slug, the ids our side named before the rebase (see ourIds). */
  ours: Map<string, Set<number>>;
  /** Per slug, the articles the remote added since our common commit. */
  incomingKeys: Map<string, AddedArticle[]>;
  reserved: Map<string, Set<number>>;
  result: RebaseResult;
  /** Rewritten (atomically) before each step a killed run would leave half done. */
  marker: RebaseMarker;
}

/**
 * The ids of a source that our side named before the rebase: its articles
 * and edit folders in our pre-rebase commit, and every one our commits since
 * the common commit added or deleted. An article of ours deleted by a later
 * commit is not in that commit's tree, but its id comes back when the
 * commit that added it is replayed; an edit folder keeps the id of an
 * article deleted by hand (sync-catalog.ts).
 */
async function ourIds(context: Context, slug: string): Promise<Set<number>> {
  const known = context.ours.get(slug);
  if (known) return known;
  const { top, prefix } = context.repo;
  const folders = [`${prefix}articles/${slug}/`, `${prefix}edits/${slug}/`];
  const tree = await git(top, ['ls-tree', '-r', '-z', '--name-only', context.before, '--', ...folders]);
  const log = await git(top, ['log', '-z', '--format=', '--name-only', '--no-renames', `${context.mergeBase}..${context.before}`, '--', ...folders]);
  const ids = new Set<number>();
  for (const path of [...splitZ(tree), ...splitZ(log)]) {
    const rel = path.slice(prefix.length);
    const match = ARTICLE_PATH.exec(rel) ?? EDIT_PATH.exec(rel);
    if (match) ids.add(Number(match[2]));
  }
  context.ours.set(slug, ids);
  return ids;
}

/**
 * One below the smallest id in use (FORMAT.md's rule): in the folder as the
 * rebase has it (articles, and edit folders: those of an article deleted by
 * hand stay its own), named by our side (ourIds), or taken during this rebase.
 */
async function freeId(context: Context, slug: string): Promise<number> {
  const ids = [
    ...(await listArticleIds(context.root, slug)),
    ...(await listEditedIds(context.root, slug)),
    ...(await ourIds(context, slug)),
    ...(context.reserved.get(slug) ?? []),
  ];
  let smallest = ID_ORIGIN;
  for (const id of ids) if (Number.isInteger(id) && id > 0 && id < smallest) smallest = id;
  const id = smallest - 1;
  if (id <= 0) throw new GitError('conflict', `${context.root}: no free article id left below ${smallest} in articles/${slug}`);
  let set = context.reserved.get(slug);
  if (!set) context.reserved.set(slug, (set = new Set()));
  set.add(id);
  return id;
}

async function takeUpstream(context: Context, path: string, upstream: UnmergedStage | undefined): Promise<void> {
  const { top } = context.repo;
  if (upstream) {
    await git(top, ['checkout', '--ours', '--', path]);
    await git(top, ['add', '--', path]);
  } else {
    await git(top, ['rm', '--quiet', '--cached', '--', path]);
    await unlink(join(top, path)).catch(() => undefined);
  }
}

/** The remote's copy of an article of ours that it archived too, if it did. */
function findIncoming(context: Context, slug: string, key: ArticleKey | undefined): AddedArticle | undefined {
  return (context.incomingKeys.get(slug) ?? []).find((k) => sameArticle(k, key));
}

/**
 * Two clones gave the same id to different articles (each counted down from
 * the same smallest id): both are kept, ours under a free id. When the
 * remote already holds the same article (same canonical link), ours is dropped.
 */
async function resolveArticle(context: Context, path: string, slug: string, upstream: UnmergedStage, ours: UnmergedStage): Promise<void> {
  const rel = path.slice(context.repo.prefix.length);
  if (upstream.sha !== ours.sha) {
    const blobs = await readBlobs(context.repo.top, [upstream.sha, ours.sha]);
    const mine = blobs.get(ours.sha) ?? Buffer.alloc(0);
    const key = articleKey(mine.toString('utf8'));
    const here = sameArticle(key, articleKey(blobs.get(upstream.sha)?.toString('utf8') ?? ''));
    const elsewhere = here ? undefined : findIncoming(context, slug, key);
    if (here || elsewhere) {
      context.result.dropped.push(rel);
      if (elsewhere) context.result.duplicates.push({ slug, from: Number(ARTICLE_PATH.exec(rel)![2]), to: elsewhere.id });
    } else {
      const to = await freeId(context, slug);
      const target = articlePath(slug, to);
      // Named before it is written: an abort leaves a file that was not staged yet, and only the marker proves it ours.
      context.marker.created.push({ path: `${context.repo.prefix}${target}`, blob: ours.sha });
      await writeRebaseMarker(context.root, context.marker);
      if (!(await writeNewFileAtomic(context.root, target, mine))) {
        context.marker.created.pop();
        throw new GitError('conflict', `${join(context.root, target)}: exists, although no commit has it; remove it and run again`);
      }
      failpoint('renumbered-written');
      await git(context.repo.top, ['add', '--', `${context.repo.prefix}${target}`]);
      context.result.renumbered.push({ slug, from: Number(ARTICLE_PATH.exec(rel)![2]), to });
    }
  }
  await takeUpstream(context, path, upstream);
}

async function resolveConflicts(context: Context): Promise<boolean> {
  const { repo } = context;
  const unmerged = parseUnmergedZ(await git(repo.top, ['ls-files', '--unmerged', '-z']));
  if (unmerged.size === 0) return false;
  // Largest id first: our colliding articles get free ids oldest first, as ids are given, so a newer one keeps a smaller id.
  const articleId = (path: string) => Number(ARTICLE_PATH.exec(path.slice(repo.prefix.length))?.[2] ?? 0);
  const paths = [...unmerged].sort(([a], [b]) => articleId(b) - articleId(a));
  for (const [path, stages] of paths) {
    if (!path.startsWith(repo.prefix)) {
      throw new GitError('conflict', `${repo.top}: ${path} conflicts with the remote and is outside the archive; resolve it by hand`);
    }
    const rel = path.slice(repo.prefix.length);
    const upstream = stages.get(2);
    const ours = stages.get(3);
    const article = ARTICLE_PATH.exec(rel);
    if (article && upstream && ours) await resolveArticle(context, path, article[1]!, upstream, ours);
    else if (article && ours && !isGenerated(rel)) await git(repo.top, ['add', '--', path]);
    else await takeUpstream(context, path, upstream);
  }
  return true;
}

/** Our articles that the remote added too under another id (both clones saw the item): ours go. */
async function dropDuplicates(context: Context, upstream: string): Promise<void> {
  const { repo } = context;
  const names = await git(repo.top, ['diff', '--name-only', '-z', '--no-renames', '--diff-filter=A', upstream, 'HEAD', '--', `${repo.prefix}articles/`]);
  for (const path of splitZ(names)) {
    const match = ARTICLE_PATH.exec(path.slice(repo.prefix.length));
    if (!match) continue;
    const key = articleKey(await readFile(join(repo.top, path), 'utf8').catch(() => ''));
    const kept = findIncoming(context, match[1]!, key);
    if (kept) {
      context.result.duplicates.push({ slug: match[1]!, from: Number(match[2]), to: kept.id });
      // Deleted from the work tree only: the deletion is committed with the regenerated files (settle in
      // push-run.ts), whose `git add` of a path already gone from the index would fail.
      await unlink(join(repo.top, path));
      context.result.dropped.push(path.slice(repo.prefix.length));
    }
  }
}

/** A textual merge of two state files can be valid text and invalid JSON: then the remote's stands. */
async function checkState(context: Context, upstream: string): Promise<void> {
  const path = `${context.repo.prefix}${STATE_FILE}`;
  const text = await readFile(join(context.repo.top, path), 'utf8').catch(() => undefined);
  if (text === undefined) return;
  try {
    JSON.parse(text);
  } catch {
    await git(context.repo.top, ['checkout', upstream, '--', path]);
  }
}

/**
 * Replays our unpushed commits on top of `upstream` (the remote branch just
 * fetched). Conflicts are resolved without asking: generated files take the
 * remote's copy (the caller regenerates them), an article id both sides used
 * for different articles is renumbered on our side, the same article archived
 * by both is kept once. Anything else aborts the rebase (the local commits stay).
 */
export async function rebaseRun(repo: Repository, upstream: string, identity: GitIdentity): Promise<RebaseResult> {
  const { top } = repo;
  const before = (await git(top, ['rev-parse', 'HEAD'])).trim();
  const base = await runGit(top, ['merge-base', before, upstream]);
  if (base.code !== 0) throw new GitError('conflict', `${top}: the remote branch shares no history with ours; nothing was pushed`);
  const mergeBase = base.stdout.toString('utf8').trim();
  const incoming = Number((await git(top, ['rev-list', '--count', `${mergeBase}..${upstream}`])).trim());
  const result: RebaseResult = { before, incoming, renumbered: [], dropped: [], duplicates: [], sameEdits: [], changedArticles: [], changedEdits: [] };
  if (incoming === 0) return result;
  const branch = (await git(top, ['symbolic-ref', '--quiet', 'HEAD'])).trim();
  const context: Context = {
    repo,
    root: join(top, repo.prefix),
    identity,
    before,
    mergeBase,
    ours: new Map(),
    incomingKeys: await addedArticleKeys(top, repo.prefix, mergeBase, upstream),
    reserved: new Map(),
    result,
    marker: { before, upstream, branch, phase: 'rebasing', created: [] },
  };
  await writeRebaseMarker(context.root, context.marker);
  failpoint('rebase-marked');
  let step = await runGit(top, [...REBASE_CONFIG, 'rebase', '--autostash', upstream], { identity });
  try {
    for (let n = 0; step.code !== 0; n += 1) {
      failpoint('rebase-stopped');
      if (n >= MAX_STEPS || !(await resolveConflicts(context))) {
        throw new GitError('conflict', `${top}: rebase onto the remote stopped: ${gitReason(step)}`);
      }
      const staged = await runGit(top, ['diff', '--cached', '--quiet']);
      // A commit whose every change the remote already has becomes empty: skip it.
      step = await runGit(top, [...REBASE_CONFIG, 'rebase', staged.code === 0 ? '--skip' : '--continue'], { identity });
    }
  } catch (error) {
    await runGit(top, ['rebase', '--abort']);
    await removeCreated(repo, context.marker.created);
    await removeRebaseMarker(context.root);
    throw error;
  }
  // From here the work tree changes without git's rebase in progress: the marker says whose HEAD this is.
  context.marker = { ...context.marker, phase: 'rebased', rebased: (await git(top, ['rev-parse', 'HEAD'])).trim() };
  await writeRebaseMarker(context.root, context.marker);
  await dropDuplicates(context, upstream);
  result.sameEdits = await findSameEdits(repo, mergeBase, upstream);
  // Deleted from the work tree only, as dropDuplicates does.
  for (const { path } of result.sameEdits) await unlink(join(context.root, path));
  await checkState(context, upstream);
  const changed = await git(top, ['diff', '--name-only', '-z', '--no-renames', before, '--', `${repo.prefix}articles/`]);
  result.changedArticles = splitZ(changed).map((p) => p.slice(repo.prefix.length));
  const edits = await git(top, ['diff', '--name-only', '-z', '--no-renames', before, '--', `${repo.prefix}edits/`]);
  result.changedEdits = splitZ(edits).map((p) => p.slice(repo.prefix.length));
  failpoint('rebase-finished');
  return result;
}

import { readBlobs } from './article-identity.js';
import { EDIT_PATH, type Repository } from './commit-run.js';
import { git, splitZ } from './run-git.js';

/** An edit file of ours that the remote holds too, byte for byte, under `keptAs` (archive paths). */
export interface SameEdit {
  path: string;
  keptAs: string;
}

/** Archive paths of the edit files `base..tip` added. */
async function addedEdits(repo: Repository, base: string, tip: string): Promise<string[]> {
  const names = await git(repo.top, ['diff', '--name-only', '-z', '--no-renames', '--diff-filter=A', base, tip, '--', `${repo.prefix}edits/`]);
  return splitZ(names)
    .map((path) => path.slice(repo.prefix.length))
    .filter((rel) => EDIT_PATH.test(rel));
}

/**
 * Our edit files (HEAD's, against `upstream`) that the remote added since
 * `mergeBase` with the same bytes: both clones saw the same edit of the same
 * article (an edit file holds its title, link, date and body), each under the
 * time it saw it, and the reader would show it twice. Compared by bytes
 * within a source, not by folder: our copy of the article may be the one
 * dropped for the remote's under another id.
 */
export async function findSameEdits(repo: Repository, mergeBase: string, upstream: string): Promise<SameEdit[]> {
  const ours = await addedEdits(repo, upstream, 'HEAD');
  if (ours.length === 0) return [];
  const theirs = await addedEdits(repo, mergeBase, upstream);
  if (theirs.length === 0) return [];
  const spec = (rev: string, rel: string) => `${rev}:${repo.prefix}${rel}`;
  const blobs = await readBlobs(repo.top, [...ours.map((rel) => spec('HEAD', rel)), ...theirs.map((rel) => spec(upstream, rel))]);
  const keyOf = (rev: string, rel: string) => {
    const bytes = blobs.get(spec(rev, rel));
    return bytes === undefined ? undefined : `${EDIT_PATH.exec(rel)![1]}\0${bytes.toString('base64')}`;
  };
  const kept = new Map<string, string>();
  for (const rel of theirs) {
    const key = keyOf(upstream, rel);
    if (key !== undefined && !kept.has(key)) kept.set(key, rel);
  }
  return ours.flatMap((path) => {
    const keptAs = kept.get(keyOf('HEAD', path) ?? '');
    return keptAs === undefined ? [] : [{ path, keptAs }];
  });
}

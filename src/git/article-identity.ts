import { parseArticleFile } from '../archive/article-file.js';
import { SAME_TITLE_WINDOW_MS } from '../catalog/item-record.js';
import { canonicalLink } from '../domain/link.js';
import { git, runGit } from './run-git.js';

/** `articles/<slug>/<id>.md`, relative to the archive. */
export const ARTICLE_PATH = /^articles\/([^/]+)\/(-?\d{1,16})\.md$/;

/** An article file's identity across clones: its canonical link and title (`key`), and its date. */
export interface ArticleKey {
  key: string;
  published: number | undefined;
}

/**
 * What makes two article files the same article when their ids differ or
 * collide: the canonical link and the title, and dates within the title
 * rule's window (SAME_TITLE_WINDOW_MS). Files hold no guid, and a link
 * alone is shared by different articles in feeds that link every item to one
 * page (Catalog.matchItem), some with one headline every day (每日简报): the
 * clone that lost the race would drop its own article as "already there".
 * Undefined for a file that is not an article file or has no link, which is
 * then never treated as a duplicate.
 */
export function articleKey(text: string): ArticleKey | undefined {
  try {
    const { url, title, published } = parseArticleFile(text, 'article');
    if (url === '') return undefined;
    return { key: `${canonicalLink(url) ?? url}\n${title}`, published };
  } catch {
    return undefined;
  }
}

/** Whether two article files are one article (see articleKey). */
export function sameArticle(a: ArticleKey | undefined, b: ArticleKey | undefined): boolean {
  if (a === undefined || b === undefined || a.key !== b.key) return false;
  return a.published === undefined || b.published === undefined || Math.abs(a.published - b.published) <= SAME_TITLE_WINDOW_MS;
}

/**
 * Reads many blobs in one `git cat-file --batch` (one process, not one per
 * file). `specs` are `<rev>:<path>` or object names; a missing one is undefined.
 */
export async function readBlobs(top: string, specs: readonly string[]): Promise<Map<string, Buffer | undefined>> {
  const out = new Map<string, Buffer | undefined>();
  if (specs.length === 0) return out;
  const result = await runGit(top, ['cat-file', '--batch'], { input: `${specs.join('\n')}\n` });
  const data = result.stdout;
  let at = 0;
  for (const spec of specs) {
    const eol = data.indexOf(0x0a, at);
    if (eol < 0) break;
    const header = data.subarray(at, eol).toString('utf8');
    at = eol + 1;
    const match = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
    if (!match) {
      out.set(spec, undefined);
      continue;
    }
    const size = Number(match[2]);
    out.set(spec, match[1] === 'blob' ? data.subarray(at, at + size) : undefined);
    at += size + 1;
  }
  return out;
}

/** An article a commit range added: its id and key. */
export interface AddedArticle extends ArticleKey {
  id: number;
}

/** Per slug, the articles a commit range added: `base..tip` under the archive's `articles/`. */
export async function addedArticleKeys(top: string, prefix: string, base: string, tip: string): Promise<Map<string, AddedArticle[]>> {
  const names = await git(top, ['diff', '--name-only', '-z', '--no-renames', '--diff-filter=A', base, tip, '--', `${prefix}articles/`]);
  const paths = names.split('\0').filter((p) => ARTICLE_PATH.test(p.slice(prefix.length)));
  const blobs = await readBlobs(top, paths.map((p) => `${tip}:${p}`));
  const keys = new Map<string, AddedArticle[]>();
  for (const path of paths) {
    const [, slug, id] = ARTICLE_PATH.exec(path.slice(prefix.length))!;
    const key = articleKey(blobs.get(`${tip}:${path}`)?.toString('utf8') ?? '');
    if (key === undefined) continue;
    let list = keys.get(slug!);
    if (!list) keys.set(slug!, (list = []));
    list.push({ ...key, id: Number(id) });
  }
  return keys;
}

import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { articlePath, fromEditFileBody } from '../domain/article.js';
import { parseArticleFile, type ArticleFile } from './article-file.js';

const ARTICLE_NAME = /^(0|-?[1-9]\d{0,15})\.md$/;

/** The folders under `articles/`: one per source slug (the family also has `BBC/` beside `bbc/`). */
export async function listSourceFolders(root: string): Promise<string[]> {
  const entries = await readdir(join(root, 'articles'), { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

/**
 * The edit files of one article (`edits/<slug>/<id>/<ms>.md`), oldest first:
 * the files are the truth, whatever the catalog recorded.
 */
export async function listEditFiles(root: string, slug: string, id: number): Promise<string[]> {
  const folder = `edits/${slug}/${id}`;
  const names = await readdir(join(root, folder)).catch(() => [] as string[]);
  return names
    .filter((name) => /^\d{1,16}\.md$/.test(name))
    .sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10))
    .map((name) => `${folder}/${name}`);
}

/** One later version of an article, as its edit file holds it. */
export interface EditFile {
  /** When it was first seen (ms): the file's name. */
  seen: number;
  title: string;
  /** Its body, with image links as the article's own (fromEditFileBody). */
  body: string;
}

/** The edit files of one article, oldest first; one that cannot be read or parsed is passed over. */
export async function readEditFiles(root: string, slug: string, id: number): Promise<EditFile[]> {
  const edits: EditFile[] = [];
  for (const rel of await listEditFiles(root, slug, id)) {
    try {
      const file = parseArticleFile(await readFile(join(root, rel), 'utf8'), rel);
      edits.push({ seen: Number(/(\d+)\.md$/.exec(rel)?.[1] ?? 0), title: file.title, body: fromEditFileBody(file.body) });
    } catch {
      // An edit file damaged by hand: the article and its other versions are still read.
    }
  }
  return edits;
}

/** The ids of a source's articles that have edit files (folders under `edits/<slug>/`). */
export async function listEditedIds(root: string, slug: string): Promise<Set<number>> {
  const names = await readdir(join(root, 'edits', slug)).catch(() => [] as string[]);
  return new Set(names.filter((name) => /^-?\d{1,16}$/.test(name)).map(Number));
}

/**
 * Ids of the article files of one source, from their names. The numeric
 * values matter, never the directory order: below 1000000 names stop sorting
 * by age (the family's bug that overwrote its own files).
 */
export async function listArticleIds(root: string, slug: string): Promise<number[]> {
  const names = await readdir(join(root, 'articles', slug)).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const ids: number[] = [];
  for (const name of names) {
    const match = ARTICLE_NAME.exec(name);
    if (match) ids.push(Number(match[1]));
  }
  return ids;
}

export interface ReadArticle extends ArticleFile {
  /** File modification time, the fallback date of an old file without one. */
  mtimeMs: number;
}

/** Reads one article file; throws ArchiveError naming the path when it is not one. */
export async function readArticle(root: string, slug: string, id: number): Promise<ReadArticle> {
  const rel = articlePath(slug, id);
  const file = join(root, rel);
  const [text, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
  return { ...parseArticleFile(text, rel), mtimeMs: Math.trunc(info.mtimeMs) };
}

/** One archived article, as its file on disk says it. */
export interface Article {
  /** Source slug: the folder under articles/. */
  slug: string;
  id: number;
  /** Plain title (unescaped). */
  title: string;
  /** Absolute link to the original, as written in the file. */
  url: string;
  /** Milliseconds since the Unix epoch. */
  published: number;
  /** The article HTML on one line. */
  body: string;
}

/** `articles/<slug>/<id>.md`, always with forward slashes: the path inside the archive. */
export function articlePath(slug: string, id: number): string {
  return `articles/${slug}/${id}.md`;
}

/** A source folder name or slug as the reader accepts it in a path: nothing that could leave the folder. */
export const SLUG_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** Article ids as file names write them (archive/scan-archive.ts). */
export const ID_PATTERN = /^(0|-?[1-9]\d{0,15})$/;

/**
 * `edits/<slug>/<id>/<ms>.md`: a later version of an archived article that its
 * feed carried, first seen at `ms`, in the article file format.
 */
export function editPath(slug: string, id: number, seen: number): string {
  return `edits/${slug}/${id}/${seen}.md`;
}

/**
 * `edits/<slug>/<id>-replaced-<ms>`: where the edit files of an article go
 * when its file was found holding another article at `ms` (sync-catalog.ts
 * recheckArticles). Kept and committed, but no article's: the reader and the
 * id allocation read only `edits/<slug>/<id>/`.
 */
export function editsAsideFolder(slug: string, id: number, at: number): string {
  return `edits/${slug}/${id}-replaced-${at}`;
}

/**
 * An edit file sits a folder deeper than its article: the relative links to
 * archived images a body holds (`../../assets/...`, made for an article
 * file) are written one level up there, and read back so.
 */
export function toEditFileBody(body: string): string {
  return body.replace(/(["(])\.\.\/\.\.\/assets\//g, '$1../../../assets/');
}

export function fromEditFileBody(body: string): string {
  return body.replace(/(["(])\.\.\/\.\.\/\.\.\/assets\//g, '$1../../assets/');
}

import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface FileSize {
  /** Relative to the archive root, with `/`. */
  path: string;
  bytes: number;
}

/**
 * What is never part of the archive's repository: git's own folder, the
 * catalog and its search index, temp files and the lock (all in .gitignore),
 * and an installed newsmirror.
 */
const NOT_ARCHIVED = /^(\.git|node_modules|\.newsmirror\/(catalog\.sqlite.*|tmp|lock.*))$/;

/**
 * Every file of the archive with its size, by `lstat` alone (no file is
 * read), sorted by path so that what is made from it is the same on every
 * machine. A symbolic link counts as the link, not what it points at, as git
 * stores it. Synchronous: the metadata is in the kernel's cache, and 100k
 * lstat calls in a row took 0.55 s here where 64 at once through libuv's
 * threads took 1.6 s (bench --only size).
 */
export async function measureFiles(root: string): Promise<FileSize[]> {
  const files: FileSize[] = [];
  const walk = (rel: string): void => {
    let entries;
    try {
      entries = readdirSync(join(root, rel), { withFileTypes: true });
    } catch {
      return; // a folder gone or unreadable holds nothing to count
    }
    for (const entry of entries) {
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (NOT_ARCHIVED.test(path)) continue;
      if (entry.isDirectory()) walk(path);
      else {
        const bytes = lstatOr(join(root, path));
        if (bytes !== undefined) files.push({ path, bytes });
      }
    }
  };
  walk('');
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function lstatOr(file: string): number | undefined {
  try {
    return lstatSync(file).size;
  } catch {
    return undefined; // removed between the listing and the stat
  }
}

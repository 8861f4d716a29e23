import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { mapLimited } from '../domain/map-limited.js';

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
/** Stats at once: enough to keep the disk busy, few enough for a shared machine. */
const STATS_IN_FLIGHT = 64;

/**
 * Every file of the archive with its size, by `lstat` alone (no file is
 * read: a 100k-article archive is measured in about a second), sorted by
 * path so that what is made from it is the same on every machine. A symbolic
 * link counts as the link, not what it points at, as git stores it.
 */
export async function measureFiles(root: string): Promise<FileSize[]> {
  const files: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(join(root, rel), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (NOT_ARCHIVED.test(path)) continue;
      if (entry.isDirectory()) await walk(path);
      else files.push(path);
    }
  };
  await walk('');
  files.sort();
  const sizes = await mapLimited(files, STATS_IN_FLIGHT, async (path) => ({ path, bytes: (await lstat(join(root, path)).catch(() => undefined))?.size ?? 0 }));
  return sizes.filter((s): s is FileSize => s !== undefined);
}

import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** Paths never compared: the catalog (an index, not committed), the lock, temp files. */
const IGNORED = /^\.newsmirror\/(catalog\.sqlite|tmp\/|lock)/;

/** Every committed file of an archive with its bytes, for byte-identical comparisons. */
export async function readTree(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const rel = relative(root, path);
      if (IGNORED.test(rel)) continue;
      if (entry.isDirectory()) await walk(path);
      else out.set(rel, (await readFile(path)).toString('base64'));
    }
  };
  await walk(root);
  return out;
}

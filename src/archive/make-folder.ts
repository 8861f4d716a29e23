import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * mkdir -p one level at a time. Node's recursive mkdir loops for ever where
 * a parent exists but refuses children with ENOENT (under /proc): here that
 * ENOENT comes back as an error.
 */
export async function makeFolder(dir: string): Promise<void> {
  try {
    await mkdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && (await stat(dir)).isDirectory()) return;
    if (code !== 'ENOENT' || dirname(dir) === dir) throw error;
    await makeFolder(dirname(dir));
    await mkdir(dir).catch(async (again: NodeJS.ErrnoException) => {
      if (again.code !== 'EEXIST' || !(await stat(dir)).isDirectory()) throw again;
    });
  }
}

/** Why makeFolder failed, in the user's words. */
export function folderProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  return code === 'ENOTDIR' || code === 'EEXIST' ? 'a file, not a folder, is in the way' : `cannot make it (${code})`;
}

import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, link, unlink, readdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ArchiveError, describeError } from '../domain/errors.js';
import { failpoint } from './failpoint.js';

/** Temporary files live here, never beside published files (FORMAT.md). */
export const TMP_DIR = '.newsmirror/tmp';

/**
 * Runs `step`, creating `dir` and trying once more if it failed because the
 * folder is missing: folders exist for all but the first file written into
 * them, so no mkdir is paid per file.
 */
async function inFolder<T>(dir: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await mkdir(dir, { recursive: true });
    return step();
  }
}

/**
 * Writes the bytes of `rel` to a new temp file. A failure (a full disk) names
 * the file it was for: node's 'ENOSPC: no space left on device, write' names
 * none. The partial temp file goes at once, giving its space back.
 */
async function writeTemp(root: string, rel: string, data: string | Uint8Array): Promise<string> {
  const dir = join(root, TMP_DIR);
  const tmp = join(dir, `${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  const notWritten = (error: unknown) =>
    new ArchiveError(((error as NodeJS.ErrnoException).code ?? 'error').toLowerCase(), `${join(root, rel)}: not written (${describeError(error)})`, { cause: error });
  const handle = await inFolder(dir, () => open(tmp, 'wx')).catch((error: unknown) => {
    throw notWritten(error);
  });
  let failure: unknown;
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    failure = error;
  } finally {
    await handle.close();
  }
  if (failure !== undefined) {
    await unlink(tmp).catch(() => undefined);
    throw notWritten(failure);
  }
  return tmp;
}

/**
 * Writes `rel` (a path inside the archive root) atomically: the bytes are
 * written and fsynced under `.newsmirror/tmp/`, then renamed into place, so a
 * killed run leaves either the old file or the new one, never a partial one.
 */
export async function writeFileAtomic(root: string, rel: string, data: string | Uint8Array): Promise<void> {
  const tmp = await writeTemp(root, rel, data);
  const target = join(root, rel);
  try {
    await inFolder(dirname(target), () => rename(tmp, target));
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    throw error;
  }
}

/**
 * Like writeFileAtomic, but never replaces an existing file: the temp file is
 * hard-linked into place, which fails with EEXIST instead of overwriting.
 * Returns false when `rel` already exists (nothing is written).
 */
export async function writeNewFileAtomic(root: string, rel: string, data: string | Uint8Array): Promise<boolean> {
  const tmp = await writeTemp(root, rel, data);
  failpoint('temp-written');
  const target = join(root, rel);
  try {
    await inFolder(dirname(target), () => link(tmp, target));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

/**
 * Moves `from` to `to` (paths inside the archive root), never over an
 * existing file: linked into place, which fails with EEXIST instead of
 * replacing, then unlinked. Returns false when `to` exists (nothing moved).
 */
export async function moveNewFile(root: string, from: string, to: string): Promise<boolean> {
  const target = join(root, to);
  try {
    await inFolder(dirname(target), () => link(join(root, from), target));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  await unlink(join(root, from));
  return true;
}

/** Writes only when the bytes differ, so a run with nothing new touches no file. */
export async function writeFileIfChanged(root: string, rel: string, data: string): Promise<boolean> {
  const current = await readFile(join(root, rel), 'utf8').catch(() => undefined);
  if (current === data) return false;
  await writeFileAtomic(root, rel, data);
  return true;
}

/** fsyncs directories so renames made into them survive a power cut. */
export async function syncDirectories(root: string, rels: Iterable<string>): Promise<void> {
  for (const rel of new Set(rels)) {
    const handle = await open(join(root, rel), 'r').catch(() => undefined);
    if (!handle) continue;
    try {
      await handle.sync();
    } catch {
      // Some file systems refuse fsync on a directory; the rename is still atomic.
    } finally {
      await handle.close();
    }
  }
}

/** Removes what a killed run left in the temp folder. Call only while holding the lock. */
export async function clearTemp(root: string): Promise<number> {
  const dir = join(root, TMP_DIR);
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.map((name) => rm(join(dir, name), { force: true, recursive: true })));
  return names.length;
}

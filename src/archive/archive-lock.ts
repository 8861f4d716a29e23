import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { open, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ArchiveError, describeError } from '../domain/errors.js';
import { folderProblem, makeFolder } from './make-folder.js';

export const LOCK_FILE = '.newsmirror/lock';

interface LockInfo {
  pid: number;
  host: string;
  started: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readInfo(text: string): LockInfo | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockInfo>;
    if (typeof value.pid === 'number' && typeof value.host === 'string') {
      return { pid: value.pid, host: value.host, started: String(value.started ?? '') };
    }
  } catch {
    // A lock cut short by a crash between create and write: treated as stale below.
  }
  return undefined;
}

/** An unreadable lock younger than this may be one that another run is still writing. */
const UNREADABLE_GRACE_MS = 10_000;

async function isFresh(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  return info !== undefined && Date.now() - info.mtimeMs < UNREADABLE_GRACE_MS;
}

export interface ArchiveLock {
  release(): Promise<void>;
}

async function tryCreate(path: string, info: LockInfo): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new ArchiveError('lock_failed', `${path}: cannot make the lock (${describeError(error)})`, { cause: error });
  }
  try {
    await handle.writeFile(`${JSON.stringify(info)}\n`);
    await handle.sync();
  } catch (error) {
    // A full disk: the lock left empty made every command for the next 10 s refuse as "another run is
    // starting", and the error said 'ENOSPC: no space left on device, write' of no file.
    await handle.close();
    await unlink(path).catch(() => undefined);
    throw new ArchiveError('lock_failed', `${path}: cannot write the lock (${describeError(error)})`, { cause: error });
  }
  await handle.close();
  return true;
}

/** Whether lock text read at `path` is one no live run holds (see acquireLock). */
async function isStale(path: string, text: string, mine: LockInfo): Promise<boolean> {
  const held = readInfo(text);
  if (!held) return !(await isFresh(path));
  return held.host === mine.host && !isAlive(held.pid);
}

/**
 * Removes the stale lock whose text is `text`, unless another contender does.
 * Two runs that both found it stale must not both remove "the lock": the
 * slower one would remove the fresh lock the faster one made in its place,
 * and both would run. So the removal is claimed first, by a file named after
 * that very lock (made with O_EXCL: one contender gets it), and under the
 * claim the lock is read again and removed only if it is still that stale one.
 */
async function removeStale(path: string, text: string, mine: LockInfo): Promise<void> {
  const claim = `${path}.takeover-${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
  const handle = await open(claim, 'wx').catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
    // A takeover takes milliseconds: a claim this old was left by a contender that was killed.
    if (!(await isFresh(claim))) await unlink(claim).catch(() => undefined);
    return undefined;
  });
  if (!handle) return;
  try {
    await handle.close();
    const now = await readFile(path, 'utf8').catch(() => undefined);
    if (now === text && (await isStale(path, now, mine))) await unlink(path).catch(() => undefined);
  } finally {
    await unlink(claim).catch(() => undefined);
  }
}

/**
 * Takes the archive's lock, so two runs never write the same archive. A lock
 * left by a process that no longer exists on this host is taken over: one
 * contender removes it (removeStale), then every contender tries to create
 * the lock again, which only one can do.
 */
export async function acquireLock(root: string): Promise<ArchiveLock> {
  const path = join(root, LOCK_FILE);
  try {
    await makeFolder(join(root, '.newsmirror'));
  } catch (error) {
    throw new ArchiveError('no_archive', `${root}: no archive folder here: ${folderProblem(error)} (give the archive folder with --archive DIR)`);
  }
  const mine: LockInfo = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    if (await tryCreate(path, mine)) {
      return { release: () => unlink(path).catch(() => undefined) };
    }
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const held = readInfo(text);
    if (!held && (await isFresh(path))) {
      throw new ArchiveError('locked', `${path}: another newsmirror run is starting on this archive`);
    }
    if (held && (held.host !== mine.host || isAlive(held.pid))) {
      throw new ArchiveError(
        'locked',
        `${path}: another newsmirror run holds this archive (pid ${held.pid} on ${held.host}, since ${held.started}); if no run is active there, delete the lock file`,
      );
    }
    await removeStale(path, text, mine);
  }
  throw new ArchiveError('locked', `${path}: could not take the lock after 3 attempts`);
}

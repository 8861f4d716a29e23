import { hostname } from 'node:os';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ArchiveError, describeError } from '../domain/errors.js';
import { failpoint } from '../archive/failpoint.js';
import { folderProblem, makeFolder } from '../archive/make-folder.js';
import { tryExclusiveLock, type ExclusiveLock } from '../catalog/exclusive-lock.js';

/** Who holds the archive, for the message another run prints; the lock itself is LOCK_DATABASE's. */
export const LOCK_FILE = '.newsmirror/lock';
/** An empty SQLite file whose exclusive lock (the kernel's) is the archive's lock. Never deleted (see tryExclusiveLock). */
export const LOCK_DATABASE = '.newsmirror/lock.sqlite';

interface LockInfo {
  pid: number;
  host: string;
  started: string;
}

function readInfo(text: string | undefined): LockInfo | undefined {
  try {
    const value = JSON.parse(text ?? '') as Partial<LockInfo>;
    if (typeof value.pid === 'number' && typeof value.host === 'string') {
      return { pid: value.pid, host: value.host, started: String(value.started ?? '') };
    }
  } catch {
    // Not written yet (the holder is starting), or cut short by a crash.
  }
  return undefined;
}

export interface ArchiveLock {
  release(): Promise<void>;
}

function takeKernelLock(root: string): ExclusiveLock | undefined {
  const file = join(root, LOCK_DATABASE);
  try {
    return tryExclusiveLock(file);
  } catch (error) {
    throw new ArchiveError('lock_failed', `${file}: cannot take the lock (${describeError(error)})`, { cause: error });
  }
}

async function refuse(path: string): Promise<never> {
  const held = readInfo(await readFile(path, 'utf8').catch(() => undefined));
  const who = held ? `pid ${held.pid} on ${held.host}, since ${held.started}` : 'starting';
  throw new ArchiveError('locked', `${path}: another newsmirror run holds this archive (${who}); it is let go when that run ends, however it ends`);
}

/**
 * Takes the archive's lock, so two runs never write the same archive. The
 * lock is the kernel's (tryExclusiveLock), released with the process: a run
 * killed at any moment, a zombie, or one that is exiting holds nothing, so
 * the next run never has to judge whether a pid is alive (a zombie's is, a
 * reused one is someone else's). LOCK_FILE only says who holds it: whatever
 * it says once we hold the lock is stale, and it is written over.
 *
 * The kernel lock is sound on local disks (several containers on one host
 * included) and on network file systems whose locks work (NFSv4); over one
 * without working locks, two machines could both take it.
 */
export async function acquireLock(root: string): Promise<ArchiveLock> {
  const path = join(root, LOCK_FILE);
  try {
    await makeFolder(join(root, '.newsmirror'));
  } catch (error) {
    throw new ArchiveError('no_archive', `${root}: no archive folder here: ${folderProblem(error)} (give the archive folder with --archive DIR)`);
  }
  const kernel = takeKernelLock(root);
  if (!kernel) return refuse(path);
  failpoint('lock-taken');
  const mine: LockInfo = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  try {
    await writeFile(path, `${JSON.stringify(mine)}\n`);
  } catch (error) {
    // A full disk: said with the file's name (node's 'ENOSPC: no space left on device, write' names none).
    await unlink(path).catch(() => undefined);
    kernel.release();
    throw new ArchiveError('lock_failed', `${path}: cannot write the lock (${describeError(error)})`, { cause: error });
  }
  failpoint('lock-written');
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      await unlink(path).catch(() => undefined);
      kernel.release();
    },
  };
}

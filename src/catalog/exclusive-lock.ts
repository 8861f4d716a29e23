import { openDatabase } from './sqlite.js';

export interface ExclusiveLock {
  release(): void;
}

/**
 * Takes an exclusive lock on `file` (made empty if absent, and never written)
 * through SQLite's own locking: an exclusive transaction holds a POSIX
 * advisory lock (fcntl; LockFileEx on Windows) on the file, and the kernel
 * drops it when the process ends, however it ends: SIGKILL, a crash, and a
 * zombie, which has closed its files before its parent reaps it. SQLite also
 * tracks its locks per file inside a process, so two connections of one
 * process exclude each other as two processes do. Returns undefined when
 * another connection holds it. The file must never be deleted: a contender
 * that opened it before the deletion would lock the old file, and one that
 * opens it after, a new one, and both would hold "the" lock.
 */
export function tryExclusiveLock(file: string): ExclusiveLock | undefined {
  const db = openDatabase(file, { timeout: 0 });
  try {
    // The journal in memory: no `-journal` file beside the lock, nothing written, so a full disk can still take it.
    db.pragma('journal_mode = MEMORY');
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if (String((error as { code?: unknown }).code).startsWith('SQLITE_BUSY')) return undefined;
    throw error;
  }
  return { release: () => db.close() };
}

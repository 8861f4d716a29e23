import { statSync } from 'node:fs';
import { NewsmirrorError } from '../domain/errors.js';

/**
 * The archive folder serve and site read: it must be there, and be a folder
 * (a file there ended in 'unexpected error: ENOTDIR ... mkdir').
 */
export function requireArchiveFolder(dir: string): void {
  const info = statSync(dir, { throwIfNoEntry: false });
  if (info === undefined) throw new NewsmirrorError('no_archive', `${dir}: no such archive folder (give it with --archive DIR)`);
  if (!info.isDirectory()) throw new NewsmirrorError('no_archive', `${dir}: not a folder (give the archive folder with --archive DIR)`);
}

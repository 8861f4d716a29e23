import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

/** The project root (this file is test/helpers/shared.ts). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** ../shared beside the project: the seed, FORMAT.md and the real corpus. Absent on a user's clone. */
export const SHARED = resolve(PROJECT_ROOT, '../shared');
export const SEED_FILE = join(SHARED, 'seed/000_3be1d82dba63e46b.txt');
export const CORPUS = join(SHARED, 'corpus');

export const hasSeed = existsSync(SEED_FILE);
export const hasCorpus = existsSync(CORPUS);

/** Says once, visibly, why a block of tests is skipped. */
export function noteSkip(present: boolean, what: string): boolean {
  if (!present) console.warn(`skipped: ${what} needs ../shared beside the project, which is absent`);
  return !present;
}

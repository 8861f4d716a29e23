import { existsSync } from 'node:fs';
import { withArchiveIgnored } from '../archive/archive-gitignore.js';
import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { monthKey } from '../domain/calendar.js';
import { LIST_LENGTH, listPath, renderList, renderReadme } from '../archive/list-file.js';
import { writeFileIfChanged } from '../archive/write-file-atomic.js';
import type { Catalog, ListFileRow } from '../catalog/catalog.js';
import { failpoint } from '../archive/failpoint.js';

/** The name of a monthly list file (list-file.ts listPath). */
const MONTH_LIST = /^(\d{4}-(?:0[1-9]|1[0-2]))\.md$/;

export interface ListSource {
  slug: string;
  name: string;
}

/**
 * Regenerates one source's lists from the catalog: `lists/<name>.md` (the
 * newest 300) always, and the monthly lists `lists/<name>/<YYYY-MM>.md` when
 * the source's articles changed or they were never written. Files are only
 * rewritten when their bytes differ. Returns the paths written.
 */
export async function writeLists(
  root: string,
  catalog: Catalog,
  source: ListSource,
  timeZone: string,
  changed: boolean,
): Promise<string[]> {
  failpoint('before-lists');
  const written: string[] = [];
  const toEntries = (rows: ListFileRow[]) => rows.map((row) => ({ ...row, slug: source.slug }));
  const main = renderList(source.name, toEntries(catalog.listNewest(source.slug, LIST_LENGTH)), timeZone);
  if (await writeFileIfChanged(root, listPath(source.name), main)) written.push(listPath(source.name));
  if (!changed && existsSync(join(root, 'lists', source.name))) return written;

  const months = new Map<string, ListFileRow[]>();
  for (const row of catalog.listBetween(source.slug, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)) {
    const key = monthKey(row.published, timeZone);
    let rows = months.get(key);
    if (!rows) months.set(key, (rows = []));
    rows.push(row);
  }
  for (const [month, rows] of months) {
    const path = listPath(source.name, month);
    if (await writeFileIfChanged(root, path, renderList(`${source.name} ${month}`, toEntries(rows), timeZone))) written.push(path);
  }
  // A month none of whose articles is left (removed by hand) keeps no list linking them.
  const names = await readdir(join(root, 'lists', source.name)).catch(() => [] as string[]);
  for (const name of names) {
    const month = MONTH_LIST.exec(name)?.[1];
    if (month !== undefined && !months.has(month)) await unlink(join(root, listPath(source.name, month)));
  }
  return written;
}

export async function writeReadme(root: string, title: string, names: readonly string[], footer: string): Promise<boolean> {
  return writeFileIfChanged(root, 'README.md', renderReadme(title, names, footer));
}

/** The catalog, temp files and lock are never committed; the state file is. */
/** Makes sure the archive's .gitignore lists what must not be committed, keeping the user's lines. */
export async function writeGitignore(root: string, current: string | undefined): Promise<boolean> {
  const text = withArchiveIgnored(current);
  return text === undefined ? false : writeFileIfChanged(root, '.gitignore', text);
}

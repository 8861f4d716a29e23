import { openDatabase } from '../../src/catalog/sqlite.js';
import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Damages one table or index of a SQLite file (the search file, the catalog) the way a disk fault would,
 * where opening the file does not notice: its pages are overwritten with
 * garbage, so reading them fails with SQLITE_CORRUPT. For the FTS5
 * segment data (`search_terms_data`) the root and the first leaf stay
 * whole: they hold the structure record that opening reads. Returns how
 * many pages were damaged (0: too small to damage that way).
 */
export function damagePages(file: string, name: string): number {
  const db = openDatabase(file, { readonly: true });
  let pages: number[];
  let pageSize: number;
  try {
    pageSize = db.pragma('page_size', { simple: true }) as number;
    const rows = db.prepare('SELECT pageno, pagetype FROM dbstat WHERE name = ? ORDER BY path').all(name) as { pageno: number; pagetype: string }[];
    if (name.endsWith('_data')) {
      const firstLeaf = rows.findIndex((r) => r.pagetype === 'leaf');
      pages = rows.filter((r, i) => r.pagetype !== 'internal' && i > firstLeaf).map((r) => r.pageno);
    } else {
      pages = rows.map((r) => r.pageno);
    }
  } finally {
    db.close();
  }
  const fd = openSync(file, 'r+');
  try {
    for (const page of pages) writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, (page - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
  return pages.length;
}

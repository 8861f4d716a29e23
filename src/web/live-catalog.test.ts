import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../catalog/catalog.js';
import { setAside } from '../catalog/keep-from.js';
import { itemRecord } from '../../test/helpers/item-record.js';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { LiveCatalog } from './live-catalog.js';

/** A catalog at `file` made anew the way reindex makes it (the old one set aside), with `ids` of source s. */
function replaceCatalog(file: string, ids: number[]): void {
  setAside(file, `${file}.aside`);
  rmSync(`${file}-search`, { force: true });
  const catalog = Catalog.open(file);
  for (const id of ids) catalog.insertItem(itemRecord('s', id));
  catalog.close();
}

describe('LiveCatalog', () => {
  it('opens a replaced catalog for the next request; a request in flight finishes on the old one, which then closes', async () => {
    const file = join(await tempDir(), 'catalog.sqlite');
    const synced: Catalog[] = [];
    const { live } = await LiveCatalog.open({
      file,
      view: (catalog) => catalog,
      sync: async (catalog) => {
        synced.push(catalog);
        return [];
      },
      log: (line) => expect.unreachable(line),
      checkEveryMs: 0,
    });
    try {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let inFlight: Catalog | undefined;
      const slow = live.use(async (catalog) => {
        inFlight = catalog;
        await gate;
        return catalog.listIds('s');
      });
      expect(await live.use((catalog) => catalog.listIds('s'))).toEqual([]);

      replaceCatalog(file, [1, 2]);
      expect((await live.use((catalog) => catalog.listIds('s'))).sort()).toEqual([1, 2]);
      // Synced in the background, as at start.
      await expect.poll(() => synced.length).toBe(2);
      expect(inFlight!.closed).toBe(false);
      release();
      expect(await slow).toEqual([]);
      expect(inFlight!.closed).toBe(true);
    } finally {
      await live.close();
    }
    expect(synced.every((catalog) => catalog.closed)).toBe(true);
  });

  it('waits while the file is missing (being replaced), and does not look more often than asked', async () => {
    const file = join(await tempDir(), 'catalog.sqlite');
    const { live } = await LiveCatalog.open({ file, view: (catalog) => catalog, sync: async () => [], log: (line) => expect.unreachable(line), checkEveryMs: 60_000 });
    try {
      const first = await live.use((catalog) => catalog);
      replaceCatalog(file, [7]);
      // Not looked at again within the minute: the same catalog.
      expect(await live.use((catalog) => catalog)).toBe(first);
      expect(first.replaced()).toBe(true);
      setAside(file, `${file}.gone`);
      expect(first.replaced()).toBe(false);
    } finally {
      await live.close();
    }
  });
});

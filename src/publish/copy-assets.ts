import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SiteOutput } from './site-output.js';

const DIR = /^[0-9a-f]{2}$/;
const NAME = /^[0-9a-f]{64}\.[a-z0-9]{2,5}$/;

/**
 * The archive's images (assets/<2 hex>/<sha256>.<ext>) into the site, so
 * bodies' ../../assets/ addresses work there too. Content-addressed: a name
 * already in the site has the same bytes and is not copied again.
 */
export async function copyAssets(archiveRoot: string, out: SiteOutput): Promise<void> {
  const assets = join(archiveRoot, 'assets');
  const dirs = (await readdir(assets, { withFileTypes: true }).catch(() => [])).filter((d) => d.isDirectory() && DIR.test(d.name));
  for (const dir of dirs.map((d) => d.name).sort()) {
    for (const name of (await readdir(join(assets, dir))).sort()) {
      if (NAME.test(name)) await out.copyImmutable(join(assets, dir, name), `assets/${dir}/${name}`);
    }
  }
}

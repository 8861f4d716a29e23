import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { SITE_MANIFEST, SiteOutput } from './site-output.js';

describe('SiteOutput', () => {
  it('replaces and removes what its manifest lists, and keeps files it did not make', async () => {
    const root = await tempDir();
    const first = await SiteOutput.open(root);
    await first.write('index.html', 'one');
    await first.write('old.html', 'old');
    await first.finish();
    await writeFile(join(root, 'CNAME'), 'mirror.example\n');
    const second = await SiteOutput.open(root);
    await second.write('index.html', 'two');
    expect(await second.finish()).toMatchObject({ written: 1, removed: 1 });
    expect((await readdir(root)).sort()).toEqual([SITE_MANIFEST, 'CNAME', 'index.html']);
    expect(await readFile(join(root, 'index.html'), 'utf8')).toBe('two');
  });

  it('knows the files of a build stopped while moving them into place as its own', async () => {
    const root = await tempDir();
    const output = await SiteOutput.open(root);
    await output.write('a.html', 'a');
    await output.write('b/c.html', 'c');
    // The second staged file goes missing: the move stops after the first.
    const staged = (await readdir(join(root, '.newsmirror-tmp'))).sort();
    await rm(join(root, '.newsmirror-tmp', staged[1]!));
    await expect(output.finish()).rejects.toThrow();
    expect(await readFile(join(root, 'a.html'), 'utf8')).toBe('a');

    const again = await SiteOutput.open(root);
    await again.write('a.html', 'a2');
    await again.write('b/c.html', 'c');
    await again.finish();
    expect(await readFile(join(root, 'a.html'), 'utf8')).toBe('a2');
    expect(await readFile(join(root, 'b/c.html'), 'utf8')).toBe('c');
  });

  it('does not take a file it did not make but that holds the same bytes as in its way', async () => {
    const root = await tempDir();
    await mkdir(join(root, 'feeds'));
    await writeFile(join(root, 'feeds/all.xml'), 'same');
    const output = await SiteOutput.open(root);
    await output.write('feeds/all.xml', 'same');
    expect(await output.finish()).toMatchObject({ written: 0, unchanged: 1 });
    // Still the user's: a later build that no longer writes that path leaves it, as it leaves a CNAME.
    const later = await SiteOutput.open(root);
    await later.write('index.html', 'home');
    expect(await later.finish()).toMatchObject({ written: 1, removed: 0 });
    expect(await readFile(join(root, 'feeds/all.xml'), 'utf8')).toBe('same');
  });

  it('says so when its manifest is broken, and why its own pages are then taken for the user\'s', async () => {
    const root = await tempDir();
    const first = await SiteOutput.open(root);
    await first.write('index.html', 'one');
    await first.finish();
    await writeFile(join(root, SITE_MANIFEST), '{"v": 1, "files": ');
    const second = await SiteOutput.open(root);
    await second.write('index.html', 'two');
    await expect(second.finish()).rejects.toThrow(
      `--out ${root}: 1 file there was not made by newsmirror site (${SITE_MANIFEST} there could not be read, which lists the files an earlier build made) and would be replaced: index.html; nothing was written: remove them, or choose another --out`,
    );
    expect(await readFile(join(root, 'index.html'), 'utf8')).toBe('one');
  });
});

import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReaderFixture } from '../src/web/testing/reader-fixture.js';
import { runCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp-dir.js';

/** The first article page of the site that shows an archived picture, and the src it gives it. */
async function pictureIn(out: string): Promise<{ page: string; src: string; html: string }> {
  for (const slug of await readdir(join(out, 'articles'))) {
    for (const name of await readdir(join(out, 'articles', slug))) {
      const page = join(out, 'articles', slug, name);
      const html = await readFile(page, 'utf8');
      const src = /<img src="([^"]*assets\/[0-9a-f]{2}\/[0-9a-f]{64}\.[a-z]+)"/.exec(html)?.[1];
      if (src !== undefined) return { page, src, html };
    }
  }
  throw new Error(`no archived picture in ${out}`);
}

describe('site and the Pages limit', () => {
  let dir: string;
  let archive: string;
  beforeAll(async () => {
    dir = await tempDir();
    archive = (await buildReaderFixture(dir)).archiveDir;
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('--assets link copies no picture: pages show the archive’s own copy, by a relative path or at --assets-url, which the policy admits', async () => {
    const out = join(dir, 'linked');
    const result = await runCli(['site', '--archive', archive, '--out', out, '--assets', 'link', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).warnings).toEqual([]);
    expect(existsSync(join(out, 'assets'))).toBe(false);
    const { page, src } = await pictureIn(out);
    // The path leads from the page to the very file the archive holds.
    expect(src).toMatch(/^(\.\.\/)+/);
    expect(resolve(dirname(page), src).startsWith(join(archive, 'assets'))).toBe(true);
    expect(existsSync(resolve(dirname(page), src))).toBe(true);

    const hosted = join(dir, 'hosted');
    const url = 'https://raw.githubusercontent.com/owner/news/main/';
    expect((await runCli(['site', '--archive', archive, '--out', hosted, '--assets', 'link', '--assets-url', url])).code).toBe(0);
    const remote = await pictureIn(hosted);
    expect(remote.src).toMatch(/^https:\/\/raw\.githubusercontent\.com\/owner\/news\/main\/assets\/[0-9a-f]{2}\/[0-9a-f]{64}\.[a-z]+$/);
    expect(remote.html).toContain(`img-src 'self' data: https://raw.githubusercontent.com;`);
    expect(existsSync(join(hosted, 'assets'))).toBe(false);
    // The feeds too carry the archive's copies, not the site's (it has none).
    const slug = relative(join(hosted, 'articles'), remote.page).split(sep)[0]!;
    const feed = await readFile(join(hosted, `feeds/${slug}.xml`), 'utf8');
    expect(feed).toContain(remote.src);
    // A relative way to the archive is from the site's root there (the feed's xml:base), not from a page.
    expect(await readFile(join(out, `feeds/${slug}.xml`), 'utf8')).toMatch(new RegExp(`src=&quot;${src.slice('../../'.length).replace(/\./g, '\\.')}&quot;`));

    // Back to copies: the pages link them again (their key knows where pictures come from).
    expect((await runCli(['site', '--archive', archive, '--out', out])).code).toBe(0);
    expect((await pictureIn(out)).src).toMatch(/^\.\.\/\.\.\/assets\//);
    expect(existsSync(join(out, (await pictureIn(out)).src.replace(/^\.\.\/\.\.\//, '')))).toBe(true);
  });

  it('warns when the site is over the 1 GB Pages publishes, and --assets link brings it under', async () => {
    // A 1.1 GB picture, sparse (no disk taken), in the archive and already in the site from an earlier build.
    const name = `assets/ab/${'ab'.repeat(32)}.webp`;
    const out = join(dir, 'big');
    for (const root of [archive, out]) {
      await mkdir(join(root, 'assets/ab'), { recursive: true });
      await writeFile(join(root, name), '');
      await truncate(join(root, name), 1_100_000_000);
    }
    try {
      const result = await runCli(['site', '--archive', archive, '--out', out, '--json']);
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout).warnings).toEqual([
        expect.stringMatching(new RegExp(`^${out}: the site is 1\\.1\\d GB, over the 1 GB GitHub Pages publishes: build it with --assets link \\(pictures from the archive itself\\), or publish it elsewhere$`)),
      ]);
      const text = await runCli(['site', '--archive', archive, '--out', out]);
      expect(text.stderr).toMatch(/^! .*: the site is 1\.1\d GB, over the 1 GB GitHub Pages publishes/);

      const linked = await runCli(['site', '--archive', archive, '--out', join(dir, 'small'), '--assets', 'link', '--json']);
      expect(JSON.parse(linked.stdout).warnings).toEqual([]);
    } finally {
      await rm(join(archive, name));
      await rm(join(out, name));
    }
  });

  it('refuses --assets that is not copy or link, --assets-url without link, and link with Jekyll', async () => {
    const out = join(dir, 'refused');
    const cases: [string[], string][] = [
      [['--assets', 'none'], '--assets none: must be copy or link'],
      [['--assets-url', 'https://x.example/'], '--assets-url URL: only with --assets link'],
      [['--assets', 'link', '--assets-url', 'ftp://x.example/'], '--assets-url ftp://x.example/: must be an absolute http:// or https:// URL'],
      [['--assets', 'link', '--format', 'jekyll'], '--assets link: only with --format html (Jekyll posts need their pictures beside them)'],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(['site', '--archive', archive, '--out', out, ...args]);
      expect([result.code, result.stderr]).toEqual([1, `newsmirror site: ${message}\n`]);
    }
  });
});

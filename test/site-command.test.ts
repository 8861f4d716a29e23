import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { buildReaderFixture, WIRE_COUNT } from '../src/web/testing/reader-fixture.js';
import { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { numberedItems, rss } from './helpers/feeds.js';
import { runCli, spawnCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp-dir.js';

describe('newsmirror site', () => {
  let dir: string;
  let archive: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsmirror-site-cli-'));
    archive = (await buildReaderFixture(dir)).archiveDir;
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('builds the site, then rebuilds it writing nothing', async () => {
    const out = join(dir, 'site');
    const first = await runCli(['site', '--archive', archive, '--out', out, '--base-url', 'https://mirror.example/news', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report).toMatchObject({ out, format: 'html', unchanged: 0, removed: 0, warnings: [] });
    expect(report.written).toBeGreaterThan(WIRE_COUNT);
    expect(await readFile(join(out, 'feeds/all.xml'), 'utf8')).toContain('<link rel="self" type="application/atom+xml" href="https://mirror.example/news/feeds/all.xml"/>');
    const again = JSON.parse((await runCli(['site', '--archive', archive, '--out', out, '--base-url', 'https://mirror.example/news', '--json'])).stdout);
    expect([again.written, again.removed]).toEqual([0, 0]);
  });

  it('writes Jekyll posts with --format jekyll', async () => {
    const out = join(dir, 'jekyll');
    const result = await runCli(['site', '--archive', archive, '--out', out, '--format', 'jekyll']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^newsmirror site: .* \(jekyll\): \d+ written, 0 unchanged, 0 kept, 0 removed in \d+ ms\n$/);
    expect(existsSync(join(out, '_posts'))).toBe(true);
    expect(existsSync(join(out, 'index.html'))).toBe(false);
  });

  it('refuses to replace files it did not make, before writing anything; files that are not in its way are kept', async () => {
    const out = join(dir, 'docs');
    await mkdir(join(out, 'feeds'), { recursive: true });
    const mine = { 'index.html': 'mine\n', 'feeds/all.xml': '<feed/>\n', 'CNAME': 'mirror.example\n', 'README.md': '# docs\n' };
    for (const [path, text] of Object.entries(mine)) await writeFile(join(out, path), text);
    const refused = await runCli(['site', '--archive', archive, '--out', out]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe(
      `newsmirror site: --out ${out}: 2 files there were not made by newsmirror site and would be replaced: feeds/all.xml, index.html; ` +
        'nothing was written: remove them, or choose another --out\n',
    );
    // Nothing of the site was written, nothing of the user's changed.
    expect((await readdir(out, { recursive: true })).sort()).toEqual(['CNAME', 'README.md', 'feeds', 'feeds/all.xml', 'index.html']);
    for (const [path, text] of Object.entries(mine)) expect(await readFile(join(out, path), 'utf8')).toBe(text);

    // Out of its way, it builds; the files beside it stay as they are, and so they do on a rebuild.
    await rm(join(out, 'index.html'));
    await rm(join(out, 'feeds'), { recursive: true });
    const built = await runCli(['site', '--archive', archive, '--out', out, '--json']);
    expect(built.code, built.stderr).toBe(0);
    expect(await readFile(join(out, 'index.html'), 'utf8')).toContain('<!DOCTYPE html>');
    const again = JSON.parse((await runCli(['site', '--archive', archive, '--out', out, '--json'])).stdout);
    expect([again.written, again.removed]).toEqual([0, 0]);
    expect(await readFile(join(out, 'CNAME'), 'utf8')).toBe(mine.CNAME);
    expect(await readFile(join(out, 'README.md'), 'utf8')).toBe(mine['README.md']);
  });

  it('names the first few files it would replace, then how many more', async () => {
    const out = join(dir, 'other-site');
    const paths = ['index.html', 'search.html', 'feeds/all.xml', 'feeds/news.xml', 'feeds/wire.xml', 'sources/news/index.html'];
    for (const path of paths) {
      await mkdir(dirname(join(out, path)), { recursive: true });
      await writeFile(join(out, path), 'old\n');
    }
    const refused = await runCli(['site', '--archive', archive, '--out', out]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `newsmirror site: --out ${out}: 6 files there were not made by newsmirror site and would be replaced: feeds/all.xml, feeds/news.xml, feeds/wire.xml and 3 more; ` +
        'nothing was written: remove them, or choose another --out\n',
    );
    for (const path of paths) expect(await readFile(join(out, path), 'utf8')).toBe('old\n');
  });

  it('takes a file where it needs a folder for one in its way', async () => {
    const out = join(dir, 'odd-site');
    await mkdir(out);
    await writeFile(join(out, 'feeds'), 'notes\n');
    const refused = await runCli(['site', '--archive', archive, '--out', out]);
    expect([refused.code, refused.stderr]).toEqual([1, expect.stringContaining(`--out ${out}: 1 file there was not made by newsmirror site and would be replaced: feeds; nothing was written`)]);
    expect(await readdir(out)).toEqual(['feeds']);
  });

  it('on a full disk names the page it could not write, puts nothing in place and leaves nothing staged', async () => {
    const server = await new LocalFeedServer().start();
    onTestFinished(() => server.stop());
    const config = join(await tempDir(), 'newsmirror.yaml');
    await writeFile(config, `sources:\n  - { name: 测试, slug: t, url: "${server.url}/t.xml", fullText: never, clean: false }\n`);
    server.routes.set('/t.xml', { body: rss([{ title: 'big', link: 'https://example.org/big', guid: 'big', description: `<p>${'Long body text. '.repeat(80_000)}</p>` }]) });
    expect((await runCli(['run', '--config', config])).code).toBe(0);
    const out = join(dirname(config), 'site');
    // A 1.3 MB page past a 1 MiB cap on files, as a full disk fails it: it was 'unexpected error: EFBIG:
    // file too large, write' (ENOSPC: ..., write), naming no file, and what was staged kept its space.
    const result = await spawnCli(['site', '--config', config, '--out', out], { maxFileKiB: 1024 }).done;
    expect([result.code, result.stderr]).toEqual([1, `newsmirror site: --out ${out}: articles/t/1048574.html: not written (EFBIG: file too large, write); nothing of this build was put in place\n`]);
    expect(await readdir(out)).toEqual([]);
  });

  it('refuses to write into the archive or where no folder can be, an unknown format, and a missing --out, in one line each', async () => {
    const cases: [string[], string][] = [
      [['--out', archive], `--out ${archive}: must not be the archive folder`],
      [['--out', join(archive, 'articles')], 'must not be the archive folder or one of its articles/'],
      [['--out', join(dir, 'x'), '--format', 'hugo'], '--format hugo: must be html or jekyll'],
      [['--out', join(dir, 'x'), '--base-url', 'ftp://x'], '--base-url ftp://x: must be an absolute http:// or https:// URL'],
      // Page paths are appended to it: a query or fragment would end up in the middle of every link.
      [['--out', join(dir, 'x'), '--base-url', 'https://x.example/news/?utm=1'], '--base-url https://x.example/news/?utm=1: must have no ?query or #fragment'],
      [['--out', join(dir, 'x'), '--base-url', 'https://x.example/news#top'], '--base-url https://x.example/news#top: must have no ?query or #fragment'],
      [[], '--out DIR is required'],
      // It was 'unexpected error: ENOTDIR ... lstat', and under /proc a loop for ever (Node's recursive mkdir).
      [['--out', join(dir, 'a-file')], `--out ${join(dir, 'a-file')}: no folder here: a file, not a folder, is in the way`],
      ...(existsSync('/proc/self') ? [[['--out', '/proc/newsmirror-site'], '--out /proc/newsmirror-site: no folder here: cannot make it (ENOENT)'] as [string[], string]] : []),
    ];
    await writeFile(join(dir, 'a-file'), 'x');
    for (const [args, message] of cases) {
      const result = await runCli(['site', '--archive', archive, ...args]);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr).toContain(message);
      expect(result.stderr).toMatch(/^newsmirror site: (?!newsmirror)/);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });
});

describe('newsmirror site --archive, given the top of an init repository', () => {
  it('reads the archive folder its newsmirror.yaml names, as run does there, not the top itself', async () => {
    const server = await new LocalFeedServer().start();
    try {
      const repo = await tempDir();
      expect((await runCli(['init', repo, '--json'])).code).toBe(0);
      const config = join(repo, 'newsmirror.yaml');
      // init's config with the archive moved into a folder (archive: archive), one local feed for its sources.
      const text = (await readFile(config, 'utf8')).replace(/^archive: \.( *#.*)?$/m, 'archive: archive');
      await writeFile(config, `${text.slice(0, text.indexOf('sources:'))}sources:\n  - { name: 测试, slug: t, url: "${server.url}/t.xml", fullText: never }\n`);
      server.routes.set('/t.xml', { body: rss(numberedItems(2)) });
      expect((await runCli(['run', '--config', config])).code).toBe(0);
      const out = join(repo, 'site');
      const built = await runCli(['site', '--archive', repo, '--out', out, '--json']);
      expect(built.code, built.stderr).toBe(0);
      expect(existsSync(join(out, 'articles/t/1048574.html'))).toBe(true);
      expect(existsSync(join(repo, '.newsmirror'))).toBe(false);
    } finally {
      await server.stop();
    }
  });
});

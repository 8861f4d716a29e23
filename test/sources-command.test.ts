import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { parseOpmlFeeds } from '../src/feeds/opml.js';
import { isolateGit } from '../src/git/testing/git-fixture.js';
import { numberedItems, rss } from './helpers/feeds.js';
import { runCli, spawnCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp-dir.js';

beforeAll(isolateGit);

const FOREIGN = `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>exported elsewhere</title></head><body>
  <outline text="中文新闻">
    <outline type="rss" text="法广" xmlUrl="https://feedx.net/rss/rfi.xml"/>
    <outline type="rss" text="联合早报" xmlUrl="https://www.zaobao.com.sg/rss/realtime/china"/>
    <outline type="rss" text="BBC News 中文" xmlUrl="https://feeds.bbci.co.uk/zhongwen/simp/rss.xml"/>
    <outline type="rss" text="bbc" xmlUrl="https://example.org/bbc/feed/"/>
    <outline type="rss" text="Gopher" xmlUrl="gopher://example.org/feed"/>
  </outline>
</body></opml>`;

describe('sources', () => {
  let dir: string;
  let config: string;
  const cli = (...args: string[]) => runCli(['sources', ...args, '--config', config]);
  beforeEach(async () => {
    dir = await tempDir();
    config = join(dir, 'newsmirror.yaml');
    expect((await runCli(['init', dir])).code).toBe(0);
  });

  it('round-trips through OPML: export, import into another config, export again gives the same list', async () => {
    const first = await cli('export');
    expect(first.code).toBe(0);
    // --json would have printed the OPML all the same: it is refused with where to get JSON.
    expect(await cli('export', '--json')).toEqual({ code: 1, stdout: '', stderr: 'newsmirror sources: export writes OPML; for JSON use newsmirror sources list --json\n' });
    expect(parseOpmlFeeds(first.stdout, 'stdout').map((f) => f.slug)).toEqual(['reuters', 'nyt', 'voa', 'ft', 'bbc', 'rfi', 'dw', 'rfa', 'cdt']);
    const opml = join(dir, 'feeds.opml');
    await writeFile(opml, first.stdout);

    const other = join(await tempDir(), 'newsmirror.yaml');
    await writeFile(other, '# my own config\nsources:\n  - { name: 占位, slug: placeholder, url: "https://example.org/p.xml" }\n');
    const imported = await runCli(['sources', 'import', opml, '--config', other]);
    expect(imported.stdout.split('\n')[0]).toBe(`newsmirror: 9 sources added to ${other}, 0 skipped`);
    expect((await runCli(['sources', 'remove', 'placeholder', '--config', other])).code).toBe(0);
    const again = await runCli(['sources', 'export', '--config', other]);
    expect(again.stdout).toBe(first.stdout);
    const a = await loadConfig({ config, cwd: dir });
    const b = await loadConfig({ config: other, cwd: dir });
    const identity = (c: typeof a) => c.sources.map((s) => [s.slug, s.name, s.url]);
    expect(identity(b)).toEqual(identity(a));
    expect(await readFile(other, 'utf8')).toMatch(/^# my own config\n/);

    const reimport = await runCli(['sources', 'import', opml, '--config', other, '--json']);
    expect(JSON.parse(reimport.stdout)).toMatchObject({ added: [], skipped: expect.arrayContaining([{ url: 'https://feedx.net/rss/rfi.xml', reason: 'already configured as rfi' }]) });
  });

  it('says "1 source added" of a list of one feed (it said "1 sources")', async () => {
    const opml = join(dir, 'one.opml');
    await writeFile(opml, '<?xml version="1.0"?><opml version="2.0"><body><outline type="rss" text="单独" xmlUrl="https://example.org/alone.xml"/></body></opml>');
    const imported = await cli('import', opml);
    expect(imported.stdout.split('\n')[0]).toBe(`newsmirror: 1 source added to ${config}, 0 skipped`);
  });

  it('imports a foreign list: derives unique ASCII slugs and names, skips known and non-HTTP feeds, keeps comments', async () => {
    const opml = join(dir, 'foreign.opml');
    await writeFile(opml, FOREIGN);
    const result = await cli('import', opml, '--json');
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.added).toEqual([
      { name: '联合早报', slug: 'china', url: 'https://www.zaobao.com.sg/rss/realtime/china' },
      { name: 'BBC News 中文', slug: 'bbc-news', url: 'https://feeds.bbci.co.uk/zhongwen/simp/rss.xml' },
      { name: 'bbc (2)', slug: 'bbc-2', url: 'https://example.org/bbc/feed/' },
    ]);
    expect(report.skipped).toEqual([
      { url: 'https://feedx.net/rss/rfi.xml', reason: 'already configured as rfi' },
      { url: 'gopher://example.org/feed', reason: 'not an http:// or https:// URL' },
    ]);
    const text = await readFile(config, 'utf8');
    expect(text).toContain('# tried in order when the one in use fails');
    expect(text).toContain('# One entry per feed');
    expect((await loadConfig({ config, cwd: dir })).sources.map((s) => s.slug).slice(-3)).toEqual(['china', 'bbc-news', 'bbc-2']);

    const notOpml = join(dir, 'page.html');
    await writeFile(notOpml, '<html><body>no</body></html>');
    expect(await cli('import', notOpml)).toMatchObject({ code: 1, stderr: `newsmirror sources: ${notOpml}: not an OPML document\n` });
  });

  it('imports a list saved in a legacy encoding (GB2312, as its XML declaration says) with its names intact', async () => {
    const opml = join(dir, 'gb.opml');
    await writeFile(opml, iconv.encode(FOREIGN.replace('encoding="UTF-8"', 'encoding="GB2312"'), 'gb2312'));
    const result = await cli('import', opml, '--json');
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).added.map((s: { name: string }) => s.name)).toEqual(['联合早报', 'BBC News 中文', 'bbc (2)']);
    expect((await loadConfig({ config, cwd: dir })).sources.slice(-3).map((s) => s.name)).toEqual(['联合早报', 'BBC News 中文', 'bbc (2)']);
  });

  it('lists sources, and removes one keeping its archived files', async () => {
    const listed = await cli('list');
    expect(listed.stdout.split('\n')[0]).toBe('reuters  路透  https://feedx.net/rss/reuters.xml');
    await mkdir(join(dir, 'articles/rfi'), { recursive: true });
    await writeFile(join(dir, 'articles/rfi/1048574.md'), 'kept\n');
    const removed = await cli('remove', 'rfi');
    expect(removed.stdout).toBe(`newsmirror: removed rfi (法广) from ${config}; its articles stay in ${join(dir, 'articles/rfi')}\n`);
    // A source never run had no folder: nothing is said to stay.
    expect((await cli('remove', 'dw')).stdout).toBe(`newsmirror: removed dw (德国之声) from ${config} (it had no articles archived)\n`);
    expect((await loadConfig({ config, cwd: dir })).sources.map((s) => s.slug)).not.toContain('rfi');
    expect(existsSync(join(dir, 'articles/rfi/1048574.md'))).toBe(true);
    expect(await cli('remove', 'rfi')).toMatchObject({ code: 1, stderr: expect.stringMatching(/no source with slug "rfi" \(known: reuters, nyt/) });
  });
});

describe('sources add', () => {
  let server: LocalFeedServer;
  beforeEach(async () => {
    server = await new LocalFeedServer().start();
  });
  afterEach(() => server.stop());

  it('says which config it could not write (a full disk) and leaves it, with nothing beside it, as it was', async () => {
    const dir = await tempDir();
    const config = join(dir, 'newsmirror.yaml');
    const text = `# ${'notes '.repeat(3000)}\nsources:\n  - { name: 一, slug: one, url: "https://example.org/1.xml" }\n`;
    await writeFile(config, text);
    server.routes.set('/t.xml', { body: rss(numberedItems(1), 'Test Feed') });
    // The config is 18 KiB, files are capped at 16: 'unexpected error: EFBIG: file too large, write' (ENOSPC
    // on a full disk), naming no file, and the partial .newsmirror.yaml.<hex>.tmp stayed beside it.
    const result = await spawnCli(['sources', 'add', `${server.url}/t.xml`, '--config', config], { maxFileKiB: 16 }).done;
    expect([result.code, result.stderr]).toEqual([1, `newsmirror sources: ${config}: not written (EFBIG: file too large, write); it is as it was\n`]);
    expect(await readdir(dir)).toEqual(['newsmirror.yaml']);
    expect(await readFile(config, 'utf8')).toBe(text);
  });

  it('adds a feed after fetching it once; a feed that fails is not added', async () => {
    const dir = await tempDir();
    const config = join(dir, 'newsmirror.yaml');
    await writeFile(config, 'sources:\n  # the first\n  - { name: 一, slug: one, url: "https://example.org/1.xml" }\n');
    server.routes.set('/t.xml', { body: rss(numberedItems(4), 'Test Feed') });
    const added = await runCli(['sources', 'add', `${server.url}/t.xml`, '--name', '测试', '--slug', 't', '--config', config]);
    expect(added.stdout).toBe(`newsmirror: added t (测试) ${server.url}/t.xml to ${config}: 4 items in the feed now\n`);
    expect(server.hits.get('/t.xml')).toBe(1);
    const derived = await runCli(['sources', 'add', `${server.url}/t.xml?v=2`, '--config', config, '--json']);
    expect(JSON.parse(derived.stdout).added).toEqual({ name: 'Test Feed', slug: 'test-feed', url: `${server.url}/t.xml?v=2` });
    const text = await readFile(config, 'utf8');
    expect(text).toContain('  # the first\n');
    expect((await loadConfig({ config, cwd: dir })).sources.map((s) => s.slug)).toEqual(['one', 't', 'test-feed']);

    const before = await readFile(config, 'utf8');
    const missing = await runCli(['sources', 'add', `${server.url}/gone.xml`, '--config', config]);
    expect(missing).toMatchObject({ code: 1, stderr: `newsmirror sources: HTTP 404 from ${server.url}/gone.xml [http_404] (not added)\n` });
    const badSlug = await runCli(['sources', 'add', `${server.url}/t.xml?v=3`, '--slug', '../x', '--config', config]);
    expect(badSlug).toMatchObject({ code: 1, stderr: expect.stringMatching(/^newsmirror sources: --slug \.\.\/x: must be 1-64 ASCII/) });
    // A clash is said by the option that makes it, not by a line of the file as it would have been.
    const clash = await runCli(['sources', 'add', `${server.url}/t.xml?v=4`, '--slug', 'T', '--config', config]);
    expect(clash).toMatchObject({ code: 1, stderr: 'newsmirror sources: --slug T: already used by source t (slugs must differ ignoring case)\n' });
    const nameClash = await runCli(['sources', 'add', `${server.url}/t.xml?v=5`, '--name', '测试', '--config', config]);
    expect(nameClash).toMatchObject({ code: 1, stderr: 'newsmirror sources: --name 测试: already used by source t (names must differ ignoring case)\n' });
    expect(server.hits.get('/t.xml')).toBe(2);
    expect(await readFile(config, 'utf8')).toBe(before);

    // A title of dots and slashes: the name made of it started with "." again, and the add failed
    // naming line 5 of the file as it would have been.
    server.routes.set('/dots.xml', { body: rss(numberedItems(1), '../../etc') });
    const dots = await runCli(['sources', 'add', `${server.url}/dots.xml`, '--config', config, '--json']);
    expect([dots.code, dots.stderr]).toEqual([0, '']);
    expect(JSON.parse(dots.stdout).added).toEqual({ name: 'etc', slug: 'etc', url: `${server.url}/dots.xml` });
  });
});

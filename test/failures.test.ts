import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalog } from '../src/catalog/catalog.js';
import { acquireLock } from '../src/pipeline/archive-lock.js';
import { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { readTree } from './helpers/archive-tree.js';
import { numberedItems, rss } from './helpers/feeds.js';
import { runCli, spawnCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp-dir.js';

describe('failures', () => {
  let server: LocalFeedServer;
  beforeEach(async () => {
    server = await new LocalFeedServer().start();
  });
  afterEach(() => server.stop());

  async function archiveWith(sources: string[]): Promise<{ dir: string; config: string; archive: string }> {
    const dir = await tempDir();
    const config = join(dir, 'newsmirror.yaml');
    await writeFile(config, `archive: archive\nsources:\n${sources.map((s) => `  - ${s}\n`).join('')}`);
    return { dir, config, archive: join(dir, 'archive') };
  }

  it.each([
    [['run', '--nope'], "newsmirror run: Unknown option '--nope' (see newsmirror run --help)\n"],
    [['search', '新闻', '--bogus'], "newsmirror search: Unknown option '--bogus' (see newsmirror search --help)\n"],
    [['search'], 'newsmirror search: what to look for? (newsmirror search QUERY; see newsmirror search --help)\n'],
    // "Option '--source' argument is ambiguous.": node says why only on the lines after the first.
    [['run', '--source', '--json'], 'newsmirror run: --source: no value, or one that starts with "-" (give such a value as --source=-x) (see newsmirror run --help)\n'],
    // Arguments a command does not take were ignored: `run rfi` ran every source, `save A B` saved A only.
    [['run', 'rfi'], 'newsmirror run: unexpected argument "rfi" (see newsmirror run --help)\n'],
    [['reclean', 'rfi', '--json'], 'newsmirror reclean: unexpected argument "rfi" (see newsmirror reclean --help)\n'],
    [['save', 'https://a.example/1', 'https://a.example/2'], 'newsmirror save: unexpected argument "https://a.example/2" (see newsmirror save --help)\n'],
    [['sources', 'list', 'rfi'], 'newsmirror sources: list: unexpected rfi (see newsmirror sources --help)\n'],
  ])('a usage error (%j) is one line naming the command once, exit 1', async (args, message) => {
    const result = await runCli(args);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(message);
  });

  it('an option value the shell left unexpanded is refused: --archive "" (a variable unset) archived over the working folder\'s README.md', async () => {
    server.routes.set('/good.xml', { body: rss(numberedItems(1)) });
    const { dir, config } = await archiveWith([`{ name: Good, slug: good, url: "${server.url}/good.xml", fullText: never }`]);
    await writeFile(join(dir, 'README.md'), '# my notes\n');
    const result = await spawnCli(['run', '--config', config, '--archive', ''], { cwd: dir }).done;
    expect([result.code, result.stderr]).toEqual([1, 'newsmirror run: --archive: empty value (see newsmirror run --help)\n']);
    expect([...(await readTree(dir)).keys()].sort()).toEqual(['README.md', 'newsmirror.yaml']);
    expect(await readFile(join(dir, 'README.md'), 'utf8')).toBe('# my notes\n');
    // --host '' listened on every interface.
    expect(await runCli(['serve', '--host', '', '--archive', dir])).toMatchObject({ code: 1, stderr: 'newsmirror serve: --host: empty value (see newsmirror serve --help)\n' });
    expect(await runCli(['demo', ''])).toMatchObject({ code: 1, stderr: 'newsmirror demo: an empty argument (see newsmirror demo --help)\n' });
    // The shell leaves ~ after "=" as it is: a folder named "~" was made in the working folder and archived into.
    const home = await spawnCli(['run', '--config', config, '--archive=~/news'], { cwd: dir }).done;
    expect([home.code, home.stderr]).toEqual([1, 'newsmirror run: --archive ~/news: ~ is not expanded here (write --archive ~/news with a space, for the shell to expand it, or the full path)\n']);
    expect(existsSync(join(dir, '~'))).toBe(false);
  });

  it('a bad config names the file, line and key, exits 1 and writes nothing', async () => {
    const { dir, config, archive } = await archiveWith([`{ name: 法广, slug: "rfi/../x", url: "${server.url}/a.xml" }`]);
    const result = await runCli(['run', '--config', config]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `newsmirror run: ${config}:3: sources[0].slug: must be 1-64 ASCII letters, digits, "-" or "_", starting with a letter or digit\n`,
    );
    expect(await readTree(dir)).toEqual(new Map([['newsmirror.yaml', expect.any(String)]]));
    void archive;
  });

  it.each([
    ['not YAML', 'sources: [\n', /newsmirror\.yaml:\d+:\d+: not valid YAML: [^:]+[^:\n]\n$/],
    ['a sequence item without a dash', 'sources:\n  - { name: A, slug: a, url: "https://a.example/" }\n{ name: B }\n', /newsmirror\.yaml:3:1: not valid YAML: [A-Z][^:]+[^:\n]\n$/],
    ['a duplicate slug', 'sources:\n  - { name: A, slug: bbc, url: "https://a.example/" }\n  - { name: B, slug: BBC, url: "https://b.example/" }\n', /newsmirror\.yaml:3: sources\[1\]\.slug: "BBC" is already used by sources\[0\]/],
    ['a bad time zone', 'timezone: Mars/Olympus\nsources:\n  - { name: A, slug: a, url: "https://a.example/" }\n', /newsmirror\.yaml:1: timezone: must be an IANA time zone/],
    // These said "Invalid input: expected string, received undefined".
    ['a source without its slug', 'sources:\n  - name: A\n    url: "https://a.example/"\n', /newsmirror\.yaml:2: sources\[0\]\.slug: missing \(required\)\n$/],
    ['an empty file', '', /newsmirror\.yaml: sources: missing \(required\)\n$/],
    // Not expanded: a folder named "~" (or "$HOME") was made beside the config and archived into.
    ['a home folder written with ~', 'archive: ~/news\nsources:\n  - { name: A, slug: a, url: "https://a.example/" }\n', /newsmirror\.yaml:1: archive: newsmirror does not expand ~ or \$VARIABLES: give the path itself/],
    ['a path with a $VARIABLE', 'archive: ${HOME}/news\nsources:\n  - { name: A, slug: a, url: "https://a.example/" }\n', /newsmirror\.yaml:1: archive: newsmirror does not expand/],
    // It was named without its line, and only by run --commit/--push.
    ['an option as a remote', 'git:\n  push: [origin, "--force"]\nsources:\n  - { name: A, slug: a, url: "https://a.example/" }\n', /newsmirror\.yaml:2: git\.push\[1\]: not a remote name\n$/],
    ['a bad URL', 'sources:\n  - { name: A, slug: a, url: "ftp://a.example/" }\n', /newsmirror\.yaml:2: sources\[0\]\.url: must be an absolute http/],
    // Headers the HTTP client cannot send failed every fetch of every run as a [network] error (exit 2).
    ['a header name with a space', 'sources:\n  - url: "https://a.example/"\n    name: A\n    slug: a\n    headers: { Referer: "https://a.example/", "X Token": t }\n', /newsmirror\.yaml:5: sources\[0\]\.headers\.X Token: not an HTTP header name \(/],
    ['a header value in two lines', 'sources:\n  - { name: A, slug: a, url: "https://a.example/", headers: { Cookie: "a=1\\nb=2" } }\n', /newsmirror\.yaml:2: sources\[0\]\.headers\.Cookie: must be one line of Latin-1 text/],
    ['a Referer with Chinese in it', 'sources:\n  - { name: A, slug: a, url: "https://a.example/", headers: { Referer: "https://a.example/新闻" } }\n', /sources\[0\]\.headers\.Referer: must be one line of Latin-1 text, no control characters \(percent-encode/],
    // Node's timers fire at once beyond 2^31-1 ms: every fetch "timed out after 99999999999 ms" at once.
    ['a timeout longer than a timer holds', 'timeoutMs: 99999999999\nsources:\n  - { name: A, slug: a, url: "https://a.example/" }\n', /newsmirror\.yaml:1: timeoutMs: must be at most 2147483647 ms/],
    ['a user agent with a line break', 'userAgent: "a\\r\\nX-Evil: 1"\nsources:\n  - { name: A, slug: a, url: "https://a.example/" }\n', /newsmirror\.yaml:1: userAgent: must be one line/],
  ])('rejects %s with a one-line error', async (_what, text, pattern) => {
    const dir = await tempDir();
    await writeFile(join(dir, 'newsmirror.yaml'), text);
    const result = await runCli(['run', '--config', join(dir, 'newsmirror.yaml')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(pattern);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('says every problem of a config, one a line, an unknown key first; at most 20', async () => {
    const dir = await tempDir();
    const file = join(dir, 'newsmirror.yaml');
    await writeFile(file, 'archive: a\nsourcez: []\nsources:\n  - { name: A, slug: "a/b", url: "ftp://x" }\n  - name: B\n    url: "https://b.example/"\ntimezone: Mars/X\n');
    const result = await runCli(['run', '--config', file]);
    expect(result.code).toBe(1);
    // It said the first and "(and 3 more)".
    expect(result.stderr.split('\n')).toEqual([
      `newsmirror run: ${file}:2: sourcez: unknown key (check its spelling against the README)`,
      `newsmirror run: ${file}:4: sources[0].slug: must be 1-64 ASCII letters, digits, "-" or "_", starting with a letter or digit`,
      `newsmirror run: ${file}:4: sources[0].url: must be an absolute http:// or https:// URL`,
      `newsmirror run: ${file}:5: sources[1].slug: missing (required)`,
      `newsmirror run: ${file}:7: timezone: must be an IANA time zone such as Asia/Shanghai`,
      '',
    ]);
    const many = Array.from({ length: 30 }, (_, i) => `  - { name: S${i}, url: "https://s${i}.example/" }\n`).join('');
    await writeFile(file, `sources:\n${many}`);
    const lines = (await runCli(['run', '--config', file])).stderr.trim().split('\n');
    expect(lines).toHaveLength(21);
    expect(lines[0]).toBe(`newsmirror run: ${file}:2: sources[0].slug: missing (required)`);
    expect(lines[20]).toBe(`newsmirror run: ${file}: and 10 more problems`);
    // A misspelt key alone: said first, then what it left missing.
    await writeFile(file, 'archive: a\nsourcez: []\n');
    expect((await runCli(['run', '--config', file])).stderr).toBe(`newsmirror run: ${file}:2: sourcez: unknown key (check its spelling against the README)\nnewsmirror run: ${file}:1: sources: missing (required)\n`);
  });

  it.each([
    // 法广 in GBK: read as UTF-8 it became U+FFFD, and lists/���.md.
    ['in GBK', Buffer.concat([Buffer.from('sources:\n  - { name: A, slug: a, url: "https://a.example/" }\n  - { name: '), Buffer.from([0xb7, 0xa8, 0xb9, 0xe3]), Buffer.from(', slug: b, url: "https://b.example/" }\n')]), ':3: not UTF-8 text (GBK or Latin-1?); save the file as UTF-8'],
    // Notepad's "Unicode": it failed as "Invalid input: expected object, received string".
    ['in UTF-16', Buffer.from('\ufeffsources: []\n', 'utf16le'), ': saved as UTF-16; save it as UTF-8'],
    // It ended as "unexpected error: Excessive alias count ..." naming no file.
    ['with aliases that expand without end', Buffer.from(`a: &a [x, x, x, x, x, x, x, x, x]\n${'bcdefg'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefg'[i]}`).join(', ')}]`).join('\n')}\nsources: *g\n`), ': not usable YAML: Excessive alias count indicates a resource exhaustion attack'],
  ])('a config file %s is refused in one line naming the file, and nothing is written', async (_what, bytes, message) => {
    const dir = await tempDir();
    const config = join(dir, 'newsmirror.yaml');
    await writeFile(config, bytes);
    const result = await runCli(['run', '--config', config]);
    expect([result.code, result.stderr]).toEqual([1, `newsmirror run: ${config}${message}\n`]);
    expect([...(await readTree(dir)).keys()]).toEqual(['newsmirror.yaml']);
  });

  it('an archive path that is a file, or that cannot be made, is one clear line and exit 1', async () => {
    const dir = await tempDir();
    const file = join(dir, 'not-a-folder');
    await writeFile(file, 'x');
    const result = await runCli(['run', '--archive', file]);
    expect([result.code, result.stderr]).toEqual([1, `newsmirror run: ${file}: no archive folder here: a file, not a folder, is in the way (give the archive folder with --archive DIR)\n`]);
    // Under /proc a parent exists and refuses children with ENOENT: Node's recursive mkdir looped for ever there.
    if (existsSync('/proc/self')) {
      const proc = await runCli(['run', '--archive', '/proc/newsmirror-nope']);
      expect([proc.code, proc.stderr]).toEqual([1, 'newsmirror run: /proc/newsmirror-nope: no archive folder here: cannot make it (ENOENT) (give the archive folder with --archive DIR)\n']);
    }
  });

  it('a missing config file is named', async () => {
    const result = await runCli(['run', '--config', '/nonexistent/newsmirror.yaml']);
    expect(result).toMatchObject({ code: 1, stderr: 'newsmirror run: /nonexistent/newsmirror.yaml: cannot read the config file (ENOENT)\n' });
  });

  it('an unreachable source and a non-feed are reported; the other source still archives (exit 2)', async () => {
    server.routes.set('/good.xml', { body: rss(numberedItems(2)) });
    server.routes.set('/page.xml', { headers: { 'content-type': 'text/html' }, body: '<!doctype html><html><head><title>Moved</title></head><body><p>Document moved</p></body></html>' });
    const { config, archive } = await archiveWith([
      `{ name: Good, slug: good, url: "${server.url}/good.xml", fullText: never }`,
      `{ name: Down, slug: down, url: "http://127.0.0.1:1/feed.xml", fullText: never }`,
      `{ name: Page, slug: page, url: "${server.url}/page.xml" }`,
      `{ name: Gone, slug: gone, url: "${server.url}/missing.xml" }`,
    ]);
    const result = await runCli(['run', '--config', config]);
    expect(result.code).toBe(2);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^newsmirror: 4 sources, 2 new articles, 0 unchanged, 3 failed in/);
    expect(lines).toContainEqual(expect.stringMatching(/^✗ down \(Down\): .*http:\/\/127\.0\.0\.1:1\/feed\.xml.* \[network\]$/));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^✗ page \\(Page\\): .*${server.url}/page\\.xml.*not a feed.* \\[not_a_feed\\]$`)));
    expect(lines).toContainEqual(expect.stringMatching(/^✗ gone \(Gone\): .*404.* \[http_404\]$/));
    expect((await readTree(archive)).has('articles/good/1048574.md')).toBe(true);
    const state = JSON.parse(await readFile(join(archive, '.newsmirror/state.json'), 'utf8'));
    expect(state.sources.down).toMatchObject({ failures: 1, lastError: { code: 'network' } });
    expect(state.sources.good).toEqual({});

    // The failures change nothing already archived; a later success resets the streak.
    const before = await readTree(join(archive, 'articles'));
    server.routes.set('/good.xml', { status: 503, body: 'down' });
    expect((await runCli(['run', '--config', config, '--source', 'good'])).code).toBe(2);
    expect(await readTree(join(archive, 'articles'))).toEqual(before);
  });

  it('a state file edited by hand into other types: what has the wrong type is left out and named, the fetch works', async () => {
    server.routes.set('/good.xml', { body: rss(numberedItems(2)) });
    const { config, archive } = await archiveWith([`{ name: Good, slug: good, url: "${server.url}/good.xml", fullText: never }`]);
    await mkdir(join(archive, '.newsmirror'), { recursive: true });
    // An ETag with a line break made every fetch fail as [network] "invalid if-none-match header", run after
    // run; "failures": "2" counted on as "21"; a string entry was saved back as {"0": "x"}.
    const validators = { [`${server.url}/good.xml`]: { etag: '"v1"\n' } };
    await writeFile(join(archive, '.newsmirror/state.json'), JSON.stringify({ sources: { good: { failures: '2', validators }, gone: 'x' } }));
    const result = await runCli(['run', '--config', config]);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toContain(`! .newsmirror/state.json: sources.good.failures: not a value newsmirror writes there (and 2 more); left out\n`);
    expect((await readTree(archive)).has('articles/good/1048573.md')).toBe(true);
    expect(JSON.parse(await readFile(join(archive, '.newsmirror/state.json'), 'utf8'))).toEqual({ sources: { good: {}, gone: {} } });
  });

  it('article files saved again on Windows (a BOM, CRLF line endings) are still read: no item is archived twice', async () => {
    server.routes.set('/good.xml', { body: rss(numberedItems(2)) });
    const { config, archive } = await archiveWith([`{ name: Good, slug: good, url: "${server.url}/good.xml", fullText: never }`]);
    expect((await runCli(['run', '--config', config])).code).toBe(0);
    const [older, newer] = [join(archive, 'articles/good/1048574.md'), join(archive, 'articles/good/1048573.md')];
    await writeFile(older, `\ufeff${await readFile(older, 'utf8')}`);
    await writeFile(newer, (await readFile(newer, 'utf8')).replace(/\n/g, '\r\n'));
    // As on a fresh clone: the catalog is rebuilt from the files. Both were "not an article file" and
    // their items were archived again as 1048572 and 1048571.
    await rm(join(archive, '.newsmirror/catalog.sqlite'));
    server.routes.set('/good.xml', { body: rss(numberedItems(3)) });
    const result = await runCli(['run', '--config', config]);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toMatch(/^newsmirror: 1 source, 1 new article, 0 unchanged, 0 failed in .*\n$/);
    expect([...(await readTree(join(archive, 'articles'))).keys()].sort()).toEqual(['good/1048572.md', 'good/1048573.md', 'good/1048574.md']);
  });

  it('a source whose folder cannot be written fails alone; the others archive (exit 2)', async () => {
    server.routes.set('/good.xml', { body: rss(numberedItems(2)) });
    server.routes.set('/bad.xml', { body: rss(numberedItems(2, 'bad')) });
    const { config, archive } = await archiveWith([
      `{ name: Good, slug: good, url: "${server.url}/good.xml", fullText: never }`,
      `{ name: Bad, slug: bad, url: "${server.url}/bad.xml", fullText: never }`,
    ]);
    await mkdir(join(archive, 'articles'), { recursive: true });
    await writeFile(join(archive, 'articles/bad'), 'a file where the folder should be\n');
    const result = await runCli(['run', '--config', config]);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^✗ bad \(Bad\): archiving failed: .*articles\/bad.* \[enotdir\]$/m);
    expect((await readTree(archive)).has('articles/good/1048574.md')).toBe(true);
    expect(await readFile(join(archive, 'articles/bad'), 'utf8')).toBe('a file where the folder should be\n');
  });

  it('a catalog that cannot be opened is named, and the lock is let go: watch, in the same process, runs again after', async () => {
    server.routes.set('/good.xml', { body: rss(numberedItems(1)) });
    const { config, archive } = await archiveWith([`{ name: Good, slug: good, url: "${server.url}/good.xml", fullText: never }`]);
    // A folder where the file should be, as a full disk would fail it: 'unexpected error: unable to open database
    // file', and the lock stayed held by this (live) process, so every later run in it was "locked".
    const catalog = join(archive, '.newsmirror/catalog.sqlite');
    await mkdir(catalog, { recursive: true });
    const failed = await runCli(['run', '--config', config]);
    expect([failed.code, failed.stderr]).toEqual([1, `newsmirror run: ${catalog}: cannot open the catalog (unable to open database file)\n`]);
    expect(existsSync(join(archive, '.newsmirror/lock'))).toBe(false);
    await rm(catalog, { recursive: true });
    expect((await runCli(['run', '--config', config])).code).toBe(0);
  });

  it('a catalog that cannot record the run at its end (a full disk) costs a warning, not the run', async () => {
    server.routes.set('/good.xml', { body: rss(numberedItems(1)) });
    const { config, archive } = await archiveWith([`{ name: Good, slug: good, url: "${server.url}/good.xml", fullText: never }`]);
    expect((await runCli(['run', '--config', config])).code).toBe(0);
    const catalog = Catalog.open(join(archive, '.newsmirror/catalog.sqlite'));
    catalog.sqlite.exec("CREATE TRIGGER full BEFORE UPDATE ON runs BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
    catalog.close();
    server.routes.set('/good.xml', { body: rss(numberedItems(2)) });
    // It was 'unexpected error: database or disk is full', exit 1, with the article written but no summary (nor commit).
    const result = await runCli(['run', '--config', config]);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toMatch(/^newsmirror: 1 source, 1 new article, .*\n! \.newsmirror\/catalog\.sqlite: this run could not be recorded in the catalog \(database or disk is full\); status shows the run before it\n$/);
    expect((await readTree(archive)).has('articles/good/1048573.md')).toBe(true);
  });

  it('a file that cannot be written is named (node names none for a full disk\'s ENOSPC, or an open that fails)', async () => {
    server.routes.set('/good.xml', { body: rss(numberedItems(1)) });
    const { config, archive } = await archiveWith([`{ name: Good, slug: good, url: "${server.url}/good.xml", fullText: never }`]);
    await mkdir(join(archive, '.newsmirror'), { recursive: true });
    await writeFile(join(archive, '.newsmirror/tmp'), 'a file where the temp folder should be\n');
    // It was 'unexpected error: ENOTDIR: not a directory, open .../.newsmirror/tmp/<pid>-<hex>.tmp': for which file?
    const result = await runCli(['run', '--config', config]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^newsmirror run: ${archive}/lists/Good\\.md: not written \\(ENOTDIR: not a directory, open '.*\\.tmp'\\)\\n$`));

    // The same with a catalog that cannot record the run either (a full disk): its 'database or disk is
    // full' replaced the reason the run failed.
    const catalog = Catalog.open(join(archive, '.newsmirror/catalog.sqlite'));
    catalog.sqlite.exec("CREATE TRIGGER full BEFORE UPDATE ON runs BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
    catalog.close();
    const again = await runCli(['run', '--config', config]);
    expect([again.code, again.stderr]).toEqual([1, expect.stringMatching(/^newsmirror run: .*\/lists\/Good\.md: not written \(ENOTDIR/)]);
  });

  it('an article that cannot be written (a full disk) is named, and its partial temp file goes at once', async () => {
    server.routes.set('/big.xml', { body: rss([{ title: 'big', link: 'https://example.org/big', guid: 'big', description: `<p>${'Long body text. '.repeat(100_000)}</p>` }]) });
    const { config, archive } = await archiveWith([`{ name: Good, slug: good, url: "${server.url}/big.xml", fullText: never, clean: false }`]);
    // A 1.6 MB article past a 1 MiB cap on files: it said 'archiving failed: EFBIG: file too large, write' of no
    // file, and the partial temp file kept its space until the next run.
    const result = await spawnCli(['run', '--config', config], { maxFileKiB: 1024 }).done;
    expect(result.code).toBe(2);
    expect(result.stdout).toContain(`✗ good (Good): archiving failed: ${join(archive, 'articles/good/1048574.md')}: not written (EFBIG: file too large, write) [efbig]\n`);
    expect(await readdir(join(archive, '.newsmirror/tmp'))).toEqual([]);
  });

  it('a catalog that cannot be written while a source is archived (a full disk) is named in its failure', async () => {
    const noise = randomBytes(1_200_000).toString('base64');
    server.routes.set('/big.xml', { body: rss([{ title: 'big', link: 'https://example.org/big', guid: 'big', description: `<p>${noise}</p>` }]) });
    const { config } = await archiveWith([`{ name: Good, slug: good, url: "${server.url}/big.xml", fullText: never, clean: false }`]);
    // Its raw body does not compress: the catalog grows past the cap. It said 'archiving failed: disk I/O error'.
    const result = await spawnCli(['run', '--config', config], { maxFileKiB: 1024 }).done;
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^✗ good \(Good\): archiving failed: \.newsmirror\/catalog\.sqlite: [^\n]+ \[sqlite_[a-z_]+\]$/m);
  });

  it('a lock that cannot be written (a full disk) is named and not left behind empty', async () => {
    const { config, archive } = await archiveWith([`{ name: Good, slug: good, url: "${server.url}/good.xml", fullText: never }`]);
    // It was 'unexpected error: EFBIG: file too large, write' (ENOSPC on a full disk), naming no file, and
    // the empty lock left made every command refuse for 10 s as "another newsmirror run is starting".
    const result = await spawnCli(['run', '--config', config], { maxFileKiB: 0 }).done;
    expect([result.code, result.stderr]).toEqual([1, `newsmirror run: ${join(archive, '.newsmirror/lock')}: cannot write the lock (EFBIG: file too large, write)\n`]);
    expect(existsSync(join(archive, '.newsmirror/lock'))).toBe(false);
  });

  it('a run on a locked archive exits 1 and touches nothing', async () => {
    server.routes.set('/good.xml', { body: rss(numberedItems(2)) });
    const { config, archive } = await archiveWith([`{ name: Good, slug: good, url: "${server.url}/good.xml", fullText: never }`]);
    // Held by this process, as another run's: the run below opens the lock as a second process would.
    const held = await acquireLock(archive);
    const lock = await readFile(join(archive, '.newsmirror/lock'), 'utf8');
    try {
      const result = await runCli(['run', '--config', config]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^newsmirror run: .*\.newsmirror\/lock: another newsmirror run holds this archive \(pid \d+ on .*\); it is let go when that run ends, however it ends\n$/);
      expect([...(await readTree(archive)).keys()]).toEqual([]);
      expect(await readFile(join(archive, '.newsmirror/lock'), 'utf8')).toBe(lock);
    } finally {
      await held.release();
    }
  });

  it('a lock left by a dead process is taken over', async () => {
    server.routes.set('/good.xml', { body: rss(numberedItems(1)) });
    const { config, archive } = await archiveWith([`{ name: Good, slug: good, url: "${server.url}/good.xml", fullText: never }`]);
    await mkdir(join(archive, '.newsmirror'), { recursive: true });
    await writeFile(join(archive, '.newsmirror/lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), started: 'x' }));
    expect((await runCli(['run', '--config', config])).code).toBe(0);
  });

  it('two concurrent processes: one archives, the other exits 1 with the lock message', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    server.routes.set('/slow.xml', (_req, res) => {
      void gate.then(() => res.writeHead(200).end(rss(numberedItems(3))));
    });
    const { config, archive } = await archiveWith([`{ name: Slow, slug: slow, url: "${server.url}/slow.xml", fullText: never }`]);
    const first = spawnCli(['run', '--config', config]);
    while ((server.hits.get('/slow.xml') ?? 0) === 0) await new Promise((r) => setTimeout(r, 20));
    const second = await spawnCli(['run', '--config', config]).done;
    release();
    const done = await first.done;
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/another newsmirror run holds this archive/);
    expect(done.code).toBe(0);
    expect([...(await readTree(join(archive, 'articles'))).keys()]).toHaveLength(3);
  });
});

import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderArticleFile } from '../src/archive/article-file.js';
import { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { numberedItems, rss } from './helpers/feeds.js';
import { runCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp-dir.js';

describe('status', () => {
  let server: LocalFeedServer;
  beforeEach(async () => {
    server = await new LocalFeedServer().start();
  });
  afterEach(() => server.stop());

  it('reports per source: errors with codes, failure streaks, mirror in use, counts and staleness', async () => {
    const dir = await tempDir();
    const config = join(dir, 'newsmirror.yaml');
    await writeFile(
      config,
      [
        'sources:',
        `  - { name: Old, slug: old, url: "${server.url}/old.xml", staleAfter: 2d, fullText: never }`,
        `  - { name: Gone, slug: gone, url: "${server.url}/gone.xml", fullText: never }`,
        `  - { name: Moved, slug: moved, url: "${server.url}/down.xml", mirrors: ["${server.url}/fresh.xml"], fullText: never }`,
        '',
      ].join('\n'),
    );
    server.routes.set('/old.xml', { body: rss(numberedItems(3, 'old', Date.UTC(2020, 0, 1))) });
    server.routes.set('/down.xml', { status: 502, body: 'bad gateway' });
    server.routes.set('/fresh.xml', { body: rss(numberedItems(2, 'fresh', Date.now() - 3 * 3600_000)) });

    const empty = JSON.parse((await runCli(['status', '--config', config, '--json'])).stdout);
    expect(empty.sources.map((s: { articles: number }) => s.articles)).toEqual([0, 0, 0]);
    expect(empty.warnings[0]).toMatch(/no catalog yet/);

    for (let i = 0; i < 2; i += 1) {
      const run = await runCli(['run', '--config', config]);
      expect(run.code).toBe(2);
      if (i === 1) {
        expect(run.stdout).toMatch(/^~ old \(Old\): stale, no new article since 2020-01-01T02:00:00\.000Z/m);
        expect(run.stdout).toMatch(/^~ gone \(Gone\): failed 2 runs in a row; last success never$/m);
      }
    }
    const result = await runCli(['status', '--config', config, '--json']);
    expect(result.code).toBe(0);
    const [old, gone, moved] = JSON.parse(result.stdout).sources;
    expect(old).toMatchObject({ articles: 3, stale: true, staleAfterHours: 48, consecutiveFailures: 0, lastError: null, newest: '2020-01-01T02:00:00.000Z' });
    expect(gone).toMatchObject({ articles: 0, consecutiveFailures: 2, lastSuccess: null, lastError: { code: 'http_404' } });
    expect(gone.lastAttempt).toMatch(/^20\d\d-/);
    expect(moved).toMatchObject({ url: `${server.url}/fresh.xml`, articles: 2, stale: false, consecutiveFailures: 0 });

    const text = await runCli(['status', '--config', config]);
    expect(text.stdout).toContain(`✗ gone (Gone) ${server.url}/gone.xml`);
    expect(text.stdout).toMatch(/failing 2× \[http_404\]/);
  });

  it('says so when the catalog was unreadable and had to be moved aside, instead of showing empty sources as healthy', async () => {
    const dir = await tempDir();
    const config = join(dir, 'newsmirror.yaml');
    await writeFile(config, `sources:\n  - { name: T, slug: t, url: "${server.url}/t.xml", fullText: never }\n`);
    server.routes.set('/t.xml', { body: rss(numberedItems(2)) });
    expect((await runCli(['run', '--config', config])).code).toBe(0);
    const catalog = join(dir, 'archive/.newsmirror/catalog.sqlite');
    await Promise.all(['-wal', '-shm'].map((suffix) => rm(catalog + suffix, { force: true })));
    await writeFile(catalog, 'garbage\n');
    const status = JSON.parse((await runCli(['status', '--config', config, '--json'])).stdout);
    expect(status.warnings).toEqual([expect.stringMatching(/catalog\.sqlite was not a readable SQLite database: moved to .*catalog\.sqlite\.corrupt-\d+; counts and history appear after the next run or `newsmirror reindex`$/)]);
  });

  it('marks a source never fetched as such, not healthy, and refuses an archive path that is a file', async () => {
    const dir = await tempDir();
    const config = join(dir, 'newsmirror.yaml');
    await writeFile(config, `sources:\n  - { name: T, slug: t, url: "${server.url}/t.xml", fullText: never }\n`);
    const fresh = await runCli(['status', '--config', config]);
    expect(fresh.code).toBe(0);
    expect(fresh.stdout.split('\n')[0]).toBe(`· t (T) ${server.url}/t.xml`);
    // An archive continued from elsewhere: articles, but no fetch of newsmirror's yet.
    await mkdir(join(dir, 'archive/articles/t'), { recursive: true });
    await writeFile(join(dir, 'archive/articles/t/1048575.md'), renderArticleFile({ published: Date.UTC(2025, 0, 1), title: '旧文', url: 'https://example.org/1', body: '<p>旧</p>' }));
    expect((await runCli(['reindex', '--config', config])).code).toBe(0);
    const continued = (await runCli(['status', '--config', config])).stdout.split('\n');
    expect(continued.slice(0, 3)).toEqual([`· t (T) ${server.url}/t.xml`, '    1 article, newest 2025-01-01T00:00:00.000Z', '    last attempt never, last success never']);
    const notAFolder = await runCli(['status', '--config', config, '--archive', config]);
    expect([notAFolder.code, notAFolder.stderr]).toEqual([1, `newsmirror status: ${config}: not a folder (give the archive folder with --archive DIR)\n`]);
  });
});

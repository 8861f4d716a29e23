import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveCommand } from '../src/cli/serve-command.js';
import type { Output } from '../src/cli/output.js';
import { buildReaderFixture } from '../src/web/testing/reader-fixture.js';
import { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { numberedItems, rss } from './helpers/feeds.js';
import { runCli, spawnCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp-dir.js';

describe('newsmirror serve', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsmirror-serve-'));
    await buildReaderFixture(dir);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('listens on 127.0.0.1 unless told otherwise, answers, and stops when asked', async () => {
    const out = new PassThrough();
    let printed = '';
    out.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
    const io: Output = { out, err: new PassThrough(), interactive: false };
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const running = serveCommand(['--archive', join(dir, 'archive'), '--port', '0'], io, () => stopped);
    await expect.poll(() => printed).toMatch(/http:\/\/127\.0\.0\.1:\d+\//);
    const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(printed)![0];
    const home = await fetch(`${url}index.html`);
    expect([home.status, home.headers.get('x-content-type-options')]).toEqual([200, 'nosniff']);
    const html = await home.text();
    // No config file beside the archive: the built-in sources show only where the archive has their articles.
    expect(html).toContain('sources/news/index.html');
    expect(html).not.toContain('sources/rfi/index.html');
    stop();
    expect(await running).toBe(0);
    await expect(fetch(`${url}index.html`)).rejects.toThrow();
  });

  it('refuses a bad port, a missing archive and a file for one in one line', async () => {
    const port = await runCli(['serve', '--port', '99999']);
    expect([port.code, port.stderr]).toEqual([1, 'newsmirror serve: --port 99999: must be a port number from 0 to 65535\n']);
    const missing = await runCli(['serve', '--archive', join(dir, 'nope'), '--port', '0']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`newsmirror serve: ${join(dir, 'nope')}: no such archive folder (give it with --archive DIR)\n`);
    // A file given as the archive: 'unexpected error: ENOTDIR ... mkdir', in serve and site alike.
    const file = join(dir, 'a-file');
    await writeFile(file, 'x');
    const notFolder = `${file}: not a folder (give the archive folder with --archive DIR)\n`;
    expect(await runCli(['serve', '--archive', file, '--port', '0'])).toMatchObject({ code: 1, stderr: `newsmirror serve: ${notFolder}` });
    expect(await runCli(['site', '--archive', file, '--out', join(dir, 'site-of-a-file')])).toMatchObject({ code: 1, stderr: `newsmirror site: ${notFolder}` });
  });
});

describe('newsmirror serve while other processes reindex and run', () => {
  let server: LocalFeedServer;
  beforeAll(async () => {
    server = await new LocalFeedServer().start();
  });
  afterAll(() => server.stop());

  it('reads the catalog a reindex made, with what a run added since, without a restart', async () => {
    const dir = await tempDir();
    const config = join(dir, 'newsmirror.yaml');
    await writeFile(
      config,
      [`archive: ${JSON.stringify(join(dir, 'archive'))}`, 'allowPrivateNetworks: true', 'sources:', `  - { name: 新闻, slug: news, url: "${server.url}/news.xml", fullText: never }`, ''].join('\n'),
    );
    server.routes.set('/news.xml', { body: rss(numberedItems(3, 'early')) });
    expect((await runCli(['run', '--config', config])).code).toBe(0);

    const serve = spawnCli(['serve', '--config', config, '--port', '0']);
    try {
      let stdout = '';
      serve.child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
      await expect.poll(() => stdout, { timeout: 20_000 }).toMatch(/http:\/\/127\.0\.0\.1:\d+\//);
      const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(stdout)![0];
      const news = async () => {
        const body = (await (await fetch(`${url}api/sources`)).json()) as { sources: { slug: string; count: number; latest: { title: string; path: string }[] }[] };
        return body.sources.find((s) => s.slug === 'news');
      };
      expect((await news())?.count).toBe(3);

      const reindex = await spawnCli(['reindex', '--config', config]).done;
      expect([reindex.code, reindex.stderr]).toEqual([0, '']);
      server.routes.set('/news.xml', { body: rss([...numberedItems(2, 'late', Date.UTC(2026, 10, 1)), ...numberedItems(3, 'early')]) });
      const run = await spawnCli(['run', '--config', config]).done;
      expect([run.code, run.stderr]).toEqual([0, '']);

      // It looks whether the catalog was replaced about once a second.
      await expect.poll(async () => (await news())?.count, { timeout: 10_000, interval: 200 }).toBe(5);
      const newest = (await news())!.latest[0]!;
      expect(newest.title).toBe('late 1 第1篇');
      const page = await fetch(`${url}${newest.path}`);
      expect([page.status, await page.text()]).toEqual([200, expect.stringContaining('late 1 第1篇')]);
      const found = (await (await fetch(`${url}api/search?q=late`)).json()) as { total: number };
      expect(found.total).toBe(2);
    } finally {
      serve.child.kill('SIGTERM');
      const result = await serve.done;
      expect([result.code, result.stderr]).toEqual([0, '']);
    }
  });
});

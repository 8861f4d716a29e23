import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseArticleFile } from '../src/archive/article-file.js';
import { parseDuration } from '../src/cli/watch-command.js';
import { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { numberedItems, rss } from './helpers/feeds.js';
import { runCli, spawnCli } from './helpers/run-cli.js';
import { startOneSource } from './helpers/one-source.js';
import { tempDir } from './helpers/temp-dir.js';

/** Waits for a condition the test needs before its next step (not a timing assertion). */
async function until(condition: () => boolean, what: string, limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const summaries = (stdout: string) => stdout.split('\n').filter((line) => /^\[\d{4}-\d\d-\d\dT[^\]]+\] newsmirror: 1 source, /.test(line));

describe('watch', () => {
  let server: LocalFeedServer;
  let config: string;
  let archive: string;
  beforeEach(async () => {
    ({ server, config, archive } = await startOneSource());
  });
  afterEach(() => server.stop());

  it('reads intervals and rejects what is not one', async () => {
    expect(['90s', '30m', '1h', '1h30m', '1.5h', '2d', '500ms'].map(parseDuration)).toEqual([90_000, 1_800_000, 3_600_000, 5_400_000, 5_400_000, 172_800_000, 500]);
    expect(['', '1', 'h', '1 h', '-1h', '1w', '1h1h', '30m1h', '1d2d'].map(parseDuration)).toEqual(Array(9).fill(undefined));
    expect(['1d1h1m1s1ms', '1m30s', '2h45m'].map(parseDuration)).toEqual([90_061_001, 90_000, 9_900_000]);
    expect(await runCli(['watch', '--every', '10ms'])).toMatchObject({ code: 1, stderr: expect.stringContaining('--every 10ms: must be a duration of at least 1s') });
  });

  it('runs at the interval, one run at a time, and exits 0 on SIGTERM between runs with the lock released', async () => {
    server.routes.set('/t.xml', { body: rss(numberedItems(3)) });
    const watch = spawnCli(['watch', '--every', '1s', '--config', config]);
    let stdout = '';
    watch.child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    await until(() => summaries(stdout).length >= 2, 'two runs');
    watch.child.kill('SIGTERM');
    const result = await watch.done;
    expect([result.code, result.signal], result.stderr).toEqual([0, null]);
    const [first, second] = summaries(result.stdout);
    expect(first).toContain('3 new articles');
    expect(second).toContain('0 new articles');
    expect(existsSync(join(archive, '.newsmirror/lock'))).toBe(false);
    expect(server.hits.get('/t.xml')).toBe(summaries(result.stdout).length);
  });

  it('waits a long interval (--every 30d, past the 24.8 days a timer holds) instead of running again at once', async () => {
    server.routes.set('/t.xml', { body: rss(numberedItems(3)) });
    const watch = spawnCli(['watch', '--every', '30d', '--config', config]);
    let stdout = '';
    watch.child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    await until(() => summaries(stdout).length >= 1, 'the first run');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    watch.child.kill('SIGTERM');
    const result = await watch.done;
    expect([result.code, result.signal], result.stderr).toEqual([0, null]);
    expect(summaries(result.stdout)).toHaveLength(1);
    expect(server.hits.get('/t.xml')).toBe(1);
    expect(result.stderr).not.toContain('TimeoutOverflowWarning');
  });

  it('on SIGTERM mid-run finishes the articles in hand and starts no new one: whole files, no lock, no temp file, exit 0', async () => {
    let requested: () => void = () => undefined;
    const asked = new Promise<void>((resolve) => (requested = resolve));
    // The feed sends an ETag: a stopped run must not keep it, or the next run would get a 304.
    server.routes.set('/t.xml', (req, res) => {
      requested();
      if (req.headers['if-none-match'] === '"v1"') res.writeHead(304).end();
      else setTimeout(() => res.writeHead(200, { etag: '"v1"' }).end(rss(numberedItems(20))), 300);
    });
    const watch = spawnCli(['watch', '--every', '1h', '--config', config]);
    await asked;
    watch.child.kill('SIGTERM');
    const result = await watch.done;
    expect([result.code, result.signal], result.stderr).toEqual([0, null]);
    expect(result.stderr).toContain('newsmirror watch: SIGTERM: letting the run in progress finish');
    expect(summaries(result.stdout)).toEqual([expect.stringMatching(/newsmirror: 1 source, \d+ new articles?/)]);
    const names = await readdir(join(archive, 'articles/t')).catch(() => [] as string[]);
    expect(names.length).toBeLessThan(20);
    for (const name of names) {
      expect(parseArticleFile(await readFile(join(archive, 'articles/t', name), 'utf8'), name).body).toMatch(/^<p>正文 \d+<\/p><p>第二段 \d+<\/p>$/);
    }
    expect(existsSync(join(archive, '.newsmirror/lock'))).toBe(false);
    expect(await readdir(join(archive, '.newsmirror/tmp')).catch(() => [])).toEqual([]);
    // The next run archives the rest, each article once.
    expect((await spawnCli(['run', '--config', config]).done).code).toBe(0);
    expect(await readdir(join(archive, 'articles/t'))).toHaveLength(20);
  });
});

describe('run, stopped by a signal', () => {
  it('on SIGINT (Ctrl-C) mid-run keeps the articles in hand: whole files, no lock, no temp file, exit 130', async () => {
    const server = await new LocalFeedServer().start();
    try {
      const dir = await tempDir();
      const config = join(dir, 'newsmirror.yaml');
      const archive = join(dir, 'archive');
      // A summary feed whose 30 article pages are slow: the run is still fetching them when the signal comes.
      const items = numberedItems(30).map((item, i) => ({ ...item, link: `${server.url}/a/${i}.html`, description: '<p>摘要</p>' }));
      await writeFile(config, `archive: archive\nallowPrivateNetworks: true\nsources:\n  - { name: 测试, slug: t, url: "${server.url}/t.xml", fullText: always }\n`);
      server.routes.set('/t.xml', { body: rss(items) });
      let pages = 0;
      for (let i = 0; i < 30; i += 1) {
        server.routes.set(`/a/${i}.html`, (_req, res) => {
          pages += 1;
          const body = `<html><head><title>第${i}篇</title></head><body><article><h1>第${i}篇</h1>${'<p>这是一段足够长的正文，用来让提取算法认出文章。</p>'.repeat(12)}</article></body></html>`;
          setTimeout(() => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body), 400);
        });
      }
      const run = spawnCli(['run', '--config', config]);
      await until(() => pages >= 2, 'the first article pages');
      run.child.kill('SIGINT');
      const result = await run.done;
      expect([result.code, result.signal], result.stderr).toEqual([130, null]);
      expect(result.stderr).toContain('newsmirror run: SIGINT: finishing the articles in hand, starting no new one');
      const names = await readdir(join(archive, 'articles/t')).catch(() => [] as string[]);
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) expect(parseArticleFile(await readFile(join(archive, 'articles/t', name), 'utf8'), name).body).toContain('足够长的正文');
      expect(existsSync(join(archive, '.newsmirror/lock'))).toBe(false);
      expect(await readdir(join(archive, '.newsmirror/tmp')).catch(() => [])).toEqual([]);
      // The next run archives the rest, each article once.
      expect((await spawnCli(['run', '--config', config]).done).code).toBe(0);
      expect(await readdir(join(archive, 'articles/t'))).toHaveLength(30);
    } finally {
      await server.stop();
    }
  });
});

import { writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Socket } from 'node:net';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { startConnectProxy } from '../src/http/testing/connect-proxy.js';
import { startSocks5Proxy } from '../src/http/testing/socks5-proxy.js';
import { rss } from './helpers/feeds.js';
import { runCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp-dir.js';

const item = (title: string, n = 1) => ({ title, link: `https://example.org/${encodeURIComponent(title)}/${n}`, pubDate: 'Thu, 01 Jan 2026 00:00:00 GMT', description: `<p>${title}</p>` });
const feed = (title: string) => rss([item(title)]);
const legacy = (title: string, charset: string) => Buffer.from(iconv.encode(feed(title).replace('encoding="UTF-8"', `encoding="${charset}"`), charset));

/** Every way a source can misbehave, each with the outcome the run must reach. */
const CASES: Record<string, { status: 'ok' | 'failed' | 'unchanged'; code?: string; title?: string; config?: string }> = {
  good: { status: 'ok', title: '正常' },
  drip: { status: 'failed', code: 'timeout', config: 'timeoutMs: 1500' },
  endless: { status: 'failed', code: 'too_large', config: 'maxBytes: 1000000' },
  bomb: { status: 'failed', code: 'too_large' },
  loop: { status: 'failed', code: 'redirect' },
  'retry-after': { status: 'ok', title: '限流之后' },
  'flaky': { status: 'ok', title: '重试之后' },
  reset: { status: 'failed', code: 'network' },
  'wrong-type': { status: 'ok', title: '类型不对' },
  page: { status: 'failed', code: 'not_a_feed' },
  gbk: { status: 'ok', title: '简体中文 GBK 编码' },
  'gbk-as-utf8': { status: 'ok', title: '声明为 UTF-8 的 GBK' },
  'utf8-as-gb2312': { status: 'ok', title: '声明为 GB2312 的 UTF-8' },
  big5: { status: 'ok', title: '繁體中文 Big5 編碼' },
  'big5-as-gbk': { status: 'ok', title: '繁體中文聲明錯誤' },
  sjis: { status: 'ok', title: '日本語のシフトJIS' },
  mirrored: { status: 'ok', title: '镜像', config: 'mirrors: ["MIRROR"]' },
};

describe('a run against a hostile server', () => {
  let server: LocalFeedServer;
  let dir: string;
  let config: string;
  beforeAll(async () => {
    server = await new LocalFeedServer().start();
    const r = server.routes;
    const xml = (body: string | Buffer, type = 'application/rss+xml') => ({ headers: { 'content-type': type }, body });
    r.set('/good', xml(feed('正常')));
    r.set('/drip', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      const timer = setInterval(() => res.write('<'), 1000);
      res.on('close', () => clearInterval(timer));
    });
    r.set('/endless', (_req, res) => {
      res.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = (): void => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    r.set('/bomb', { headers: { 'content-encoding': 'gzip' }, body: gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 }) });
    r.set('/loop', { status: 302, headers: { location: '/loop2' }, body: '' });
    r.set('/loop2', { status: 301, headers: { location: `${server.url}/loop` }, body: '' });
    r.set('/retry-after', (_req, res) => {
      if ((server.hits.get('/retry-after') ?? 0) === 1) res.writeHead(429, { 'retry-after': '1' }).end('slow down');
      else res.writeHead(200).end(feed('限流之后'));
    });
    r.set('/flaky', (_req, res) => {
      if ((server.hits.get('/flaky') ?? 0) === 1) res.writeHead(503).end('busy');
      else res.writeHead(200).end(feed('重试之后'));
    });
    r.set('/reset', (req, res) => {
      res.writeHead(200, { 'content-length': '100000' });
      res.write(Buffer.alloc(1000, 0x62), () => (req.socket as Socket).resetAndDestroy());
    });
    r.set('/wrong-type', xml(feed('类型不对'), 'image/png'));
    r.set('/page', xml('<!DOCTYPE html><html><head><title>首页</title></head><body><p>这是网页，不是订阅源。</p></body></html>', 'text/html; charset=utf-8'));
    r.set('/gbk', xml(legacy('简体中文 GBK 编码', 'gbk'), 'application/rss+xml; charset=gbk'));
    r.set('/utf8-as-gb2312', xml(feed('声明为 GB2312 的 UTF-8').replace('encoding="UTF-8"', 'encoding="gb2312"'), 'application/xml; charset=gb2312'));
    r.set('/big5', xml(legacy('繁體中文 Big5 編碼', 'big5'), 'application/rss+xml; charset=big5'));
    r.set('/big5-as-gbk', xml(legacy('繁體中文聲明錯誤', 'big5'), 'application/rss+xml; charset=gbk'));
    r.set('/sjis', xml(legacy('日本語のシフトJIS', 'shift_jis')));
    r.set('/mirrored', { status: 503, body: 'down' });
    r.set('/mirror', xml(feed('镜像')));
    // GBK bytes whose Content-Type and XML declaration both say UTF-8.
    r.set('/gbk-as-utf8', xml(Buffer.from(iconv.encode(feed('声明为 UTF-8 的 GBK'), 'gbk')), 'application/rss+xml; charset=utf-8'));

    dir = await tempDir('newsmirror-hostile-');
    config = join(dir, 'newsmirror.yaml');
    const lines = ['concurrency: 6', 'retryDelayMs: 50', 'timeoutMs: 8000', 'sources:'];
    for (const [slug, c] of Object.entries(CASES)) {
      const extra = c.config ? `, ${c.config.replace('MIRROR', `${server.url}/mirror`)}` : '';
      lines.push(`  - { name: ${slug}, slug: ${slug}, url: "${server.url}/${slug}", fullText: never${extra} }`);
    }
    await writeFile(config, `${lines.join('\n')}\n`);
  }, 30_000);
  afterAll(() => server.stop());

  it('ends each case in its documented outcome, and the healthy sources still archive', async () => {
    const started = Date.now();
    const result = await runCli(['run', '--config', config, '--json']);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(result.code).toBe(2);
    const report = JSON.parse(result.stdout);
    for (const [slug, expected] of Object.entries(CASES)) {
      const outcome = report.sources.find((s: { slug: string }) => s.slug === slug);
      expect({ slug, status: outcome.status, code: outcome.error?.code }).toEqual({ slug, status: expected.status, code: expected.code });
      if (expected.title) {
        const text = await readFile(join(dir, 'archive/articles', slug, '1048574.md'), 'utf8');
        expect(text.split('\n')[1]).toMatch(new RegExp(`^\\[${expected.title}\\]`));
      }
    }
    // The declaration that lied is named in the report.
    const warned = report.sources.find((s: { slug: string }) => s.slug === 'utf8-as-gb2312').warnings.join(' ');
    expect(warned).toMatch(/gb2312/i);
    expect(report.sources.find((s: { slug: string }) => s.slug === 'mirrored').url).toBe(`${server.url}/mirror`);

    const status = JSON.parse((await runCli(['status', '--config', config, '--json'])).stdout);
    const codes = Object.fromEntries(status.sources.map((s: { slug: string; lastError: { code: string } | null }) => [s.slug, s.lastError?.code ?? null]));
    expect(codes).toEqual(Object.fromEntries(Object.entries(CASES).map(([slug, c]) => [slug, c.code ?? null])));
  });

  it('goes through an HTTP CONNECT proxy and through a SOCKS5 proxy', async () => {
    const connect = await startConnectProxy();
    const socks = await startSocks5Proxy();
    try {
      for (const [name, proxy] of [
        ['connect', connect.url],
        ['socks', socks.url('socks5')],
      ] as const) {
        const sub = await tempDir();
        const file = join(sub, 'newsmirror.yaml');
        await writeFile(file, `proxy: "${proxy}"\nsources:\n  - { name: 代理, slug: p, url: "${server.url}/good", fullText: never }\n`);
        const result = await runCli(['run', '--config', file, '--json']);
        expect(result.code, `${name}: ${result.stdout}`).toBe(0);
        expect(JSON.parse(result.stdout).sources[0].added).toEqual([1048574]);
      }
      const port = new URL(server.url).port;
      expect(connect.tunnels).toContain(`127.0.0.1:${port}`);
      expect(socks.requests.map((r) => `${r.host}:${r.port}`)).toContain(`127.0.0.1:${port}`);
    } finally {
      await connect.close();
      await socks.close();
    }
  });
});

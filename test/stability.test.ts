import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { rss } from './helpers/feeds.js';
import { runCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp-dir.js';

/** A WordPress page behind Cloudflare: every response carries new nonces and cache-busters. */
function volatilePage(): string {
  const nonce = randomBytes(8).toString('hex');
  const rocket = randomBytes(12).toString('hex');
  const ver = randomBytes(3).toString('hex');
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>稳定性</title>
<script nonce="${nonce}" type="${rocket}-text/javascript">var x=1;</script>
<link rel="stylesheet" href="/style.css?ver=${ver}"></head><body>
<article><h1>稳定性测试</h1>
<p>这篇文章每次被抓取时，页面里的随机数都不同，但存档的文章应该完全相同。</p>
<p>第二段包含一张图片和一个带追踪参数的链接：<a href="https://example.org/story?utm_source=${nonce}&amp;id=7">原文</a>。</p>
<p><img src="https://img.example.org/photo.jpg?ver=${ver}" data-cfsrc="x${nonce}" alt="照片"></p>
<p>第三段足够长，使 Readability 认为这是正文。第三段足够长，使 Readability 认为这是正文。第三段足够长，使 Readability 认为这是正文。</p>
<script data-cfasync="false" nonce="${nonce}">track("${nonce}")</script></article></body></html>`;
}

describe('stability', () => {
  let server: LocalFeedServer;
  beforeEach(async () => {
    server = await new LocalFeedServer().start();
    server.routes.set('/story.html', (_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(volatilePage()));
    server.routes.set('/feed.xml', (_req, res) =>
      res.writeHead(200).end(rss([{ title: '稳定性测试', link: `${server.url}/story.html`, pubDate: 'Mon, 05 Jan 2026 08:00:00 GMT', description: '<p>摘要</p>' }])),
    );
  });
  afterEach(() => server.stop());

  it('a page with nonces and cache-busters, fetched twice, gives identical article files', async () => {
    const files: string[] = [];
    for (let i = 0; i < 2; i += 1) {
      const dir = await tempDir();
      const config = join(dir, 'newsmirror.yaml');
      await writeFile(config, `allowPrivateNetworks: true\nsources:\n  - { name: 稳, slug: s, url: "${server.url}/feed.xml", fullText: always, images: keep }\n`);
      const result = await runCli(['run', '--config', config, '--json']);
      expect(result.code, result.stderr).toBe(0);
      files.push(await readFile(join(dir, 'archive/articles/s/1048574.md'), 'utf8'));
    }
    expect(server.hits.get('/story.html')).toBe(2);
    expect(files[0]).toContain('这篇文章每次被抓取时');
    expect(files[0]).not.toMatch(/nonce|utm_source|ver=|cfasync|track\(/);
    expect(files[1]).toBe(files[0]);
  });
});

import { createHash } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { DEMO_PNG } from '../src/demo/demo-feeds.js';
import { startConnectProxy } from '../src/http/testing/connect-proxy.js';
import { rss } from './helpers/feeds.js';
import { runCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp-dir.js';

const sha = createHash('sha256').update(DEMO_PNG).digest('hex');
/** Its compact copy (images.format: webp): named by the source bytes' sha256 and the format (store-image.ts). */
const compact = createHash('sha256').update(`${sha}.webp`).digest('hex');
const local = `../../assets/${compact.slice(0, 2)}/${compact}.webp`;

describe('archived images', () => {
  let server: LocalFeedServer;
  let dir: string;
  beforeEach(async () => {
    server = await new LocalFeedServer().start();
    server.routes.set('/a.png', { headers: { 'content-type': 'image/png' }, body: DEMO_PNG });
    server.routes.set('/same-bytes.png', { headers: { 'content-type': 'image/png' }, body: DEMO_PNG });
    server.routes.set('/fake.png', { headers: { 'content-type': 'image/png' }, body: '<!DOCTYPE html><p>not an image</p>' });
    dir = await tempDir();
  });
  afterEach(() => server.stop());

  async function run(bodies: string[], extra = 'allowPrivateNetworks: true\n') {
    server.routes.set('/feed.xml', {
      body: rss(bodies.map((description, i) => ({ title: `第${i}篇`, link: `https://example.org/${i}`, pubDate: `Mon, 0${5 - i} Jan 2026 08:00:00 GMT`, description }))),
    });
    const config = join(dir, 'newsmirror.yaml');
    await writeFile(config, `${extra}sources:\n  - { name: 图, slug: img, url: "${server.url}/feed.xml", fullText: never }\n`);
    const result = await runCli(['run', '--config', config, '--json']);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout).sources[0] as { added: number[]; warnings: string[] };
  }
  const article = (id: number) => readFile(join(dir, 'archive/articles/img', `${id}.md`), 'utf8');

  it('stores the same image once for two articles and two URLs, and points both articles at it', async () => {
    const outcome = await run([`<p>一</p><img src="${server.url}/a.png" alt="甲">`, `<p>二</p><p><img src="${server.url}/same-bytes.png"></p>`]);
    expect(outcome.warnings).toEqual([]);
    expect(await readdir(join(dir, 'archive/assets'))).toEqual([compact.slice(0, 2)]);
    expect(await readdir(join(dir, 'archive/assets', compact.slice(0, 2)))).toEqual([`${compact}.webp`]);
    expect(await article(1048574)).toContain(`src="${local}" data-original-src="${server.url}/same-bytes.png"`);
    expect(await article(1048573)).toContain(`src="${local}" data-original-src="${server.url}/a.png"`);
    expect(server.hits.get('/a.png')).toBe(1);
  });

  it('resolves lazy-loading images before archiving them', async () => {
    await run([`<p>懒加载</p><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="${server.url}/a.png" data-srcset="${server.url}/a.png 2x">`]);
    expect(await article(1048574)).toContain(`src="${local}" data-original-src="${server.url}/a.png"`);
  });

  it('rejects a non-image served as image/png, keeping the original URL', async () => {
    const outcome = await run([`<p>假图</p><img src="${server.url}/fake.png">`]);
    expect(outcome.warnings).toEqual([`https://example.org/0: image kept remote: ${server.url}/fake.png: not an image (its bytes are no PNG, JPEG, GIF, WebP or AVIF)`]);
    expect(await article(1048574)).toContain(`src="${server.url}/fake.png"`);
  });

  it('refuses an image on a private address unless allowed (the SSRF guard is on by default)', async () => {
    const outcome = await run([`<p>内网</p><img src="${server.url}/a.png">`], '');
    expect(server.hits.get('/a.png')).toBeUndefined();
    expect(outcome.added).toEqual([1048574]);
    expect(outcome.warnings[0]).toMatch(/^https:\/\/example\.org\/0: image kept remote: Blocked non-public address/);
    expect(await article(1048574)).toContain(`src="${server.url}/a.png"`);
  });

  it('leaves images hotlinked when the source says images: keep', async () => {
    server.routes.set('/feed.xml', { body: rss([{ title: 't', link: 'https://example.org/k', pubDate: 'Mon, 05 Jan 2026 08:00:00 GMT', description: `<p>k</p><img src="${server.url}/a.png">` }]) });
    const config = join(dir, 'newsmirror.yaml');
    await writeFile(config, `allowPrivateNetworks: true\nsources:\n  - { name: 图, slug: img, url: "${server.url}/feed.xml", fullText: never, images: keep }\n`);
    expect((await runCli(['run', '--config', config])).code).toBe(0);
    expect(await article(1048574)).toContain(`src="${server.url}/a.png"`);
    expect(server.hits.get('/a.png')).toBeUndefined();
  });
});

describe('markdown bodies', () => {
  it('writes GitHub-flavoured Markdown when the archive says body: markdown, images and links kept', async () => {
    const server = await new LocalFeedServer().start();
    try {
      server.routes.set('/a.png', { headers: { 'content-type': 'image/png' }, body: DEMO_PNG });
      const html = `<h2>小标题</h2>\n<p>正文<a href="https://example.org/x">链接</a></p><p><img src="${server.url}/a.png" alt="图"></p><table><tr><th>年</th><th>数</th></tr><tr><td>2025</td><td>3</td></tr></table>`;
      server.routes.set('/feed.xml', { body: rss([{ title: '表格', link: 'https://example.org/md', pubDate: 'Mon, 05 Jan 2026 08:00:00 GMT', description: html }]) });
      const dir = await tempDir();
      const config = join(dir, 'newsmirror.yaml');
      await writeFile(config, `body: markdown\nallowPrivateNetworks: true\nsources:\n  - { name: 图, slug: md, url: "${server.url}/feed.xml", fullText: never }\n`);
      expect((await runCli(['run', '--config', config])).code).toBe(0);
      expect(await readFile(join(dir, 'archive/articles/md/1048574.md'), 'utf8')).toBe(
        [
          '<!--1767600000000-->',
          '[表格](https://example.org/md)',
          '------',
          '',
          '## 小标题',
          '',
          '正文[链接](https://example.org/x)',
          '',
          `![图](${local})`,
          '',
          '| 年 | 数 |',
          '| --- | --- |',
          '| 2025 | 3 |',
          '',
        ].join('\n'),
      );
    } finally {
      await server.stop();
    }
  });
});

describe('per-source media settings', () => {
  it('fetches a source’s images through the source’s own proxy, as its feed and pages', async () => {
    const feeds = await new LocalFeedServer().start();
    const images = await new LocalFeedServer().start();
    const proxy = await startConnectProxy();
    try {
      images.routes.set('/a.png', { headers: { 'content-type': 'image/png' }, body: DEMO_PNG });
      feeds.routes.set('/feed.xml', { body: rss([{ title: '代理图片', link: 'https://example.org/p', pubDate: 'Mon, 05 Jan 2026 08:00:00 GMT', description: `<p>图</p><img src="${images.url}/a.png">` }]) });
      const dir = await tempDir();
      const config = join(dir, 'newsmirror.yaml');
      await writeFile(config, `allowPrivateNetworks: true\nsources:\n  - { name: 图, slug: p, url: "${feeds.url}/feed.xml", fullText: never, proxy: "${proxy.url}" }\n`);
      const result = await runCli(['run', '--config', config, '--json']);
      expect(JSON.parse(result.stdout).sources[0].warnings).toEqual([]);
      expect(proxy.tunnels).toContain(`127.0.0.1:${new URL(images.url).port}`);
      expect(await readFile(join(dir, 'archive/articles/p/1048574.md'), 'utf8')).toContain(`src="${local}"`);
    } finally {
      await Promise.all([proxy.close(), feeds.stop(), images.stop()]);
    }
  });

  it('sends the Referer configured for an image host, and keeps iframes only from allowed hosts', async () => {
    const server = await new LocalFeedServer().start();
    try {
      let referer: string | undefined;
      server.routes.set('/guarded.png', (req, res) => {
        referer = req.headers.referer;
        if (referer !== 'https://weibo.com/') res.writeHead(403).end('hotlinking refused');
        else res.writeHead(200, { 'content-type': 'image/png' }).end(DEMO_PNG);
      });
      const body = `<p>视频与图片</p><img src="${server.url}/guarded.png"><iframe src="https://player.example.tv/embed/1"></iframe><iframe src="https://www.youtube.com/embed/x"></iframe>`;
      server.routes.set('/feed.xml', { body: rss([{ title: '防盗链', link: 'https://example.org/r', pubDate: 'Mon, 05 Jan 2026 08:00:00 GMT', description: body }]) });
      const dir = await tempDir();
      const config = join(dir, 'newsmirror.yaml');
      await writeFile(
        config,
        `allowPrivateNetworks: true\nimages:\n  referers: { 127.0.0.1: "https://weibo.com/" }\nsources:\n  - { name: 图, slug: r, url: "${server.url}/feed.xml", fullText: never, iframeHosts: [player.example.tv] }\n`,
      );
      const result = await runCli(['run', '--config', config, '--json']);
      expect(JSON.parse(result.stdout).sources[0].warnings).toEqual([]);
      expect(referer).toBe('https://weibo.com/');
      const text = await readFile(join(dir, 'archive/articles/r/1048574.md'), 'utf8');
      expect(text).toContain(`src="${local}"`);
      expect(text).toContain('https://player.example.tv/embed/1');
      expect(text).not.toContain('youtube.com');
    } finally {
      await server.stop();
    }
  });
});

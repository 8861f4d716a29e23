import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { startConnectProxy } from '../src/http/testing/connect-proxy.js';
import { rss } from './helpers/feeds.js';
import { runCli, spawnCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp-dir.js';

describe('extract', () => {
  it('shows the cleaned body of a feed item, with the rule used', async () => {
    const dir = await tempDir();
    const file = join(dir, 'feed.xml');
    const body = '<p>正文。</p><div data-selfpromo-app></div><div><div>分享 :</div><div><a href="https://www.facebook.com/dialog/share?x"><span></span></a></div></div><br><hr><div>获取更多RSS：<br><a href="https://feedx.net">https://feedx.net</a></div>';
    await writeFile(file, rss([{ title: '标题', link: 'https://www.rfi.fr/cn/a', pubDate: 'Mon, 05 Jan 2026 08:00:00 GMT', description: body }]));
    const result = await runCli(['extract', file, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ title: '标题', url: 'https://www.rfi.fr/cn/a', published: '2026-01-05T08:00:00.000Z', from: 'feed item 1', rule: 'rfi', textLength: 3 });
    expect(report.html).toBe('<p>正文。</p>');
    const text = await runCli(['extract', file]);
    expect(text.stdout).toContain('from:      feed item 1; cleaning rule: rfi; 3 characters of text');
  });

  it('extracts a page that is not a feed, and names a bad --item', async () => {
    const dir = await tempDir();
    const file = join(dir, 'page.html');
    await writeFile(file, `<html><head><title>页面</title></head><body><article><p>${'这是一段足够长的正文。'.repeat(20)}</p></article></body></html>`);
    const report = JSON.parse((await runCli(['extract', file, '--json'])).stdout);
    expect(report).toMatchObject({ title: '页面', from: 'page, Readability' });
    await writeFile(join(dir, 'feed.xml'), rss([{ title: 'a', link: 'https://x.org/a', description: '<p>a</p>' }]));
    expect(await runCli(['extract', join(dir, 'feed.xml'), '--item', '3'])).toMatchObject({ code: 1, stderr: 'newsmirror extract: --item 3: not an item of this feed (give 1 to 1, counted from the top)\n' });
    expect(await runCli(['extract', join(dir, 'feed.xml'), '--item', '0'])).toMatchObject({ code: 1, stderr: 'newsmirror extract: --item 0: not an item of this feed (give 1 to 1, counted from the top)\n' });
  });

  it('fetches through the proxy of ./newsmirror.yaml, and through a --source’s own proxy', async () => {
    const server = await new LocalFeedServer().start();
    const global = await startConnectProxy();
    const own = await startConnectProxy();
    try {
      const dir = await tempDir();
      const url = `${server.url}/page.html`;
      server.routes.set('/page.html', { headers: { 'content-type': 'text/html; charset=utf-8' }, body: `<html><head><title>页面</title></head><body><article><p>${'这是一段足够长的正文。'.repeat(20)}</p></article></body></html>` });
      await writeFile(join(dir, 'newsmirror.yaml'), `proxy: "${global.url}"\nsources:\n  - { name: 测试, slug: t, url: "${server.url}/t.xml", proxy: "${own.url}" }\n`);
      const target = `127.0.0.1:${new URL(server.url).port}`;
      const plain = await spawnCli(['extract', url, '--json'], { cwd: dir }).done;
      expect(plain.code, plain.stderr).toBe(0);
      expect(global.tunnels).toEqual([target]);
      const bySource = await runCli(['extract', url, '--source', 't', '--config', join(dir, 'newsmirror.yaml'), '--json']);
      expect(bySource.code, bySource.stderr).toBe(0);
      expect(own.tunnels).toEqual([target]);
      expect(global.tunnels).toHaveLength(1);
    } finally {
      await Promise.all([global.close(), own.close(), server.stop()]);
    }
  });
});

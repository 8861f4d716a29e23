import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseArticleFile } from '../src/archive/article-file.js';
import { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { startConnectProxy } from '../src/http/testing/connect-proxy.js';
import { damagePages } from './helpers/damage-pages.js';
import { numberedItems, rss } from './helpers/feeds.js';
import { runCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp-dir.js';

const PARAGRAPHS = Array.from({ length: 6 }, (_, i) => `<p>第${i + 1}段：港口夜景灯光节开幕，十万市民到场观看，主办方表示活动将持续一周，每晚七点开始。</p>`).join('\n');

function page(title: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title} - 示例新闻</title>
<meta property="og:title" content="${title}"><meta property="article:published_time" content="2026-01-05T08:00:00Z"></head>
<body><nav><a href="/">首页</a> <a href="/world">国际</a></nav>
<article><h1>${title}</h1>${PARAGRAPHS}</article>
<footer>© 示例新闻 <a href="/share?u=1">分享</a></footer></body></html>`;
}

describe('save', () => {
  let server: LocalFeedServer;
  let dir: string;
  let config: string;
  beforeEach(async () => {
    server = await new LocalFeedServer().start();
    dir = await tempDir();
    config = join(dir, 'newsmirror.yaml');
    await writeFile(
      config,
      `sources:\n  - { name: 测试, slug: t, url: "${server.url}/t.xml", fullText: never }\n  - { name: 其他, slug: o, url: "${server.url}/o.xml" }\n`,
    );
    server.routes.set('/t.xml', { body: rss(numberedItems(2)) });
    server.routes.set('/news/lights.html', { headers: { 'content-type': 'text/html; charset=utf-8' }, body: page('灯光节开幕') });
  });
  afterEach(() => server.stop());

  it('archives a page as the next article of the source, lists it, and does not archive it twice', async () => {
    expect((await runCli(['run', '--config', config, '--source', 't'])).code).toBe(0);
    const url = `${server.url}/news/lights.html`;
    const saved = await runCli(['save', url, '--source', 't', '--config', config, '--json']);
    expect(saved.code, saved.stderr).toBe(0);
    const report = JSON.parse(saved.stdout);
    expect(report).toMatchObject({ source: 't', id: 1048572, saved: true, title: '灯光节开幕', url });
    const file = parseArticleFile(await readFile(join(dir, 'archive/articles/t/1048572.md'), 'utf8'), 'saved');
    expect(file).toMatchObject({ title: '灯光节开幕', url, published: Date.UTC(2026, 0, 5, 8) });
    expect(file.body).toContain('<p>第6段：港口夜景灯光节开幕');
    expect(file.body).not.toContain('首页');
    expect(file.body).not.toContain('\n');
    const list = await readFile(join(dir, 'archive/lists/测试.md'), 'utf8');
    expect(list).toContain('1-5 [灯光节开幕](/articles/t/1048572.md)');

    const again = await runCli(['save', url, '--source', 't', '--config', config]);
    expect(again.stdout).toBe(`newsmirror: ${url} is already archived as ${join(dir, 'archive/articles/t/1048572.md')}\n`);
    expect(await readdir(join(dir, 'archive/articles/t'))).toHaveLength(3);
    // And the next feed run does not count it as missing or new.
    const run = JSON.parse((await runCli(['run', '--config', config, '--source', 't', '--json'])).stdout);
    expect(run.sources[0].added).toEqual([]);
    // Another page with the same <title> is another article: save goes by the address.
    const other = `${server.url}/news/lights-2.html`;
    server.routes.set('/news/lights-2.html', { headers: { 'content-type': 'text/html; charset=utf-8' }, body: page('灯光节开幕') });
    const second = JSON.parse((await runCli(['save', other, '--source', 't', '--config', config, '--json'])).stdout);
    expect(second).toMatchObject({ id: 1048571, saved: true, url: other });
  });

  it('gives a page saved into a wordpress-ids source its own post\'s id, never the next post\'s; a page without one is not saved', async () => {
    // Posts 700001 and 700002 in the feed (ids 0xFFFFF ^ post id); the page saved is post 700005.
    const posts = [700002, 700001].map((p, i) => ({ title: `帖子 ${p}`, link: `${server.url}/chinese/${p}.html`, guid: `${server.url}/chinese/?p=${p}`, pubDate: new Date(Date.UTC(2026, 0, 2 - i)).toUTCString(), description: `<p>帖子 ${p}</p>` }));
    server.routes.set('/wp.xml', { body: rss(posts) });
    const wordpressPage = (head: string, bodyClass: string) =>
      `<!doctype html><html><head><meta charset="utf-8"><title>新帖 | 站名</title>${head}</head><body class="${bodyClass}"><article><h1>新帖</h1>${PARAGRAPHS}</article></body></html>`;
    server.routes.set('/chinese/700005.html', { headers: { 'content-type': 'text/html; charset=utf-8' }, body: wordpressPage(`<link rel="shortlink" href="${server.url}/chinese/?p=700005">`, 'single postid-700005') });
    server.routes.set('/chinese/700007.html', { headers: { 'content-type': 'text/html; charset=utf-8' }, body: wordpressPage('', 'single postid-700007') });
    server.routes.set('/chinese/plain.html', { headers: { 'content-type': 'text/html; charset=utf-8' }, body: page('无编号') });
    await writeFile(config, `sources:\n  - { name: 博客, slug: wp, url: "${server.url}/wp.xml", ids: wordpress, fullText: never }\n`);
    expect((await runCli(['run', '--config', config])).code).toBe(0);
    expect((await readdir(join(dir, 'archive/articles/wp'))).sort()).toEqual([`${0xfffff ^ 700001}.md`, `${0xfffff ^ 700002}.md`].sort());

    const saved = await runCli(['save', `${server.url}/chinese/700005.html`, '--config', config, '--json']);
    expect(saved.code, saved.stderr).toBe(0);
    // It took the next countdown id (one below the smallest in use), which may be a later post's 0xFFFFF ^ post id.
    expect(JSON.parse(saved.stdout)).toMatchObject({ id: 0xfffff ^ 700005, saved: true });
    const byClass = await runCli(['save', `${server.url}/chinese/700007.html`, '--config', config, '--json']);
    expect(JSON.parse(byClass.stdout)).toMatchObject({ id: 0xfffff ^ 700007, saved: true });

    const plain = await runCli(['save', `${server.url}/chinese/plain.html`, '--config', config]);
    expect([plain.code, plain.stderr]).toEqual([1, `newsmirror save: ${server.url}/chinese/plain.html: no WordPress post id in the page (a shortlink ?p= or a postid- class), which wp (ids: wordpress) names its articles by; not saved, so as to take no post's id\n`]);
    expect(await readdir(join(dir, 'archive/articles/wp'))).toHaveLength(4);
  });

  it('says so when it finds the search index damaged, and the article is archived and found afterwards', async () => {
    expect((await runCli(['run', '--config', config, '--source', 't'])).code).toBe(0);
    expect(damagePages(join(dir, 'archive/.newsmirror/catalog.sqlite-search'), 'search_docs')).toBeGreaterThan(0);
    const saved = await runCli(['save', `${server.url}/news/lights.html`, '--source', 't', '--config', config, '--json']);
    expect([saved.code, saved.stderr]).toEqual([0, '']);
    expect(JSON.parse(saved.stdout)).toMatchObject({
      id: 1048572,
      saved: true,
      warnings: [expect.stringMatching(/^search index: .*catalog\.sqlite-search: database disk image is malformed; the file is damaged: it is deleted, and the next catalog sync makes it anew from the article files$/)],
    });
    const found = JSON.parse((await runCli(['search', '灯光节', '--config', config, '--json'])).stdout);
    expect(found.hits.map((h: { id: number }) => h.id)).toEqual([1048572]);
  });

  it('needs --source with several sources, and says so when a page has no article', async () => {
    const url = `${server.url}/news/lights.html`;
    expect(await runCli(['save', url, '--config', config])).toMatchObject({ code: 1, stderr: expect.stringContaining('(--source SLUG; known: t, o)') });
    server.routes.set('/empty.html', { headers: { 'content-type': 'text/html' }, body: '<html><body><p>short</p></body></html>' });
    const empty = await runCli(['save', `${server.url}/empty.html`, '--source', 't', '--config', config]);
    expect(empty).toMatchObject({ code: 1, stderr: `newsmirror save: ${server.url}/empty.html: no article found in the page (neither a site rule nor Readability found its text)\n` });
    const gone = await runCli(['save', `${server.url}/gone.html`, '--source', 't', '--config', config]);
    expect(gone).toMatchObject({ code: 1, stderr: expect.stringMatching(/^newsmirror save: HTTP 404 from .*\/gone\.html\n$/) });
  });

  it('fetches the page through the source’s own proxy, as a run fetches its full-text pages', async () => {
    const proxy = await startConnectProxy();
    try {
      await writeFile(config, `sources:\n  - { name: 测试, slug: t, url: "${server.url}/t.xml", proxy: "${proxy.url}" }\n`);
      const saved = await runCli(['save', `${server.url}/news/lights.html`, '--config', config, '--json']);
      expect(saved.code, saved.stderr).toBe(0);
      expect(proxy.tunnels).toEqual([`127.0.0.1:${new URL(server.url).port}`]);
    } finally {
      await proxy.close();
    }
  });

  it('refuses a page whose title has bytes its encoding cannot read, rather than archiving it as mojibake', async () => {
    // Declared Big5; the headline holds a lead byte with no trail (U+FFFD once decoded).
    const parts = page('@@標題').replace('charset="utf-8"', 'charset="big5"').split('@@');
    const bytes = Buffer.concat(parts.flatMap((part, i) => [...(i === 0 ? [] : [Buffer.from([0x81, 0x20])]), iconv.encode(part, 'big5')]));
    server.routes.set('/news/broken.html', { headers: { 'content-type': 'text/html; charset=big5' }, body: bytes });
    const url = `${server.url}/news/broken.html`;
    const saved = await runCli(['save', url, '--source', 't', '--config', config]);
    expect(saved.code).toBe(1);
    expect(saved.stderr).toMatch(/broken.html: the title has bytes that could not be decoded .*not saved/);
    expect(await readdir(join(dir, 'archive')).catch(() => [])).not.toContain('articles');
  });
});

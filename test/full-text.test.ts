import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { extractArticle } from '../src/content/extract-article.js';
import { readImageInfo } from '../src/content/image-bytes.js';
import { DEMO_PNG } from '../src/demo/demo-feeds.js';
import { compactAsset } from './helpers/archived-image.js';
import { rss } from './helpers/feeds.js';
import { runCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp-dir.js';

const PARAGRAPHS = [
  '市政府周二公布了新的公共交通计划，将在未来五年内新增三条地铁线路，并对现有公交网络进行全面调整。',
  '根据计划，新线路将连接城市东部的新住宅区与市中心的商业区，预计每天可服务超过四十万名乘客。',
  '交通部门负责人在记者会上表示，调整后的公交网络将减少重复线路，增加夜间班次，并为偏远社区提供按需服务。',
  '部分市民对计划表示欢迎，但也有人担心施工期间的交通拥堵问题。市政府表示将分阶段施工，以尽量减少对居民生活的影响。',
];

function page(title: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title} - 示例新闻网</title>
<meta property="article:published_time" content="2026-01-05T08:00:00Z"></head>
<body><header><nav><a href="/">首页</a> | <a href="/world">国际</a> | <a href="/china">中国</a></nav></header>
<main><article><h1>${title}</h1>${PARAGRAPHS.map((p) => `<p>${p}</p>`).join('\n')}
<p><img src="/img/map.png" alt="线路图"></p></article></main>
<aside><h3>热门文章</h3><ul><li><a href="/a">另一篇文章</a></li><li><a href="/b">又一篇文章</a></li></ul></aside>
<footer>版权所有 © 示例新闻网</footer><script>track()</script></body></html>`;
}

describe('full text', () => {
  let server: LocalFeedServer;
  let dir: string;
  beforeEach(async () => {
    server = await new LocalFeedServer().start();
    server.routes.set('/img/map.png', { headers: { 'content-type': 'image/png' }, body: DEMO_PNG });
    server.routes.set('/news/transit.html', { headers: { 'content-type': 'text/html; charset=utf-8' }, body: page('新公共交通计划公布') });
    server.routes.set('/feed.xml', {
      body: rss([
        {
          title: '新公共交通计划公布',
          link: `${server.url}/news/transit.html`,
          pubDate: 'Mon, 05 Jan 2026 08:00:00 GMT',
          description: `<p>市政府周二公布了新的公共交通计划……</p><p><a href="${server.url}/news/transit.html">阅读全文</a></p>`,
        },
      ]),
    });
    dir = await tempDir();
  });
  afterEach(() => server.stop());

  async function run(extra: string): Promise<{ report: { sources: { warnings: string[]; added: number[] }[] }; article: string }> {
    const config = join(dir, 'newsmirror.yaml');
    await writeFile(config, `${extra}sources:\n  - { name: 示例, slug: ex, url: "${server.url}/feed.xml" }\n`);
    const result = await runCli(['run', '--config', config, '--json']);
    expect(result.code, result.stderr).toBe(0);
    return { report: JSON.parse(result.stdout), article: await readFile(join(dir, 'archive/articles/ex/1048574.md'), 'utf8') };
  }

  it('replaces a summary with the article extracted from its page', async () => {
    const { report, article } = await run('allowPrivateNetworks: true\n');
    expect(report.sources[0]!.warnings).toEqual([]);
    for (const p of PARAGRAPHS) expect(article).toContain(p);
    // The image is archived beside the articles; the article points at the copy.
    const asset = compactAsset(DEMO_PNG);
    expect(article).toContain(`src="../../${asset}" data-original-src="${server.url}/img/map.png"`);
    expect(readImageInfo(await readFile(join(dir, 'archive', asset)))?.type).toBe('webp');
    expect(article).not.toMatch(/热门文章|版权所有|track\(\)|首页/);
    expect(server.hits.get('/news/transit.html')).toBe(1);
  });

  it('keeps the SSRF guard on by default: a page on a private address is refused, the feed content kept', async () => {
    const { report, article } = await run('');
    expect(server.hits.get('/news/transit.html')).toBeUndefined();
    expect(report.sources[0]!.added).toEqual([1048574]);
    expect(report.sources[0]!.warnings).toEqual([expect.stringMatching(/^Blocked non-public address fetching http:\/\/127\.0\.0\.1:\d+\/news\/transit\.html: .*allowPrivateNetworks.*; kept the feed's content$/)]);
    expect(article).toContain('市政府周二公布了新的公共交通计划……');
  });

  it('archives only the categories asked for (China Digital Times editors\' picks)', async () => {
    server.routes.set('/feed.xml', {
      body: rss([
        { title: '精选', link: `${server.url}/p/1.html`, pubDate: 'Mon, 05 Jan 2026 08:00:00 GMT', description: `<p>${PARAGRAPHS[0]}${PARAGRAPHS[1]}${PARAGRAPHS[2]}${PARAGRAPHS[3]}</p>`.repeat(2), categories: ['中国', '📌 编辑推荐'] },
        { title: '普通', link: `${server.url}/p/2.html`, pubDate: 'Mon, 05 Jan 2026 09:00:00 GMT', description: '<p>x</p>', categories: ['中国'] },
      ]),
    });
    const config = join(dir, 'newsmirror.yaml');
    await writeFile(config, `sources:\n  - { name: 示例, slug: ex, url: "${server.url}/feed.xml", requireCategory: "\\\\p{Extended_Pictographic}", fullText: never }\n`);
    const report = JSON.parse((await runCli(['run', '--config', config, '--json'])).stdout);
    expect(report.sources[0]).toMatchObject({ items: 2, added: [1048574] });
    expect(await readFile(join(dir, 'archive/articles/ex/1048574.md'), 'utf8')).toContain('[精选]');
  });

  it('takes a China Digital Times page body from div.post-content (its site rule)', () => {
    const html = `<html><body><div class="sidebar"><p>${'侧栏'.repeat(60)}</p></div><div class="post-content"><p>${PARAGRAPHS.join('</p><p>')}</p></div></body></html>`;
    const article = extractArticle(html, 'https://chinadigitaltimes.net/chinese/715858.html')!;
    expect(article).toMatchObject({ method: 'rule', rule: 'cdt' });
    expect(article.html).not.toContain('侧栏');
    expect(article.html).toContain(PARAGRAPHS[3]);
  });
});

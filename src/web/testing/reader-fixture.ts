import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderArticleFile } from '../../archive/article-file.js';
import { configSchema } from '../../config/config-schema.js';
import type { Config } from '../../config/load-config.js';
import { DEMO_PNG } from '../../demo/demo-feeds.js';
import { LocalFeedServer } from '../../demo/local-feed-server.js';
import { cleanForSource } from '../../pipeline/clean-for-source.js';
import { runArchive } from '../../pipeline/run-archive.js';

/*
 * A small archive made by the real pipeline from feeds on 127.0.0.1, for the
 * reader's tests (HTTP, static site, browser): two sources, an archived
 * image, enough articles of one source to need a second page, and one
 * hostile article file written directly, unsanitized, as an old archive may
 * hold it.
 */

export const NEWS_TITLES = ['台湾选举结果揭晓', '海关：出口增长三成', '春节假期铁路客流创新高'] as const;
export const WIRE_COUNT = 60;
export const HOSTILE_ID = 1000000;
export const HOSTILE_TITLE = '<script>window.__pwned = "title"</script>恶意标题 "引号" & <b>粗体</b>';
export const HOSTILE_BODY = [
  '<p>正文<script>window.__pwned = "body"</script>继续</p>',
  '<p onclick="window.__pwned = \'click\'"><a href="javascript:window.__pwned = \'link\'">点我</a></p>',
  '<img src="x" onerror="window.__pwned = \'img\'">',
  '<img src="https://images.example.com/remote.png" alt="远程图片">',
  '<iframe src="https://www.youtube.com/embed/abc"></iframe>',
  '<a href="/relative/page.html">相对链接</a>',
  '<style>body { display: none }</style><form action="https://evil.example/"><input name="x"></form>',
].join('');
/** When the hostile article was published: older than every fetched one. */
export const HOSTILE_PUBLISHED = Date.UTC(2025, 11, 1, 8, 0, 0);

const cdata = (text: string) => `<![CDATA[${text}]]>`;

function rss(items: { title: string; link: string; date: number; html: string }[]): string {
  const body = items
    .map((i) => `<item><title>${cdata(i.title)}</title><link>${i.link}</link><guid>${i.link}</guid><pubDate>${new Date(i.date).toUTCString()}</pubDate><description>${cdata(i.html)}</description></item>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>t</title><link>https://example.org/</link><description>t</description>\n${body}\n</channel></rss>\n`;
}

export interface ReaderFixture {
  config: Config;
  archiveDir: string;
}

/** Archives the fixture's feeds into `dir`/archive and returns the config that reads it. */
export async function buildReaderFixture(dir: string): Promise<ReaderFixture> {
  const server = await new LocalFeedServer().start();
  try {
    server.routes.set('/photo.png', { headers: { 'content-type': 'image/png' }, body: DEMO_PNG });
    const start = Date.UTC(2026, 0, 10, 2, 0, 0);
    const bodies = [
      `<p>选民投票踊跃，计票在晚间结束。</p><p><img src="${server.url}/photo.png" alt="投票站"></p>`,
      '<p>海关总署公布数据，一月出口增长三成，进口持平。</p>',
      '<p>春节假期铁路客流创历史新高，多条线路加开列车。</p>',
    ];
    const news = NEWS_TITLES.map((title, i) => ({ title, link: `https://news.example.org/${i}`, date: start + i * 86_400_000, html: bodies[i]! }));
    const wire = Array.from({ length: WIRE_COUNT }, (_, k) => ({
      title: `Wire report ${k}: markets 第${k}号`,
      link: `https://wire.example.org/${k}`,
      date: start + k * 3_600_000,
      html: `<p>Report number ${k} on the markets.</p>`,
    }));
    server.routes.set('/news.xml', { body: rss(news) });
    server.routes.set('/wire.xml', { body: rss(wire) });
    const archiveDir = join(dir, 'archive');
    const parsed = configSchema.parse({
      archive: archiveDir,
      timezone: 'Asia/Shanghai',
      allowPrivateNetworks: true,
      readme: { title: '测试镜像', footer: '' },
      sources: [
        { name: '测试新闻', slug: 'news', url: `${server.url}/news.xml`, fullText: 'never', maxItems: 100 },
        { name: 'Wire', slug: 'wire', url: `${server.url}/wire.xml`, fullText: 'never', maxItems: 100 },
      ],
    });
    const config: Config = { ...parsed, archiveDir, file: undefined };
    const report = await runArchive(config, { clean: cleanForSource, now: () => start + 90 * 86_400_000 });
    if (report.exitCode !== 0) throw new Error(`fixture run failed: ${JSON.stringify(report.sources)}`);
    await mkdir(join(archiveDir, 'articles/news'), { recursive: true });
    await writeFile(
      join(archiveDir, `articles/news/${HOSTILE_ID}.md`),
      renderArticleFile({ published: HOSTILE_PUBLISHED, title: HOSTILE_TITLE, url: 'https://news.example.org/hostile', body: HOSTILE_BODY }),
    );
    return { config, archiveDir };
  } finally {
    await server.stop();
  }
}

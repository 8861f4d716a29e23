import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATIC_FILES } from '../src/publish/reader-pages.js';
import { renderStaticSearchPage } from '../src/publish/render-search-page.js';
import { writeSearchIndex, type SearchDoc } from '../src/publish/search-index-files.js';
import { SiteOutput } from '../src/publish/site-output.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`skipped: the client search test needs Debian's chromium at ${CHROMIUM}`);

/** 50 articles, oldest first: even ones are about 台湾, every fifth has 經濟 (Traditional) in its body. */
const DOCS: SearchDoc[] = Array.from({ length: 50 }, (_, i) => ({
  source: i % 3 === 0 ? 'a' : 'b',
  id: 1000 + i,
  title: `第${i}篇 ${i % 2 === 0 ? '台湾消息' : '其他'}`,
  published: Date.UTC(2026, 0, 1) + i * 3_600_000,
  bodyKey: `k${i}`,
}));

describe.skipIf(!hasChromium)('the static site search in chromium, over many index segments', () => {
  let dir: string;
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsmirror-client-search-'));
    const out = await SiteOutput.open(dir);
    for (const [path, file] of Object.entries(STATIC_FILES)) await out.write(path, file.body);
    await out.write('search.html', renderStaticSearchPage({ title: '测试', timeZone: 'Asia/Shanghai' }));
    const texts = new Map(DOCS.map((d, i) => [d.id, i % 5 === 0 ? '今年經濟增长' : '天气晴朗']));
    await writeSearchIndex(
      { docs: DOCS, sources: [{ slug: 'a', name: '甲' }, { slug: 'b', name: '乙' }], timeZone: 'Asia/Shanghai', readText: async (d) => texts.get(d.id)!, segmentSize: 4 },
      out,
    );
    await out.finish();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage();
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const open = async (q: string) => {
    requests.length = 0;
    await page.goto(`${pathToFileURL(join(dir, 'search.html')).href}?q=${encodeURIComponent(q)}`);
    await expect.poll(() => page.locator('#status').textContent()).not.toBe('正在搜索…');
  };
  const titles = () => page.locator('#results a').allTextContents();

  it('shows the newest page of hits having read only the newest segments, and the rest on request', async () => {
    await open('台湾');
    expect(await titles()).toEqual(Array.from({ length: 20 }, (_, k) => `第${48 - 2 * k}篇 台湾消息`));
    expect(await page.locator('#status').textContent()).toBe('已找到 21 篇（更早的文章还没有搜索），新的在前。');
    const shards = requests.filter((u) => /search-index\/s\d+-t\d+\.js$/.test(u)).map((u) => Number(/s(\d+)-t/.exec(u)![1]));
    // Segments of 4 from the newest (12, with one hit) down to 2: 21 hits, and segments 0 and 1 not read yet.
    expect(Math.min(...shards)).toBe(2);
    expect(await page.locator('#results a').first().getAttribute('href')).toBe('articles/a/1048.html');
    await page.locator('#more').click();
    await expect.poll(titles).toHaveLength(25);
    expect(await page.locator('#status').textContent()).toBe('找到 25 篇，新的在前。');
    expect(await page.locator('#more').isHidden()).toBe(true);
  });

  it('folds Traditional and Simplified both ways, finds one character, and says when nothing matches', async () => {
    for (const q of ['经济', '經濟']) {
      await open(q);
      expect((await titles()).map((t) => Number(/第(\d+)篇/.exec(t)![1]))).toEqual([45, 40, 35, 30, 25, 20, 15, 10, 5, 0]);
    }
    await open('臺');
    await expect.poll(titles).toHaveLength(20);
    expect(await page.locator('#results mark').first().textContent()).toBe('台');
    await open('不存在的词');
    expect(await page.locator('#status').textContent()).toBe('没有找到“不存在的词”。');
    expect(errors).toEqual([]);
  });

  it('names the query in the page title, as the server’s search page does (tabs, history, bookmarks)', async () => {
    await open('台湾 經濟');
    expect(await page.title()).toBe('台湾 經濟 · 搜索 · 测试');
    await page.goto(pathToFileURL(join(dir, 'search.html')).href);
    expect(await page.title()).toBe('搜索 · 测试');
  });
});

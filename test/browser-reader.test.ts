import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../src/catalog/catalog.js';
import { CATALOG_FILE } from '../src/catalog/catalog-location.js';
import { ReaderArchive } from '../src/publish/reader-archive.js';
import { syncReaderCatalog } from '../src/pipeline/sync-reader-catalog.js';
import { SiteOutput } from '../src/publish/site-output.js';
import { writeSite } from '../src/publish/write-site.js';
import { readerSearch } from '../src/web/reader-search.js';
import { startReader, type RunningReader } from '../src/web/start-reader.js';
import { buildReaderFixture, HOSTILE_ID, HOSTILE_TITLE, NEWS_TITLES, type ReaderFixture } from '../src/web/testing/reader-fixture.js';
import { StaticFileServer } from '../src/web/testing/static-file-server.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`skipped: the browser tests need Debian's chromium at ${CHROMIUM} (apt-get install chromium; .ci/run installs it)`);

/** What a walk saw: every request, console errors and page errors, dialogs. */
interface Watch {
  requests: string[];
  errors: string[];
  dialogs: string[];
}

async function openPage(browser: Browser): Promise<{ page: Page; watch: Watch; close: () => Promise<void> }> {
  const context = await browser.newContext();
  const watch: Watch = { requests: [], errors: [], dialogs: [] };
  context.on('request', (request) => watch.requests.push(request.url()));
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') watch.errors.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => watch.errors.push(`pageerror: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) watch.errors.push(`${response.status()}: ${response.url()}`);
  });
  page.on('dialog', (dialog) => {
    watch.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return { page, watch, close: () => context.close() };
}

/** No request left the machine: every URL is on 127.0.0.1 (or a file, or inline data). */
function offHost(watch: Watch): string[] {
  return watch.requests.filter((url) => {
    const { protocol, hostname } = new URL(url);
    return !(protocol === 'file:' || protocol === 'data:' || protocol === 'about:' || hostname === '127.0.0.1');
  });
}

const h1 = (page: Page) => page.locator('h1').first().textContent();

/** Does `action` and waits until the page has loaded another address. */
async function navigate(page: Page, action: () => Promise<unknown>): Promise<void> {
  const before = page.url();
  await Promise.all([page.waitForURL((url) => url.href !== before), action()]);
  await page.waitForLoadState('load');
}

async function search(page: Page, words: string): Promise<void> {
  await page.keyboard.press('/');
  expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('q');
  await page.keyboard.type(words);
  await navigate(page, () => page.keyboard.press('Enter'));
  expect(page.url()).toMatch(/search\.html\?q=/);
}

/**
 * The walk of the issue: home, a source, an article (keyboard to the next
 * and back), search a two-character word and a Traditional form of a
 * Simplified title word, open a result, follow the Atom feed link.
 */
async function walk(page: Page, home: string, searchWorks: boolean): Promise<void> {
  await page.goto(home);
  expect(await h1(page)).toBe('测试镜像');
  await navigate(page, () => page.getByRole('link', { name: '测试新闻', exact: true }).click());
  expect(page.url()).toMatch(/sources\/news\/index\.html$/);
  expect(await h1(page)).toBe('测试新闻');
  // j j Enter: the second article of the list.
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await navigate(page, () => page.keyboard.press('Enter'));
  expect(await h1(page)).toBe(NEWS_TITLES[1]);
  // j: the next (older) article; k: back.
  await navigate(page, () => page.keyboard.press('j'));
  expect(await h1(page)).toBe(NEWS_TITLES[0]);
  expect(await page.locator('.article-body img').evaluate((img: { naturalWidth: number }) => img.naturalWidth)).toBeGreaterThan(0);
  await navigate(page, () => page.keyboard.press('k'));
  expect(await h1(page)).toBe(NEWS_TITLES[1]);
  await search(page, '出口');
  if (!searchWorks) {
    await expect.poll(() => page.locator('#status').textContent()).toContain('search not available yet');
    await navigate(page, () => page.goBack());
  } else {
    await expect.poll(() => page.locator('#results a').allTextContents()).toEqual([NEWS_TITLES[1]]);
    expect(await page.locator('#results mark').first().textContent()).toBe('出口');
    await search(page, '選舉');
    await expect.poll(() => page.locator('#results a').allTextContents()).toEqual([NEWS_TITLES[0]]);
    await navigate(page, () => page.locator('#results a').first().click());
    expect(await h1(page)).toBe(NEWS_TITLES[0]);
  }
  await navigate(page, () => page.locator('.meta a').first().click());
  expect(page.url()).toMatch(/sources\/news\/index\.html$/);
  await navigate(page, () => page.getByRole('link', { name: 'Atom 订阅', exact: true }).click());
  expect(page.url()).toMatch(/feeds\/news\.xml$/);
  expect(await page.content()).toContain(NEWS_TITLES[2]);
}

/** The hostile article: its title is text, and nothing in it ran. */
async function hostile(page: Page, url: string, watch: Watch): Promise<void> {
  await page.goto(url);
  expect(await h1(page)).toBe(HOSTILE_TITLE);
  await page.locator('.article-body p').nth(1).click();
  expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
  expect(watch.dialogs).toEqual([]);
}

describe.skipIf(!hasChromium)('the reader in a real browser (chromium)', () => {
  let dir: string;
  let fixture: ReaderFixture;
  let browser: Browser;
  let reader: RunningReader;
  let statics: StaticFileServer;
  let site: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsmirror-browser-'));
    fixture = await buildReaderFixture(dir);
    site = join(dir, 'site');
    const catalog = Catalog.open(join(fixture.archiveDir, CATALOG_FILE));
    try {
      await syncReaderCatalog(fixture.archiveDir, catalog, Date.now());
      const out = await SiteOutput.open(site);
      await writeSite(new ReaderArchive(fixture.archiveDir, catalog, fixture.config), out);
      await out.finish();
    } finally {
      catalog.close();
    }
    reader = await startReader({ config: fixture.config, port: 0, host: '127.0.0.1', search: readerSearch() });
    statics = await new StaticFileServer(site).start();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await reader?.close();
    await statics?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('lays out the server’s search results on a wide screen as on a narrow one: the title across the list, its snippet under it', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const page = await context.newPage();
      await page.goto(`${reader.url}search.html?q=${encodeURIComponent('出口')}`);
      const [item, title, snippet] = await Promise.all(
        ['#results li', '#results li a', '#results li .snippet'].map((selector) => page.locator(selector).first().boundingBox()),
      );
      expect(snippet!.y).toBeGreaterThanOrEqual(title!.y + title!.height);
      expect(title!.width).toBeGreaterThan(item!.width / 2);
    } finally {
      await context.close();
    }
  });

  const cases = [
    { name: 'the server (serve)', home: () => `${reader.url}index.html`, search: () => readerSearch() !== undefined },
    { name: 'the static site through a static file server', home: () => `${statics.url}index.html`, search: () => true },
    { name: 'the static site opened from disk (file://)', home: () => pathToFileURL(join(site, 'index.html')).href, search: () => true },
  ];
  for (const c of cases) {
    it(`walks ${c.name}: no console error, no request off 127.0.0.1, the hostile article inert`, async () => {
      const { page, watch, close } = await openPage(browser);
      try {
        await walk(page, c.home(), c.search());
        await hostile(page, new URL(`articles/news/${HOSTILE_ID}.html`, c.home()).href, watch);
      } finally {
        await close();
      }
      expect(watch.errors).toEqual([]);
      expect(offHost(watch)).toEqual([]);
      expect(watch.requests.length).toBeGreaterThan(10);
    });
  }
});

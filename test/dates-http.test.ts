import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { monthKey, renderMonthDay } from '../src/domain/calendar.js';
import { readTree } from './helpers/archive-tree.js';
import { rss, type TestItem } from './helpers/feeds.js';
import { runCli } from './helpers/run-cli.js';
import { UNCONDITIONAL_EVERY } from '../src/pipeline/run-source.js';
import { tempDir } from './helpers/temp-dir.js';

const ZONE = 'Asia/Shanghai';
const DAY = 24 * 3600_000;

describe('run: dates', () => {
  let server: LocalFeedServer;
  let config: string;
  let archive: string;
  beforeEach(async () => {
    server = await new LocalFeedServer().start();
    const dir = await tempDir();
    config = join(dir, 'newsmirror.yaml');
    archive = join(dir, 'archive');
  });
  afterEach(() => server.stop());

  const configure = (more = '') =>
    writeFile(config, `timezone: ${ZONE}\nsources:\n  - { name: 测试, slug: t, url: "${server.url}/t.xml", fullText: never${more} }\n`);
  const serve = (items: TestItem[]) => server.routes.set('/t.xml', { body: rss(items) });
  async function run() {
    const result = await runCli(['run', '--config', config, '--json']);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as { sources: Array<{ added: number[]; warnings: string[]; status: string; error?: { code: string; message: string } }> };
  }
  const firstLine = async (id: number) => Number(/^<!--(-?\d+)-->/.exec(await readFile(join(archive, `articles/t/${id}.md`), 'utf8'))?.[1]);
  const months = async () => (await readdir(join(archive, 'lists/测试'))).sort();

  it('archives an item dated in the future as of the time it is first seen, and no list names a month to come', async () => {
    await configure();
    const yesterday = Date.now() - DAY;
    serve([
      { title: '未来', guid: 'g-future', link: 'https://example.org/future', pubDate: 'Fri, 01 Jan 2100 00:00:00 GMT', description: '<p>未来的文章</p>' },
      { title: '昨天', guid: 'g-past', link: 'https://example.org/past', pubDate: new Date(yesterday).toUTCString(), description: '<p>昨天的文章</p>' },
    ]);
    const before = Date.now();
    const report = await run();
    const after = Date.now();
    expect(report.sources[0]?.added).toHaveLength(2);
    const future = Math.min(...(report.sources[0]?.added ?? []));
    const dated = await firstLine(future);
    expect(dated).toBeGreaterThanOrEqual(before);
    expect(dated).toBeLessThanOrEqual(after);
    expect(report.sources[0]?.warnings.join('\n')).toMatch(/future\.?.*2100-01-01T00:00:00\.000Z.*first seen/);
    expect(await months()).toEqual([...new Set([monthKey(yesterday, ZONE), monthKey(before, ZONE)])].sort().map((m) => `${m}.md`));
    // The next run sees the same item: the same article, not a new one (its guid).
    const tree = await readTree(archive);
    expect((await run()).sources[0]?.added).toEqual([]);
    expect(await readTree(archive)).toEqual(tree);
  });

  it('archives an item with neither guid nor link dated in the future once, also on a run after its date has passed', async () => {
    await configure();
    // Legal RSS 2.0: a title and a description only. Dated 20 hours ahead (a feed whose zone is wrong).
    const future = { title: '明日预告', pubDate: new Date(Date.now() + 20 * 3600_000).toUTCString(), description: '<p>明天上午九点，市政府将召开新闻发布会，介绍本市新一轮老旧小区改造计划的进展。</p>' };
    serve([future]);
    expect((await run()).sources[0]?.added).toHaveLength(1);
    // Two days later the date has passed; the feed carries the item still, and one more.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 2 * DAY);
      serve([{ title: '新的一天', guid: 'g-new', link: 'https://example.org/new', pubDate: new Date().toUTCString(), description: '<p>新的</p>' }, future]);
      const report = await run();
      expect(report.sources[0]?.added).toHaveLength(1);
      expect((await readdir(join(archive, 'articles/t'))).filter((f) => f.endsWith('.md'))).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('saves a page dated in the future (save URL) as of the time it is saved', async () => {
    await configure();
    serve([]);
    const paragraphs = Array.from({ length: 6 }, (_, i) => `<p>第${i + 1}段：港口夜景灯光节开幕，十万市民到场观看，主办方表示活动将持续一周，每晚七点开始。</p>`).join('');
    server.routes.set('/news/late.html', {
      headers: { 'content-type': 'text/html; charset=utf-8' },
      body: `<!doctype html><html><head><meta charset="utf-8"><title>灯光节</title><meta property="article:published_time" content="2100-01-05T08:00:00Z"></head><body><article><h1>灯光节</h1>${paragraphs}</article></body></html>`,
    });
    const before = Date.now();
    const saved = await runCli(['save', `${server.url}/news/late.html`, '--source', 't', '--config', config, '--json']);
    expect(saved.code, saved.stderr).toBe(0);
    const { id } = JSON.parse(saved.stdout) as { id: number };
    expect(await firstLine(id)).toBeGreaterThanOrEqual(before);
    expect(await firstLine(id)).toBeLessThanOrEqual(Date.now());
  });

  it('takes an item with a malformed date as undated: archived as of the time it is first seen', async () => {
    await configure();
    serve([
      { title: '坏时间', link: 'https://example.org/a', pubDate: 'Tue, 26 Sep 2023 1:2:3:4 GMT', description: '<p>a</p>' },
      { title: '坏日子', link: 'https://example.org/b', pubDate: 'Dec x 2012', description: '<p>b</p>' },
      { title: '坏时区', link: 'https://example.org/c', pubDate: '2023-01-01T00:00:00-99:99', description: '<p>c</p>' },
    ]);
    const before = Date.now();
    const report = await run();
    expect(report.sources[0]?.added).toHaveLength(3);
    for (const id of report.sources[0]?.added ?? []) expect(await firstLine(id)).toBeGreaterThanOrEqual(before);
    expect(await months()).toEqual([`${monthKey(before, ZONE)}.md`]);
  });

  it('keeps an archived article dated in the future (an older archive) as it is, and lists it as of when it was first seen', async () => {
    await configure();
    serve([{ title: '今天', guid: 'g-now', link: 'https://example.org/now', pubDate: new Date().toUTCString(), description: '<p>今天</p>' }]);
    await run();
    // An older tool archived this one with the feed's date in 2100, and one before year 1.
    const futureFile = '<!--4102444800000-->\n[一百年后](https://example.org/2100)\n------\n\n<div>x</div>\n';
    const ancientFile = '<!---62198755200000-->\n[公元前](https://example.org/bc)\n------\n\n<div>y</div>\n';
    await writeFile(join(archive, 'articles/t/1000000.md'), futureFile);
    await writeFile(join(archive, 'articles/t/1000001.md'), ancientFile);
    const seen = Date.now();
    await run();
    expect(await readFile(join(archive, 'articles/t/1000000.md'), 'utf8')).toBe(futureFile);
    expect(await readFile(join(archive, 'articles/t/1000001.md'), 'utf8')).toBe(ancientFile);
    const current = `${monthKey(seen, ZONE)}.md`;
    expect(await months()).toEqual([current]);
    const list = await readFile(join(archive, 'lists/测试.md'), 'utf8');
    expect(list).not.toContain('1-1 [一百年后]');
    expect(list).toMatch(new RegExp(`${renderMonthDay(seen, ZONE)} \\[一百年后\\]`));
    expect(await readFile(join(archive, `lists/测试/${current}`), 'utf8')).toContain('[公元前](/articles/t/1000001.md)');
    // Stable: a run with nothing new changes no file.
    const tree = await readTree(archive);
    await run();
    expect(await readTree(archive)).toEqual(tree);
  });

  it('reads dates without a zone in the source\'s timezone (default UTC); a date with a zone keeps its own', async () => {
    const items = [
      { title: '无时区', guid: 'g-1', link: 'https://example.org/1', pubDate: '2026-03-02 08:30:00', description: '<p>1</p>' },
      { title: '有时区', guid: 'g-2', link: 'https://example.org/2', pubDate: 'Mon, 02 Mar 2026 08:30:00 +0000', description: '<p>2</p>' },
    ];
    serve(items);
    await configure(', timezone: America/New_York');
    const report = await run();
    const [withZone = 0, without = 0] = report.sources[0]?.added ?? [];
    expect(await firstLine(without)).toBe(Date.parse('2026-03-02T13:30:00Z'));
    expect(await firstLine(withZone)).toBe(Date.parse('2026-03-02T08:30:00Z'));
  });

  it('reads dates without a zone as UTC when the source sets no timezone', async () => {
    serve([{ title: '无时区', guid: 'g-1', link: 'https://example.org/1', pubDate: '2026-03-02 08:30:00', description: '<p>1</p>' }]);
    await configure();
    const [id = 0] = (await run()).sources[0]?.added ?? [];
    expect(await firstLine(id)).toBe(Date.parse('2026-03-02T08:30:00Z'));
  });

  it('refuses a source timezone that is no IANA zone, naming the line and key', async () => {
    await configure(', timezone: Mars/Olympus');
    const result = await runCli(['run', '--config', config]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/newsmirror\.yaml:3: sources\[0\]\.timezone: must be an IANA time zone/);
  });
});

describe('run: HTTP', () => {
  let server: LocalFeedServer;
  let config: string;
  let archive: string;
  beforeEach(async () => {
    server = await new LocalFeedServer().start();
    const dir = await tempDir();
    config = join(dir, 'newsmirror.yaml');
    archive = join(dir, 'archive');
    await configure(`${server.url}/t.xml`);
  });
  afterEach(() => server.stop());

  const configure = (url: string, more = '') => writeFile(config, `sources:\n  - { name: 测试, slug: t, url: "${url}", fullText: never${more} }\n`);
  async function run() {
    const result = await runCli(['run', '--config', config, '--json']);
    return JSON.parse(result.stdout) as { sources: Array<{ added: number[]; warnings: string[]; status: string; error?: { code: string; message: string } }> };
  }
  const item = (k: number): TestItem => ({ title: `第${k}篇`, guid: `g-${k}`, link: `https://example.org/${k}`, pubDate: new Date(Date.UTC(2026, 0, 1) + k * 3600_000).toUTCString(), description: `<p>正文 ${k}</p>` });
  const state = () => readFile(join(archive, '.newsmirror/state.json'), 'utf8');

  it('takes a 304 to a request without validators for a failure of the source, not "unchanged"', async () => {
    server.routes.set('/t.xml', (_req, res) => res.writeHead(304).end());
    const report = await run();
    expect(report.sources[0]?.status).toBe('failed');
    expect(report.sources[0]?.error?.code).toBe('http_304');
    expect(report.sources[0]?.error?.message).toMatch(/Not Modified to a request without validators/);
  });

  it('makes an unconditional GET at least every N runs, so a server that answers 304 forever cannot freeze the feed; state.json stays as it was', async () => {
    let items = [item(1)];
    let unconditional = 0;
    server.routes.set('/t.xml', (req, res) => {
      // A broken cache: any conditional request is "not modified", whatever the feed holds now.
      if (req.headers['if-none-match'] !== undefined) return void res.writeHead(304).end();
      unconditional += 1;
      res.writeHead(200, { etag: '"v1"' }).end(rss(items));
    });
    expect((await run()).sources[0]?.added).toHaveLength(1);
    const kept = await state();
    expect(kept).toContain('"etag": "\\"v1\\""');
    items = [item(2), item(1)];
    const statuses: string[] = [];
    for (let i = 1; i < UNCONDITIONAL_EVERY; i++) {
      const report = await run();
      statuses.push(report.sources[0]?.status ?? '');
      expect(report.sources[0]?.added).toEqual([]);
      expect(await state()).toBe(kept);
    }
    expect(new Set(statuses)).toEqual(new Set(['unchanged']));
    expect(unconditional).toBe(1);
    // The Nth run since the last full one asks without validators, and gets the new item.
    expect((await run()).sources[0]?.added).toHaveLength(1);
    expect(unconditional).toBe(2);
    // And nothing new: the next runs are conditional again and change nothing.
    const tree = await readTree(archive);
    await run();
    expect(unconditional).toBe(2);
    expect(await readTree(archive)).toEqual(tree);
  });

  it('makes the first fetch with a catalog that has no fetch history (rebuilt, or lost with a CI cache) unconditional', async () => {
    let items = [item(1)];
    server.routes.set('/t.xml', (req, res) => {
      if (req.headers['if-none-match'] !== undefined) return void res.writeHead(304).end();
      res.writeHead(200, { etag: '"v1"' }).end(rss(items));
    });
    await run();
    items = [item(2), item(1)];
    expect((await run()).sources[0]?.status).toBe('unchanged');
    await rm(join(archive, '.newsmirror/catalog.sqlite'));
    expect((await run()).sources[0]?.added).toHaveLength(1);
  });

  it('does not send a Last-Modified dated in the future, even one the server\'s own Date vouched for', async () => {
    let items = [item(1)];
    const future = 'Fri, 01 Jan 2100 00:00:00 GMT';
    server.routes.set('/t.xml', (req, res) => {
      if (req.headers['if-modified-since'] !== undefined) return void res.writeHead(304).end();
      res.writeHead(200, { 'last-modified': future, date: future }).end(rss(items));
    });
    await run();
    items = [item(2), item(1)];
    expect((await run()).sources[0]?.added).toHaveLength(1);
  });

  it('guards a redirect from a configured feed to another port of the same host like any private address', async () => {
    const other = await new LocalFeedServer().start();
    try {
      other.routes.set('/secret.xml', { body: rss([item(1)]) });
      server.routes.set('/t.xml', { status: 302, headers: { location: `${other.url}/secret.xml` }, body: '' });
      const report = await run();
      expect(report.sources[0]?.status).toBe('failed');
      expect(report.sources[0]?.error?.code).toBe('blocked');
      expect(report.sources[0]?.error?.message).toContain(`redirected to ${other.url}/secret.xml`);
      expect(other.hits.get('/secret.xml')).toBeUndefined();
      // A redirect within the configured origin stays trusted.
      server.routes.set('/t.xml', { status: 302, headers: { location: `${server.url}/moved.xml` }, body: '' });
      server.routes.set('/moved.xml', { body: rss([item(1)]) });
      expect((await run()).sources[0]?.added).toHaveLength(1);
    } finally {
      await other.stop();
    }
  });

  it.each(['application/octet-stream', 'text/plain; charset=utf-8'])('reads a feed served as %s by its content, with a warning', async (type) => {
    server.routes.set('/t.xml', { headers: { 'content-type': type }, body: rss([item(1)]) });
    const report = await run();
    expect(report.sources[0]?.added).toHaveLength(1);
    expect(report.sources[0]?.warnings).toContainEqual(`${server.url}/t.xml: served as ${type.split(';')[0]}, not a feed type; read as RSS by its content`);
  });

  it('says an image served where the feed should be is an image, not "plain text"', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    server.routes.set('/t.xml', { headers: { 'content-type': 'image/png' }, body: png });
    server.routes.set('/u.xml', { headers: { 'content-type': 'application/octet-stream' }, body: png });
    const report = await run();
    expect(report.sources[0]?.error?.code).toBe('not_a_feed');
    expect(report.sources[0]?.error?.message).toBe(`${server.url}/t.xml: not a feed (a PNG image, served as image/png)`);
    await configure(`${server.url}/u.xml`);
    expect((await run()).sources[0]?.error?.message).toBe(`${server.url}/u.xml: not a feed (a PNG image, served as application/octet-stream)`);
    // By its type alone too: bytes no magic number names.
    server.routes.set('/v.xml', { headers: { 'content-type': 'image/webp' }, body: 'RIFFxxxx' });
    await configure(`${server.url}/v.xml`);
    expect((await run()).sources[0]?.error?.message).toBe(`${server.url}/v.xml: not a feed (an image, served as image/webp)`);
  });
});

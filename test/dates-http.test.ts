import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { monthKey, renderMonthDay } from '../src/domain/calendar.js';
import { readTree } from './helpers/archive-tree.js';
import { rss, type TestItem } from './helpers/feeds.js';
import { runCli } from './helpers/run-cli.js';
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

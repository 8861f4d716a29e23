import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openDatabase } from '../src/catalog/sqlite.js';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { readTree } from './helpers/archive-tree.js';
import { damagePages } from './helpers/damage-pages.js';
import { numberedItems, rss, type TestItem } from './helpers/feeds.js';
import { runCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp-dir.js';

describe('run', () => {
  let server: LocalFeedServer;
  let dir: string;
  let config: string;
  let archive: string;
  beforeEach(async () => {
    server = await new LocalFeedServer().start();
    dir = await tempDir();
    config = join(dir, 'newsmirror.yaml');
    archive = join(dir, 'archive');
  });
  afterEach(() => server.stop());

  async function configure(extra = ''): Promise<void> {
    await writeFile(config, `sources:\n  - { name: 测试, slug: t, url: "${server.url}/t.xml", fullText: never${extra} }\n`);
  }
  async function run(...args: string[]) {
    const result = await runCli(['run', '--config', config, '--json', ...args]);
    expect(result.stderr).toBe('');
    return { code: result.code, report: JSON.parse(result.stdout) };
  }
  const serve = (items: TestItem[]) => server.routes.set('/t.xml', { body: rss(items) });

  it('archives a later item with an earlier date (no watermark)', async () => {
    await configure();
    serve(numberedItems(2, 'n', Date.UTC(2026, 0, 10)));
    await run();
    serve([...numberedItems(2, 'n', Date.UTC(2026, 0, 10)), { title: '迟到的旧闻', link: 'https://example.org/late', pubDate: 'Thu, 01 Jan 2026 00:00:00 GMT', description: '<p>x</p>' }]);
    const { report } = await run();
    expect(report.sources[0].added).toEqual([1048572]);
    const list = await readFile(join(archive, 'lists/测试.md'), 'utf8');
    expect(list.trimEnd().split('\n').pop()).toBe('1-1 [迟到的旧闻](/articles/t/1048572.md)');
  });

  it('recognises an item again by guid, by canonical link, or by title within hours', async () => {
    await configure();
    serve([
      { title: 'A', guid: 'g-a', link: 'https://example.org/a', pubDate: 'Thu, 01 Jan 2026 00:00:00 GMT', description: 'a' },
      { title: 'B', link: 'https://example.org/b?id=1', pubDate: 'Thu, 01 Jan 2026 01:00:00 GMT', description: 'b' },
      { title: 'C 标题', link: 'https://example.org/c', pubDate: 'Thu, 01 Jan 2026 02:00:00 GMT', description: 'c' },
    ]);
    expect((await run()).report.sources[0].added).toHaveLength(3);
    serve([
      { title: 'A (edited)', guid: 'g-a', link: 'https://example.org/a-moved', pubDate: 'Thu, 01 Jan 2026 00:00:00 GMT', description: 'a2' },
      { title: 'B again', link: 'HTTPS://EXAMPLE.ORG/b?utm_source=rss&id=1#top', pubDate: 'Thu, 01 Jan 2026 01:00:00 GMT', description: 'b' },
      { title: 'C  标题', link: 'https://mirror.example.org/c', pubDate: 'Thu, 01 Jan 2026 05:00:00 GMT', description: 'c' },
      { title: 'C 标题', link: 'https://example.org/c-next-day', pubDate: 'Fri, 02 Jan 2026 02:00:00 GMT', description: 'c' },
    ]);
    const { report } = await run();
    expect(report.sources[0].added).toEqual([1048571]);
    expect(await readFile(join(archive, 'articles/t/1048574.md'), 'utf8')).toContain('[A](https://example.org/a)');
  });

  it('rebuilds a missing catalog from the files and archives nothing twice', async () => {
    await configure();
    serve(numberedItems(5));
    await run();
    const before = await readTree(archive);
    await Promise.all(['', '-wal', '-shm'].map((s) => rm(join(archive, `.newsmirror/catalog.sqlite${s}`), { force: true })));
    const { report } = await run();
    expect(report.sources[0].added).toEqual([]);
    expect(await readTree(archive)).toEqual(before);
  });

  it('moves a corrupt catalog aside, rebuilds it from the files, and archives nothing twice', async () => {
    await configure();
    serve(numberedItems(4));
    await run();
    const before = await readTree(archive);
    await Promise.all(['-wal', '-shm'].map((s) => rm(join(archive, `.newsmirror/catalog.sqlite${s}`), { force: true })));
    await writeFile(join(archive, '.newsmirror/catalog.sqlite'), 'this is not a database, it was cut short by a disk fault'.repeat(100));
    serve(numberedItems(5));
    const { code, report } = await run();
    expect(code).toBe(0);
    expect(report.sources[0].added).toEqual([1048570]);
    expect(report.warnings).toEqual([expect.stringMatching(/^\.newsmirror\/catalog\.sqlite was not a readable SQLite database: moved to .*catalog\.sqlite\.corrupt-\d+ and rebuilt from the article files$/)]);
    const after = await readTree(archive);
    for (const [path, bytes] of before) if (path.startsWith('articles/')) expect(after.get(path)).toBe(bytes);
    expect((await readdir(join(archive, '.newsmirror'))).some((n) => n.startsWith('catalog.sqlite.corrupt-'))).toBe(true);
  });

  it('archives an item nested deeper than the cleaner can take (than the stack) flattened past 512 elements, with a warning, and the rest as usual', async () => {
    await configure();
    const deep = { title: '极深的嵌套', link: 'https://example.org/deep', pubDate: 'Fri, 02 Jan 2026 00:00:00 GMT', description: '<div>'.repeat(20_000) + '<p>深处的正文</p><script>x()</script>' + '</div>'.repeat(20_000) };
    serve([...numberedItems(2), deep]);
    const { code, report } = await run();
    expect(code).toBe(0);
    expect(report.sources[0].status).toBe('ok');
    expect(report.sources[0].added).toHaveLength(3);
    expect(report.sources[0].warnings).toEqual([
      'https://example.org/deep: the HTML is nested deeper than 512 elements (20001): the tags past 512 are left out, their text kept',
    ]);
    const files = await Promise.all(report.sources[0].added.map((id: number) => readFile(join(archive, `articles/t/${id}.md`), 'utf8')));
    const body = files.find((f) => f.includes('深处的正文'));
    expect(body).toBeDefined();
    expect(body).not.toContain('<script');
    expect((await run()).report.sources[0].added).toEqual([]);
  });

  it('converts such an item to Markdown once flattened, with the warning', async () => {
    await writeFile(config, `body: markdown\nsources:\n  - { name: 测试, slug: t, url: "${server.url}/t.xml", fullText: never }\n`);
    const deep = { title: '极深的嵌套', link: 'https://example.org/deep', pubDate: 'Fri, 02 Jan 2026 00:00:00 GMT', description: '<div>'.repeat(20_000) + '<p>深处的正文</p>' + '</div>'.repeat(20_000) };
    serve([deep]);
    const { code, report } = await run();
    expect([code, report.sources[0].added.length]).toEqual([0, 1]);
    expect(report.sources[0].warnings).toEqual([expect.stringMatching(/^https:\/\/example\.org\/deep: the HTML is nested deeper than 512 elements \(20001\)/)]);
    expect(await readFile(join(archive, `articles/t/${report.sources[0].added[0]}.md`), 'utf8')).toContain('深处的正文');
  });

  it('makes an unreadable search index anew, says so, and indexes the archive again', async () => {
    await configure();
    serve(numberedItems(3));
    await run();
    const search = join(archive, '.newsmirror/catalog.sqlite-search');
    await Promise.all(['-wal', '-shm'].map((s) => rm(search + s, { force: true })));
    await writeFile(search, 'this is not a database, a disk fault cut it short'.repeat(100));
    const { code, report } = await run();
    expect([code, report.sources[0].added]).toEqual([0, []]);
    expect(report.warnings).toEqual(['.newsmirror/catalog.sqlite-search was not a readable SQLite database: made anew, and the articles are indexed again from their files']);
    const found = await runCli(['search', 'item', '--config', config, '--json']);
    expect(found.stderr).toBe('');
    expect(JSON.parse(found.stdout).total).toBe(3);
  });

  it('deletes a search index found damaged during a run, says so, and the next run indexes the archive again', async () => {
    await configure();
    serve(numberedItems(3));
    await run();
    // Damage that opening the file does not see: the key index that the run's backlog check reads.
    expect(damagePages(join(archive, '.newsmirror/catalog.sqlite-search'), 'search_docs_by_item')).toBeGreaterThan(0);
    serve(numberedItems(4));
    const { code, report } = await run();
    expect([code, report.sources[0].added]).toEqual([0, [1048571]]);
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings[0]).toMatch(/^search index: .*catalog\.sqlite-search: database disk image is malformed; the file is damaged: it is deleted, and the next catalog sync makes it anew from the article files$/);
    const again = await run();
    expect([again.code, again.report.warnings]).toEqual([0, []]);
    const found = await runCli(['search', 'item', '--config', config, '--json']);
    expect(found.stderr).toBe('');
    expect(JSON.parse(found.stdout).total).toBe(4);
  });

  it('takes an item with the title of an article archived within 12 h for it, says so once, and applies the same rule within one feed', async () => {
    await configure();
    const at = (hour: number) => new Date(Date.UTC(2026, 0, 5, hour)).toUTCString();
    const first = { title: '鸟类观察', link: 'https://example.org/q/10', pubDate: at(6), description: '<p>第一篇</p>' };
    serve([first]);
    const [archived] = (await run()).report.sources[0].added;
    // The same title three hours later under another link: the same article (FORMAT.md), said once.
    const again = { title: '鸟类观察', link: 'https://example.org/q/11', pubDate: at(9), description: '<p>改过的第一篇</p>' };
    serve([again, first]);
    const second = await run();
    expect([second.code, second.report.sources[0].added]).toEqual([0, []]);
    expect(second.report.sources[0].warnings).toEqual([
      `https://example.org/q/11: same title as articles/t/${archived}.md (within 12 h): taken for that article, not archived again`,
    ]);
    // Known by its own link from now on: no warning on the next runs, even when its title changes.
    serve([{ ...again, title: '鸟类观察（更新）' }, first]);
    const third = await run();
    expect([third.report.sources[0].added, third.report.sources[0].warnings]).toEqual([[], []]);
    // Within one feed the same rule: two items of one title an hour apart are archived once; a day apart, twice.
    const flash = (n: number, hour: number) => ({ title: '快讯', link: `https://example.org/f/${n}`, pubDate: at(hour), description: `<p>快讯 ${n}</p>` });
    serve([flash(3, 20 + 24), flash(2, 20), flash(1, 19)]);
    const fourth = await run();
    expect(fourth.report.sources[0].added).toHaveLength(2);
    expect(fourth.report.sources[0].warnings).toEqual(['https://example.org/f/2: same title as https://example.org/f/1 in this feed (within 12 h): archived once']);
    // Said once: the next run (a changed feed, read again) knows f/2 by its link.
    serve([flash(4, 20 + 48), flash(3, 20 + 24), flash(2, 20), flash(1, 19)]);
    const fifth = await run();
    expect([fifth.report.sources[0].added.length, fifth.report.sources[0].warnings]).toEqual([1, []]);
  });

  it('prints a source\'s warning with its slug once', async () => {
    await configure();
    const at = (hour: number) => new Date(Date.UTC(2026, 0, 5, hour)).toUTCString();
    const flash = (n: number, hour: number) => ({ title: '快讯', link: `https://example.org/f/${n}`, pubDate: at(hour), description: `<p>快讯 ${n}</p>` });
    serve([flash(2, 20), flash(1, 19)]);
    const result = await runCli(['run', '--config', config]);
    // It was '! t: t: https://example.org/f/2: ...'.
    expect(result.stdout.split('\n').filter((line) => line.startsWith('! '))).toEqual(['! t: https://example.org/f/2: same title as https://example.org/f/1 in this feed (within 12 h): archived once']);
  });

  it('archives two stories that only share a headline, in one feed and across runs; the same story under a new link stays one', async () => {
    await configure();
    const at = (hour: number) => new Date(Date.UTC(2026, 0, 7, hour)).toUTCString();
    const STORIES = [
      '香港特区政府周三宣布，将于下月起调整公共交通票价，平均加幅约百分之三。运输署表示，调整是考虑到营运成本上升及通胀因素，低收入家庭可申请交通津贴。',
      '日本气象厅表示，今年第十二号台风预计周五在九州南部登陆，沿海地区需防范大浪和暴雨。多家航空公司已宣布取消周五往返福冈和鹿儿岛的航班。',
      '欧洲央行周四维持利率不变，行长在记者会上表示，通胀回落速度快于预期，但仍需观察薪资增长，市场预计年中前后开始降息。',
    ];
    const flash = (n: number, hour: number, link = `https://example.org/flash/${n}`) => ({ title: '快讯', link, pubDate: at(hour), description: `<p>${STORIES[n]}</p>` });
    serve([flash(1, 9), flash(0, 8)]);
    const first = await run();
    expect([first.report.sources[0].added, first.report.sources[0].warnings]).toEqual([[1048574, 1048573], []]);
    // An hour later a third story under the same headline; and the first again, under a new link.
    serve([flash(2, 10), flash(0, 8, 'https://example.org/flash/0?from=home'), flash(1, 9)]);
    const second = await run();
    expect(second.report.sources[0].added).toEqual([1048572]);
    expect(second.report.sources[0].warnings).toEqual([
      'https://example.org/flash/0?from=home: same title as articles/t/1048574.md (within 12 h): taken for that article, not archived again',
    ]);
    expect(await readFile(join(archive, 'articles/t/1048572.md'), 'utf8')).toContain(STORIES[2]);
  });

  it('gives a duplicate within the feed the names of the story it repeats, not of another story of that headline', async () => {
    await configure();
    const T = Date.UTC(2026, 0, 8, 6);
    const STORY = '香港特区政府周三宣布，将于下月起调整公共交通票价，平均加幅约百分之三。运输署表示，调整是考虑到营运成本上升及通胀因素。';
    const OTHER = '日本气象厅表示，今年第十二号台风预计周五在九州南部登陆，沿海地区需防范大浪和暴雨，多家航空公司已宣布取消航班。';
    // Items known by their title alone (no guid, no link).
    const flash = (at: number, text: string) => ({ title: '快讯', pubDate: new Date(at).toUTCString(), description: `<p>${text}</p>` });
    serve([flash(T, OTHER)]);
    expect((await run()).report.sources[0].added).toEqual([1048574]);
    // Another story at the same minute, and a repeat of it half an hour later.
    serve([flash(T + 1_800_000, `${STORY}（更新）`), flash(T, STORY)]);
    const second = await run();
    expect(second.report.sources[0].added).toEqual([1048573]);
    const db = openDatabase(join(archive, '.newsmirror/catalog.sqlite'), { readonly: true });
    const aliases = db.prepare("SELECT id FROM item_aliases WHERE source = 't' AND key LIKE 't:%'").pluck().all();
    db.close();
    expect(aliases).toEqual([1048573]);
  });

  it('archives an item whose id now holds another article (a discarded file, another clone\'s pulled in) and takes that one for what it is', async () => {
    await configure();
    const a = { title: '甲', guid: 'urn:a', link: 'https://example.org/a', pubDate: 'Thu, 01 Jan 2026 00:00:00 GMT', description: '<p>甲文</p>' };
    const b = { title: '乙', guid: 'urn:b', link: 'https://example.org/b', pubDate: 'Thu, 01 Jan 2026 01:00:00 GMT', description: '<p>乙文</p>' };
    serve([a]);
    expect((await run()).report.sources[0].added).toEqual([1048574]);
    // `git checkout -- . && git pull`: our uncommitted 1048574 is gone, and another clone's article came in under that id.
    await writeFile(join(archive, 'articles/t/1048574.md'), `<!--${Date.UTC(2026, 0, 1, 1)}-->\n[乙](https://example.org/b)\n------\n\n<p>乙文</p>\n`);
    serve([b, a]);
    const { report } = await run();
    expect(report.sources[0].added).toEqual([1048573]);
    expect(report.sources[0].warnings).toEqual(['articles/t/1048574.md: holds another article than the catalog recorded (the file was replaced): taken in as it is']);
    expect(await readFile(join(archive, 'articles/t/1048573.md'), 'utf8')).toContain('[甲](https://example.org/a)');
    expect(await readFile(join(archive, 'articles/t/1048574.md'), 'utf8')).toContain('[乙](https://example.org/b)');
    expect(await readFile(join(archive, 'lists/测试.md'), 'utf8')).toBe('测试\n------\n\n1-1 [乙](/articles/t/1048574.md)\n\n1-1 [甲](/articles/t/1048573.md)\n\n');
    // Nothing new the next time.
    const before = await readTree(archive);
    expect((await run()).report.sources[0].added).toEqual([]);
    expect(await readTree(archive)).toEqual(before);
  });

  it('drops the monthly list of a month whose articles were all removed, and links no removed article', async () => {
    await configure();
    const dec = { title: '十二月', link: 'https://example.org/dec', pubDate: 'Mon, 15 Dec 2025 00:00:00 GMT', description: '<p>d</p>' };
    const jan = { title: '一月', link: 'https://example.org/jan', pubDate: 'Thu, 15 Jan 2026 00:00:00 GMT', description: '<p>j</p>' };
    serve([jan, dec]);
    expect((await run()).report.sources[0].added).toEqual([1048574, 1048573]);
    expect((await readdir(join(archive, 'lists/测试'))).sort()).toEqual(['2025-12.md', '2026-01.md']);
    // Taken down by hand, and gone from the feed.
    await rm(join(archive, 'articles/t/1048574.md'));
    serve([jan]);
    expect((await run()).report.sources[0].added).toEqual([]);
    expect(await readdir(join(archive, 'lists/测试'))).toEqual(['2026-01.md']);
    expect(await readFile(join(archive, 'lists/测试.md'), 'utf8')).toBe('测试\n------\n\n1-15 [一月](/articles/t/1048573.md)\n\n');
  });

  it('archives items the feed tells apart by their guids although they share one link (a page updated daily, anchors of one page)', async () => {
    await configure();
    const day = (n: number, link: string) => ({ title: `每日简报 ${n}`, guid: `urn:brief:${n}`, link, pubDate: new Date(Date.UTC(2026, 0, n)).toUTCString(), description: `<p>第 ${n} 天</p>` });
    const page = 'https://example.org/briefing';
    serve([day(1, page)]);
    expect((await run()).report.sources[0].added).toEqual([1048574]);
    serve([day(3, page), day(2, page), day(1, page)]);
    expect((await run()).report.sources[0].added).toEqual([1048573, 1048572]);
    serve([day(5, `${page}#5`), day(4, `${page}#4`), day(3, page), day(2, page)]);
    expect((await run()).report.sources[0].added).toEqual([1048571, 1048570]);
    // Each known by its guid from now on: nothing new the next time.
    const before = await readTree(archive);
    expect((await run()).report.sources[0].added).toEqual([]);
    expect(await readTree(archive)).toEqual(before);
    const list = await readFile(join(archive, 'lists/测试.md'), 'utf8');
    for (const n of [1, 2, 3, 4, 5]) expect(list).toContain(`[每日简报 ${n}]`);
    // A catalog rebuilt from the files knows no guids: the shared link alone still makes no item another.
    await Promise.all(['', '-wal', '-shm', '-search'].map((s) => rm(join(archive, `.newsmirror/catalog.sqlite${s}`), { force: true })));
    serve([day(6, page), day(5, `${page}#5`), day(4, `${page}#4`)]);
    expect((await run()).report.sources[0].added).toEqual([1048569]);
    expect((await run()).report.sources[0].added).toEqual([]);
  });

  it('archives a day\'s item that shares its link and title with other days\' after the catalog is rebuilt from the files', async () => {
    await configure();
    // One page, one headline every day, told apart by guid and date only.
    const day = (n: number) => ({ title: '每日简报', guid: `urn:daily:${n}`, link: 'https://example.org/daily', pubDate: new Date(Date.UTC(2026, 0, n)).toUTCString(), description: `<p>第 ${n} 天</p>` });
    serve([day(2), day(1)]);
    expect((await run()).report.sources[0].added).toEqual([1048574, 1048573]);
    // A fresh clone (the catalog is never committed): rows rebuilt from the files know no guids.
    await Promise.all(['', '-wal', '-shm', '-search'].map((s) => rm(join(archive, `.newsmirror/catalog.sqlite${s}`), { force: true })));
    serve([day(3), day(2), day(1)]);
    expect((await run()).report.sources[0].added).toEqual([1048572]);
    expect(await readFile(join(archive, 'articles/t/1048572.md'), 'utf8')).toContain('第 3 天');
    expect((await run()).report.sources[0].added).toEqual([]);
  });

  it('does not take an undated item with its own guid and link for an article of the same title from long ago', async () => {
    await configure();
    const weekly = (n: number, pubDate?: string) => ({ title: '每周回顾', guid: `urn:weekly:${n}`, link: `https://example.org/weekly/${n}`, ...(pubDate ? { pubDate } : {}), description: `<p>第 ${n} 期</p>` });
    serve([weekly(1, 'Wed, 01 Jan 2020 00:00:00 GMT')]);
    expect((await run()).report.sources[0].added).toEqual([1048574]);
    // The feed dropped its dates: the item is as new as the time it is first seen (FORMAT.md), years after the first.
    serve([weekly(2), weekly(1, 'Wed, 01 Jan 2020 00:00:00 GMT')]);
    const { report } = await run();
    expect([report.sources[0].added, report.sources[0].warnings]).toEqual([[1048573], []]);
    expect(await readFile(join(archive, 'articles/t/1048573.md'), 'utf8')).toContain('[每周回顾](https://example.org/weekly/2)');
    expect((await run()).report.sources[0].added).toEqual([]);
  });

  it('does not take an undated item for an old one of its title that the same feed lists', async () => {
    await configure();
    serve([
      { title: '每周回顾', guid: 'urn:weekly:2', link: 'https://example.org/weekly/2', description: '<p>第 2 期</p>' },
      { title: '每周回顾', guid: 'urn:weekly:1', link: 'https://example.org/weekly/1', pubDate: 'Wed, 01 Jan 2020 00:00:00 GMT', description: '<p>第 1 期</p>' },
    ]);
    const { report } = await run();
    expect([report.sources[0].added, report.sources[0].warnings]).toEqual([[1048574, 1048573], []]);
    // And a rebuilt catalog agrees: nothing is archived again.
    await Promise.all(['', '-wal', '-shm', '-search'].map((s) => rm(join(archive, `.newsmirror/catalog.sqlite${s}`), { force: true })));
    expect((await run()).report.sources[0].added).toEqual([]);
  });

  it('writes a list for every source the README links, also those a run --source did not run', async () => {
    await writeFile(config, `sources:\n  - { name: 测试, slug: t, url: "${server.url}/t.xml", fullText: never }\n  - { name: 其他, slug: o, url: "${server.url}/o.xml", fullText: never }\n`);
    serve(numberedItems(1));
    expect((await run('--source', 't')).code).toBe(0);
    const readme = await readFile(join(archive, 'README.md'), 'utf8');
    for (const name of ['测试', '其他']) {
      expect(readme).toContain(`[${name}](lists/${name}.md)`);
      expect(await readFile(join(archive, `lists/${name}.md`), 'utf8')).toMatch(new RegExp(`^${name}\n`));
    }
    // Nothing new: nothing written.
    const before = await readTree(archive);
    expect((await run('--source', 't')).code).toBe(0);
    expect(await readTree(archive)).toEqual(before);
  });

  it('answers 304 with the stored validators and changes nothing', async () => {
    await configure();
    let conditional = 0;
    server.routes.set('/t.xml', (req, res) => {
      if (req.headers['if-none-match'] === '"v1"') {
        conditional += 1;
        res.writeHead(304).end();
      } else res.writeHead(200, { etag: '"v1"' }).end(rss(numberedItems(2)));
    });
    await run();
    const state = JSON.parse(await readFile(join(archive, '.newsmirror/state.json'), 'utf8'));
    expect(state.sources.t.validators[`${server.url}/t.xml`]).toEqual({ etag: '"v1"' });
    const before = await readTree(archive);
    const { code, report } = await run();
    expect([code, report.sources[0].status, conditional]).toEqual([0, 'unchanged', 1]);
    expect(await readTree(archive)).toEqual(before);
  });

  it('treats an identical 200 from a server that ignores validators as unchanged, without parsing it again', async () => {
    await configure();
    serve(numberedItems(3));
    expect((await run()).report.sources[0].added).toHaveLength(3);
    const before = await readTree(archive);
    const again = await run();
    expect(again.report.sources[0]).toMatchObject({ status: 'unchanged', added: [] });
    expect(await readTree(archive)).toEqual(before);
    // A changed body is read again; a changed setting of the source too.
    serve(numberedItems(4));
    expect((await run()).report.sources[0]).toMatchObject({ status: 'ok', added: [1048571] });
    await configure(', maxItems: 2');
    expect((await run()).report.sources[0]).toMatchObject({ status: 'ok', items: 2, added: [] });
  });

  it('reports a malformed feed as a failure with its code, and an empty one as 0 items with a warning, not a failure', async () => {
    await writeFile(config, `sources:\n  - { name: E, slug: e, url: "${server.url}/e.xml", fullText: never }\n  - { name: M, slug: m, url: "${server.url}/m.xml", fullText: never }\n`);
    server.routes.set('/e.xml', { body: rss([]) });
    server.routes.set('/m.xml', { body: '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>broken' });
    const { code, report } = await run();
    expect(code).toBe(2);
    expect(report.sources[0]).toMatchObject({ status: 'ok', items: 0, added: [] });
    expect(report.sources[0].warnings).toEqual([`${server.url}/e.xml: 0 items: the feed is well-formed but empty (not failing; status shows it)`]);
    expect(report.sources[1].error.code).toMatch(/^(malformed|not_a_feed)$/);
    expect(report.sources[1].error.message).toContain(`${server.url}/m.xml`);
  });

  it('refuses a truncated feed for the run, archives nothing from it, and archives the whole feed next run', async () => {
    await configure();
    const whole = rss(numberedItems(2));
    const cuts = [
      ['<rss><channel><item><title>未闭合</title><link>http://x/1</link></item>', 'the document ends before </rss>'],
      [whole.slice(0, whole.indexOf('第二段 0')), 'the document ends in a CDATA section, before </rss>'],
    ];
    for (const [body, reason] of cuts) {
      server.routes.set('/t.xml', { headers: { etag: '"cut"' }, body: body! });
      const result = await runCli(['run', '--config', config]);
      expect(result.code).toBe(2);
      expect(result.stdout).toContain(`\n✗ t (测试): ${server.url}/t.xml: malformed RSS feed (truncated: ${reason}) [malformed]\n`);
      expect([...(await readTree(archive)).keys()].filter((p) => p.startsWith('articles/'))).toEqual([]);
    }
    const state = JSON.parse(await readFile(join(archive, '.newsmirror/state.json'), 'utf8'));
    expect(state.sources.t).toEqual({ failures: 2, lastError: { code: 'malformed', message: expect.stringContaining('truncated') } });
    serve(numberedItems(2));
    const { code, report } = await run();
    expect([code, report.sources[0].added.length]).toEqual([0, 2]);
    expect(await readdir(join(archive, 'articles/t'))).toEqual(['1048573.md', '1048574.md']);
  });

  it('takes the link from the guid and the full text from content:encoded when told (RFA)', async () => {
    await configure(', link: guid, content: "content:encoded", maxItems: 1');
    serve([
      { title: '新', guid: 'https://www.rfa.org/mandarin/a.html', link: 'https://www.rfa.org/mandarin/redirect', pubDate: 'Thu, 01 Jan 2026 00:00:00 GMT', description: '<p>摘要摘要摘要摘要摘要摘要</p>', contentEncoded: '<p>全文</p>' },
      { title: '旧', guid: 'https://www.rfa.org/mandarin/b.html', pubDate: 'Wed, 31 Dec 2025 00:00:00 GMT', description: '<p>b</p>' },
    ]);
    const { report } = await run();
    expect(report.sources[0].added).toEqual([1048574]);
    expect(await readFile(join(archive, 'articles/t/1048574.md'), 'utf8')).toBe(
      '<!--1767225600000-->\n[新](https://www.rfa.org/mandarin/a.html)\n------\n\n<p>全文</p>\n',
    );
  });

  it('mirrors take over when the primary fails, and the next run starts with the mirror', async () => {
    await writeFile(config, `sources:\n  - { name: 测试, slug: t, url: "${server.url}/down.xml", mirrors: ["${server.url}/t.xml"], fullText: never }\n`);
    server.routes.set('/down.xml', { status: 503, body: 'busy' });
    serve(numberedItems(1));
    const first = await run();
    expect([first.code, first.report.sources[0].url]).toEqual([0, `${server.url}/t.xml`]);
    const downHits = server.hits.get('/down.xml');
    const second = await run();
    expect(second.report.sources[0].url).toBe(`${server.url}/t.xml`);
    expect(server.hits.get('/down.xml')).toBe(downHits);
    expect(await readdir(join(archive, 'articles/t'))).toEqual(['1048574.md']);
  });

  it('a primary that answers a well-formed but empty feed (a domain taken over) falls to a mirror that has the items', async () => {
    await writeFile(config, `sources:\n  - { name: 测试, slug: t, url: "${server.url}/empty.xml", mirrors: ["${server.url}/t.xml"], fullText: never }\n`);
    server.routes.set('/empty.xml', { body: rss([]) });
    serve(numberedItems(2));
    const first = await run();
    expect([first.code, first.report.sources[0].status, first.report.sources[0].url]).toEqual([0, 'ok', `${server.url}/t.xml`]);
    expect(first.report.sources[0].added).toHaveLength(2);
    expect(first.report.sources[0].warnings.join('\n')).toContain(`${server.url}/empty.xml: [empty] 0 items`);
    // Every URL empty: 0 items from the one in use, a warning, not a failure.
    serve([]);
    const second = await run();
    expect([second.code, second.report.sources[0].status, second.report.sources[0].added]).toEqual([0, 'ok', []]);
    expect(second.report.sources[0].warnings.join('\n')).toMatch(/0 items: the feed is well-formed but empty/);
  });

  it('a run that falls back to a mirror warns once per URL that failed, and not on runs that keep the mirror', async () => {
    const url = (path: string) => `${server.url}/${path}`;
    await writeFile(config, `sources:\n  - { name: 新闻, slug: news, url: "${url('404.xml')}", mirrors: ["${url('html.xml')}", "${url('gbk.xml')}"], fullText: never, tries: 1 }\n`);
    server.routes.set('/html.xml', { headers: { 'content-type': 'text/html' }, body: '<!doctype html><html><head><title>首页</title></head><body><p>新闻</p></body></html>' });
    const gbk = (items: TestItem[]) => ({ body: iconv.encode(rss(items).replace('encoding="UTF-8"', 'encoding="GBK"'), 'gbk') });
    server.routes.set('/gbk.xml', gbk(numberedItems(2)));
    const first = await runCli(['run', '--config', config], { interactive: true });
    expect(first.code).toBe(0);
    const lines = first.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^newsmirror: 1 source, 2 new articles, 0 unchanged, 0 failed in /);
    expect(lines.slice(1)).toEqual([
      `! news: ${url('404.xml')}: [http_404] HTTP 404 from ${url('404.xml')}; used mirror ${url('gbk.xml')}`,
      `! news: ${url('html.xml')}: [not_a_feed] not a feed (looks like an HTML page); used mirror ${url('gbk.xml')}`,
    ]);
    // The progress shows each URL as it is fetched, not the primary's throughout.
    expect(first.stderr.split('\n').filter((l) => l.startsWith('…'))).toEqual(['404.xml', 'html.xml', 'gbk.xml'].map((p) => `… news (新闻) ${url(p)}`));

    // Later runs start with the mirror that worked: nothing to warn of while it works.
    server.routes.set('/gbk.xml', gbk(numberedItems(3)));
    const hits = () => ['/404.xml', '/html.xml', '/gbk.xml'].map((p) => server.hits.get(p) ?? 0);
    const before = hits();
    const second = await runCli(['run', '--config', config], { interactive: true });
    expect(second.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^newsmirror: 1 source, 1 new article, 0 unchanged, 0 failed in /)]);
    expect(second.stderr.split('\n').filter((l) => l.startsWith('…'))).toEqual([`… news (新闻) ${url('gbk.xml')}`]);
    expect(hits()).toEqual([before[0], before[1], before[2]! + 1]);

    // When the mirror in use fails, the primary is tried again: each URL that failed is named again.
    server.routes.set('/gbk.xml', { status: 503, body: 'busy' });
    server.routes.set('/html.xml', { body: rss(numberedItems(4)) });
    const third = await run();
    expect(third.code).toBe(0);
    expect(third.report.sources[0]).toMatchObject({
      status: 'ok',
      url: url('html.xml'),
      added: [expect.any(Number)],
      warnings: [
        `${url('gbk.xml')}: [http_503] HTTP 503 from ${url('gbk.xml')}; used mirror ${url('html.xml')}`,
        `${url('404.xml')}: [http_404] HTTP 404 from ${url('404.xml')}; used mirror ${url('html.xml')}`,
      ],
    });
    server.routes.set('/html.xml', { status: 410, body: 'gone' });
    server.routes.set('/404.xml', { body: rss(numberedItems(4)) });
    expect((await run()).report.sources[0]).toMatchObject({
      status: 'unchanged',
      url: url('404.xml'),
      warnings: [`${url('html.xml')}: [http_410] HTTP 410 from ${url('html.xml')}; used the primary ${url('404.xml')}`],
    });
  });
});

describe('other commands', () => {
  it('inspect reads a feed file and prints its items', async () => {
    const dir = await tempDir();
    const file = join(dir, 'feed.xml');
    await writeFile(file, rss([{ title: 'A &quot;q&quot;', link: 'https://example.org/a', pubDate: 'Thu, 01 Jan 2026 00:00:00 GMT', description: '<p>x</p>' }]));
    const text = await runCli(['inspect', file]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`${file}: rss 2.0`);
    expect(text.stdout).toContain('#1 A "q"');
    const json = JSON.parse((await runCli(['inspect', file, '--json'])).stdout);
    expect(json).toMatchObject({ format: 'rss', encoding: { name: 'utf-8' }, items: [{ title: 'A "q"', link: 'https://example.org/a', published: 1767225600000 }] });
    const missing = await runCli(['inspect', join(dir, 'nope.xml')]);
    expect(missing).toMatchObject({ code: 1, stderr: `newsmirror inspect: ${join(dir, 'nope.xml')}: cannot read (ENOENT)\n` });
    const opml = join(dir, 'list.opml');
    await writeFile(opml, '<?xml version="1.0"?><opml version="2.0"><body><outline text="a" xmlUrl="https://example.org/f"/></body></opml>');
    expect(await runCli(['inspect', opml])).toMatchObject({ code: 1, stderr: `newsmirror inspect: ${opml}: not a feed (XML root <opml> is not RSS, Atom or RDF)\n` });
  });

  it('inspect refuses a truncated feed with a one-line error naming its URL', async () => {
    const server = await new LocalFeedServer().start();
    try {
      server.routes.set('/cut.xml', { body: '<rss><channel><item><title>未闭合</title><link>http://x/1</link></item>' });
      expect(await runCli(['inspect', `${server.url}/cut.xml`])).toEqual({
        code: 1,
        stdout: '',
        stderr: `newsmirror inspect: ${server.url}/cut.xml: malformed RSS feed (truncated: the document ends before </rss>)\n`,
      });
    } finally {
      await server.stop();
    }
  });

  it('demo archives generated feeds into a folder with no network', async () => {
    const dir = await tempDir();
    const result = await runCli(['demo', dir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Look at ${join(dir, 'README.md')}`);
    // The search it suggests finds what it says.
    const suggested = /npx newsmirror (search \S+ --archive \S+)/.exec(result.stdout)?.[1]?.split(' ');
    expect(suggested).toEqual(['search', '灯光节', '--archive', dir]);
    expect((await runCli(suggested!)).stdout).toMatch(/^1 article matches "灯光节"\n/);
    const tree = await readTree(dir);
    expect([...tree.keys()].filter((p) => p.startsWith('articles/')).length).toBe(5);
    expect(await readFile(join(dir, 'lists/演示新闻.md'), 'utf8')).toContain('[港口夜景灯光节开幕 "十万市民"到场观看]');
    // The summary feed got its full text from the pages; the images were archived; nothing went wrong.
    expect(result.stdout).not.toContain('!');
    expect(await readFile(join(dir, 'articles/demo-wire/1048574.md'), 'utf8')).toContain('The new tables are available at harbour offices');
    expect([...tree.keys()].some((p) => p.startsWith('assets/'))).toBe(true);
    // Again into the same folder: fine, nothing new. Into a real archive: refused, nothing touched.
    expect((await runCli(['demo', dir])).code).toBe(0);
    const archive = join(await tempDir(), 'archive');
    await mkdir(join(archive, 'articles/t'), { recursive: true });
    await writeFile(join(archive, 'articles/t/1048574.md'), '标题\n');
    const before = await readTree(archive);
    const refused = await runCli(['demo', archive]);
    expect([refused.code, refused.stderr]).toEqual([1, `newsmirror demo: ${archive}: holds an archive of other sources (t); the demo archives into an empty folder or one it made before\n`]);
    expect(await readTree(archive)).toEqual(before);
    // Into a folder with a README of its own (docs, a project): its README was replaced by the demo's.
    const notes = await tempDir();
    await writeFile(join(notes, 'README.md'), '# my notes\n');
    const kept = await runCli(['demo', notes]);
    expect([kept.code, kept.stderr]).toEqual([1, `newsmirror demo: ${join(notes, 'README.md')}: not a README the demo wrote, and the demo would replace it; the demo archives into an empty folder or one it made before\n`]);
    expect([...(await readTree(notes)).keys()]).toEqual(['README.md']);
  });

  it('every command has --help, and an unknown command or option is a usage error', async () => {
    for (const command of ['run', 'reindex', 'inspect', 'demo']) {
      const help = await runCli([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: newsmirror ${command}`));
    }
    expect(await runCli(['frobnicate'])).toMatchObject({ code: 1, stderr: expect.stringMatching(/^newsmirror: unknown command "frobnicate"/) });
    expect(await runCli(['run', '--frob'])).toMatchObject({ code: 1, stderr: expect.stringMatching(/^newsmirror run: .*--frob.*\n$/) });
  });
});

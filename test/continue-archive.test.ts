import { cp, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { readTree } from './helpers/archive-tree.js';
import { numberedItems, rss } from './helpers/feeds.js';
import { runCli } from './helpers/run-cli.js';
import { CORPUS, hasCorpus, noteSkip } from './helpers/shared.js';
import { tempDir } from './helpers/temp-dir.js';

const SAMPLE = join(CORPUS, 'archive/duty-machine-news');

describe.skipIf(noteSkip(hasCorpus, 'continuing the corpus archive'))('continuing a duty-machine archive', () => {
  let server: LocalFeedServer;
  beforeEach(async () => {
    server = await new LocalFeedServer().start();
  });
  afterEach(() => server.stop());

  async function copySample(): Promise<{ dir: string; archive: string; config: string }> {
    const dir = await tempDir();
    const archive = join(dir, 'news');
    await cp(SAMPLE, archive, { recursive: true });
    const config = join(dir, 'newsmirror.yaml');
    await writeFile(
      config,
      [
        'archive: news',
        'sources:',
        '  - { name: 法广, slug: rfi, url: "' + server.url + '/rfi.xml", fullText: never }',
        '  - { name: 中国数字时代, slug: cdt, url: "' + server.url + '/cdt.xml", ids: wordpress, fullText: never }',
        '',
      ].join('\n'),
    );
    return { dir, archive, config };
  }

  it('adds new items below the smallest id and never touches existing article files', async () => {
    const { archive, config } = await copySample();
    const before = await readTree(archive);
    // Three new RFI items, one already archived (same link as articles/rfi/1000000.md), in feed order.
    const old = (await readFile(join(archive, 'articles/rfi/1000000.md'), 'utf8')).split('\n')[1]!;
    const oldLink = old.slice(old.indexOf('](') + 2, -1);
    const items = [
      ...numberedItems(3, 'rfi', Date.UTC(2023, 8, 27)),
      { title: '反击全球通缉普京 （重发）', link: oldLink, pubDate: 'Tue, 26 Sep 2023 09:15:01 GMT', description: '<p>x</p>' },
    ];
    server.routes.set('/rfi.xml', { body: rss(items) });
    server.routes.set('/cdt.xml', {
      body: rss([
        { title: '每日一语 新', link: 'https://chinadigitaltimes.net/chinese/715900.html', guid: 'https://chinadigitaltimes.net/chinese/?p=715900', pubDate: 'Sat, 15 Feb 2025 10:00:00 GMT', description: '<p>新</p>' },
        { title: '每日一语 2024.2.14', link: 'https://chinadigitaltimes.net/chinese/715858.html', guid: 'https://chinadigitaltimes.net/chinese/?p=715858', pubDate: 'Fri, 14 Feb 2025 23:35:27 GMT', description: '<p>旧</p>' },
        { title: 'No post id here', link: 'https://chinadigitaltimes.net/chinese/odd.html', guid: 'odd-guid', pubDate: 'Sat, 15 Feb 2025 11:00:00 GMT', description: '<p>odd</p>' },
      ]),
    });
    const result = await runCli(['run', '--config', config, '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    const rfi = report.sources.find((s: { slug: string }) => s.slug === 'rfi');
    const cdt = report.sources.find((s: { slug: string }) => s.slug === 'cdt');
    // Oldest new item first: 999999 is the oldest, 999997 the newest.
    expect(rfi.added).toEqual([999999, 999998, 999997]);
    expect(await readFile(join(archive, 'articles/rfi/999997.md'), 'utf8')).toMatch(/^<!--\d+-->\n\[rfi 2 第2篇\]\(https:\/\/example\.org\/rfi\/2\)\n/);
    // CDT: the post id gives 0xFFFFF ^ 715900; the item without one gets a countdown id, never 0.
    expect(cdt.added.sort()).toEqual([0xfffff ^ 715900, 332716].sort());

    const after = await readTree(archive);
    for (const [path, bytes] of before) {
      if (path.startsWith('articles/')) expect(after.get(path), path).toBe(bytes);
    }
    const list = await readFile(join(archive, 'lists/法广.md'), 'utf8');
    expect(list.split('\n').slice(0, 5)).toEqual([
      '法广',
      '------',
      '',
      '9-27 [rfi 2 第2篇](/articles/rfi/999997.md)',
      '',
    ]);
    expect(list).toContain('9-26 [反击全球通缉普京 俄罗斯对国际刑事法院正副院长及德国大法官下达逮捕令](/articles/rfi/1000000.md)');

    // A second run with more items continues below 999997, whatever the names sort like.
    server.routes.set('/rfi.xml', { body: rss(numberedItems(5, 'rfi', Date.UTC(2023, 8, 27))) });
    const second = JSON.parse((await runCli(['run', '--config', config, '--json', '--source', 'rfi'])).stdout);
    expect(second.sources[0].added).toEqual([999996, 999995]);
    const names = await readdir(join(archive, 'articles/rfi'));
    expect(names).toHaveLength(9 + 5);
  });

  /**
   * The sample holds 9 of the 300 articles its RFI list names. Each missing
   * one is stood in for by a file made from its list entry (its title as
   * the list writes it, a time within its day, never newer than the entry
   * above), as the full archive has them.
   */
  async function fillListedArticles(archive: string): Promise<string> {
    const list = await readFile(join(archive, 'lists/法广.md'), 'utf8');
    let newer = Number.POSITIVE_INFINITY;
    for (const line of list.split('\n')) {
      const entry = /^(\d+)-(\d+) \[(.*)\]\(\/articles\/rfi\/(\d+)\.md\)$/.exec(line);
      if (!entry) continue;
      const file = join(archive, `articles/rfi/${entry[4]}.md`);
      const existing = await readFile(file, 'utf8').catch(() => undefined);
      if (existing !== undefined) {
        newer = Number(/^<!--(\d+)-->/.exec(existing)![1]);
        continue;
      }
      const endOfDay = Date.UTC(2023, Number(entry[1]) - 1, Number(entry[2]), 23, 59) - 8 * 3600_000;
      newer = Math.min(newer - 60_000, endOfDay);
      await writeFile(file, `<!--${newer}-->\n[${entry[3]}](https://www.rfi.fr/cn/${entry[4]})\n------\n\n<p>${entry[4]}</p>\n`);
    }
    return list;
  }

  it('continues the RFI list byte for byte: its entries as the article files write their titles (&quot; and all)', async () => {
    const { archive, config } = await copySample();
    const list = await fillListedArticles(archive);
    expect(list).toContain('[欧盟贸专：中国 &quot;商业环境更政治化&quot;  缺乏透明，但不脱钩 - 要闻解说](/articles/rfi/1000026.md)');
    server.routes.set('/rfi.xml', { body: rss(numberedItems(2, 'rfi', Date.UTC(2023, 8, 27))) });
    server.routes.set('/cdt.xml', { body: rss([]) });
    const result = await runCli(['run', '--config', config, '--json', '--source', 'rfi']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).sources[0].added).toEqual([999999, 999998]);
    const [header, ...entries] = list.split('\n\n');
    const added = ['9-27 [rfi 1 第1篇](/articles/rfi/999998.md)', '9-27 [rfi 0 第0篇](/articles/rfi/999999.md)'];
    // 300 entries: the two new ones, then the 298 newest of the old list, each as it was.
    expect(await readFile(join(archive, 'lists/法广.md'), 'utf8')).toBe([header, ...added, ...entries.slice(0, 298), ''].join('\n\n'));
    // reindex reads the files again and finds the RFI lists as they are (CDT's were never written).
    const reindex = JSON.parse((await runCli(['reindex', '--config', config, '--json'])).stdout);
    expect(reindex.lists.filter((path: string) => !path.startsWith('lists/中国数字时代'))).toEqual([]);
  });

  it('keeps the README as it is, heading and footer, when the config names its sources and says nothing of it', async () => {
    const { archive, config } = await copySample();
    const readme = await readFile(join(archive, 'README.md'), 'utf8');
    // The README's sources, in its order; the config has no `readme:` (as the README's "continue" paragraph says to write it).
    const sources = [['纽约时报', 'nyt'], ['美国之音', 'voa'], ['BBC', 'bbc'], ['法广', 'rfi'], ['德国之声', 'dw'], ['中国数字时代', 'cdt'], ['自由亚洲电台', 'rfa']];
    await writeFile(config, ['archive: news', 'sources:', ...sources.map(([name, slug]) => `  - { name: ${name}, slug: ${slug}, url: "${server.url}/${slug}.xml", fullText: never }`), ''].join('\n'));
    for (const [, slug] of sources) server.routes.set(`/${slug}.xml`, { body: rss(numberedItems(1, slug!)) });
    const result = await runCli(['run', '--config', config]);
    expect(result.code, result.stderr).toBe(0);
    expect(await readFile(join(archive, 'README.md'), 'utf8')).toBe(readme);
    // The reader names the archive by the README's heading too.
    const site = await runCli(['site', '--config', config, '--out', join(archive, '..', 'site')]);
    expect(site.code, site.stderr).toBe(0);
    expect(await readFile(join(archive, '..', 'site', 'index.html'), 'utf8')).toContain('<title>抓取新闻媒体文章</title>');

    // A source added to the config gets its link, between the README's own heading and footer.
    await writeFile(config, `${await readFile(config, 'utf8')}  - { name: 路透, slug: reuters, url: "${server.url}/reuters.xml" }\n`);
    server.routes.set('/reuters.xml', { body: rss(numberedItems(1, 'reuters')) });
    expect((await runCli(['run', '--config', config, '--source', 'reuters'])).code).toBe(0);
    expect(await readFile(join(archive, 'README.md'), 'utf8')).toBe(readme.replace('[自由亚洲电台](lists/自由亚洲电台.md)\n\n', '$&[路透](lists/路透.md)\n\n'));
  });

  it('reindexes the sample, odd files included, and reports an unreadable file by path', async () => {
    const { archive, config } = await copySample();
    await writeFile(join(archive, 'articles/rfi/999.md'), 'this is not an article\n');
    const result = await runCli(['reindex', '--config', config, '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    const bySlug = Object.fromEntries(report.sources.map((s: { slug: string }) => [s.slug, s]));
    expect(Object.keys(bySlug).sort()).toEqual(['BBC', 'bbc', 'cdt', 'dw', 'nyt', 'rfa', 'rfi', 'voa']);
    expect(bySlug.rfi.articles).toBe(9);
    expect(bySlug.cdt.articles).toBe(2);
    expect(bySlug.rfi.unreadable).toEqual(['articles/rfi/999.md:1: not an article file (expected "[title](url)")']);
    // The unreadable file is still there, and its id is never reused.
    server.routes.set('/rfi.xml', { body: rss(numberedItems(1, 'rfi', Date.UTC(2023, 8, 27))) });
    server.routes.set('/cdt.xml', { body: rss(numberedItems(1, 'cdt')) });
    const run = JSON.parse((await runCli(['run', '--config', config, '--json'])).stdout);
    expect(run.sources[0].added).toEqual([998]);
    expect(await readFile(join(archive, 'articles/rfi/999.md'), 'utf8')).toBe('this is not an article\n');
  });
});

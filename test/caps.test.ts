import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { DEMO_PNG } from '../src/demo/demo-feeds.js';
import { parseArticleFile } from '../src/archive/article-file.js';
import { openDatabase } from '../src/catalog/sqlite.js';
import { numberedItems, rss, type TestItem } from './helpers/feeds.js';
import { runCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp-dir.js';
import { readTree } from './helpers/archive-tree.js';

interface SourceReport {
  status: string;
  items: number;
  added: number[];
  edited: number[];
  warnings: string[];
}

describe('caps', () => {
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

  /** One source, 测试 (slug t), read from /t.xml; `global` goes above `sources:`, `more` among the source's settings. */
  const configure = (global = '', more = '') =>
    writeFile(config, `${global}sources:\n  - { name: 测试, slug: t, url: "${server.url}/t.xml", fullText: never${more} }\n`);
  async function run(): Promise<SourceReport> {
    const result = await runCli(['run', '--config', config, '--json']);
    expect(result.stderr).toBe('');
    expect(result.code, result.stdout.slice(0, 2000)).toBe(0);
    return JSON.parse(result.stdout).sources[0] as SourceReport;
  }
  const serve = (items: TestItem[]) => server.routes.set('/t.xml', { body: rss(items) });
  /** The link (line 2) of each article file, by id. */
  async function links(): Promise<Map<number, string>> {
    const names = await readdir(join(archive, 'articles/t')).catch(() => [] as string[]);
    const out = new Map<number, string>();
    for (const name of names) {
      out.set(Number(name.slice(0, -3)), parseArticleFile(await readFile(join(archive, 'articles/t', name), 'utf8'), name).url);
    }
    return out;
  }
  const countdown = (from: number, n: number) => Array.from({ length: n }, (_, i) => from - i);

  describe('items per run', () => {
    it('archives the newest 100 new items a run by default, the older ones in the next runs, each once', async () => {
      await configure();
      serve(numberedItems(250));
      const first = await run();
      // The newest 100 (items 150..249), ids counting down oldest first within the run.
      expect(first.added).toEqual(countdown(1048574, 100));
      expect(first.warnings).toEqual([`${server.url}/t.xml: 150 new items wait for the next runs (maxItemsPerRun: 100 a run, newest first)`]);
      const byId = await links();
      expect(byId.get(1048574)).toBe('https://example.org/item/150');
      expect(byId.get(1048475)).toBe('https://example.org/item/249');
      // The same feed body again: not "unchanged" while items wait (the fingerprint short-cut).
      const second = await run();
      expect(second).toMatchObject({ status: 'ok', added: countdown(1048474, 100) });
      expect(second.warnings).toEqual([`${server.url}/t.xml: 50 new items wait for the next runs (maxItemsPerRun: 100 a run, newest first)`]);
      expect((await links()).get(1048474)).toBe('https://example.org/item/50');
      const third = await run();
      expect(third).toMatchObject({ status: 'ok', added: countdown(1048374, 50), warnings: [] });
      expect(await run()).toMatchObject({ status: 'unchanged', added: [] });
      const all = [...(await links()).values()].sort();
      expect(all).toEqual(numberedItems(250).map((item) => item.link).sort());
    });

    it('does not let a server 304 a feed whose items still wait (validators are kept once all are in)', async () => {
      await configure('maxItemsPerRun: 2\n');
      const body = rss(numberedItems(5));
      server.routes.set('/t.xml', (req, res) => {
        if (req.headers['if-none-match'] === '"v1"') res.writeHead(304).end();
        else res.writeHead(200, { etag: '"v1"' }).end(body);
      });
      expect((await run()).added).toHaveLength(2);
      expect((await run()).added).toHaveLength(2);
      expect((await run()).added).toHaveLength(1);
      expect(await run()).toMatchObject({ status: 'unchanged', added: [] });
      expect((await links()).size).toBe(5);
    });

    it('counts only new items, and a source may set its own cap', async () => {
      await configure('maxItemsPerRun: 50\n', ', maxItemsPerRun: 3');
      serve(numberedItems(5, 'old', Date.UTC(2026, 0, 1)));
      expect((await run()).added).toHaveLength(3);
      expect((await run()).added).toHaveLength(2);
      // 5 archived and 8 new in the feed: the newest 3 of the new ones.
      serve([...numberedItems(8, 'new', Date.UTC(2026, 1, 1)), ...numberedItems(5, 'old', Date.UTC(2026, 0, 1))]);
      const next = await run();
      expect(next.added).toEqual([1048569, 1048568, 1048567]);
      expect(next.warnings).toEqual([`${server.url}/t.xml: 5 new items wait for the next runs (maxItemsPerRun: 3 a run, newest first)`]);
      expect((await links()).get(1048567)).toBe('https://example.org/new/7');
    });
  });

  describe('items read from one feed document', () => {
    /** `n` items one hour apart in a shuffled document order (a fixed permutation: k*7 mod n). */
    const shuffled = (n: number) => {
      const items = numberedItems(n).reverse();
      return Array.from({ length: n }, (_, i) => items[(i * 7) % n]!);
    };
    const leftOut = (n: number, cap: number) =>
      `${server.url}/t.xml: the feed holds ${n} items, over maxFeedItems (${cap}): the newest ${cap} by date are read, the ${n - cap} older ones left out`;

    it('reads the newest 10 x maxItemsPerRun items of a feed by date, wherever they stand in it, and says how many it left out', async () => {
      await configure('maxItemsPerRun: 2\n');
      serve(shuffled(29));
      const first = await run();
      expect(first.items).toBe(20);
      expect(first.added).toHaveLength(2);
      expect(first.warnings).toEqual([leftOut(29, 20), `${server.url}/t.xml: 18 new items wait for the next runs (maxItemsPerRun: 2 a run, newest first)`]);
      expect([...(await links()).values()].sort()).toEqual(['https://example.org/item/27', 'https://example.org/item/28']);
    });

    it('takes maxFeedItems from the config or the source, and archives the items read over the next runs, then nothing more', async () => {
      await configure('maxItemsPerRun: 3\nmaxFeedItems: 50\n', ', maxFeedItems: 6');
      serve(shuffled(13));
      const first = await run();
      expect(first).toMatchObject({ items: 6, added: countdown(1048574, 3) });
      expect(first.warnings[0]).toBe(leftOut(13, 6));
      expect((await run()).added).toHaveLength(3);
      const third = await run();
      expect(third).toMatchObject({ status: 'unchanged', added: [] });
      expect([...(await links()).values()].sort()).toEqual([7, 8, 9, 10, 11, 12].map((k) => `https://example.org/item/${k}`).sort());
    });

    it("reads a source's maxItems first, in document order, before maxFeedItems looks at dates", async () => {
      await configure('maxItemsPerRun: 1\n', ', maxItems: 4');
      const items = shuffled(13);
      serve(items);
      const first = await run();
      expect(first.items).toBe(4);
      expect(first.warnings).toEqual([`${server.url}/t.xml: 3 new items wait for the next runs (maxItemsPerRun: 1 a run, newest first)`]);
      const newest = items.slice(0, 4).sort((a, b) => Date.parse(b.pubDate!) - Date.parse(a.pubDate!))[0]!;
      expect([...(await links()).values()]).toEqual([newest.link]);
    });
  });

  describe('title length', () => {
    // 12 MB of UTF-8; a grapheme of two code points (4 UTF-16 units) across the cut: kept whole or left out, never split.
    const thumb = '👍🏽';
    const huge = `${'题'.repeat(997)}${thumb}${'长'.repeat(4 * 1024 * 1024)}`;
    const cut = `${'题'.repeat(997)}…`;

    it('cuts a 12 MB title to maxTitleLength at a grapheme boundary in the file and the lists, and knows the item by it next run', async () => {
      await configure();
      // No link, no guid: the item is known by its title alone.
      serve([{ title: huge, pubDate: 'Thu, 01 Jan 2026 00:00:00 GMT', description: '<p>正文</p>' }]);
      const first = await run();
      expect(first.added).toHaveLength(1);
      // Named by the feed's site link, which stands in for its own (none), and the start of the title.
      expect(first.warnings).toEqual([`https://example.org/: "${'题'.repeat(59)}…": a title of ${huge.length} characters is over maxTitleLength (1000): archived cut to ${cut.length}`]);
      const file = await readFile(join(archive, 'articles/t', `${first.added[0]}.md`), 'utf8');
      expect(file.split('\n')[1]).toBe(`[${cut}](https://example.org/)`);
      expect(file.length).toBeLessThan(10_000);
      // Every list line names the article by the cut title too: no file of the archive holds the megabytes.
      const tree = [...(await readTree(archive))].map(([path, base64]) => [path, Buffer.from(base64, 'base64').toString('utf8')] as const);
      const lists = tree.filter(([path]) => !path.startsWith('articles/') && path.endsWith('.md'));
      expect(lists.filter(([, text]) => text.includes(`[${cut}](`)).length).toBeGreaterThan(0);
      for (const [path, text] of tree) expect({ path, long: text.length > 20_000 }).toEqual({ path, long: false });
      const before = await readFile(join(archive, 'articles/t', `${first.added[0]}.md`), 'utf8');
      expect(await run()).toMatchObject({ added: [], edited: [], warnings: [] });
      expect(await readFile(join(archive, 'articles/t', `${first.added[0]}.md`), 'utf8')).toBe(before);
      expect(await readdir(join(archive, 'articles/t'))).toHaveLength(1);
    });

    it('takes the cap from maxTitleLength and leaves a title that fits as it is', async () => {
      await configure('maxTitleLength: 40\n');
      serve([
        { title: 'a'.repeat(30) + ' ' + 'b'.repeat(30), link: 'https://example.org/1', pubDate: 'Thu, 01 Jan 2026 00:00:00 GMT', description: '<p>一</p>' },
        { title: 'c'.repeat(40), link: 'https://example.org/2', pubDate: 'Thu, 01 Jan 2026 00:00:00 GMT', description: '<p>二</p>' },
      ]);
      const first = await run();
      expect(first.warnings).toEqual([`https://example.org/1: "${'a'.repeat(30)} ${'b'.repeat(8)}…": a title of 61 characters is over maxTitleLength (40): archived cut to 40`]);
      const titles = [...(await readdir(join(archive, 'articles/t')))].map(async (name) => (await readFile(join(archive, 'articles/t', name), 'utf8')).split('\n')[1]);
      expect((await Promise.all(titles)).sort()).toEqual([`[${'a'.repeat(30)} ${'b'.repeat(8)}…](https://example.org/1)`, `[${'c'.repeat(40)}](https://example.org/2)`]);
    });
  });

  describe('URL length', () => {
    const day = 'Thu, 01 Jan 2026 00:00:00 GMT';

    it('archives an item whose link is 12 MB long without it, and knows it again next run', async () => {
      await configure();
      const huge = `https://example.org/a?x=${'a'.repeat(12 * 1024 * 1024)}`;
      serve([
        { title: '超长链接', link: huge, guid: 'g-long', pubDate: day, description: '<p>正文</p>' },
        { title: '普通', link: 'https://example.org/ok', pubDate: day, description: '<p>正文二</p>' },
      ]);
      const first = await run();
      expect(first.added).toHaveLength(2);
      expect(first.warnings).toEqual([
        `${huge.slice(0, 60)}…: "超长链接": a link of ${huge.length} characters is over maxUrlLength (8192): archived without it`,
      ]);
      // Same date: lower in the feed is older, and gets the larger id.
      const text = await readFile(join(archive, 'articles/t/1048573.md'), 'utf8');
      expect(text.split('\n')[1]).toBe('[超长链接]()');
      expect(text.length).toBeLessThan(200);
      expect((await links()).get(1048574)).toBe('https://example.org/ok');
      // The same feed with another item: the long one is known by its guid, not archived again.
      serve([
        { title: '新的', link: 'https://example.org/new', pubDate: day, description: '<p>三</p>' },
        { title: '超长链接', link: huge, guid: 'g-long', pubDate: day, description: '<p>正文</p>' },
      ]);
      const second = await run();
      expect(second).toMatchObject({ added: [1048572], warnings: [] });
    });

    it('takes the cap from maxUrlLength, counting the link as the file writes it (percent-encoded), and bounds a long guid', async () => {
      await configure('maxUrlLength: 60\n');
      const encoded = `https://example.org/${'中'.repeat(12)}`; // 20 + 12 × 9 characters once percent-encoded
      const longGuid = `urn:x:${'g'.repeat(10_000)}`;
      const guidLink = `https://example.org/${'g'.repeat(100)}`;
      serve([
        { title: '中文链接', link: encoded, pubDate: day, description: '<p>一</p>' },
        { title: '长 guid', link: 'https://example.org/short', guid: longGuid, pubDate: day, description: '<p>二</p>' },
        { title: '只有 guid', guid: guidLink, pubDate: day, description: '<p>三</p>' },
      ]);
      const first = await run();
      expect(first.added).toHaveLength(3);
      expect(first.warnings.sort()).toEqual([
        `${new URL(encoded).href.slice(0, 60)}…: "中文链接": a link of 128 characters is over maxUrlLength (60): archived without it`,
        `${guidLink.slice(0, 60)}…: "只有 guid": a link of 120 characters is over maxUrlLength (60): archived without it`,
      ]);
      expect([...(await links()).values()].sort()).toEqual(['', '', 'https://example.org/short']);
      // A guid over the cap is kept by its hash: the catalog holds no guid of 10,000 characters.
      const db = openDatabase(join(archive, '.newsmirror/catalog.sqlite'), { readonly: true });
      const longest = db.prepare('SELECT max(length(guid)) AS n FROM items').get() as { n: number };
      db.close();
      expect(longest.n).toBeLessThanOrEqual(71);
      // Each is known again by its guid: nothing new next run.
      serve([
        { title: '长 guid', link: 'https://example.org/moved', guid: longGuid, pubDate: day, description: '<p>二</p>' },
        { title: '只有 guid', guid: guidLink, pubDate: day, description: '<p>三</p>' },
      ]);
      expect(await run()).toMatchObject({ added: [] });
    });
  });

  describe('body size', () => {
    const day = 'Thu, 01 Jan 2026 00:00:00 GMT';
    const paragraphs = (n: number, separator = '\n') => Array.from({ length: n }, (_, i) => `<p>第${i}段：市政府公布了新的公共交通计划。<a href="https://example.org/x/${i}">链接</a></p>`).join(separator);
    const bodyOf = async (id: number) => parseArticleFile(await readFile(join(archive, 'articles/t', `${id}.md`), 'utf8'), `${id}.md`).body;
    const note = (size: string) => `<p><em>（正文超过 ${size}，其余部分未存档。The article is over ${size}; the rest is not archived.）</em></p>`;

    it('cuts a 13 MB body to 2 MiB between elements, after the sanitizer, with a note and a warning', async () => {
      await configure();
      const huge = `<div>${paragraphs(120_000)}<script>alert(1)</script></div>`;
      expect(Buffer.byteLength(huge)).toBeGreaterThan(13 * 1024 * 1024);
      serve([
        { title: '巨大', link: 'https://example.org/huge', pubDate: day, description: huge },
        { title: '普通', link: 'https://example.org/ok', pubDate: day, description: paragraphs(3) },
      ]);
      const first = await run();
      expect(first.added).toHaveLength(2);
      expect(first.warnings).toEqual([
        `https://example.org/huge: the body (${Buffer.byteLength(huge)} bytes in the feed) is over maxBodyBytes (2 MiB) once cleaned: archived cut between elements, with a note saying so`,
      ]);
      const body = await bodyOf(1048573);
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(2 * 1024 * 1024);
      expect(Buffer.byteLength(body)).toBeGreaterThan(2 * 1024 * 1024 - 32 * 1024);
      expect(body.startsWith('<div><p>第0段')).toBe(true);
      expect(body.endsWith(`</p></div>${note('2 MiB')}`)).toBe(true);
      expect(body).not.toContain('<script');
      expect(await bodyOf(1048574)).not.toContain('正文超过');
    });

    it('counts the body after cleaning, takes the cap from maxBodyBytes or the source, and cuts the same way every time (reclean too)', async () => {
      // 4 KB of script and 2 KB of text: over 4 KiB as the feed has it, under it once cleaned.
      const scripted = `<script>${'x'.repeat(4000)}</script>${paragraphs(20)}`;
      const long = paragraphs(200);
      await writeFile(
        config,
        `maxBodyBytes: 8192\nsources:\n  - { name: 测试, slug: t, url: "${server.url}/t.xml", fullText: never, maxBodyBytes: 4096 }\n  - { name: 二, slug: u, url: "${server.url}/t.xml", fullText: never }\n`,
      );
      serve([
        { title: '脚本', link: 'https://example.org/s', pubDate: day, description: scripted },
        { title: '长', link: 'https://example.org/l', pubDate: 'Fri, 02 Jan 2026 00:00:00 GMT', description: long },
      ]);
      const result = await runCli(['run', '--config', config, '--json']);
      const [t, u] = JSON.parse(result.stdout).sources as SourceReport[];
      expect(t!.warnings).toEqual([expect.stringMatching(/^https:\/\/example.org\/l: the body \(\d+ bytes in the feed\) is over maxBodyBytes \(4 KiB\) once cleaned/)]);
      expect(u!.warnings).toEqual([expect.stringMatching(/^https:\/\/example.org\/l: .* over maxBodyBytes \(8 KiB\)/)]);
      expect(await bodyOf(1048574)).not.toContain('正文超过');
      expect(await bodyOf(1048574)).toContain('第19段');
      const cut = await bodyOf(1048573);
      expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(4096);
      expect(cut.startsWith('<p>第0段')).toBe(true);
      expect(cut.endsWith(`</p>${note('4 KiB')}`)).toBe(true);
      const file = await readFile(join(archive, 'articles/t/1048573.md'));
      const reclean = await runCli(['reclean', '--config', config]);
      expect(reclean.stdout).toContain('t: 0 rewritten, 2 unchanged');
      expect(await readFile(join(archive, 'articles/t/1048573.md'))).toEqual(file);
      // A smaller cap later takes no text out of what is archived: reclean leaves both whole, and says so.
      const whole = await readFile(join(archive, 'articles/t/1048574.md'));
      await writeFile(config, (await readFile(config, 'utf8')).replace('maxBodyBytes: 4096', 'maxBodyBytes: 1024'));
      const smaller = await runCli(['reclean', '--config', config, '--source', 't']);
      expect(smaller.stdout).toContain('t: 0 rewritten, 0 unchanged');
      expect(smaller.stdout).toContain("! articles/t/1048574.md: archived whole, over today's maxBodyBytes: left whole");
      expect(smaller.stdout).toContain('! articles/t/1048573.md: archived whole');
      expect(await readFile(join(archive, 'articles/t/1048574.md'))).toEqual(whole);
      expect(await readFile(join(archive, 'articles/t/1048573.md'))).toEqual(file);
    });

    it('records no edit for a change past the cut, and one for a change before it', async () => {
      await configure('', ', maxBodyBytes: 4096');
      const long = (tail: string, head = '') => `${head}${paragraphs(100)}<p>${tail}</p>`;
      serve([{ title: '长', link: 'https://example.org/l', guid: 'g-l', pubDate: day, description: long('结尾') }]);
      expect((await run()).added).toEqual([1048574]);
      serve([{ title: '长', link: 'https://example.org/l', guid: 'g-l', pubDate: day, description: long('改过的结尾') }]);
      expect(await run()).toMatchObject({ added: [], edited: [] });
      serve([{ title: '长', link: 'https://example.org/l', guid: 'g-l', pubDate: day, description: long('改过的结尾', '<p>更正：</p>') }]);
      expect(await run()).toMatchObject({ added: [], edited: [1048574] });
    });

    it('cuts a body kept as the feed has it (clean: false) to a prefix of the feed\'s bytes, its open elements closed', async () => {
      await configure('', ', clean: false, maxBodyBytes: 4096');
      const html = `<section>${paragraphs(100, '')}</section>`;
      serve([{ title: '原样', link: 'https://example.org/raw', pubDate: day, description: html }]);
      expect((await run()).warnings).toHaveLength(1);
      const body = await bodyOf(1048574);
      // The feed's first bytes, then the end tags of what is open there, then the note.
      const kept = body.replace(/(<\/[a-z]+>)+<p><em>（正文超过 4 KiB.*$/, '');
      expect(Buffer.byteLength(kept)).toBeGreaterThan(3500);
      expect(html.startsWith(kept)).toBe(true);
      expect(body.slice(kept.length)).toMatch(/^(<\/a>)?<\/p><\/section><p><em>/);
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(4096);
    });
  });

  describe('links and images followed per article', () => {
    const day = 'Thu, 01 Jan 2026 00:00:00 GMT';
    const text = '<p>市政府周二公布了新的公共交通计划，将在未来五年内新增三条地铁线路，并对现有公交网络进行全面调整。</p>'.repeat(8);
    beforeEach(() => {
      for (let k = 0; k < 60; k += 1) server.routes.set(`/img/${k}.png`, { headers: { 'content-type': 'image/png' }, body: DEMO_PNG });
    });
    const images = (n: number) => Array.from({ length: n }, (_, k) => `<p><img src="${server.url}/img/${k}.png" alt="图${k}"></p>`).join('');
    const hits = (prefix: string) => [...server.hits].filter(([path]) => path.startsWith(prefix)).map(([path, n]) => `${path} ${n}`).sort();

    it('fetches one page per article and at most images.maxPerArticle of its images; the rest stay remote, said in a warning', async () => {
      const links = Array.from({ length: 5 }, (_, k) => `<a href="${server.url}/other/${k}.html">另见${k}</a>`).join(' ');
      server.routes.set('/news/a.html', {
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: `<!DOCTYPE html><html><head><title>页面</title></head><body><article><h1>页面</h1>${text}${images(5)}<p>${links}</p></article></body></html>`,
      });
      await writeFile(config, `allowPrivateNetworks: true\nimages: { maxPerArticle: 3 }\nsources:\n  - { name: 测试, slug: t, url: "${server.url}/t.xml" }\n`);
      serve([{ title: '摘要', link: `${server.url}/news/a.html`, pubDate: day, description: `<p>摘要……</p>${links}` }]);
      const report = await run();
      expect(report.added).toEqual([1048574]);
      expect(report.warnings).toEqual([`${server.url}/news/a.html: 2 more images kept remote (images.maxPerArticle: 3 an article)`]);
      expect(hits('/news/')).toEqual(['/news/a.html 1']);
      expect(hits('/other/')).toEqual([]);
      expect(hits('/img/')).toEqual(['/img/0.png 1', '/img/1.png 1', '/img/2.png 1']);
      const body = parseArticleFile(await readFile(join(archive, 'articles/t/1048574.md'), 'utf8'), 'a').body;
      expect(body.match(/data-original-src=/g)).toHaveLength(3);
      expect(body).toContain(`src="${server.url}/img/4.png"`);
    });

    it('fetches the page under maxBytes, as the feed', async () => {
      server.routes.set('/news/big.html', { headers: { 'content-type': 'text/html; charset=utf-8' }, body: `<html><body><article>${text.repeat(20)}</article></body></html>` });
      await writeFile(config, `allowPrivateNetworks: true\nmaxBytes: 8192\nsources:\n  - { name: 测试, slug: t, url: "${server.url}/t.xml" }\n`);
      serve([{ title: '摘要', link: `${server.url}/news/big.html`, pubDate: day, description: '<p>摘要……</p>' }]);
      const report = await run();
      expect(report.added).toEqual([1048574]);
      expect(report.warnings).toEqual([`Response too large fetching ${server.url}/news/big.html: body exceeds 8192 bytes on the wire; kept the feed's content`]);
    });

    it('downloads at most 50 images of an article by default', async () => {
      await configure('allowPrivateNetworks: true\n');
      serve([{ title: '图集', link: 'https://example.org/gallery', pubDate: day, description: `${text}${images(53)}` }]);
      const report = await run();
      expect(report.warnings).toEqual(['https://example.org/gallery: 3 more images kept remote (images.maxPerArticle: 50 an article)']);
      expect(hits('/img/')).toHaveLength(50);
    });

    it('asks for no image whose address is over maxUrlLength', async () => {
      await configure('allowPrivateNetworks: true\nmaxUrlLength: 100\n');
      const long = `${server.url}/img/0.png?${'q'.repeat(200)}`;
      serve([{ title: '长地址', link: 'https://example.org/long', pubDate: day, description: `${text}<img src="${long}">${images(2)}` }]);
      const report = await run();
      expect(report.warnings).toEqual([`https://example.org/long: image kept remote: ${long.slice(0, 60)}…: an address of ${long.length} characters is over maxUrlLength (100)`]);
      expect(hits('/img/')).toEqual(['/img/0.png 1', '/img/1.png 1']);
    });
  });

  it('refuses a cap that is no sensible number, naming the file, the line and the key', async () => {
    for (const [yaml, where] of [
      ['maxItemsPerRun: 0\n', ':1: maxItemsPerRun: must be a whole number of items, 1 or more'],
      ['maxFeedItems: -1\n', ':1: maxFeedItems: must be a whole number of items, 1 or more'],
      ['maxTitleLength: 10\n', ':1: maxTitleLength: must be a whole number of characters, 32 or more'],
      ['maxBodyBytes: 100\n', ':1: maxBodyBytes: must be a whole number of bytes, 1024 or more (2097152 is 2 MiB)'],
      ['maxUrlLength: 8 KiB\n', ':1: maxUrlLength: must be a whole number of characters, 32 or more'],
      ['images: { maxPerArticle: 2.5 }\n', ':1: images.maxPerArticle: must be a whole number of images, 0 or more (0: none downloaded)'],
    ] as const) {
      await configure(yaml);
      const result = await runCli(['run', '--config', config]);
      expect([result.code, result.stderr]).toEqual([1, `newsmirror run: ${config}${where}\n`]);
    }
    await configure('', ', maxBodyBytes: 10');
    expect((await runCli(['run', '--config', config])).stderr).toContain(':2: sources[0].maxBodyBytes: ');
  });
});

import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { gitIn, isolateGit } from '../src/git/testing/git-fixture.js';
import { runCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp-dir.js';

beforeAll(isolateGit);

/*
 * Issue 15's encodings and text hygiene through `newsmirror run --commit`:
 * each feed generated here, encoded with iconv-lite as such servers send it,
 * served on 127.0.0.1 and archived into a real git repository.
 */

interface Item {
  title: string;
  link?: string;
  guid?: string;
  body?: string;
}

const PUB = 'Thu, 01 Oct 2026 00:00:00 GMT';

function itemXml(item: Item, i: number): string {
  const link = item.link === undefined ? '' : `<link>${item.link}</link>`;
  const guid = item.guid === undefined ? '' : `<guid isPermaLink="false">${item.guid}</guid>`;
  return `<item><title>${item.title}</title>${link}${guid}<pubDate>${new Date(Date.parse(PUB) + i * 3600_000).toUTCString()}</pubDate><description><![CDATA[<p>${item.body ?? item.title}</p>]]></description></item>\n`;
}

function feed(label: string | undefined, items: Item[]): string {
  const declaration = label === undefined ? '<?xml version="1.0"?>' : `<?xml version="1.0" encoding="${label}"?>`;
  return `${declaration}\n<rss version="2.0"><channel><title>t</title><link>https://example.org/</link>\n${items.map(itemXml).join('')}</channel></rss>\n`;
}

const one = (slug: string, title: string): Item[] => [{ title, link: `https://example.org/${slug}/1` }];

/** Per source: the bytes served, the Content-Type, and the titles that must be archived (in feed order). */
const SOURCES: Record<string, { body: Buffer; type: string; titles: string[] }> = {
  big5: { body: iconv.encode(feed(undefined, one('big5', '香港：佢哋話咗嘅嘢係真㗎')), 'big5hkscs'), type: 'application/rss+xml; charset=Big5', titles: ['香港：佢哋話咗嘅嘢係真㗎'] },
  sjis: { body: iconv.encode(feed('Shift_JIS', one('sjis', '①号機 ㈱東芝 髙橋さん')), 'cp932'), type: 'application/rss+xml', titles: ['①号機 ㈱東芝 髙橋さん'] },
  euckr: { body: iconv.encode(feed('EUC-KR', one('euckr', '똠방각하 뷁 한국 뉴스')), 'cp949'), type: 'application/rss+xml', titles: ['똠방각하 뷁 한국 뉴스'] },
  utf32: {
    body: Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), iconv.encode(feed(undefined, one('utf32', 'UTF-32 新闻 𠮷')), 'utf32le')]),
    type: 'application/rss+xml',
    titles: ['UTF-32 新闻 𠮷'],
  },
  utf32be: { body: iconv.encode(feed(undefined, one('utf32be', 'UTF-32BE 新聞')), 'utf32be'), type: 'text/xml', titles: ['UTF-32BE 新聞'] },
  thai: { body: iconv.encode(feed(undefined, one('thai', 'ข่าวภาษาไทย วันนี้มีฝนตกหนักในกรุงเทพมหานคร')), 'tis620'), type: 'application/rss+xml', titles: ['ข่าวภาษาไทย วันนี้มีฝนตกหนักในกรุงเทพมหานคร'] },
  mixed: {
    body: Buffer.concat([
      Buffer.from(feed('UTF-8', [{ title: 'Café – 新闻', link: 'https://example.org/mixed/1' }]).replace(/<\/channel>[\s\S]*$/, '')),
      iconv.encode(itemXml({ title: 'Déjà vu “quoted” — 5 €', link: 'https://example.org/mixed/2' }, 1), 'windows-1252'),
      Buffer.from('</channel></rss>\n'),
    ]),
    type: 'application/rss+xml; charset=utf-8',
    titles: ['Café – 新闻', 'Déjà vu “quoted” — 5 €'],
  },
  // Raw control bytes (an XML error, but feeds have them) and character references to them, in a
  // title, a body and a guid; two items share a title, so a warning quotes the second one's guid.
  control: {
    body: Buffer.from(
      feed('UTF-8', [
        { title: 'Bell\u0007 and \u001b(2Jclear', link: 'https://example.org/control/1', body: 'Red \u001b[31mtext\u0008 here' },
        { title: 'Refs &#x1b;(31m and &#7;', link: 'https://example.org/control/2', body: 'Esc &amp;#27; and &#x1b;[0m end' },
        { title: 'Same title', guid: 'urn:one' },
        { title: 'Same title', guid: 'urn:two\u001b]0;owned\u0007' },
      ]),
    ),
    type: 'application/rss+xml',
    titles: ['Bell and (2Jclear', 'Refs (31m and', 'Same title'],
  },
  // Declared Big5, but the second title holds bytes Big5 has no character for: it is refused, not archived as U+FFFD.
  broken: {
    body: Buffer.concat([
      iconv.encode(feed(undefined, [{ title: '正常的標題', link: 'https://example.org/broken/1' }, { title: '今日新聞', link: 'https://example.org/broken/3' }]).replace(/<\/channel>[\s\S]*$/, ''), 'big5'),
      iconv.encode('<item><title>壞', 'big5'),
      Buffer.from([0x81, 0x20, 0xff]),
      Buffer.from('</title><link>https://example.org/broken/2</link></item>\n</channel></rss>\n'),
    ]),
    type: 'application/rss+xml; charset=big5',
    titles: ['正常的標題', '今日新聞'],
  },
};

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

describe('newsmirror run: encodings and control characters', () => {
  let server: LocalFeedServer;
  let repo: string;
  let config: string;
  beforeAll(async () => {
    server = await new LocalFeedServer().start();
    for (const [slug, s] of Object.entries(SOURCES)) server.routes.set(`/${slug}.xml`, { headers: { 'content-type': s.type }, body: s.body });
    repo = join(await tempDir('newsmirror-encodings-'), 'repo');
    await gitIn(join(repo, '..'), 'init', '--quiet', 'repo');
    config = join(repo, 'newsmirror.yaml');
    const lines = Object.keys(SOURCES).map((slug) => `  - { name: ${slug}, slug: ${slug}, url: "${server.url}/${slug}.xml", fullText: never }`);
    await writeFile(config, `archive: archive\nsources:\n${lines.join('\n')}\n`);
    await gitIn(repo, 'add', 'newsmirror.yaml');
    await gitIn(repo, 'commit', '--quiet', '-m', 'set up');
  });
  afterAll(() => server.stop());

  it('archives each title right in its file and its list, and no control character reaches a file, the commit or the terminal', async () => {
    const result = await runCli(['run', '--commit', '--config', config]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const archive = join(repo, 'archive');
    for (const [slug, s] of Object.entries(SOURCES)) {
      const files = (await readdir(join(archive, 'articles', slug))).sort();
      const titles = await Promise.all(files.map(async (f) => (await readFile(join(archive, 'articles', slug, f), 'utf8')).split('\n')[1]));
      expect(titles.map((line) => /^\[(.*)\]\(/.exec(line ?? '')?.[1]).sort(), slug).toEqual([...s.titles].sort());
      const list = await readFile(join(archive, 'lists', `${slug}.md`), 'utf8');
      for (const title of s.titles) expect(list, slug).toContain(`[${title}]`);
      for (const text of [list, ...(await Promise.all(files.map((f) => readFile(join(archive, 'articles', slug, f), 'utf8'))))]) {
        expect(text, slug).not.toMatch(CONTROL);
        expect(text, slug).not.toContain('\ufffd');
      }
    }
    const control = await Promise.all((await readdir(join(archive, 'articles/control'))).map((f) => readFile(join(archive, 'articles/control', f), 'utf8')));
    expect(control.find((text) => text.includes('[Bell and'))).toContain('<p>Red [31mtext here</p>');

    const message = await gitIn(repo, 'log', '-1', '--format=%B');
    expect(message).toMatch(/^newsmirror: big5 \+1, sjis \+1, euckr \+1, utf32 \+1, utf32be \+1, thai \+1, mixed \+2, control \+3, broken \+2\n/);
    expect(message).not.toMatch(CONTROL);

    const printed = result.stdout + result.stderr;
    expect(printed.replace(/\n/g, '')).not.toMatch(CONTROL);
    // The warnings name what happened; the guid a warning quotes shows its ESC escaped (as the
    // link it is taken for, percent-encoded; println's own escaping is src/cli/output.test.ts).
    expect(printed).toMatch(/! control: (?:control: )?urn:two(?:%1B|\\x1b)\]0;owned(?:%07|\\x07)?: same title as/);
    expect(printed).toContain('! mixed: ');
    expect(printed).toMatch(/the bytes of 1 of 2 items are not UTF-8: read those as windows-1252/);
    expect(printed).toMatch(/! broken: (?:broken: )?https:\/\/example\.org\/broken\/2: the title has bytes that could not be decoded .*not archived/);
  });

  it("archives a title whose U+FFFD is the publisher's own (the feed decoded without loss), refusing only titles of bytes misread", async () => {
    const dir = await tempDir('newsmirror-encodings-fffd-');
    server.routes.set('/own-fffd.xml', { headers: { 'content-type': 'application/rss+xml; charset=utf-8' }, body: Buffer.from(feed('UTF-8', one('own', '替换字符 \ufffd 照录'))) });
    const own = join(dir, 'newsmirror.yaml');
    await writeFile(own, `archive: archive\nsources:\n  - { name: own, slug: own, url: "${server.url}/own-fffd.xml", fullText: never }\n`);
    const result = await runCli(['run', '--json', '--config', own]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.sources[0].added).toHaveLength(1);
    expect(report.warnings).toEqual([]);
    const file = await readFile(join(dir, 'archive/articles/own', `${report.sources[0].added[0]}.md`), 'utf8');
    expect(file.split('\n')[1]).toBe('[替换字符 \ufffd 照录](https://example.org/own/1)');
  });
});

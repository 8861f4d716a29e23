import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../src/catalog/catalog.js';
import { CATALOG_FILE } from '../src/catalog/catalog-location.js';
import { ReaderArchive } from '../src/publish/reader-archive.js';
import { syncReaderCatalog } from '../src/pipeline/sync-reader-catalog.js';
import { SiteOutput } from '../src/publish/site-output.js';
import { jekyllPostPath, renderJekyllPost, writeJekyll } from '../src/publish/write-jekyll.js';
import { buildReaderFixture, HOSTILE_ID, HOSTILE_TITLE, NEWS_TITLES, WIRE_COUNT, type ReaderFixture } from '../src/web/testing/reader-fixture.js';

/** Splits a post as Jekyll does: front matter from the first `---` line to the next line that is `---` or `...`. */
function readPost(text: string): { front: Record<string, unknown>; body: string } {
  const lines = text.split('\n');
  expect(lines[0]).toBe('---');
  const end = lines.findIndex((line, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(line));
  return { front: parse(lines.slice(1, end).join('\n')) as Record<string, unknown>, body: lines.slice(end + 1).join('\n') };
}

const post = (title: string, body = '<p>x</p>') =>
  renderJekyllPost(
    { sourceSlug: 'news', sourceName: '测试: "新闻"', id: 1048574, title, url: 'https://news.example.org/a?b=1&c=2#d', published: Date.UTC(2026, 0, 10, 2, 0, 5), body },
    { timeZone: 'Asia/Shanghai', format: 'html' },
  );

describe('Jekyll posts', () => {
  it('writes front matter that reads back as the same title, whatever it holds', () => {
    const titles = ['a: b', '"双引号" \'单引号\'', '- 开头的破折号', '# 井号', 'line1\nline2', '---', '...', '@at', '{{ liquid }} {% if %}', '[x]: y', '*star', '> | %', 'yes', '123', 'null', '  spaces  ', '台湾：选举 🗳️', HOSTILE_TITLE];
    for (const title of titles) expect(readPost(post(title)).front.title, title).toBe(title);
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (title) => readPost(post(title)).front.title === title));
  });

  it('has the family front matter: layout, title, date in the archive zone, author, from, tags, categories', () => {
    expect(readPost(post('标题')).front).toEqual({
      layout: 'post',
      title: '标题',
      date: '2026-01-10 10:00:05 +0800',
      author: '测试: "新闻"',
      from: 'https://news.example.org/a?b=1&c=2#d',
      tags: ['测试: "新闻"'],
      categories: ['news'],
    });
    expect(jekyllPostPath({ sourceSlug: 'news', id: 7, published: Date.UTC(2026, 0, 10, 17, 0) }, 'Asia/Shanghai')).toBe('_posts/2026-01-11-news-7.md');
  });

  it('keeps Liquid from running anything in a body, sanitizes it, and points archived images at the site', () => {
    const sha = 'a'.repeat(64);
    const { body } = readPost(post('t', `<p>{{ site.secret }} {% include x %}</p><script>alert(1)</script><img src="../../assets/aa/${sha}.png" alt="图">`));
    expect(body).toBe(`\n<div class="newsmirror-body"><p>&#123;&#123; site.secret }} &#123;% include x %}</p><img src="{{ site.baseurl }}/assets/aa/${sha}.png" alt="图" loading="lazy" decoding="async"></div>\n`);
  });
});

describe('Jekyll posts from a markdown archive (body: markdown)', () => {
  it('points archived images at the site, as posts from an HTML archive do', () => {
    const sha = 'b'.repeat(64);
    const text = renderJekyllPost(
      { sourceSlug: 'news', sourceName: '新闻', id: 1048574, title: 't', url: 'https://news.example.org/a', published: Date.UTC(2026, 0, 10), body: `段落 {{ x }}\n\n![图](../../assets/bb/${sha}.jpg "说明")\n\n[![](../../assets/bb/${sha}.jpg)](https://news.example.org/big.jpg)` },
      { timeZone: 'Asia/Shanghai', format: 'markdown' },
    );
    expect(readPost(text).body).toBe(
      `\n段落 &#123;&#123; x }}\n\n![图]({{ site.baseurl }}/assets/bb/${sha}.jpg "说明")\n\n[![]({{ site.baseurl }}/assets/bb/${sha}.jpg)](https://news.example.org/big.jpg)\n`,
    );
  });
});

describe('site --format jekyll over an archive', () => {
  let dir: string;
  let fixture: ReaderFixture;
  const build = async (out: string) => {
    const catalog = Catalog.open(join(fixture.archiveDir, CATALOG_FILE));
    try {
      await syncReaderCatalog(fixture.archiveDir, catalog, Date.now());
      const output = await SiteOutput.open(out);
      await writeJekyll(new ReaderArchive(fixture.archiveDir, catalog, fixture.config), output);
      await output.finish();
      return output.changed;
    } finally {
      catalog.close();
    }
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsmirror-jekyll-'));
    fixture = await buildReaderFixture(dir);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes one post per article and the images, then nothing on a rebuild', async () => {
    const out = join(dir, 'jekyll');
    const first = await build(out);
    const posts = await readdir(join(out, '_posts'));
    expect(posts).toHaveLength(NEWS_TITLES.length + 1 + WIRE_COUNT);
    expect(posts).toContain(`2025-12-01-news-${HOSTILE_ID}.md`);
    expect(first.filter((p) => p.startsWith('assets/'))).toHaveLength(1);
    const hostile = readPost(await readFile(join(out, '_posts', `2025-12-01-news-${HOSTILE_ID}.md`), 'utf8'));
    expect(hostile.front.title).toBe(HOSTILE_TITLE);
    expect(hostile.body).not.toMatch(/<script|onerror|javascript:/);
    const election = posts.find((p) => p.startsWith('2026-01-10-news-'))!;
    const text = await readFile(join(out, '_posts', election), 'utf8');
    expect(readPost(text).front.title).toBe(NEWS_TITLES[0]);
    expect(text).toMatch(/<img src="\{\{ site\.baseurl \}\}\/assets\/[0-9a-f]{2}\/[0-9a-f]{64}\.webp" alt="投票站"/);
    expect(await build(out)).toEqual([]);
  });
});

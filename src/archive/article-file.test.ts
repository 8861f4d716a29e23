import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArchiveError } from '../domain/errors.js';
import { renderBodyLine } from '../domain/body-line.js';
import { CORPUS, SEED_FILE, hasCorpus, hasSeed, noteSkip } from '../../test/helpers/shared.js';
import { parseArticleFile, parseTitleLine, renderArticleFile } from './article-file.js';

describe('article files', () => {
  it('round-trips a title with brackets, backslashes and entities', () => {
    const text = renderArticleFile({ published: 1, title: '[快讯] a\\b <i> &amp; ](x)', url: 'https://x.org/a', body: '<p>b</p>' });
    expect(text).toBe('<!--1-->\n[\\[快讯\\] a\\\\b &lt;i> &amp;amp; \\](x)](https://x.org/a)\n------\n\n<p>b</p>\n');
    expect(parseArticleFile(text, 'x.md')).toEqual({
      published: 1,
      title: '[快讯] a\\b <i> &amp; ](x)',
      writtenTitle: '\\[快讯\\] a\\\\b &lt;i> &amp;amp; \\](x)',
      url: 'https://x.org/a',
      body: '<p>b</p>',
    });
  });

  it('reads old unescaped titles holding a lone ]', () => {
    expect(parseTitleLine('[[视频] 标题](https://x.org/a)')).toEqual({ title: '[视频] 标题', written: '[视频] 标题', url: 'https://x.org/a' });
    // The family left entities as its feeds had them: read decoded, and written as they were.
    expect(parseTitleLine('[中国 &quot;更政治化&quot;](https://x.org/a)')).toEqual({ title: '中国 "更政治化"', written: '中国 &quot;更政治化&quot;', url: 'https://x.org/a' });
  });

  it('reads a file saved again with a BOM or CRLF line endings as the same article', () => {
    const text = renderArticleFile({ published: 1, title: '快讯', url: 'https://x.org/a', body: '<p>b</p>' });
    const article = { published: 1, title: '快讯', writtenTitle: '快讯', url: 'https://x.org/a', body: '<p>b</p>' };
    expect(parseArticleFile(`\ufeff${text}`, 'x.md')).toEqual(article);
    expect(parseArticleFile(text.replace(/\n/g, '\r\n'), 'x.md')).toEqual(article);
  });

  it('names the file and line of what it cannot read', () => {
    expect(() => parseArticleFile('<!--1-->\nno title\n', 'articles/rfi/5.md')).toThrowError(ArchiveError);
    expect(() => parseArticleFile('<!--1-->\nno title\n', 'articles/rfi/5.md')).toThrowError(/^articles\/rfi\/5\.md:2: not an article file/);
    expect(() => parseArticleFile('[t](https://x)\n---\n', 'a.md')).toThrowError(/a\.md:2:/);
  });

  it.skipIf(noteSkip(hasSeed, 'seed round trip'))('re-renders the seed byte for byte', () => {
    const seed = readFileSync(SEED_FILE, 'utf8');
    const parsed = parseArticleFile(seed, 'seed');
    expect(parsed.published).toBe(1695721501000);
    expect(parsed.title).toBe('中国称反对“不计后果扩大军事联盟”');
    expect(renderArticleFile({ ...parsed, published: parsed.published!, body: renderBodyLine(parsed.body) })).toBe(seed);
  });

  it.skipIf(noteSkip(hasCorpus, 'corpus article files'))('reads every corpus article file of both layouts', () => {
    const news = join(CORPUS, 'archive/duty-machine-news/articles');
    let count = 0;
    for (const slug of readdirSync(news)) {
      for (const name of readdirSync(join(news, slug))) {
        const text = readFileSync(join(news, slug, name), 'utf8');
        const parsed = parseArticleFile(text, name);
        expect(parsed.published).toBeGreaterThan(1.5e12);
        expect(parsed.title).not.toMatch(/&quot;/);
        expect(parsed.url).toMatch(/^https?:\/\//);
        count += 1;
      }
    }
    const old = join(CORPUS, 'archive/duty-machine-chinadigitaltimes/articles');
    for (const name of readdirSync(old)) {
      const parsed = parseArticleFile(readFileSync(join(old, name), 'utf8'), name);
      expect(parsed.published, name).toBeGreaterThan(1.5e12);
      expect(parsed.url).toMatch(/^https:\/\/chinadigitaltimes\.net\//);
      count += 1;
    }
    expect(count).toBeGreaterThan(240);
  });
});

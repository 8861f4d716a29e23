import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ParsedFeed } from '../domain/feed-item.js';
import { readFeed } from './read-feed.js';

const fixture = (name: string): string => readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');

function item(feed: ParsedFeed, index: number) {
  const found = feed.items[index];
  if (found === undefined) throw new Error(`no item ${index}`);
  return found;
}

describe('readFeed: a feedx.net-style Chinese RSS 2.0 feed', () => {
  const feed = readFeed(fixture('feedx-rfi.xml'), { url: 'https://feedx.net/rss/rfi.xml' });

  it('reads the channel', () => {
    expect(feed).toMatchObject({ format: 'rss', version: '2.0', title: '法广', link: 'https://www.rfi.fr/cn/' });
    expect(feed.items).toHaveLength(3);
  });

  it('decodes &quot; left in titles by CDATA and by double escaping, and trims', () => {
    expect(feed.items.map((i) => i.title)).toEqual([
      '欧盟贸专：中国 "商业环境更政治化"  缺乏透明，但不脱钩 - 要闻解说',
      '拜登会见泽连斯基承诺："将确保世界站在乌克兰一边"',
      '俄罗斯"大规模"夜袭乌克兰 基辅警告未来“数月很艰难”',
    ]);
    for (const { title } of feed.items) expect(title).not.toMatch(/&(?:quot|amp|#\d+);/);
  });

  it('keeps the description HTML as the summary, untouched', () => {
    const first = item(feed, 0);
    expect(first.content).toBeUndefined();
    expect(first.summary).toMatch(/^<div>26\/09\/2023 - <i>国际<\/i><\/div><img src="https:\/\/images\.weserv\.nl/);
    expect(first.summary).toContain('商业环境&quot;更加政治化&quot;');
    expect(first.summary).toContain('获取更多RSS');
    expect(item(feed, 1).summary).toBe('<p>美国总统拜登周四在白宫会见乌克兰总统泽连斯基。</p>');
  });

  it('writes links as WHATWG URL.href (percent-encoded), as the archive does', () => {
    expect(item(feed, 1).link).toBe(new URL('https://www.rfi.fr/cn/国际/20230922-拜登会见泽连斯基').href);
    expect(item(feed, 1).link).toMatch(/^https:\/\/www\.rfi\.fr\/cn\/%E5%9B%BD%E9%99%85\//);
    expect(item(feed, 0).guid).toBe('https://www.rfi.fr/cn/国际/20230926-反击全球通缉普京');
  });

  it('reads pubDate to epoch ms, including a date without seconds', () => {
    expect(item(feed, 0).published).toBe(1695719701000); // the archive's rfi/1000000.md timestamp
    expect(item(feed, 2).published).toBe(Date.parse('2023-09-20T23:45:00Z'));
  });
});

describe('readFeed: an RFA-style feed with content:encoded', () => {
  const feed = readFeed(fixture('rfa-mandarin.xml'));

  it('separates content:encoded from description and keeps its HTML', () => {
    const first = item(feed, 0);
    expect(first.content).toMatch(/^<p><span style="font-weight: 400;">内蒙古开鲁县/);
    expect(first.content).toContain('<img src="/mandarin/yataibaodao/jingmao/photo.jpg" alt="春耕"/>');
    expect(first.summary).toBe('内蒙古开鲁县建华镇政府近期阻止当地农民在自家承包地进行春耕。');
  });

  it('reads dc:creator, category, enclosure and guid', () => {
    expect(item(feed, 0)).toMatchObject({
      author: '记者：乔龙 责编：陈美华 网编：洪伟',
      categories: ['经贸'],
      enclosures: [{ url: 'https://www.rfa.org/mandarin/yataibaodao/jingmao/ql1.mp3', type: 'audio/mpeg', length: 1234567 }],
      guid: 'https://www.rfa.org/mandarin/yataibaodao/jingmao/ql1-04242024050127.html',
      published: 1713949314000,
    });
  });

  it('uses a permalink guid as the link when <link> is missing, resolved against the channel link', () => {
    expect(item(feed, 1)).toMatchObject({
      guid: '/mandarin/yataibaodao/gangtai/hk-nsl-06302024.html',
      link: 'https://www.rfa.org/mandarin/yataibaodao/gangtai/hk-nsl-06302024.html',
      published: Date.parse('2024-06-30T00:00:00Z'), // from dc:date
    });
  });
});

describe('readFeed: a China Digital Times WordPress feed', () => {
  const feed = readFeed(fixture('cdt-wordpress.xml'));

  it('keeps the ?p= guid (isPermaLink="false") apart from the .html link', () => {
    expect(item(feed, 0)).toMatchObject({
      guid: 'https://chinadigitaltimes.net/chinese/?p=715858',
      link: 'https://chinadigitaltimes.net/chinese/715858.html',
      title: '每日一语 2024.2.14',
      published: 1739576127000, // the archive's cdt/332717.md timestamp
      author: 'cdtimes',
    });
  });

  it('reads categories once each, in order', () => {
    expect(item(feed, 0).categories).toEqual(['每日一语', '土拨鼠']);
  });

  it('decodes numeric references in titles and keeps them in the summary HTML', () => {
    expect(item(feed, 1).title).toBe('【网络民议】“这不是天灾”');
    expect(item(feed, 0).summary).toBe('没有“神仙”的压迫，土拨鼠的生活又有什么不好？ [&#8230;]');
    expect(item(feed, 0).content).toContain('<img decoding="async" src="https://chinadigitaltimes.net/chinese/files/2025/02/2025.2.14.jpg"');
  });

  it('never takes an isPermaLink="false" guid as the link', () => {
    const noLink = fixture('cdt-wordpress.xml').replace('<link>https://chinadigitaltimes.net/chinese/715858.html</link>', '');
    expect(item(readFeed(noLink), 0).link).toBeUndefined();
  });
});

describe('readFeed: Atom with xml:base', () => {
  const feed = readFeed(fixture('atom-xml-base.xml'), { url: 'https://example.com/feeds/dw.xml' });

  it('resolves links against nested xml:base (RFC 4287 §2, XML Base)', () => {
    expect(feed.link).toBe('https://www.dw.com/');
    expect(item(feed, 0).link).toBe('https://www.dw.com/zh/articles/a-71612345');
    expect(item(feed, 0).enclosures).toEqual([{ url: 'https://www.dw.com/images/a-71612345.jpg', type: 'image/jpeg', length: 2048 }]);
  });

  it('reads titles of type html and xhtml as plain text', () => {
    expect(feed.title).toBe('德国之声 中文 & 新闻');
    expect(item(feed, 1).title).toBe('图片集：柏林的冬天');
  });

  it('turns text constructs into HTML: text escaped, html as is (relative URLs resolved against xml:base), xhtml unwrapped', () => {
    expect(item(feed, 0).summary).toBe('候选人就移民 &amp; 经济 &lt;激烈&gt;交锋。');
    expect(item(feed, 0).content).toBe('<p>候选人就<a href="https://www.dw.com/zh/topics/migration">移民</a>交锋。</p>');
    expect(item(feed, 1).content).toBe('<p>柏林的冬天</p>');
    expect(item(feed, 2).content).toBe('第一行 &lt;不是标签&gt;');
  });

  it('takes published before updated, and leaves an unreadable date undefined', () => {
    expect(item(feed, 0).published).toBe(Date.parse('2025-02-14T07:30:00Z'));
    expect(item(feed, 1).published).toBe(Date.parse('2025-02-13T18:00:00Z'));
    expect(item(feed, 2).published).toBeUndefined();
  });

  it('inherits the feed author, and uses an http id as the link when there is no alternate link', () => {
    expect(feed.items.map((i) => i.author)).toEqual(['DW 中文', '记者甲', 'DW 中文']);
    expect(item(feed, 2).link).toBe('https://www.dw.com/zh/only-id/a-1');
    expect(item(feed, 0).guid).toBe('tag:dw.com,2025:a-71612345');
    expect(item(feed, 0).categories).toEqual(['德国']);
  });
});

describe('readFeed: JSON Feed 1.1', () => {
  const feed = readFeed(fixture('json-feed-11.json'));

  it('reads the feed and resolves item urls against home_page_url', () => {
    expect(feed).toMatchObject({ format: 'json', version: '1.1', title: '美国之音中文网', link: 'https://www.voachinese.com/' });
    expect(item(feed, 0)).toEqual({
      guid: '7964123',
      link: 'https://www.voachinese.com/a/us-china-talks-20250214/7964123.html',
      title: '中美官员在华盛顿举行会谈 "坦率"',
      published: Date.parse('2025-02-14T14:15:00Z'),
      content: '<p>双方就贸易问题交换了意见。</p>',
      summary: '中美会谈',
      author: '记者乙',
      categories: ['中美关系', '贸易'],
      enclosures: [{ url: 'https://av.voanews.com/clips/7964123.mp3', type: 'audio/mpeg', length: 524288 }],
    });
  });

  it('falls back to external_url, date_modified, the feed author, and escapes content_text', () => {
    expect(item(feed, 1)).toEqual({
      guid: '7964100',
      link: 'https://www.example.org/elsewhere',
      title: '',
      published: Date.parse('2025-02-13T20:00:00Z'),
      summary: '纯文本 &lt;内容&gt; &amp; 更多',
      author: 'VOA',
      categories: [],
      enclosures: [],
    });
  });
});

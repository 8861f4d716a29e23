import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalog } from './catalog.js';
import { searchArticles, type SearchOptions } from './search-articles.js';
import { indexArticle, indexArticles, removeIndexedArticle, type SearchableArticle } from './search-index.js';
import { SearchError } from './search-query.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);

/*
 * Each article is built so that a naive approach misses or over-finds:
 * 京大 spans the boundary of 北京 and 大学 (a word segmenter never indexes
 * it); 龜 exists only in Traditional form; 鑫 stands in the middle of a run
 * (trigrams and bigram-only indexes miss one-character queries); 中华 and
 * 人民 occur apart in one article and together in another (a phrase, not AND).
 */
const ARTICLES: SearchableArticle[] = [
  { source: 'rfi', id: 1, published: T0, title: '北京大学举行开学典礼', html: '<p>我们在北京大学读书。学生大会今天召开。</p>' },
  { source: 'rfi', id: 2, published: T0 + DAY, title: '台灣政府宣布新政策', html: '<p>臺灣的行政院長表示，新政策將於明年實施。</p>' },
  { source: 'bbc', id: 3, published: T0 + 2 * DAY, title: '动物园新成员', html: '<p>這裡有一隻很老的龜，名叫阿金。</p>' },
  { source: 'bbc', id: 4, published: T0 + 3 * DAY, title: '公司新闻', html: '<p>金鑫公司发布财报，<b>营收</b>增长。</p>' },
  { source: 'voa', id: 5, published: T0 + 4 * DAY, title: '中华人民共和国成立纪念', html: '<p>中华人民共和国的国庆节。</p>' },
  { source: 'voa', id: 6, published: T0 + 5 * DAY, title: '文化随笔', html: '<p>中华文化与人民生活息息相关。</p>' },
  { source: 'dw', id: 7, published: T0 + 6 * DAY, title: 'Reuters：人工智能发展迅速', html: '<p>据REUTERS报道，人工智能（AI）行业增长。</p>' },
  { source: 'dw', id: 8, published: T0 + 7 * DAY, title: '学者观点', html: '<p>The Reutersian school of thought &amp; its critics.</p>' },
];

describe('searchArticles', () => {
  let dir: string;
  let catalog: Catalog;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsmirror-search-'));
    catalog = Catalog.open(join(dir, 'catalog.sqlite'));
    indexArticles(catalog, ARTICLES);
  });
  afterEach(async () => {
    catalog.close();
    await rm(dir, { recursive: true, force: true });
  });

  const ids = (options: SearchOptions) => searchArticles(catalog, options).hits.map((h) => h.id);
  const find = (q: string) => ids({ q, limit: 100 }).sort((a, b) => a - b);

  it('finds one-character queries anywhere in a run, in either script', () => {
    expect(find('鑫')).toEqual([4]);
    expect(find('龜')).toEqual([3]);
    expect(find('龟')).toEqual([3]);
    expect(find('湾')).toEqual([2]);
  });

  it('finds two-character words across word boundaries and only where the two are adjacent', () => {
    expect(find('京大')).toEqual([1]);
    expect(find('大会')).toEqual([1]);
    expect(find('金鑫')).toEqual([4]);
    expect(find('鑫金')).toEqual([]);
  });

  it('matches Simplified and Traditional forms of a query both ways', () => {
    expect(find('台湾')).toEqual([2]);
    expect(find('臺灣')).toEqual([2]);
    expect(find('台灣政府')).toEqual([2]);
    expect(find('行政院长')).toEqual([2]);
    expect(find('这里')).toEqual([3]);
  });

  it('finds three- and four-character runs as phrases, several terms as AND', () => {
    expect(find('工智能')).toEqual([7]);
    expect(find('中华人民')).toEqual([5]);
    expect(find('中华 人民')).toEqual([5, 6]);
    expect(find('"中华 人民"')).toEqual([]);
    expect(find('“中华人民”')).toEqual([5]);
    expect(find('中华 国庆')).toEqual([5]);
    expect(find('中华 鑫')).toEqual([]);
    expect(find('公司 鑫')).toEqual([4]);
  });

  it('finds English words whole and regardless of case', () => {
    expect(find('reuters')).toEqual([7]);
    expect(find('REUTERS')).toEqual([7]);
    expect(find('reutersian')).toEqual([8]);
    expect(find('ＡＩ')).toEqual([7]);
    const [hit] = searchArticles(catalog, { q: 'reuters' }).hits;
    expect(hit?.titleHtml).toBe('<mark>Reuters</mark>：人工智能发展迅速');
    expect(hit?.snippet).toBe('据<mark>REUTERS</mark>报道，人工智能（AI）行业增长。');
  });

  it('finds characters outside the BMP and letters of two UTF-8 bytes, as the index encodes them', () => {
    indexArticle(catalog, { source: 'x', id: 1, published: T0, title: 'Écho', html: '<p>𠀀𠀁字，café Москва ǅ 😀</p>' });
    expect(find('𠀀')).toEqual([1]);
    expect(find('𠀀𠀁')).toEqual([1]);
    expect(find('𠀁字')).toEqual([1]);
    expect(find('𠀁𠀀')).toEqual([]);
    expect(find('CAFÉ')).toEqual([1]);
    expect(find('москва')).toEqual([1]);
    expect(find('écho')).toEqual([1]);
    expect(find('ǆ')).toEqual([1]);
    expect(find('😀')).toEqual([1]);
  });

  it('filters by source and by date, and pages newest first', () => {
    expect(ids({ q: '新', sources: ['rfi', 'bbc'] })).toEqual([4, 3, 2]);
    expect(ids({ q: '新', from: T0 + DAY, to: T0 + 2 * DAY })).toEqual([3, 2]);
    expect(ids({ q: '新', from: T0 + DAY + 1 })).toEqual([4, 3]);
    const page = searchArticles(catalog, { q: '新', limit: 2, offset: 1 });
    expect(page.total).toBe(3);
    expect(page.hits.map((h) => h.id)).toEqual([3, 2]);
    expect(searchArticles(catalog, { q: '新', limit: 2, offset: 3 }).hits).toEqual([]);
  });

  it('orders by relevance on request: an article about the term before a passing mention', () => {
    indexArticles(catalog, [
      { source: 'rfi', id: 20, published: T0 + 30 * DAY, title: '天气', html: '<p>明天多云，傍晚有雨，提到选举一次。</p>' },
      { source: 'rfi', id: 21, published: T0 + 20 * DAY, title: '选举结果公布', html: '<p>选举委员会公布选举结果，选举投票率创新高。</p>' },
    ]);
    expect(ids({ q: '选举' })).toEqual([20, 21]);
    expect(ids({ q: '选举', order: 'relevance' })).toEqual([21, 20]);
  });

  it('returns snippets and titles as escaped HTML with the original text marked', () => {
    indexArticle(catalog, {
      source: 'rfi',
      id: 30,
      published: T0,
      title: '<script>alert("臺灣")</script>',
      html: '<p>&lt;img src=x onerror=alert(1)&gt; 臺灣 &amp; 香港</p><script>台湾</script>',
    });
    const [hit] = searchArticles(catalog, { q: '台湾', sources: ['rfi'], to: T0 }).hits;
    expect(hit?.titleHtml).toBe('&lt;script&gt;alert(&quot;<mark>臺灣</mark>&quot;)&lt;/script&gt;');
    expect(hit?.title).toBe('<script>alert("臺灣")</script>');
    expect(hit?.snippet).toBe('&lt;img src=x onerror=alert(1)&gt; <mark>臺灣</mark> &amp; 香港');
  });

  it('cuts a long body around the densest matches', () => {
    const filler = '今天天气很好。'.repeat(40);
    indexArticle(catalog, { source: 'rfi', id: 40, published: T0, title: 't', html: `<p>${filler}选举开始了，选举结果明天公布。${filler}</p>` });
    const [hit] = searchArticles(catalog, { q: '选举 公布', sources: ['rfi'] }).hits;
    expect(hit?.snippet).toMatch(/^….*<mark>选举<\/mark>开始了，<mark>选举<\/mark>结果明天<mark>公布<\/mark>。.*…$/);
  });

  it('re-indexes an article in place and forgets a removed one', () => {
    indexArticle(catalog, { ...ARTICLES[0]!, html: '<p>全新的内容：量子计算。</p>' });
    expect(find('京大')).toEqual([1]);
    expect(find('量子')).toEqual([1]);
    expect(find('学生大会')).toEqual([]);
    removeIndexedArticle(catalog, 'rfi', 1);
    expect(find('量子')).toEqual([]);
  });

  it('finds an article by what its edits added, its title kept as archived', () => {
    const article = ARTICLES[0]!;
    const edits = [
      { title: '北京大学开学典礼推迟', html: '<p>我们在北京大学读书。典礼因暴雨推迟一周。</p>' },
      { title: '北京大学开学典礼推迟', html: '<p>我们在北京大学读书。典礼因暴雨推迟一周。校长发表讲话。</p>' },
    ];
    indexArticle(catalog, { ...article, edits });
    expect(find('暴雨')).toEqual([1]);
    expect(find('校长')).toEqual([1]);
    expect(find('推迟')).toEqual([1]);
    // The article's own text is still found; the hit shows its title as archived.
    expect(find('学生大会')).toEqual([1]);
    const hit = searchArticles(catalog, { q: '暴雨' }).hits[0];
    expect([hit?.title, hit?.snippet]).toEqual([article.title, '我们在北京大学读书。学生大会今天召开。 典礼因<mark>暴雨</mark>推迟一周。 校长发表讲话。']);
    // Indexed again without them (the edit files gone), the added text is no longer found.
    indexArticle(catalog, article);
    expect(find('暴雨')).toEqual([]);
    expect(find('推迟')).toEqual([]);
  });

  it('forgets an article when its catalog row is deleted', () => {
    const record = { source: 'rfi', id: 1, guid: null, link: null, canonicalLink: null, title: 't', published: T0, firstSeen: T0, contentHash: null, path: 'articles/rfi/1.md', bodySource: null };
    catalog.insertItem(record);
    catalog.insertItem({ ...record, id: 2, path: 'articles/rfi/2.md' });
    catalog.deleteItem('rfi', 1);
    expect(find('京大')).toEqual([]);
    expect(find('台湾')).toEqual([2]);
    expect(catalog.sqlite.prepare('SELECT count(*) FROM search_text').pluck().get()).toBe(ARTICLES.length - 1);
  });

  it('keeps articles of the same minute apart and in range', () => {
    const same = Array.from({ length: 5 }, (_, k) => ({ source: 'x', id: 100 + k, published: T0 + 10 * DAY + k * 1000, title: '同一分钟', html: '<p>同一分钟</p>' }));
    indexArticles(catalog, same);
    expect(ids({ q: '同一分钟', from: T0 + 10 * DAY + 1000, to: T0 + 10 * DAY + 3000 }).sort()).toEqual([101, 102, 103]);
    expect(searchArticles(catalog, { q: '同一分钟', from: T0 + 10 * DAY + 1000, to: T0 + 10 * DAY + 3000 }).total).toBe(3);
  });

  it('rejects an empty query and a bad time in one line', () => {
    expect(() => searchArticles(catalog, { q: '  ，。 ' })).toThrow(SearchError);
    expect(() => searchArticles(catalog, { q: 'x', from: Number.NaN })).toThrow(/from is not a time/);
  });
});

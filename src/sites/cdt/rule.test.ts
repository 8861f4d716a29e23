import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { cleanArticle } from '../../content/clean-article.js';
import { extractArticle } from '../../content/extract-article.js';
import { findSiteRule } from '../registry.js';

const url = 'https://chinadigitaltimes.net/chinese/715858.html';
const clean = (html: string): string => cleanArticle({ html, url }).html;

describe('cdt rule', () => {
  it('covers chinadigitaltimes.net', () => {
    expect(findSiteRule(url)?.name).toBe('cdt');
  });

  it('takes a whole page from div.post-content', () => {
    const page = '<html><body><nav><p>导航</p></nav><div class="post-content"><p>正文。</p></div><div id="comments"><p>评论</p></div></body></html>';
    expect(clean(page)).toBe('<p>正文。</p>');
  });

  it('does not narrow feed content that quotes another page, post-content div and all', () => {
    const item = '<p>编者按。</p><div class="post-wrap"><div class="post-content entry-content"><p>引文。</p></div></div>';
    expect(clean(item)).toBe('<p>编者按。</p><div><div><p>引文。</p></div></div>');
  });

  it('removes the feed footer of Better Feed and the rule before it', () => {
    const html =
      '<p>正文。</p><hr /><p><small>&copy; 作者 for 中国数字时代, get_post_time(\'Y\'). |<a href="https://chinadigitaltimes.net/chinese/x/">Permalink</a></small></p><p><small>Feed enhanced by <a href="http://planetozh.com/">Better Feed</a></small></p>';
    expect(clean(html)).toBe('<p>正文。</p>');
  });

  it('gives a page its heading as title, without the site name that <title> adds, and its post id', () => {
    const page = readFileSync(new URL('fixtures/page-rocket-loader/source.html', import.meta.url), 'utf8');
    // It kept '示例文章 | 中国数字时代', the <title>.
    expect(extractArticle(page, 'https://chinadigitaltimes.net/chinese/700003.html')).toMatchObject({ title: '示例文章', rule: 'cdt', postId: 700003 });
  });
});

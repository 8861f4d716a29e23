import { describe, expect, it } from 'vitest';
import { cleanArticle } from '../../content/clean-article.js';
import { findSiteRule } from '../registry.js';
import { dwArticleUrl } from './rule.js';

const url = 'https://www.dw.com/zh/%E7%A4%BA%E4%BE%8B/a-70000001';
const clean = (html: string): string => cleanArticle({ html, url }).html;

describe('dw rule', () => {
  it('covers www.dw.com', () => {
    expect(findSiteRule(url)?.name).toBe('dw');
  });

  it('points links to the content API at the article page instead', () => {
    expect(dwArticleUrl('71590287')).toBe('https://www.dw.com/zh/a-71590287');
    const html = '<p><a href="https://api.dw.com/api/detail/article/71590287" rel="ArticleRef">电话</a> <a href="https://api.dw.com/api/other/1">其他</a></p>';
    expect(clean(html)).toBe(
      '<p><a href="https://www.dw.com/zh/a-71590287" rel="noopener noreferrer">电话</a> <a href="https://api.dw.com/api/other/1" rel="noopener noreferrer">其他</a></p>',
    );
  });

  it('removes the Instagram advert but keeps the copyright notice and the byline header', () => {
    const html =
      '<div><i>记者<br>2025-02-15T08:03:55.243Z</i></div><p>正文。</p><p><strong>DW中文有<a href="https://www.instagram.com/dw.chinese/">Instagram</a>！</strong></p><p>© 2025年德国之声版权声明</p>';
    expect(clean(html)).toBe('<div><i>记者<br />2025-02-15T08:03:55.243Z</i></div><p>正文。</p><p>© 2025年德国之声版权声明</p>');
  });
});

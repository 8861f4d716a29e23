import { describe, expect, it } from 'vitest';
import { cleanArticle } from '../../content/clean-article.js';
import { findSiteRule } from '../registry.js';

const url = 'https://cn.nytimes.com/business/20250214/example/';

describe('nyt rule', () => {
  it('covers cn.nytimes.com (and m.cn.nytimes.com) but not the English site', () => {
    expect(findSiteRule(url)?.name).toBe('nyt');
    expect(findSiteRule('https://m.cn.nytimes.com/world/x/')?.name).toBe('nyt');
    expect(findSiteRule('https://www.nytimes.com/2025/02/14/x.html')).toBeUndefined();
  });

  it("undoes the mirror's image rewriting: original address, figure and figcaption", () => {
    const html =
      '<section><p><img src="https://images.weserv.nl/?url=static01.nyt.com/images/a.jpg"><small style="color: #999;">说明。</small></p></section>';
    expect(cleanArticle({ html, url }).html).toBe(
      '<section><figure><img src="https://static01.nyt.com/images/a.jpg" /><figcaption>说明。</figcaption></figure></section>',
    );
  });
});

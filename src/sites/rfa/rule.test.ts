import { describe, expect, it } from 'vitest';
import { cleanArticle } from '../../content/clean-article.js';
import { findSiteRule } from '../registry.js';

const url = 'https://www.rfa.org/mandarin/yataibaodao/example-04242024050127.html';

describe('rfa rule', () => {
  it('covers www.rfa.org', () => {
    expect(findSiteRule(url)?.name).toBe('rfa');
  });

  it('unwraps the styled spans and drops <br> spacer paragraphs, keeping every word', () => {
    const html = '<p><span style="font-weight: 400;">一段</span><span style="font-weight: 400;"> 正文</span></p><p><br/><br/></p><p>记者：某某</p>';
    expect(cleanArticle({ html, url }).html).toBe('<p>一段 正文</p><p>记者：某某</p>');
  });
});

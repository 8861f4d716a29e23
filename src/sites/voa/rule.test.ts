import { describe, expect, it } from 'vitest';
import { cleanArticle } from '../../content/clean-article.js';
import { findSiteRule } from '../registry.js';

const url = 'https://www.voachinese.com/a/example-20250215/7000000.html';

describe('voa rule', () => {
  it('covers voachinese.com and voanews.com', () => {
    expect(findSiteRule(url)?.name).toBe('voa');
    expect(findSiteRule('https://www.voanews.com/a/x.html')?.name).toBe('voa');
  });

  it("keeps the mirror's date header and drops the spacer paragraphs", () => {
    const html = '<div><i>Sat, 15 Feb 2025 08:17:25 GMT</i></div><p>一。</p><p>&nbsp;</p><p>二。</p><p> </p>';
    expect(cleanArticle({ html, url }).html).toBe('<div><i>Sat, 15 Feb 2025 08:17:25 GMT</i></div><p>一。</p><p>二。</p>');
  });
});

import { describe, expect, it } from 'vitest';
import { flattenDeepHtml } from './flatten-deep-html.js';
import { cleanArticle } from './clean-article.js';

const nested = (depth: number, inner = 'x') => `${'<div>'.repeat(depth)}${inner}${'</div>'.repeat(depth)}`;

describe('flattenDeepHtml', () => {
  it('leaves a body alone when nothing nests past the limit (most bodies: fewer tags than it)', () => {
    expect(flattenDeepHtml('<p>a</p><p>b</p>')).toBeUndefined();
    expect(flattenDeepHtml(nested(20), 20)).toBeUndefined();
    // Many tags, little depth: siblings, void elements, unclosed paragraphs and list items.
    const wide = '<p>a<br><img src="x.png">'.repeat(300) + '<ul>' + '<li>i'.repeat(300) + '</ul>';
    expect(flattenDeepHtml(wide, 20)).toBeUndefined();
  });

  it('drops the tags opened past the limit and their close tags, keeping every text', () => {
    const html = `<section>${nested(30, '<b>深</b> deep')}</section><p>after</p>`;
    const flat = flattenDeepHtml(html, 10)!;
    expect(flat.depth).toBe(32);
    expect(flat.html).toBe(`<section>${nested(9, '深 deep')}</section><p>after</p>`);
  });

  it('makes 200,000 nested elements a body the cleaner takes, text kept', () => {
    const flat = flattenDeepHtml(`<p>before</p>${nested(200_000, '深处')}`)!;
    expect(flat.depth).toBe(200_000);
    expect(cleanArticle({ html: flat.html }).html).toContain('深处');
  });
});

import { describe, expect, it } from 'vitest';
import { cleanArticle } from '../../content/clean-article.js';
import { findSiteRule } from '../registry.js';

const url = 'https://www.bbc.com/zhongwen/simp/world-00000001';
const clean = (html: string): string => cleanArticle({ html, url }).html;

describe('bbc rule', () => {
  it('covers bbc.com and bbc.co.uk', () => {
    expect(findSiteRule(url)?.name).toBe('bbc');
    expect(findSiteRule('https://www.bbc.co.uk/zhongwen/trad/x')?.name).toBe('bbc');
  });

  it('removes advert slots, labelled or not', () => {
    const html = '<main><p>正文。</p><section data-e2e="advertisement"><p>广告</p><div id="dotcom-mpu"></div></section></main>';
    expect(clean(html)).toBe('<p>正文。</p>');
  });

  it('takes the article from <main> on a whole page', () => {
    const page = '<html><body><header><p>导航</p></header><main><p>正文。</p></main><footer><p>版权</p></footer></body></html>';
    expect(clean(page)).toBe('<p>正文。</p>');
  });

  it('writes the date instead of a relative timestamp, so two fetches agree', () => {
    const at = (ago: string): string => clean(`<div><time dateTime="2024-08-07">${ago}</time></div><p>正文。</p>`);
    expect(at('15 分钟前')).toBe(at('3 小时前'));
    expect(at('15 分钟前')).toContain('<time datetime="2024-08-07">2024-08-07</time>');
  });
});

import { describe, expect, it } from 'vitest';
import { cleanArticle } from '../../content/clean-article.js';
import { findSiteRule } from '../registry.js';

const url = 'https://www.rfi.fr/cn/%E4%B8%AD%E5%9B%BD/20240101-example';
const clean = (html: string): string => cleanArticle({ html, url }).html;

describe('rfi rule', () => {
  it('covers www.rfi.fr', () => {
    expect(findSiteRule(url)?.name).toBe('rfi');
  });

  it('removes the labelled share block even when its buttons are unknown to the generic rule', () => {
    const html = '<p>正文。</p><div><div>分享 :</div><div><a href="https://share.example/post?u=1">Share</a></div></div>';
    expect(clean(html)).toBe('<p>正文。</p>');
  });

  it('keeps a div that merely starts with the word 分享 in prose', () => {
    const html = '<div><div>分享经济在中国发展迅速，这是一篇关于它的报道。</div><div><p>正文。</p></div></div>';
    expect(clean(html)).toContain('分享经济');
  });

  it('removes any data-selfpromo-* block, even one with content', () => {
    const html = '<p>正文。</p><div data-selfpromo-podcast><p>订阅我们的播客</p></div>';
    expect(clean(html)).toBe('<p>正文。</p>');
  });
});

import { describe, expect, it } from 'vitest';
import { measureParagraphRetention, normalizeText, paragraphTexts } from './paragraph-text.js';

describe('paragraph retention', () => {
  it('reads the outermost paragraphs with whitespace (no-break, ideographic) normalized', () => {
    expect(paragraphTexts('<p> a\u00a0 b </p><p>\u3000</p><div><p>c<br>d</p></div>')).toEqual(['a b', 'cd']);
    expect(normalizeText(' x \n\t y\u200b ')).toBe('x y');
  });

  it('counts a paragraph kept wherever it moved, and lost when any of it is gone', () => {
    const original = '<p>第一段。</p><p>第二段，图片说明。</p><p>广告</p>';
    const cleaned = '<p>第一段。</p><figure><figcaption>第二段，图片说明。</figcaption></figure>';
    expect(measureParagraphRetention(original, cleaned)).toEqual({ before: 15, kept: 13, after: 4, ignored: 0, lost: ['广告'] });
    expect(measureParagraphRetention(original, cleaned, (p) => p === '广告')).toMatchObject({ before: 13, kept: 13, ignored: 2 });
    expect(measureParagraphRetention('<p>一二三四</p>', '<p>一二</p>').kept).toBe(0);
  });

  it("lets Cloudflare's e-mail placeholder stand for the address cleaning writes back", () => {
    const original = '<p>联系：<a href="/cdn-cgi/l/email-protection#00">[email&#160;protected]</a>。</p>';
    expect(measureParagraphRetention(original, '<p>联系：<a href="mailto:a@b.org">a@b.org</a>。</p>').kept).toBe(21);
    expect(measureParagraphRetention(original, '<p>联系：</p>').kept).toBe(0);
  });
});

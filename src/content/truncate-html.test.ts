import { describe, expect, it } from 'vitest';
import { truncateHtml } from './truncate-html.js';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** Every start tag of a non-void element has its end tag, in order. */
function balanced(html: string): boolean {
  const stack: string[] = [];
  for (const [, end, name] of html.matchAll(/<(\/?)([a-z][a-z0-9]*)[^>]*>/g)) {
    if (['img', 'br', 'hr'].includes(name!)) continue;
    if (end === '') stack.push(name!);
    else if (stack.pop() !== name) return false;
  }
  return stack.length === 0;
}

describe('truncateHtml', () => {
  it('leaves a body that fits alone', () => {
    expect(truncateHtml('<p>一</p>', 10)).toBeUndefined();
    expect(truncateHtml('<p>一</p>'.repeat(1000), 10_000)).toBeUndefined();
  });

  it('cuts between elements and closes the ones left open', () => {
    const html = '<div><p>第一段</p><p>第二段</p><p>第三段</p></div>';
    const cut = truncateHtml(html, 50);
    expect(cut).toBe('<div><p>第一段</p><p>第二段</p></div>');
    expect(bytes(cut!)).toBeLessThanOrEqual(50);
    // Counted in UTF-8 bytes: 第一段 is 9 of them.
    expect(truncateHtml(html, 35)).toBe('<div><p>第一段</p></div>');
  });

  it('cuts inside a text only when the last boundary keeps less than half, never in a character or an entity', () => {
    const html = `<p>前言</p><div><p>${'长'.repeat(1000)}&amp;${'文'.repeat(10)}</p></div>`;
    const cut = truncateHtml(html, 300)!;
    expect(bytes(cut)).toBeLessThanOrEqual(300);
    expect(cut).toMatch(/^<p>前言<\/p><div><p>长+<\/p><\/div>$/);
    const entity = `<p>${'a'.repeat(97)}&amp;b</p>`;
    expect(truncateHtml(entity, 105)).toBe(`<p>${'a'.repeat(97)}</p>`);
    expect(truncateHtml(`<p>${'😀'.repeat(50)}</p>`, 30)).toBe(`<p>${'😀'.repeat(5)}</p>`);
  });

  it('keeps the HTML balanced: void elements, comments, deep nesting', () => {
    const html = `<div><p>一</p><p>二<img src="a.png" alt="a>b"><br></p><!-- 注 --><ul><li>甲</li><li>乙</li></ul>${'<span>'.repeat(5000)}深${'</span>'.repeat(5000)}</div>`;
    for (const max of [20, 60, 100, 200, 5000, 30_000, 60_000]) {
      const cut = truncateHtml(html, max)!;
      expect(bytes(cut)).toBeLessThanOrEqual(max);
      expect(balanced(cut.replace(/<!--.*?-->/g, ''))).toBe(true);
    }
    expect(truncateHtml(html, 62)).toBe('<div><p>一</p><p>二<img src="a.png" alt="a>b"><br></p></div>');
  });

  it('closes what the feed left to implied ends only where it is open at the cut (a prefix parses to the same elements)', () => {
    const html = '<div><p>一<p>二<ul><li>甲<li>乙</ul><p>三</div>';
    expect(truncateHtml(html, 50)).toBe('<div><p>一<p>二<ul><li>甲</li></ul></div>');
  });

  it('reads a body of megabytes only as far as the cut, the same cut every time', () => {
    const html = `<div>${'<p>段落内容，足够长的一段文字。</p>'.repeat(400_000)}</div>`;
    const cut = truncateHtml(html, 2 * 1024 * 1024)!;
    expect(bytes(cut)).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(cut.endsWith('</p></div>')).toBe(true);
    expect(truncateHtml(html, 2 * 1024 * 1024)).toBe(cut);
  });
});

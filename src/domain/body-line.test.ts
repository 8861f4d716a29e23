import { describe, expect, it } from 'vitest';
import { renderBodyLine } from './body-line.js';

describe('renderBodyLine', () => {
  it('drops control characters (an ESC in a feed body would drive the terminal of whoever cats the file), inside <pre> too', () => {
    expect(renderBodyLine('<p>Red \u001b[31mtext\u0008\u0007\r\nnext</p><pre>a\u001b\tb\n</pre>')).toBe('<p>Red [31mtext next</p><pre>a\tb&#10;</pre>');
  });

  it('trims lines and joins them with nothing between tags and Chinese text', () => {
    expect(renderBodyLine('<p>\n  中国外长\n  王毅今天</p>\n<p>二</p>\n')).toBe('<p>中国外长王毅今天</p><p>二</p>');
  });

  it('keeps a space between two words of a spaced script', () => {
    expect(renderBodyLine('<p>The minister\nsaid on <b>Tuesday</b>\nthat</p>')).toBe('<p>The minister said on <b>Tuesday</b> that</p>');
    expect(renderBodyLine('<p>end.\nNext</p>')).toBe('<p>end. Next</p>');
    expect(renderBodyLine('<p>王毅\nsaid</p>')).toBe('<p>王毅said</p>');
    expect(renderBodyLine('</p>\n<p>x')).toBe('</p><p>x');
  });

  it('keeps newlines inside <pre> as &#10; and its indentation', () => {
    expect(renderBodyLine('<p>code:</p>\n<pre>a\n  b\n</pre>\n<p>after</p>')).toBe('<p>code:</p><pre>a&#10;  b&#10;</pre><p>after</p>');
  });

  it('keeps NBSP and ideographic-space indentation, which is content', () => {
    expect(renderBodyLine('<p>\u3000\u3000正文</p>\n\t<p>\u00a0x</p>')).toBe('<p>\u3000\u3000正文</p><p>\u00a0x</p>');
  });

  it('handles CRLF and is idempotent', () => {
    const once = renderBodyLine('<p>a\r\nb</p>\r\n<pre>x\r\ny</pre>');
    expect(once).toBe('<p>a b</p><pre>x&#10;y</pre>');
    expect(renderBodyLine(once)).toBe(once);
  });
});

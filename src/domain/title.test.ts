import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeTitle, isUndecodedTitle, normalizeTitle, unescapeTitle } from './title.js';

describe('titles', () => {
  it('drops control characters, wherever the title comes from', () => {
    expect(normalizeTitle('Bell\u0007 and \u001b[2Jclear\u007f')).toBe('Bell and [2Jclear');
    expect(escapeTitle('a\u001bb')).toBe('ab');
  });

  it('knows a title with bytes that were not decoded', () => {
    expect(isUndecodedTitle('壞\ufffd \ufffd')).toBe(true);
    expect(isUndecodedTitle('正常的標題')).toBe(false);
  });

  it('collapses whitespace runs (newlines too) and trims, keeping ideographic spaces', () => {
    expect(normalizeTitle('  英国作家新书《山之高》 \u00a0 揭示\n中国  ')).toBe('英国作家新书《山之高》 揭示 中国');
    expect(normalizeTitle('A\u3000B')).toBe('A\u3000B');
  });

  it('escapes what could break the link or open HTML', () => {
    expect(escapeTitle('[视频] a\\b <script> &quot; AT&T &#39;')).toBe(
      '\\[视频\\] a\\\\b &lt;script> &amp;quot; AT&T &amp;#39;',
    );
    expect(escapeTitle('中国称反对“不计后果扩大军事联盟”')).toBe('中国称反对“不计后果扩大军事联盟”');
  });

  it('reads the family leaked entities as the characters they stand for', () => {
    expect(unescapeTitle('拜登会见泽连斯基承诺：&quot;将确保&quot;')).toBe('拜登会见泽连斯基承诺："将确保"');
  });

  it('round-trips numeric references of any length, which HTML decoding reads although CommonMark does not', () => {
    for (const title of ['&#00000065;', '&#x0000041;', '&#12345678;', '&#X0000041;', '&#0000000000000000038;']) {
      expect(unescapeTitle(escapeTitle(title))).toBe(title);
    }
  });

  it('round-trips any title', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '&', ';', '#', 'x', '1', '[', ']', '\\', '<', '>', 'q', 'u', 'o', 't', '中', ' ') }), (title) => {
        expect(unescapeTitle(escapeTitle(title))).toBe(title);
        expect(escapeTitle(title)).not.toMatch(/(^|[^\\])(\\\\)*[[\]]/);
        expect(escapeTitle(title)).not.toContain('<');
      }),
      { numRuns: 2000 },
    );
  });
});

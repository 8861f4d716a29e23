import { describe, expect, it } from 'vitest';
import { escapeControlCharacters, hasControlCharacters, stripControlCharacters } from './control-characters.js';

describe('control characters', () => {
  const hostile = 'a\u0000b\u0007c\u001b[2Jd\u007fe\tf\ng\rh';

  it('strips C0 controls but tab and newline, and DEL', () => {
    expect(stripControlCharacters(hostile)).toBe('abc[2Jde\tf\ngh');
    expect(hasControlCharacters(hostile)).toBe(true);
    expect(hasControlCharacters('新闻\tnews\n')).toBe(false);
    expect(stripControlCharacters('新闻\tnews\n')).toBe('新闻\tnews\n');
  });

  it('escapes them for a log line, C1 controls (U+009B, CSI) too, and leaves tab, newline and text', () => {
    expect(escapeControlCharacters(hostile)).toBe('a\\x00b\\x07c\\x1b[2Jd\\x7fe\tf\ng\\x0dh');
    expect(escapeControlCharacters('\u009b31m 新闻 é')).toBe('\\x9b31m 新闻 é');
  });
});

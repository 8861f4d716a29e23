import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decode, resolveLabel, tryDecode } from './decode-text.js';

/*
 * The WHATWG decoders where Node 20's TextDecoder is wrong. Each string is
 * encoded with iconv-lite's table for what real servers send (Big5-HKSCS,
 * Windows-31J, windows-949), which the standard's decoders read.
 */
describe('decode: the WHATWG Encoding Standard decoders', () => {
  it('reads Big5 with HKSCS characters (Cantonese 㗎嘅咗啲), which Node 20 drops without an error', () => {
    const text = '香港新聞：佢哋話咗嘅嘢係真㗎，啲人都冇講';
    const bytes = iconv.encode(text, 'big5hkscs');
    expect(decode(bytes, 'big5')).toBe(text);
    expect(tryDecode(bytes, 'big5')).toBe(text);
  });

  it('reads Windows-31J bytes (NEC and IBM extensions) under the shift_jis label', () => {
    const text = '①号機 ㈱東芝 髙橋さん ⅲ 﨑 ニュース';
    expect(tryDecode(iconv.encode(text, 'cp932'), 'shift_jis')).toBe(text);
  });

  it('reads windows-949 syllables outside KS X 1001 under the euc-kr label (Node 20 made 똠 into "c")', () => {
    const text = '똠방각하 뷁 쌰 한국 뉴스';
    const bytes = iconv.encode(text, 'cp949');
    expect(tryDecode(bytes, 'euc-kr')).toBe(text);
    expect(resolveLabel('windows-949')).toBe('euc-kr');
    expect(resolveLabel('ks_c_5601-1987')).toBe('euc-kr');
  });

  it('reads TIS-620 as windows-874', () => {
    const text = 'ข่าวภาษาไทย วันนี้';
    expect(resolveLabel('TIS-620')).toBe('windows-874');
    expect(tryDecode(iconv.encode(text, 'tis620'), 'windows-874')).toBe(text);
  });

  it('refuses (strict) or replaces (lenient) a byte sequence the encoding does not map', () => {
    const bytes = Buffer.from([0x41, 0x81, 0x20, 0x42]); // 0x81 0x20: a lead byte without its trail
    for (const encoding of ['big5', 'shift_jis', 'euc-kr', 'gb18030']) {
      expect(tryDecode(bytes, encoding)).toBeUndefined();
      expect(decode(bytes, encoding)).toContain('\ufffd');
    }
  });

  it('follows the standard\'s labels: replacement and x-user-defined are not usable, unknown labels are undefined', () => {
    expect(resolveLabel('Shift_JIS')).toBe('shift_jis');
    expect(resolveLabel('windows-31j')).toBe('shift_jis');
    expect(resolveLabel('big5-hkscs')).toBe('big5');
    expect(resolveLabel('gb2312')).toBe('gb18030');
    expect(resolveLabel('iso-2022-kr')).toBeUndefined();
    expect(resolveLabel('x-user-defined')).toBeUndefined();
    expect(resolveLabel('no-such-charset')).toBeUndefined();
  });
});

describe('decode: UTF-32, which the standard leaves out', () => {
  const text = '<?xml version="1.0"?><rss>新闻 𠮷 é</rss>';
  const le = iconv.encode(text, 'utf32le');
  const be = iconv.encode(text, 'utf32be');

  it('reads both byte orders, with and without a BOM, by label', () => {
    expect(resolveLabel('UTF-32')).toBe('utf-32');
    expect(decode(le, 'utf-32le')).toBe(text);
    expect(decode(be, 'utf-32be')).toBe(text);
    expect(decode(le, 'utf-32')).toBe(text);
    expect(decode(Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), le]), 'utf-32')).toBe(text);
    expect(decode(Buffer.concat([Buffer.from([0, 0, 0xfe, 0xff]), be]), 'utf-32')).toBe(text);
  });

  it('refuses a code unit past U+10FFFF, a surrogate or a cut-off unit when strict, else puts U+FFFD', () => {
    const bad = Buffer.concat([le.subarray(0, 8), Buffer.from([0x00, 0xd8, 0, 0]), Buffer.from([0, 0, 0x11, 0]), Buffer.from([0x41])]);
    expect(tryDecode(bad, 'utf-32le')).toBeUndefined();
    expect(decode(bad, 'utf-32le')).toBe('<?\ufffd\ufffd\ufffd');
  });
});

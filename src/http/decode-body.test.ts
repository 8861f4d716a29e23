import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeBody } from './decode-body.js';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const corpus = path.resolve(projectRoot, '../shared/corpus');
const hasCorpus = existsSync(corpus);
if (!hasCorpus) console.log(`decode-body: corpus tests skipped, ${corpus} is absent`);

const fixture = (name: string): string =>
  readFileSync(fileURLToPath(new URL(`./fixtures/decode/${name}`, import.meta.url)), 'utf8');

/** A fixture feed as the bytes a server would send: declared `label`, encoded with `encoding`. */
function feedBytes(name: string, label: string, encoding: string): { text: string; bytes: Uint8Array } {
  const text = fixture(name).replace('{{ENCODING}}', label);
  const bytes = iconv.encode(text, encoding);
  // Guard the fixture itself: every character must exist in the target encoding.
  expect(iconv.decode(bytes, encoding)).toBe(text);
  return { text, bytes };
}

/** The same document without an encoding attribute in its XML declaration. */
function undeclared(text: string): string {
  return text.replace(/ encoding="[^"]*"/, '');
}

describe('decodeBody: byte order marks', () => {
  it('strips a UTF-8 BOM and lets it override every declaration', () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<?xml version="1.0" encoding="gb2312"?><a>中文</a>')]);
    const decoded = decodeBody(body, 'text/xml; charset=big5');
    expect(decoded).toMatchObject({ encoding: 'utf-8', source: 'bom' });
    expect(decoded.conflict).toBe('Content-Type declared big5 but the bytes start with a UTF-8 BOM');
    expect(decoded.text.startsWith('<?xml')).toBe(true);
    expect(decoded.text).toContain('中文');
  });

  it('reads UTF-16LE and UTF-16BE with a BOM', () => {
    const text = '<?xml version="1.0" encoding="utf-16"?><rss><title>新闻</title></rss>';
    const le = decodeBody(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    expect(le).toEqual({ text, encoding: 'utf-16le', source: 'bom', lossy: false });
    const be = Buffer.from(text, 'utf16le').swap16();
    expect(decodeBody(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toEqual({ text, encoding: 'utf-16be', source: 'bom', lossy: false });
  });

  it('recognises UTF-16 without a BOM from the shape of "<?" (XML 1.0 Appendix F)', () => {
    const text = '<?xml version="1.0"?><rss><title>新闻</title></rss>';
    expect(decodeBody(Buffer.from(text, 'utf16le'))).toEqual({ text, encoding: 'utf-16le', source: 'detected', lossy: false });
  });
});

describe('decodeBody: Chinese and Japanese feeds', () => {
  it('reads GBK declared as gb2312 in the XML declaration, with gb18030', () => {
    const { text, bytes } = feedBytes('zh-hans-feed.xml', 'gb2312', 'gbk');
    expect(decodeBody(bytes)).toEqual({ text, encoding: 'gb18030', source: 'xml', lossy: false });
  });

  it('reads GBK declared as gbk by Content-Type', () => {
    const { text, bytes } = feedBytes('zh-hans-feed.xml', 'gbk', 'gbk');
    expect(decodeBody(bytes, 'application/rss+xml; charset="GBK"')).toEqual({ text, encoding: 'gb18030', source: 'http', lossy: false });
  });

  it('reads characters outside GB2312 and GBK when gb2312 is declared (GB18030 four-byte sequences)', () => {
    const text = '<?xml version="1.0" encoding="gb2312"?><rss><title>𠮷野家 € 中文</title></rss>';
    expect(decodeBody(iconv.encode(text, 'gb18030')).text).toBe(text);
  });

  it('reads Big5 and Big5-HKSCS labels', () => {
    const { text, bytes } = feedBytes('zh-hant-feed.xml', 'big5', 'big5');
    expect(decodeBody(bytes)).toEqual({ text, encoding: 'big5', source: 'xml', lossy: false });
    expect(decodeBody(bytes, 'text/xml; charset=big5-hkscs')).toMatchObject({ text, encoding: 'big5', source: 'http' });
  });

  it('reads Shift_JIS, including its common aliases', () => {
    const { text, bytes } = feedBytes('ja-feed.xml', 'Shift_JIS', 'shift_jis');
    expect(decodeBody(bytes)).toEqual({ text, encoding: 'shift_jis', source: 'xml', lossy: false });
    expect(decodeBody(bytes, 'text/xml; charset=sjis')).toMatchObject({ text, encoding: 'shift_jis', source: 'http' });
  });

  it('keeps a right gbk label on Traditional Chinese text (the detector cross-check does not overrule it)', () => {
    const { text, bytes } = feedBytes('zh-hant-feed.xml', 'gbk', 'gbk');
    expect(decodeBody(bytes)).toEqual({ text, encoding: 'gb18030', source: 'xml', lossy: false });
  });

  it('reads EUC-JP and EUC-KR', () => {
    const ja = feedBytes('ja-feed.xml', 'euc-jp', 'euc-jp');
    expect(decodeBody(ja.bytes)).toEqual({ text: ja.text, encoding: 'euc-jp', source: 'xml', lossy: false });
    const ko = '<?xml version="1.0" encoding="euc-kr"?><rss><channel><title>한국 뉴스 속보: 대통령이 오늘 기자회견을 열었습니다</title></channel></rss>';
    expect(decodeBody(iconv.encode(ko, 'euc-kr'))).toEqual({ text: ko, encoding: 'euc-kr', source: 'xml', lossy: false });
  });

  it.each([
    ['zh-hans-feed.xml', 'gbk', 'gb18030'],
    ['zh-hant-feed.xml', 'big5', 'big5'],
    ['ja-feed.xml', 'shift_jis', 'shift_jis'],
  ])('detects undeclared %s (%s)', (name, encoding, expected) => {
    const { text } = feedBytes(name, 'x', encoding);
    const plain = undeclared(text);
    expect(decodeBody(iconv.encode(plain, encoding), 'text/xml')).toEqual({ text: plain, encoding: expected, source: 'detected', lossy: false });
  });

  it('resolves "gb2312 declared, UTF-8 sent" by the bytes, and says so', () => {
    const text = fixture('zh-hans-feed.xml').replace('{{ENCODING}}', 'gb2312');
    const decoded = decodeBody(Buffer.from(text), 'text/xml; charset=gb2312');
    expect(decoded).toMatchObject({ text, encoding: 'utf-8', source: 'detected' });
    expect(decoded.conflict).toBe('Content-Type declared gb2312 but the bytes are UTF-8');
  });

  it('resolves "UTF-8 declared, GBK sent" with the next declaration', () => {
    const { text, bytes } = feedBytes('zh-hans-feed.xml', 'gb2312', 'gbk');
    const decoded = decodeBody(bytes, 'text/xml; charset=utf-8');
    expect(decoded).toMatchObject({ text, encoding: 'gb18030', source: 'xml' });
    expect(decoded.conflict).toBe('Content-Type declared utf-8 but the bytes are not UTF-8');
  });

  it('resolves "UTF-8 declared everywhere, Big5 sent" with the detector', () => {
    const { text, bytes } = feedBytes('zh-hant-feed.xml', 'utf-8', 'big5');
    const decoded = decodeBody(bytes, 'text/xml; charset=UTF-8');
    expect(decoded).toMatchObject({ text, encoding: 'big5', source: 'detected' });
    expect(decoded.conflict).toBe(
      'Content-Type declared utf-8 but the bytes are not UTF-8; the XML declaration declared utf-8 but the bytes are not UTF-8',
    );
  });

  it('resolves "Big5 declared, GBK sent" with the detector, because the bytes are not valid Big5', () => {
    const { text, bytes } = feedBytes('zh-hans-feed.xml', 'big5', 'gbk');
    const decoded = decodeBody(bytes);
    expect(decoded).toMatchObject({ text, encoding: 'gb18030', source: 'detected' });
    expect(decoded.conflict).toBe('the XML declaration declared big5 but the bytes are gb18030');
  });

  it('resolves "gb2312 declared, Big5 sent" with the detector, although gb18030 decodes those bytes without error', () => {
    const { text, bytes } = feedBytes('zh-hant-feed.xml', 'gb2312', 'big5');
    const decoded = decodeBody(bytes, 'text/xml; charset=GB2312');
    expect(decoded).toMatchObject({ text, encoding: 'big5', source: 'detected' });
    expect(decoded.conflict).toBe('Content-Type declared gb2312 but the bytes are big5');
  });

  it('keeps a legacy declaration when the body is pure ASCII (nothing contradicts it)', () => {
    const text = '<?xml version="1.0" encoding="gb2312"?><rss><title>&#20013;&#25991;</title></rss>';
    expect(decodeBody(Buffer.from(text))).toEqual({ text, encoding: 'gb18030', source: 'xml', lossy: false });
  });

  it('ignores an unknown Content-Type label and falls to the XML declaration', () => {
    const { text, bytes } = feedBytes('zh-hans-feed.xml', 'gbk', 'gbk');
    expect(decodeBody(bytes, 'text/xml; charset=x-no-such-charset')).toEqual({ text, encoding: 'gb18030', source: 'xml', lossy: false });
  });
});

describe('decodeBody: single-byte encodings', () => {
  it('maps 0x80–0x9F per WHATWG windows-1252, also for an iso-8859-1 label (Node 20 TextDecoder does not)', () => {
    const head = Buffer.from('<?xml version="1.0" encoding="iso-8859-1"?><t>');
    const body = Buffer.concat([head, Buffer.from([0x93, 0x61, 0x94, 0x20, 0x80, 0x20, 0x63, 0xe9, 0x81]), Buffer.from('</t>')]);
    expect(decodeBody(body)).toEqual({
      text: '<?xml version="1.0" encoding="iso-8859-1"?><t>\u201ca\u201d \u20ac c\u00e9\u0081</t>',
      encoding: 'windows-1252',
      source: 'xml',
      lossy: false,
    });
  });

  it('reads windows-1251 declared by Content-Type', () => {
    const text = '<rss><title>Новости дня</title></rss>';
    expect(decodeBody(iconv.encode(text, 'windows-1251'), 'text/xml;charset=cp1251')).toEqual({
      text,
      encoding: 'windows-1251',
      source: 'http',
      lossy: false,
    });
  });
});

describe('decodeBody: HTML <meta>', () => {
  it('reads <meta http-equiv=Content-Type content="...charset=...">', () => {
    const html = '<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>新闻</title></head><body>正文</body></html>';
    expect(decodeBody(iconv.encode(html, 'gbk'), 'text/html')).toEqual({ text: html, encoding: 'gb18030', source: 'meta', lossy: false });
  });

  it('does not let a <meta> inside a feed item body decide the feed', () => {
    const feed = '<rss version="2.0"><channel><item><description><![CDATA[<meta charset="big5"><p>Café</p>]]></description></item></channel></rss>';
    expect(decodeBody(Buffer.from(feed))).toEqual({ text: feed, encoding: 'utf-8', source: 'detected', lossy: false });
  });

  it('treats a <meta charset=utf-16> as UTF-8, as the HTML prescan does', () => {
    const html = '<html><head><meta charset="utf-16"></head><body>Café</body></html>';
    expect(decodeBody(Buffer.from(html))).toEqual({ text: html, encoding: 'utf-8', source: 'meta', lossy: false });
  });
});

describe.skipIf(!hasCorpus)('decodeBody: miniflux encoding cases', () => {
  const read = (file: string): Buffer => readFileSync(path.join(corpus, 'feeds/miniflux/internal/reader', file));

  it.each([
    ['encoding/testdata/utf8.xml', undefined, 'utf-8', 'xml', 'Café'],
    ['encoding/testdata/iso-8859-1.xml', undefined, 'windows-1252', 'xml', 'Café'],
    ['encoding/testdata/iso-8859-1.xml', 'text/html; charset=ISO-8859-1', 'windows-1252', 'http', 'Café'],
    ['encoding/testdata/windows-1252.xml', 'text/xml; charset=windows-1252', 'windows-1252', 'http', 'Euro €'],
    ['encoding/testdata/utf8.html', 'text/html; charset=UTF-8', 'utf-8', 'http', 'Café'],
    ['encoding/testdata/utf8.html', 'text/html', 'utf-8', 'meta', 'Café'],
    ['encoding/testdata/iso-8859-1.html', 'text/html', 'windows-1252', 'meta', 'Frédéric'],
    ['encoding/testdata/iso-8859-1-meta-after-1024.html', 'text/html', 'windows-1252', 'meta', 'Café'],
    ['encoding/testdata/utf8-meta-after-1024.html', 'text/html', 'utf-8', 'meta', 'Café'],
    ['encoding/testdata/koi8r.xml', undefined, 'koi8-r', 'xml', 'Пример RSS ленты'],
    ['xml/testdata/koi8r.xml', 'application/xml; charset=KOI8-R', 'koi8-r', 'http', 'Пример RSS ленты'],
    ['xml/testdata/iso88591.xml', undefined, 'windows-1252', 'xml', 'Jürgen'],
    // An unknown label ("invalid") is ignored; the bytes are UTF-8.
    ['encoding/testdata/invalid-prolog.xml', undefined, 'utf-8', 'detected', 'Café'],
  ])('%s (%s) → %s from %s', (file, contentType, encoding, source, expected) => {
    const decoded = decodeBody(read(file), contentType);
    expect(decoded).toMatchObject({ encoding, source });
    expect(decoded.conflict).toBeUndefined();
    expect(decoded.text).toContain(expected);
  });

  it.each([
    ['encoding/testdata/utf8-incorrect-prolog.xml', 'Café', 'the XML declaration declared iso-8859-1 but the bytes are UTF-8'],
    ['encoding/testdata/windows-1252-incorrect-prolog.xml', 'Euro €', 'the XML declaration declared windows-1252 but the bytes are UTF-8'],
  ])('%s: a legacy prolog on UTF-8 bytes is overruled', (file, expected, conflict) => {
    const decoded = decodeBody(read(file));
    expect(decoded).toMatchObject({ encoding: 'utf-8', source: 'detected', conflict });
    expect(decoded.text).toContain(expected);
  });

  it('xml/testdata/iso88591_utf8_mismatch.xml: a UTF-8 prolog on Latin-1 bytes is overruled by detection', () => {
    const decoded = decodeBody(read('xml/testdata/iso88591_utf8_mismatch.xml'));
    expect(decoded).toMatchObject({ encoding: 'windows-1252', source: 'detected' });
    expect(decoded.conflict).toBe('the XML declaration declared utf-8 but the bytes are not UTF-8');
    expect(decoded.text).toContain('<to>Anaïs</to>');
    expect(decoded.text).toContain('<from>Jürgen</from>');
  });

  it.each([
    ['parser/testdata/encoding_WINDOWS-1251.xml', 'windows-1251', 'xml', /[а-яА-Я]{4}/],
    ['parser/testdata/encoding_ISO-8859-1.xml', 'windows-1252', 'xml', /[àâçéèêëîïôûùüÿœ]/],
    // No declaration at all: Latin-1 bytes found by the detector (feedparser also says windows-1252).
    ['parser/testdata/no_encoding_ISO-8859-1.xml', 'windows-1252', 'detected', /[àâçéèêëîïôûùüÿœ]/],
    ['parser/testdata/urdu_UTF8.xml', 'utf-8', 'xml', /[\u0600-\u06ff]{3}/],
  ])('%s → %s from %s', (file, encoding, source, expected) => {
    const decoded = decodeBody(read(file));
    expect(decoded).toMatchObject({ encoding, source });
    expect(decoded.text).toMatch(expected);
    expect(decoded.text).not.toContain('\ufffd');
  });

  it('KOI8-R by Content-Type alone (miniflux TestNewCharsetReaderWithKOI8RContentType)', () => {
    expect(decodeBody(iconv.encode('Привет мир', 'koi8-r'), 'text/xml; charset=koi8-r')).toEqual({
      text: 'Привет мир',
      encoding: 'koi8-r',
      source: 'http',
      lossy: false,
    });
  });
});

describe('decodeBody: valid UTF-8 decodes exactly as TextDecoder does (the fast path)', () => {
  const decoder = new TextDecoder('utf-8');
  const texts = ['', 'plain ASCII <rss/>', '新闻 — “引号” 😀 𠀀 é\u0000\u007f\u0080', '\ufeff<?xml version="1.0"?><rss>中文</rss>', '\ufeff\ufeffdouble BOM'];
  it.each(texts)('%j', (text) => {
    const bytes = new Uint8Array(Buffer.from(text, 'utf8'));
    expect(decodeBody(bytes, 'application/rss+xml; charset=utf-8').text).toBe(decoder.decode(bytes));
    expect(decodeBody(bytes).text).toBe(decoder.decode(bytes));
    // A view into a larger buffer, as undici hands bodies over.
    const padded = new Uint8Array(bytes.length + 8);
    padded.set(bytes, 4);
    expect(decodeBody(padded.subarray(4, 4 + bytes.length), 'text/xml; charset=utf-8').text).toBe(decoder.decode(bytes));
  });
});

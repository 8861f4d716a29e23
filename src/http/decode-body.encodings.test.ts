import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeBody } from './decode-body.js';

/*
 * One feed per encoding of issue 15, generated here and encoded with
 * iconv-lite's table for what such servers send: Big5-HKSCS, Windows-31J
 * under a Shift_JIS label, windows-949 under EUC-KR, UTF-32, TIS-620.
 */

function feed(label: string | undefined, titles: string[]): string {
  const declaration = label === undefined ? '<?xml version="1.0"?>' : `<?xml version="1.0" encoding="${label}"?>`;
  const items = titles.map(
    (title, i) => `<item><title>${title}</title><link>https://example.org/${i}</link><description>${title} ${title}</description></item>`,
  );
  return `${declaration}\n<rss version="2.0"><channel><title>${titles[0]}</title><link>https://example.org/</link>\n${items.join('\n')}\n</channel></rss>\n`;
}

const HKSCS = ['香港新聞：佢哋話咗嘅嘢係真㗎', '啲人都冇講，嚟緊會點', '政府今日宣佈新措施'];
const CP932 = ['①号機の点検 ㈱東芝が発表', '髙橋さんと﨑山さんⅲ', '今日の天気は晴れです'];
const CP949 = ['똠방각하 뷁 쌰 한국 뉴스', '대통령이 오늘 기자회견을 열었습니다', '서울의 날씨는 맑겠습니다'];
const THAI = ['ข่าวภาษาไทย วันนี้มีฝนตกหนักในกรุงเทพมหานคร', 'รัฐบาลประกาศมาตรการใหม่เพื่อช่วยเหลือประชาชน', 'นายกรัฐมนตรีเดินทางไปต่างประเทศ'];

function encoded(text: string, encoding: string): Buffer {
  const bytes = iconv.encode(text, encoding);
  expect(iconv.decode(bytes, encoding)).toBe(text); // every character exists in the encoding
  return bytes;
}

describe('decodeBody: the encodings of issue 15', () => {
  it('reads Big5 with HKSCS characters, declared by Content-Type, by the XML declaration or as big5-hkscs', () => {
    const text = feed('big5', HKSCS);
    const bytes = encoded(text, 'big5hkscs');
    expect(decodeBody(bytes)).toEqual({ text, encoding: 'big5', source: 'xml', lossy: false });
    expect(decodeBody(bytes, 'application/rss+xml; charset=Big5-HKSCS')).toEqual({ text, encoding: 'big5', source: 'http', lossy: false });
  });

  it('reads a document labelled Shift_JIS whose bytes are Windows-31J, and says nothing (they are the same encoding)', () => {
    const text = feed('Shift_JIS', CP932);
    expect(decodeBody(encoded(text, 'cp932'))).toEqual({ text, encoding: 'shift_jis', source: 'xml', lossy: false });
  });

  it('reads windows-949 under an EUC-KR or windows-949 label, and detects it undeclared', () => {
    const text = feed('EUC-KR', CP949);
    const bytes = encoded(text, 'cp949');
    expect(decodeBody(bytes)).toEqual({ text, encoding: 'euc-kr', source: 'xml', lossy: false });
    expect(decodeBody(bytes, 'text/xml; charset=windows-949')).toEqual({ text, encoding: 'euc-kr', source: 'http', lossy: false });
    const plain = feed(undefined, CP949);
    expect(decodeBody(encoded(plain, 'cp949'))).toEqual({ text: plain, encoding: 'euc-kr', source: 'detected', lossy: false });
  });

  it('reads UTF-32 in both byte orders with a BOM (which outranks the labels), without one, and by label', () => {
    const text = feed(undefined, HKSCS);
    for (const order of ['le', 'be'] as const) {
      const units = encoded(text, `utf32${order}`);
      const bom = Buffer.from(order === 'le' ? [0xff, 0xfe, 0, 0] : [0, 0, 0xfe, 0xff]);
      expect(decodeBody(Buffer.concat([bom, units]), 'text/xml; charset=utf-8')).toMatchObject({ text, encoding: `utf-32${order}`, source: 'bom' });
      expect(decodeBody(units)).toEqual({ text, encoding: `utf-32${order}`, source: 'detected', lossy: false });
      expect(decodeBody(units, 'application/xml; charset=UTF-32')).toEqual({ text, encoding: 'utf-32', source: 'http', lossy: false });
    }
  });

  it('detects undeclared TIS-620 (chardet alone says windows-1252 or EUC-KR for short Thai), and reads it declared', () => {
    const plain = feed(undefined, THAI);
    expect(decodeBody(encoded(plain, 'tis620'))).toEqual({ text: plain, encoding: 'windows-874', source: 'detected', lossy: false });
    for (const title of THAI) {
      const one = feed(undefined, [title]);
      expect(decodeBody(encoded(one, 'tis620')).text).toBe(one);
    }
    const text = feed('TIS-620', THAI);
    expect(decodeBody(encoded(text, 'tis620'))).toEqual({ text, encoding: 'windows-874', source: 'xml', lossy: false });
  });
});

describe('decodeBody: a few bytes the declared encoding cannot read', () => {
  it('keeps a Big5 declaration (those bytes become U+FFFD, said) rather than reading the whole feed as windows-1252', () => {
    const good = feed('big5', HKSCS.slice(0, 2)).replace(/<\/channel>[\s\S]*$/, '');
    const bytes = Buffer.concat([encoded(good, 'big5hkscs'), encoded('<item><title>壞', 'big5'), Buffer.from([0x81, 0x20, 0xff]), Buffer.from('</title></item></channel></rss>')]);
    const decoded = decodeBody(bytes, 'application/rss+xml; charset=big5');
    expect(decoded).toMatchObject({ encoding: 'big5', source: 'http', conflict: 'Content-Type declared big5 but some bytes are not valid big5 (replaced with U+FFFD)' });
    expect(decoded.text).toContain(`<title>${HKSCS[1]}</title>`);
    expect(decoded.text).toContain('<title>壞\ufffd \ufffd</title>');
  });
});

describe('decodeBody: a feed in UTF-8 but for some items in windows-1252', () => {
  const utf8Items = ['Café – 新闻 today', 'Ürün “listesi”'];
  const cp1252Item = 'Déjà vu: “quoted” — 5 €';
  /** Item 2 of 3 is raw windows-1252 bytes, the others UTF-8: a CMS that pasted one story in from elsewhere. */
  function mixed(declaration: string): { bytes: Buffer; text: string } {
    const item = (title: string, i: number) => `<item><title>${title}</title><link>https://example.org/${i}</link></item>\n`;
    const head = `<?xml version="1.0"${declaration}?>\n<rss version="2.0"><channel><title>Mixed</title>\n`;
    const parts = [
      Buffer.from(head + item(utf8Items[0] ?? '', 0)),
      iconv.encode(item(cp1252Item, 1), 'windows-1252'),
      Buffer.from(item(utf8Items[1] ?? '', 2) + '</channel></rss>\n'),
    ];
    const text = head + item(utf8Items[0] ?? '', 0) + item(cp1252Item, 1) + item(utf8Items[1] ?? '', 2) + '</channel></rss>\n';
    return { bytes: Buffer.concat(parts), text };
  }

  it('decodes each item right, and says which part was not UTF-8', () => {
    const { bytes, text } = mixed(' encoding="utf-8"');
    const decoded = decodeBody(bytes, 'application/rss+xml; charset=UTF-8');
    expect(decoded).toMatchObject({ text, encoding: 'utf-8', source: 'http' });
    expect(decoded.conflict).toBe('Content-Type declared utf-8 but the bytes of 1 of 3 items are not UTF-8: read those as windows-1252');
  });

  it('does the same when nothing declares UTF-8, and after a UTF-8 BOM', () => {
    const { bytes, text } = mixed('');
    expect(decodeBody(bytes)).toEqual({
      text,
      encoding: 'utf-8',
      source: 'detected',
      conflict: 'the bytes of 1 of 3 items are not UTF-8: read those as windows-1252',
      lossy: false,
    });
    const bom = decodeBody(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]));
    expect(bom).toMatchObject({ text, encoding: 'utf-8', source: 'bom' });
    expect(bom.conflict).toBe('the bytes of 1 of 3 items are not UTF-8: read those as windows-1252');
  });

  it('reads a legacy-encoded Chinese item in a UTF-8 feed with the encoding its bytes are in', () => {
    const head = '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>混合</title>\n';
    const first = '<item><title>第一篇：今天的新闻报道</title></item>\n';
    const second = '<item><title>第二篇：来自另一个系统的中文新闻，编码是国标</title></item>\n</channel></rss>\n';
    const bytes = Buffer.concat([Buffer.from(head + first), iconv.encode(second, 'gbk')]);
    const decoded = decodeBody(bytes);
    expect(decoded.text).toBe(head + first + second);
    expect(decoded.conflict).toBe('the XML declaration declared utf-8 but the bytes of 1 of 2 items are not UTF-8: read those as gb18030');
  });
});

describe('decodeBody: lossy', () => {
  it('is true only when bytes could not be decoded, not for a U+FFFD the text itself holds', () => {
    expect(decodeBody(Buffer.from('<rss><title>替换 \ufffd</title></rss>'), 'text/xml; charset=utf-8').lossy).toBe(false);
    const big5 = Buffer.concat([iconv.encode(`<rss>${'<item><title>正常的標題，今日新聞報道</title></item>'.repeat(20)}<item><title>壞`, 'big5'), Buffer.from([0x81, 0x20, 0xff]), Buffer.from('</title></item></rss>')]);
    expect(decodeBody(big5, 'text/xml; charset=big5')).toMatchObject({ encoding: 'big5', lossy: true });
    expect(decodeBody(Buffer.from('<rss><title>plain</title></rss>'), 'text/xml').lossy).toBe(false);
  });
});

import iconv from 'iconv-lite';
import { decodeBody } from '../src/http/decode-body.js';
import { pairedSpeedup, round, timeInterleaved, type ContenderTiming } from './measure.js';

/*
 * What reading a legacy-encoded feed costs: decodeBody (the WHATWG decoders
 * of @exodus/bytes, after the declaration is checked) against Node's own
 * TextDecoder on the same bytes, the baseline. Node's is not a correct
 * contender (its big5 drops HKSCS characters, its euc-kr misreads
 * windows-949), but it is what the project used before, so the ratio is the
 * price of reading those feeds right.
 */

export interface DecodeResult {
  megabytes: number;
  /** Per encoding: MB/s of decodeBody and of Node's TextDecoder, and decodeBody's speed as a share of it. */
  encodings: Array<{ encoding: string; megabytesPerSec: number; nodeMegabytesPerSec: number; ratioVsNode: number }>;
  rounds: number;
}

/** Made-up headlines in each script, written for the bench; what matters is their share of multi-byte characters. */
const TEXT: Record<string, { iconv: string; lines: string[] }> = {
  gb18030: { iconv: 'gbk', lines: ['今天北京天气晴朗，市民纷纷出门散步。', '政府宣布新的经济刺激措施，专家表示谨慎乐观。'] },
  big5: { iconv: 'big5hkscs', lines: ['香港今日天氣晴朗，市民紛紛外出。', '佢哋話咗嘅嘢係真㗎，政府宣佈新措施。'] },
  shift_jis: { iconv: 'cp932', lines: ['今日の東京は晴れ、多くの人が外出した。', '①号機の点検について㈱東芝が発表しました。'] },
  'euc-kr': { iconv: 'cp949', lines: ['오늘 서울은 맑고 많은 시민들이 외출했다.', '정부는 새로운 경제 대책을 발표했습니다.'] },
};

function document(encoding: string, bytes: number): Buffer {
  const { iconv: table, lines } = TEXT[encoding]!;
  const items: string[] = [];
  for (let size = 0, i = 0; size < bytes; i++) {
    const line = lines[i % lines.length]!;
    const item = `<item><title>${line}</title><link>https://bench.example/${i}</link><description><![CDATA[<p>${line.repeat(8)}</p>]]></description></item>\n`;
    items.push(item);
    size += item.length * 2;
  }
  const xml = `<?xml version="1.0" encoding="${encoding}"?>\n<rss version="2.0"><channel><title>bench</title>\n${items.join('')}</channel></rss>\n`;
  return iconv.encode(xml, table);
}

export async function benchDecode(options: { quick: boolean }, log: (line: string) => void): Promise<DecodeResult> {
  const size = options.quick ? 1_000_000 : 8_000_000;
  const rounds = options.quick ? 3 : 7;
  const result: DecodeResult = { megabytes: 0, encodings: [], rounds };
  log(`decode: a ${(size / 1e6).toFixed(0)} MB feed per encoding, ${rounds} interleaved rounds`);
  for (const encoding of Object.keys(TEXT)) {
    const bytes = document(encoding, size);
    const megabytes = bytes.length / 1e6;
    result.megabytes += megabytes;
    const node = new TextDecoder(encoding);
    const [mine, baseline] = await timeInterleaved(
      [
        { name: 'decodeBody', pass: () => decodeBody(bytes, `application/rss+xml; charset=${encoding}`).text.length },
        { name: 'node TextDecoder', pass: () => node.decode(bytes).length },
      ],
      rounds,
    );
    const rate = (t: ContenderTiming | undefined) => round(megabytes / (t?.median ?? Number.NaN));
    const entry = { encoding, megabytesPerSec: rate(mine), nodeMegabytesPerSec: rate(baseline), ratioVsNode: round(pairedSpeedup(mine!, baseline!)) };
    result.encodings.push(entry);
    log(`  ${encoding.padEnd(10)} decodeBody ${entry.megabytesPerSec} MB/s, Node's TextDecoder ${entry.nodeMegabytesPerSec} MB/s: ${entry.ratioVsNode}×`);
  }
  result.megabytes = round(result.megabytes);
  return result;
}

import { analyse } from 'chardet';
import { resolveLabel, tryDecode } from './decode-text.js';

/*
 * Guessing a legacy encoding from the bytes alone, for decode-body.ts: chardet
 * (this module is its one door), corrected where it is known to be wrong on
 * short feeds (GBK, TIS-620).
 */

/** How much of the body the detector reads: enough for a verdict (chardet costs ~1 ms per 4 KiB). */
export const DETECT_SAMPLE_BYTES = 16 * 1024;
export const CJK_MULTIBYTE: ReadonlySet<string> = new Set(['gb18030', 'big5', 'shift_jis', 'euc-jp', 'euc-kr']);

/**
 * The detector's best answer that TextDecoder supports, never UTF-8 (we validate
 * UTF-8 exactly ourselves) nor UTF-16/32 (those need a BOM or NULs to be credible).
 */
export function detectLegacy(bytes: Uint8Array, sampleBytes = DETECT_SAMPLE_BYTES): string | undefined {
  const sample = detectorSample(bytes, sampleBytes);
  if (looksLikeThai(sample)) return 'windows-874';
  for (const match of analyse(sample)) {
    const encoding = resolveLabel(match.name);
    if (encoding === undefined || encoding === 'utf-8' || encoding.startsWith('utf-16')) continue;
    if (!CJK_MULTIBYTE.has(encoding) && looksLikeGbk(sample)) return 'gb18030';
    return encoding;
  }
  return undefined;
}

const HAN = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/gu;
const NON_ASCII = /[^\u0000-\u007f]/gu;

/**
 * The detector needs a few hundred characters of Chinese to recognise GBK; on
 * a short feed it answers a Latin code page. Text in a single-byte encoding
 * practically never decodes as GB18030 without error (an accented letter or
 * an odd-length Cyrillic word breaks the byte pairs), so when it does and it
 * reads as Chinese, it is Chinese.
 */
function looksLikeGbk(sample: Uint8Array): boolean {
  const text = tryDecode(sample, 'gb18030');
  if (text === undefined) return false;
  const han = text.match(HAN)?.length ?? 0;
  const nonAscii = text.match(NON_ASCII)?.length ?? 0;
  return han >= 4 && han >= 0.9 * nonAscii;
}

/** Thai above/below vowels and tone marks: they sit on a consonant (or on another mark: กี่). */
const THAI_MARK = /[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]/;
const THAI_BASE = /[\u0e01-\u0e2e\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]/;
/** Vowels, leading vowels and marks: about a third of the letters of Thai prose. */
const THAI_VOWEL = /[\u0e30-\u0e3a\u0e40-\u0e45\u0e47-\u0e4e]/;
/** Signs that prose hardly uses (yamakkan, fongman, angkhankhu, khomut). */
const THAI_RARE = /[\u0e4e\u0e4f\u0e5a\u0e5b]/;

/**
 * chardet reads short TIS-620 as EUC-KR about as often as Thai (the byte
 * pairs fit). Korean or Cyrillic bytes read as TIS-620 do not look like
 * Thai prose: Korean gives a sixth of vowels and marks (its lead bytes are
 * all consonants there) and rare signs, Cyrillic two thirds, and both put
 * marks after spaces and vowels. So: every non-ASCII character is Thai, a
 * quarter to a half of them vowels or marks, the marks on consonants, and
 * rare signs rare.
 */
function looksLikeThai(sample: Uint8Array): boolean {
  const text = tryDecode(sample, 'windows-874');
  if (text === undefined) return false;
  let thai = 0;
  let nonAscii = 0;
  let vowels = 0;
  let odd = 0;
  let previous = '';
  for (const char of text) {
    if (char > '\u007f') nonAscii++;
    if (char >= '\u0e00' && char <= '\u0e7f') thai++;
    if (THAI_VOWEL.test(char)) vowels++;
    if ((THAI_MARK.test(char) && !THAI_BASE.test(previous)) || THAI_RARE.test(char)) odd++;
    previous = char;
  }
  return thai >= 8 && thai >= 0.95 * nonAscii && vowels >= 0.25 * thai && vowels <= 0.55 * thai && odd * 50 <= thai;
}

function detectorSample(bytes: Uint8Array, size: number): Uint8Array {
  if (bytes.length <= size) return bytes;
  // Feeds often open with kilobytes of ASCII markup; start where the text does.
  let start = 0;
  while (start < bytes.length && (bytes[start] ?? 0) < 0x80) start++;
  start = Math.max(0, Math.min(start - 256, bytes.length - size));
  return bytes.subarray(start, start + size);
}

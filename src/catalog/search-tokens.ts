import { normalizeSearchUnits } from './search-normalize.js';

/*
 * How text becomes search terms. Chinese (and Japanese, Korean) has no
 * spaces, so a run of such characters is indexed as its overlapping
 * character bigrams (台湾政府 → 台湾 湾政 政府): any word of two or more
 * characters is then a phrase of adjacent bigrams, found exactly wherever it
 * starts. A run of one character is a token of its own. Other letters and
 * digits make words. Every distinct CJK character of an article is also kept
 * in a separate, position-less list, which answers one-character queries.
 *
 * Text is normalized first (search-normalize.ts), so the tokens are lower
 * case and Simplified.
 */

/** Classes of UTF-16 code units. */
const OTHER = 0;
const WORD = 1;
const CJK = 2;
const HIGH = 3;

const CLASS = buildClasses();

function buildClasses(): Uint8Array {
  const table = new Uint8Array(0x10000);
  const letter = /[\p{L}\p{N}\p{M}]/u;
  for (let c = 0; c < 0xd800; c += 1) if (letter.test(String.fromCharCode(c))) table[c] = WORD;
  for (let c = 0xe000; c < 0x10000; c += 1) if (letter.test(String.fromCharCode(c))) table[c] = WORD;
  const cjk: readonly (readonly [number, number])[] = [
    [0x1100, 0x11ff], // Hangul Jamo
    [0x3040, 0x30ff], // Hiragana, Katakana
    [0x3131, 0x318e], // Hangul compatibility Jamo
    [0x3400, 0x4dbf], // CJK Extension A
    [0x4e00, 0x9fff], // CJK Unified Ideographs
    [0xac00, 0xd7a3], // Hangul syllables
    [0xf900, 0xfaff], // CJK Compatibility Ideographs
  ];
  for (const [start, end] of cjk) for (let c = start; c <= end; c += 1) if (table[c] === WORD) table[c] = CJK;
  // Supplementary planes hold CJK Extensions B-H: a surrogate pair is one CJK character.
  for (let c = 0xd800; c < 0xdc00; c += 1) table[c] = HIGH;
  table[0x3005] = CJK; // 々, the iteration mark, is part of the word it follows
  return table;
}

/** Whether a code unit is part of a word (a letter or digit that is not CJK): where a word match may not continue. */
export function isWordUnit(code: number): boolean {
  return CLASS[code] === WORD;
}

/** Longest Latin word kept: longer runs are data (hashes, base64), not words anyone types. */
const MAX_WORD = 40;

export type Segment = { kind: 'word'; text: string; start: number; end: number } | { kind: 'cjk'; chars: string[]; start: number; end: number };

/**
 * The words and CJK runs of normalized text, in order, with their UTF-16
 * offsets. `chars` holds one string per character (two code units for a
 * character outside the BMP).
 */
export function segmentText(text: string): Segment[] {
  const segments: Segment[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const cls = CLASS[text.charCodeAt(i)]!;
    if (cls === WORD) {
      const start = i;
      while (i < n && CLASS[text.charCodeAt(i)] === WORD) i += 1;
      if (i - start <= MAX_WORD) segments.push({ kind: 'word', text: text.slice(start, i), start, end: i });
    } else if (cls === CJK || (cls === HIGH && isLowSurrogate(text.charCodeAt(i + 1)))) {
      const start = i;
      const chars: string[] = [];
      for (;;) {
        const c = CLASS[text.charCodeAt(i)];
        if (c === CJK) {
          chars.push(text[i]!);
          i += 1;
        } else if (c === HIGH && isLowSurrogate(text.charCodeAt(i + 1))) {
          chars.push(text.slice(i, i + 2));
          i += 2;
        } else break;
      }
      segments.push({ kind: 'cjk', chars, start, end: i });
    } else {
      i += 1;
    }
  }
  return segments;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code < 0xe000;
}

/** The tokens of one CJK run: its bigrams, or the character itself when it stands alone. */
export function runTokens(chars: readonly string[]): string[] {
  if (chars.length === 1) return [chars[0]!];
  const tokens: string[] = [];
  for (let k = 0; k + 1 < chars.length; k += 1) tokens.push(chars[k]! + chars[k + 1]!);
  return tokens;
}

export interface ArticleTokens {
  /** Space-separated tokens of the body, in text order, for the positional index: UTF-8. */
  body: Buffer;
  title: Buffer;
  /** Space-separated distinct CJK characters of title and body, for one-character queries: UTF-8. */
  chars: Buffer;
}

/**
 * Marks of the characters already listed for the current article: a stamp
 * per BMP code unit, so no set is built or cleared per article.
 */
const stamps = new Uint32Array(0x10000);
let stamp = 0;

/**
 * Token text written straight as UTF-8 bytes, the form SQLite takes: a
 * string would be built from code units only to be encoded again when bound
 * (together ~7 µs an article, and garbage). Views of it are valid until the
 * next article.
 */
class Utf8Buffer {
  private bytes = new Uint8Array(16384);
  length = 0;

  reset(): void {
    this.length = 0;
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + extra));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  /** `units[start, end)` and a space. The units hold no lone surrogate (segmenting never keeps one). */
  push(units: Uint16Array, start: number, end: number): void {
    this.reserve((end - start) * 3 + 1);
    const bytes = this.bytes;
    let at = this.length;
    for (let i = start; i < end; i += 1) {
      const u = units[i]!;
      if (u < 0x80) {
        bytes[at++] = u;
      } else if (u < 0x800) {
        bytes[at++] = 0xc0 | (u >> 6);
        bytes[at++] = 0x80 | (u & 0x3f);
      } else if (u >= 0xd800 && u < 0xdc00) {
        const point = 0x10000 + ((u - 0xd800) << 10) + (units[i + 1]! - 0xdc00);
        i += 1;
        bytes[at++] = 0xf0 | (point >> 18);
        bytes[at++] = 0x80 | ((point >> 12) & 0x3f);
        bytes[at++] = 0x80 | ((point >> 6) & 0x3f);
        bytes[at++] = 0x80 | (point & 0x3f);
      } else {
        bytes[at++] = 0xe0 | (u >> 12);
        bytes[at++] = 0x80 | ((u >> 6) & 0x3f);
        bytes[at++] = 0x80 | (u & 0x3f);
      }
    }
    bytes[at++] = 0x20;
    this.length = at;
  }

  /** A string appended as it is (no space after it). */
  append(text: string): void {
    this.reserve(text.length * 3);
    this.length += Buffer.from(this.bytes.buffer, this.bytes.byteOffset).write(text, this.length, 'utf8');
  }

  view(): Buffer {
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.length);
  }
}

const bodyTerms = new Utf8Buffer();
const titleTerms = new Utf8Buffer();
const chars = new Utf8Buffer();

/** The current field, folded (normalizeSearchUnits): tokens are read from here, not from a string. */
let units = new Uint16Array(8192);

function isCjkAt(u: Uint16Array, i: number, n: number): number {
  const cls = CLASS[u[i]!];
  if (cls === CJK) return 1;
  return cls === HIGH && i + 1 < n && isLowSurrogate(u[i + 1]!) ? 2 : 0;
}

/**
 * Written between two CJK runs when the first ends with the character the
 * second starts with (美国，国会): punctuation makes no token, so without it
 * the bigrams 美国 and 国会 would stand side by side and the phrase 美国会
 * would match an article that does not contain it. A private-use character
 * no query can produce.
 */
export const RUN_BREAK = '\ue001';
const RUN_BREAK_UNITS = new Uint16Array([RUN_BREAK.charCodeAt(0)]);

/**
 * Tokens of one field into `terms`, its distinct CJK characters into
 * `chars`. The hot path of indexing: the text is folded into code units
 * once, then one pass over them, no string or array per token.
 */
function fieldTokens(text: string, terms: Utf8Buffer, wide: Set<number>): void {
  const n = text.length;
  if (units.length < n + 1) units = new Uint16Array(Math.max(units.length * 2, n + 1));
  const u = units;
  normalizeSearchUnits(text, u);
  // The run so far: where its previous character starts and how many characters it has.
  let previous = 0;
  let run = 0;
  // Where the last character of the previous run starts, until a word comes between (-1).
  let ended = -1;
  let i = 0;
  while (i < n) {
    const width = isCjkAt(u, i, n);
    if (width > 0) {
      if (width === 1) {
        const code = u[i]!;
        if (stamps[code] !== stamp) {
          stamps[code] = stamp;
          chars.push(u, i, i + 1);
        }
      } else {
        const point = (u[i]! << 16) | u[i + 1]!;
        if (!wide.has(point)) {
          wide.add(point);
          chars.push(u, i, i + 2);
        }
      }
      if (run > 0) terms.push(u, previous, i + width);
      else if (ended >= 0 && sameChar(u, ended, i, n)) terms.push(RUN_BREAK_UNITS, 0, 1);
      previous = i;
      run += 1;
      i += width;
      continue;
    }
    if (run === 1) terms.push(u, previous, i);
    if (run > 0) ended = previous;
    run = 0;
    if (CLASS[u[i]!] === WORD) {
      const start = i;
      while (i < n && CLASS[u[i]!] === WORD) i += 1;
      if (i - start <= MAX_WORD) terms.push(u, start, i);
      ended = -1;
    } else {
      i += 1;
    }
  }
  if (run === 1) terms.push(u, previous, n);
}

/** Whether the characters starting at a and b are the same (one code unit or a surrogate pair). */
function sameChar(u: Uint16Array, a: number, b: number, n: number): boolean {
  if (u[a] !== u[b]) return false;
  return isCjkAt(u, a, n) === 1 || u[a + 1] === u[b + 1];
}

/**
 * The index tokens of one article, from its title and body text as written
 * (normalized here, as normalizeSearchText would). `charsSuffix` is appended
 * to the character list (the source token). The buffers are views, valid
 * until the next call.
 */
export function articleTokens(title: string, body: string, charsSuffix = ''): ArticleTokens {
  stamp = stamp === 0xffffffff ? 1 : stamp + 1;
  if (stamp === 1) stamps.fill(0);
  const wide = new Set<number>();
  chars.reset();
  bodyTerms.reset();
  titleTerms.reset();
  fieldTokens(body, bodyTerms, wide);
  fieldTokens(title, titleTerms, wide);
  chars.append(charsSuffix);
  return { body: bodyTerms.view(), title: titleTerms.view(), chars: chars.view() };
}

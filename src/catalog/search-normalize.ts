import * as OpenCC from 'opencc-js/t2cn';

/**
 * The one form text takes before it is indexed or matched: Traditional
 * characters as Simplified, full-width ASCII as ASCII, letters in lower case.
 * It keeps the length in UTF-16 code units, so an offset into the normalized
 * text is the same offset into the original: snippets are cut from the
 * original text at the places the normalized text matched.
 */
export function normalizeSearchText(text: string): string {
  const map = charMap();
  const n = text.length;
  const out = new Uint16Array(n);
  let changed = false;
  for (let i = 0; i < n; i += 1) {
    const code = text.charCodeAt(i);
    const mapped = map[code]!;
    out[i] = mapped;
    if (mapped !== code) changed = true;
  }
  return changed ? Buffer.from(out.buffer, out.byteOffset, out.byteLength).toString('utf16le') : text;
}

/**
 * normalizeSearchText as code units, into `out` (at least `text.length`
 * long): what indexing reads, without making a string.
 */
export function normalizeSearchUnits(text: string, out: Uint16Array): void {
  const map = charMap();
  const n = text.length;
  for (let i = 0; i < n; i += 1) out[i] = map[text.charCodeAt(i)]!;
}

let cached: Uint16Array | undefined;

/**
 * One code unit for another, for the whole Basic Multilingual Plane (128 KB).
 * Character by character rather than OpenCC's phrase conversion: index and
 * query go through the same table, so a character converted "wrongly" for
 * its context (著 as 着 in 著名) still matches itself, and 台灣, 臺灣 and 台湾
 * all become 台湾. Conversions that would change the length (a few rare
 * characters whose Simplified form lies outside the BMP) are left out.
 */
function charMap(): Uint16Array {
  if (cached) return cached;
  const map = new Uint16Array(0x10000);
  for (let c = 0; c < 0x10000; c += 1) map[c] = c;
  for (let c = 0x41; c <= 0x5a; c += 1) map[c] = c + 0x20;
  // Full-width forms (Ｇ２０, ＡＩ) as the ASCII people type.
  for (let c = 0xff01; c <= 0xff5e; c += 1) map[c] = foldAscii(c - 0xfee0);
  for (let c = 0x80; c < 0x3000; c += 1) {
    if (c >= 0xd800) break;
    const lower = String.fromCharCode(c).toLowerCase();
    if (lower.length === 1) map[c] = lower.charCodeAt(0);
  }
  addChineseVariants(map);
  cached = map;
  return map;
}

function foldAscii(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}

/** The ranges OpenCC's Traditional tables cover: CJK Extension A, Unified Ideographs, Compatibility Ideographs. */
const HAN_RANGES: readonly (readonly [number, number])[] = [
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xf900, 0xfaff],
];

function addChineseVariants(map: Uint16Array): void {
  // Taiwan first (it knows 臺 and Taiwan's variant forms), Hong Kong for what Taiwan leaves alone (裏, 敍).
  const tw = OpenCC.Converter({ from: 'tw', to: 'cn' });
  const hk = OpenCC.Converter({ from: 'hk', to: 'cn' });
  const chars: string[] = [];
  for (const [start, end] of HAN_RANGES) for (let c = start; c <= end; c += 1) chars.push(String.fromCharCode(c));
  // One conversion of all characters, one a line: a newline ends every phrase, so each converts alone.
  const joined = chars.join('\n');
  const viaTw = tw(joined).split('\n');
  const viaHk = hk(joined).split('\n');
  if (viaTw.length !== chars.length || viaHk.length !== chars.length) throw new Error('opencc-js: conversion changed the line count');
  for (let i = 0; i < chars.length; i += 1) {
    const c = chars[i]!.charCodeAt(0);
    const t = viaTw[i]!;
    const h = viaHk[i]!;
    const target = t.charCodeAt(0) !== c ? t : h;
    if (target.length === 1) map[c] = target.charCodeAt(0);
  }
  // To a fixed point: 麼 → 么 → 幺 must land where 么 itself lands.
  for (const [start, end] of HAN_RANGES) {
    for (let c = start; c <= end; c += 1) {
      let target = map[c]!;
      for (let step = 0; step < 4 && map[target] !== target; step += 1) target = map[target]!;
      map[c] = target;
    }
  }
}

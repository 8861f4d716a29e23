import { isAscii, isUtf8, transcode } from 'node:buffer';
import { normalizeEncoding, TextDecoder } from '@exodus/bytes/encoding.js';
import { decodeUtf32, UTF32_LABELS } from './decode-utf32.js';

/*
 * Bytes in a known encoding → text, for decode-body.ts (which finds the
 * encoding). The decoders and labels are the WHATWG Encoding Standard's, from
 * @exodus/bytes (this module is its one door), not Node's TextDecoder: Node
 * 20's ICU decoders silently drop Big5-HKSCS characters (㗎嘅咗啲), turn
 * windows-949 syllables outside KS X 1001 into other letters (똠 became "c"),
 * and do not throw on either in fatal mode, so a wrong label could not even
 * be noticed. UTF-32, which the standard leaves out, is decoded by us.
 */

const labelCache = new Map<string, string | undefined>();

/**
 * WHATWG label → encoding name, undefined for labels we cannot use. GBK labels
 * decode with gb18030, its superset (the Encoding Standard's gbk decoder is the
 * gb18030 decoder anyway); big5-hkscs is already big5 there.
 */
export function resolveLabel(label: string): string | undefined {
  const key = label.trim().toLowerCase();
  if (labelCache.has(key)) return labelCache.get(key);
  let encoding: string | undefined = UTF32_LABELS.get(key) ?? normalizeEncoding(key) ?? undefined;
  if (encoding === 'gbk') encoding = 'gb18030';
  // "replacement" (iso-2022-kr, hz-gb-2312...) decodes every document as one
  // U+FFFD, and x-user-defined is not text: both fall to the next step.
  if (encoding === 'replacement' || encoding === 'x-user-defined') encoding = undefined;
  labelCache.set(key, encoding);
  return encoding;
}

const decoders = new Map<string, InstanceType<typeof TextDecoder>>();
const strictDecoders = new Map<string, InstanceType<typeof TextDecoder>>();

export function decode(bytes: Uint8Array, encoding: string): string {
  if (encoding === 'windows-1252') return decodeWindows1252(bytes);
  if (encoding === 'utf-8' && isUtf8(bytes)) return decodeValidUtf8(bytes);
  if (encoding.startsWith('utf-32')) return decodeUtf32(bytes, encoding, false) ?? '';
  let decoder = decoders.get(encoding);
  if (decoder === undefined) decoders.set(encoding, (decoder = new TextDecoder(encoding)));
  return decoder.decode(bytes);
}

/**
 * Valid UTF-8, as TextDecoder would decode it (one leading BOM dropped), but
 * several times faster on Node 20, whose UTF-8 decoders go through V8's
 * generic path (~150 MB/s on Chinese feeds): pure ASCII is read as Latin-1,
 * anything else is transcoded to UTF-16 by ICU and read as UTF-16 (~1 GB/s).
 * Only for bytes isUtf8 accepted: with invalid bytes the two paths would
 * replace them differently.
 */
function decodeValidUtf8(bytes: Uint8Array): string {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset + start, bytes.length - start);
  if (isAscii(buffer)) return buffer.toString('latin1');
  return transcode(buffer, 'utf8', 'utf16le').toString('utf16le');
}

/** Decodes, or undefined when a byte sequence is invalid in `encoding`. */
export function tryDecode(bytes: Uint8Array, encoding: string): string | undefined {
  if (encoding === 'windows-1252') return decodeWindows1252(bytes); // every byte is valid
  if (encoding.startsWith('utf-32')) return decodeUtf32(bytes, encoding, true);
  let decoder = strictDecoders.get(encoding);
  if (decoder === undefined) strictDecoders.set(encoding, (decoder = new TextDecoder(encoding, { fatal: true })));
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** WHATWG index-windows-1252 for 0x80–0x9F; the rest of the bytes are Latin-1. */
const WINDOWS_1252_C1 =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/**
 * Node 20's TextDecoder('windows-1252') decodes as ISO-8859-1 (0x80 becomes
 * U+0080, not €), so we map the C1 range ourselves.
 */
function decodeWindows1252(bytes: Uint8Array): string {
  const text = latin1(bytes, 0, bytes.length);
  return /[\x80-\x9f]/.test(text) ? text.replace(/[\x80-\x9f]/g, (c) => WINDOWS_1252_C1.charAt(c.charCodeAt(0) - 0x80)) : text;
}

export function latin1(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, Math.max(0, Math.min(end, bytes.length) - start)).toString(
    'latin1',
  );
}

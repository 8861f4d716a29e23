/*
 * UTF-32, which the WHATWG Encoding Standard leaves out (and so TextDecoder
 * and @exodus/bytes), but XML 1.0 Appendix F still names and a few feeds are
 * sent in. Each code unit is one code point, so the decoder is a loop; a
 * dependency for it would be more code than the loop.
 */

/** Labels (lowercase) for UTF-32; plain "utf-32" takes its byte order from the BOM or the bytes. */
export const UTF32_LABELS: ReadonlyMap<string, string> = new Map([
  ['utf-32', 'utf-32'],
  ['utf32', 'utf-32'],
  ['ucs-4', 'utf-32'],
  ['iso-10646-ucs-4', 'utf-32'],
  ['csucs4', 'utf-32'],
  ['utf-32le', 'utf-32le'],
  ['utf-32be', 'utf-32be'],
]);

/** The byte order of a UTF-32 BOM at the start of `bytes`, if there is one. */
export function utf32Bom(bytes: Uint8Array): 'utf-32le' | 'utf-32be' | undefined {
  const [a, b, c, d] = bytes;
  if (a === 0xff && b === 0xfe && c === 0 && d === 0) return 'utf-32le';
  if (a === 0 && b === 0 && c === 0xfe && d === 0xff) return 'utf-32be';
  return undefined;
}

/**
 * XML 1.0 Appendix F without a BOM: "<" as a UTF-32 code unit (00 00 00 3C or
 * 3C 00 00 00). Any first character below U+0100 has the same shape, which is
 * enough for a document that starts with whitespace or markup.
 */
export function sniffUtf32(bytes: Uint8Array): 'utf-32le' | 'utf-32be' | undefined {
  if (bytes.length < 4 || bytes.length % 4 !== 0) return undefined;
  const [a, b, c, d] = bytes;
  if (a === 0 && b === 0 && c === 0 && d !== 0) return 'utf-32be';
  if (a !== 0 && b === 0 && c === 0 && d === 0) return 'utf-32le';
  return undefined;
}

/**
 * Decodes UTF-32 (`encoding` is utf-32le, utf-32be, or utf-32: BOM, else the
 * shape of the bytes, else big-endian as Unicode §3.10 says), dropping a BOM.
 * A code unit that is not a Unicode scalar value, or a trailing partial one,
 * is U+FFFD, or makes the result undefined when `fatal`.
 */
export function decodeUtf32(bytes: Uint8Array, encoding: string, fatal: boolean): string | undefined {
  const order = encoding === 'utf-32' ? (utf32Bom(bytes) ?? sniffUtf32(bytes) ?? 'utf-32be') : encoding;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = order === 'utf-32le';
  const start = utf32Bom(bytes) === order ? 4 : 0;
  const units: number[] = [];
  const parts: string[] = [];
  for (let i = start; i + 4 <= bytes.length; i += 4) {
    let cp = view.getUint32(i, little);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      if (fatal) return undefined;
      cp = 0xfffd;
    }
    units.push(cp);
    if (units.length === 8192) parts.push(String.fromCodePoint(...units.splice(0)));
  }
  if (bytes.length % 4 !== 0) {
    if (fatal) return undefined;
    units.push(0xfffd);
  }
  parts.push(String.fromCodePoint(...units));
  return parts.join('');
}

import { isAscii, isUtf8 } from 'node:buffer';
import { CJK_MULTIBYTE, DETECT_SAMPLE_BYTES, detectLegacy } from './decode-detect.js';
import { decodeItemwise } from './decode-items.js';
import { decode, latin1, resolveLabel, tryDecode } from './decode-text.js';
import { sniffUtf32, utf32Bom } from './decode-utf32.js';

export interface DecodedText {
  /** The decoded text, without a byte order mark. */
  text: string;
  /** WHATWG name of the encoding actually used, e.g. 'utf-8', 'gb18030', 'big5'. */
  encoding: string;
  /** Where that encoding came from. */
  source: 'bom' | 'http' | 'xml' | 'meta' | 'detected' | 'default';
  /** One line when a declaration contradicted the bytes. */
  conflict?: string;
  /**
   * Some bytes could not be decoded and became U+FFFD. A U+FFFD in text
   * decoded without loss is the publisher's own character, not a sign of
   * bytes misread.
   */
  lossy: boolean;
}

type DeclarationSource = 'http' | 'xml' | 'meta';

interface Declaration {
  label: string;
  encoding: string;
  source: DeclarationSource;
}

const WHERE: Record<DeclarationSource, string> = {
  http: 'Content-Type',
  xml: 'the XML declaration',
  meta: 'the HTML <meta>',
};

/** How far into an HTML document we look for <meta charset>; browsers stop at 1024 bytes, real pages don't. */
const META_SCAN_BYTES = 64 * 1024;
/** The sample that confirms a declared CJK double-byte encoding. */
const CJK_CHECK_BYTES = 4 * 1024;

/**
 * Turns response bytes into text, in the order the WHATWG Encoding Standard and
 * XML 1.0 Appendix F give: BOM, then the transport's charset, then what the
 * document says about itself, then a detector, then UTF-8. Every declaration is
 * checked against the bytes, because feeds lie: "GB2312" servers that send UTF-8
 * are common. Checks are cheap (simdutf validation); the detector reads a
 * sample only when no declaration survives, or (4 KiB) to confirm a declared
 * CJK double-byte encoding, which no decoding error can confirm.
 */
export function decodeBody(bytes: Uint8Array, contentType?: string): DecodedText {
  const decoded = decodeAny(bytes, contentType);
  // Only a text holding U+FFFD can have lost bytes; a second, strict decode tells (rare, so cheap).
  const lossy = decoded.lossy ?? (decoded.text.includes('\ufffd') && tryDecode(bytes, decoded.encoding) === undefined);
  return { ...decoded, lossy };
}

/** What decodeAny finds; `lossy` is known only where items were decoded one by one (none were lossy). */
type Decoding = Omit<DecodedText, 'lossy'> & { lossy?: boolean };

function decodeAny(bytes: Uint8Array, contentType?: string): Decoding {
  const bom = sniffBom(bytes);
  if (bom !== undefined) {
    // "BOM sniffing ... overrides any other encoding label" (WHATWG Encoding, decode).
    const itemwise = bom === 'utf-8' && !isUtf8(bytes) ? decodeItemwise(bytes.subarray(3)) : undefined;
    if (itemwise !== undefined) return { text: itemwise.text, encoding: bom, source: 'bom', conflict: itemwise.note, lossy: false };
    const decoded: Decoding = { text: decode(bytes, bom), encoding: bom, source: 'bom' };
    const first: IteratorResult<Declaration, void> = declarations(bytes, contentType).next();
    const overruled = first.done === true ? undefined : first.value;
    if (overruled !== undefined && overruled.encoding !== bom) {
      decoded.conflict = `${WHERE[overruled.source]} declared ${overruled.label} but the bytes start with a ${bom.toUpperCase()} BOM`;
    }
    return decoded;
  }
  const conflicts: string[] = [];
  for (const declaration of declarations(bytes, contentType)) {
    const decoded = decodeDeclared(bytes, declaration, conflicts);
    if (decoded !== undefined) return withConflicts(decoded, conflicts);
  }
  return withConflicts(decodeUndeclared(bytes), conflicts);
}

function withConflicts(decoded: Decoding, conflicts: string[]): Decoding {
  if (decoded.conflict !== undefined) conflicts.push(decoded.conflict);
  if (conflicts.length > 0) decoded.conflict = conflicts.join('; ');
  return decoded;
}

function sniffBom(bytes: Uint8Array): string | undefined {
  // FF FE 00 00 is also a UTF-16LE BOM before a NUL, but no feed starts with a NUL (XML 1.0 Appendix F).
  const utf32 = utf32Bom(bytes);
  if (utf32 !== undefined) return utf32;
  const [a, b, c] = bytes;
  if (a === 0xef && b === 0xbb && c === 0xbf) return 'utf-8';
  if (a === 0xff && b === 0xfe) return 'utf-16le';
  if (a === 0xfe && b === 0xff) return 'utf-16be';
  return undefined;
}

/** Declarations in priority order, computed lazily: most bodies stop at the first. */
function* declarations(bytes: Uint8Array, contentType: string | undefined): Generator<Declaration> {
  const http = contentType === undefined ? undefined : charsetParameter(contentType);
  if (http !== undefined) yield* resolved(http, 'http');
  const head = latin1(bytes, 0, 1024);
  const xml = xmlDeclarationEncoding(head);
  if (xml !== undefined) yield* resolved(xml, 'xml');
  // A document with an XML declaration, or whose root is a feed element, is not
  // HTML: a <meta> inside a CDATA item body must not decide the whole feed.
  if (looksLikeHtml(head)) {
    const meta = metaCharset(latin1(bytes, 0, META_SCAN_BYTES));
    if (meta !== undefined) yield* resolved(meta, 'meta');
  }
}

function* resolved(label: string, source: DeclarationSource): Generator<Declaration> {
  let encoding = resolveLabel(label);
  // WHATWG HTML, prescan: a <meta> naming UTF-16 was read as ASCII, so it is UTF-8.
  // The same reasoning holds for an XML declaration we could read byte by byte, and for UTF-32.
  if (source !== 'http' && encoding !== undefined && /^utf-(?:16|32)/.test(encoding)) encoding = 'utf-8';
  if (encoding !== undefined) yield { label: label.toLowerCase(), encoding, source };
}

function charsetParameter(contentType: string): string | undefined {
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(contentType);
  const label = match?.[1] ?? match?.[2];
  return label === undefined || label.trim() === '' ? undefined : label.trim();
}

function xmlDeclarationEncoding(head: string): string | undefined {
  // Leading whitespace before <?xml is an XML error, but real feeds have it.
  const match = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']\s*([^"'\s]+)\s*["']/.exec(head);
  return match?.[1];
}

function looksLikeHtml(head: string): boolean {
  const start = head.replace(/^(?:\s+|<!--[\s\S]*?-->|<\?[\s\S]*?\?>)*/, '');
  if (!start.startsWith('<')) return false;
  if (/^<\?xml/i.test(head.trimStart())) return false;
  return !/^<(?:[\w-]+:)?(?:rss|feed|rdf|channel)[\s>/]/i.test(start);
}

function metaCharset(text: string): string | undefined {
  const headEnd = text.search(/<\/head\s*>|<body[\s>]/i);
  const head = (headEnd === -1 ? text : text.slice(0, headEnd)).replace(/<!--[\s\S]*?-->/g, '');
  for (const [tag] of head.matchAll(/<meta\s[^>]*>/gi)) {
    const direct = /\scharset\s*=\s*["']?\s*([^\s"'/>;]+)/i.exec(tag);
    if (direct?.[1] !== undefined) return direct[1];
    if (!/http-equiv\s*=\s*["']?\s*content-type/i.test(tag)) continue;
    const content = /\scontent\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(tag);
    const value = content?.[1] ?? content?.[2];
    const label = value === undefined ? undefined : /charset\s*=\s*["']?([^\s"';]+)/i.exec(value)?.[1];
    if (label !== undefined) return label;
  }
  return undefined;
}

function decodeDeclared(
  bytes: Uint8Array,
  declaration: Declaration,
  conflicts: string[],
): Decoding | undefined {
  const { label, encoding, source } = declaration;
  const where = WHERE[source];
  if (encoding === 'utf-8') {
    if (isUtf8(bytes)) return { text: decode(bytes, 'utf-8'), encoding, source };
    const itemwise = decodeItemwise(bytes);
    if (itemwise !== undefined) {
      conflicts.push(`${where} declared ${label} but ${itemwise.note}`);
      return { text: itemwise.text, encoding, source };
    }
    conflicts.push(`${where} declared ${label} but the bytes are not UTF-8`);
    return undefined;
  }
  if (encoding === 'utf-16le' || encoding === 'utf-16be') {
    if (looksLikeUtf16(bytes)) return { text: decode(bytes, encoding), encoding, source };
    conflicts.push(`${where} declared ${label} but the bytes are not UTF-16`);
    return undefined;
  }
  if (encoding.startsWith('utf-32')) {
    const text = sniffUtf32(bytes) === undefined ? undefined : tryDecode(bytes, encoding);
    if (text !== undefined) return { text, encoding, source };
    conflicts.push(`${where} declared ${label} but the bytes are not UTF-32`);
    return undefined;
  }
  // Genuine legacy-encoded text is practically never valid UTF-8 once it holds
  // a few non-ASCII characters, so valid multi-byte UTF-8 means the label is wrong.
  if (!isAscii(bytes) && isUtf8(bytes)) {
    conflicts.push(`${where} declared ${label} but the bytes are UTF-8`);
    return { text: decode(bytes, 'utf-8'), encoding: 'utf-8', source: 'detected' };
  }
  const strict = tryDecode(bytes, encoding);
  if (strict !== undefined && !CJK_MULTIBYTE.has(encoding)) return { text: strict, encoding, source };
  // The CJK double-byte encodings accept most of each other's bytes (GBK decodes
  // as Big5 without a single error), so for them a clean decode proves nothing;
  // a small detector sample does. Elsewhere the detector runs only when the
  // label failed to decode. Its answer is trusted only when it decodes cleanly.
  const guess = detectLegacy(bytes, strict === undefined ? DETECT_SAMPLE_BYTES : CJK_CHECK_BYTES);
  const confirmed = guess === encoding || (strict !== undefined && !CJK_MULTIBYTE.has(guess ?? ''));
  if (strict !== undefined && confirmed) return { text: strict, encoding, source };
  if (guess !== undefined && guess !== encoding && !(strict === undefined && weakAgainst(guess, bytes, encoding))) {
    const text = tryDecode(bytes, guess);
    if (text !== undefined) {
      conflicts.push(`${where} declared ${label} but the bytes are ${guess}`);
      return { text, encoding: guess, source: 'detected' };
    }
  }
  if (strict !== undefined) return { text: strict, encoding, source };
  conflicts.push(`${where} declared ${label} but some bytes are not valid ${encoding} (replaced with U+FFFD)`);
  return { text: decode(bytes, encoding), encoding, source };
}

/**
 * A single-byte code page decodes any bytes, so a detector that names one
 * (chardet answers windows-1252 on a short feed) is no evidence against a
 * declared CJK encoding that reads nine in ten of them: a Big5 feed with
 * one broken title is a Big5 feed, and read as windows-1252 every title
 * would be mojibake. Thai is told by its script (decode-detect.ts), not by
 * that fallback.
 */
function weakAgainst(guess: string, bytes: Uint8Array, declared: string): boolean {
  if (!CJK_MULTIBYTE.has(declared) || CJK_MULTIBYTE.has(guess) || guess === 'windows-874') return false;
  const text = decode(bytes, declared);
  const replaced = text.match(/\ufffd/g)?.length ?? 0;
  const nonAscii = text.match(/[^\u0000-\u007f]/g)?.length ?? 0;
  return replaced * 10 <= nonAscii;
}

function decodeUndeclared(bytes: Uint8Array): Decoding {
  const utf32 = sniffUtf32(bytes);
  if (utf32 !== undefined) {
    const text = tryDecode(bytes, utf32);
    if (text !== undefined) return { text, encoding: utf32, source: 'detected' };
  }
  const utf16 = sniffUtf16WithoutBom(bytes);
  if (utf16 !== undefined) return { text: decode(bytes, utf16), encoding: utf16, source: 'detected' };
  if (isUtf8(bytes)) {
    const text = decode(bytes, 'utf-8');
    return { text, encoding: 'utf-8', source: isAscii(bytes) ? 'default' : 'detected' };
  }
  const itemwise = decodeItemwise(bytes);
  if (itemwise !== undefined) return { text: itemwise.text, encoding: 'utf-8', source: 'detected', conflict: itemwise.note, lossy: false };
  const guess = detectLegacy(bytes);
  if (guess !== undefined) return { text: decode(bytes, guess), encoding: guess, source: 'detected' };
  return { text: decode(bytes, 'utf-8'), encoding: 'utf-8', source: 'default' };
}

/** XML 1.0 Appendix F: "<?" as UTF-16 code units without a BOM. */
function sniffUtf16WithoutBom(bytes: Uint8Array): string | undefined {
  const [a, b, c, d] = bytes;
  if (a === 0x3c && b === 0 && c === 0x3f && d === 0) return 'utf-16le';
  if (a === 0 && b === 0x3c && c === 0 && d === 0x3f) return 'utf-16be';
  return undefined;
}

function looksLikeUtf16(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, 512);
  for (let i = 0; i < end; i++) if (bytes[i] === 0) return true;
  return false;
}

import { decodeReferences } from '../domain/decode-references.js';

/**
 * The XML scanning half of the fast feed reader (fast-feed-reader.ts): just
 * enough of what feedsmith's parser (fast-xml-parser 5 with feedsmith's
 * options) does to a well-formed feed to reproduce it exactly, and a
 * NotMine exception for everything else. Rules it copies, with where from:
 *
 * - CR LF and CR become LF before anything is read (OrderedObjParser.parseXml).
 * - Tag and attribute names are lower-cased; attribute values are kept raw.
 * - The fields we read are "stop nodes": their content is the raw text up to
 *   the matching close tag, found the way readStopNodeData finds it (nested
 *   same-name tags counted, comments, PIs and CDATA skipped, quotes in tags
 *   respected), and turned into a string by feedsmith's parseString (comments
 *   dropped, CDATA unwrapped, HTML entities decoded outside CDATA, trimmed).
 * - Elements we do not read are skipped, but only when they are strictly
 *   well-formed: every start tag paired with its own close tag, attributes
 *   quoted; anything else (a PI, a DOCTYPE, `<!` that is not a comment or
 *   CDATA, a stray `<`, an unpaired tag) is NotMine.
 */
export class NotMine extends Error {}

export function notMine(why: string): never {
  throw new NotMine(why);
}

export interface StartTag {
  /** As written, for the close tag. */
  rawName: string;
  /** Lower-cased, as feedsmith keys it. */
  name: string;
  /** Lower-cased attribute names → raw values; undefined when the tag has none. */
  attrs: Map<string, string> | undefined;
  selfClosing: boolean;
  /** Index just past the `>`. */
  end: number;
}

/** fast-xml-parser refuses or renames these (prototype-pollution guard); not ours to reproduce. */
const DANGEROUS = new Set(['__proto__', 'constructor', 'prototype', 'hasownproperty', 'tostring', 'valueof']);
const MAX_DEPTH = 64;

function isNameChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95 || code === 45 || code === 46 || code === 58
  );
}

function isSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 9;
}

/**
 * A start tag at `lt` in strict form: `<name (ws name ws? = ws? "value")* ws? /?>`.
 * `onAttr` sees every attribute (the namespace check).
 */
export function readStartTag(s: string, lt: number, onAttr?: (name: string, value: string) => void): StartTag {
  let i = lt + 1;
  const first = s.charCodeAt(i);
  if (!isNameChar(first) || first === 45 || first === 46 || first === 58 || (first >= 48 && first <= 57)) notMine('tag name');
  while (isNameChar(s.charCodeAt(i))) i++;
  const rawName = s.slice(lt + 1, i);
  const name = rawName.toLowerCase();
  if (DANGEROUS.has(name)) notMine('reserved tag name');
  let attrs: Map<string, string> | undefined;
  for (;;) {
    const spaced = isSpace(s.charCodeAt(i));
    while (isSpace(s.charCodeAt(i))) i++;
    const code = s.charCodeAt(i);
    if (code === 62) return { rawName, name, attrs, selfClosing: false, end: i + 1 };
    if (code === 47) {
      if (s.charCodeAt(i + 1) !== 62) notMine('stray / in tag');
      return { rawName, name, attrs, selfClosing: true, end: i + 2 };
    }
    if (!spaced || !isNameChar(code)) notMine('attribute syntax');
    const nameStart = i;
    while (isNameChar(s.charCodeAt(i))) i++;
    const attrName = s.slice(nameStart, i).toLowerCase();
    while (isSpace(s.charCodeAt(i))) i++;
    if (s.charCodeAt(i) !== 61) notMine('attribute without value');
    i++;
    while (isSpace(s.charCodeAt(i))) i++;
    const quote = s.charCodeAt(i);
    if (quote !== 34 && quote !== 39) notMine('unquoted attribute');
    const close = s.indexOf(quote === 34 ? '"' : "'", i + 1);
    if (close === -1) notMine('unterminated attribute');
    const value = s.slice(i + 1, close);
    attrs ??= new Map();
    if (attrs.has(attrName) || DANGEROUS.has(attrName)) notMine('repeated or reserved attribute');
    attrs.set(attrName, value);
    onAttr?.(attrName, value);
    i = close + 1;
  }
}

/**
 * The raw content of a stop node whose start tag ends at `from`, as
 * fast-xml-parser's readStopNodeData finds it. Returns [content end, index past the close tag].
 */
export function readStopContent(s: string, rawName: string, from: number): [number, number] {
  let open = 1;
  let i = from;
  for (;;) {
    i = s.indexOf('<', i);
    if (i === -1) notMine(`${rawName} not closed`);
    const c1 = s.charCodeAt(i + 1);
    if (c1 === 47) {
      const close = s.indexOf('>', i);
      if (close === -1) notMine('close tag not closed');
      if (s.slice(i + 2, close).trim() === rawName && --open === 0) return [i, close + 1];
      i = close + 1;
    } else if (c1 === 63) {
      i = after(s, '?>', i + 1);
    } else if (c1 === 33 && s.charCodeAt(i + 2) === 45 && s.charCodeAt(i + 3) === 45) {
      i = after(s, '-->', i + 3);
    } else if (c1 === 33 && s.charCodeAt(i + 2) === 91) {
      i = after(s, ']]>', i);
    } else {
      const close = quotedTagEnd(s, i + 1);
      // fast-xml-parser reads on past an unterminated tag; we do not follow it there.
      if (close === -1) notMine('unterminated tag in content');
      // readTagExp: the name runs to the first whitespace; `/` at the very end closes the tag.
      const data = s.slice(i + 1, close);
      const space = data.search(/\s/);
      const tagName = space === -1 ? data : data.slice(0, space);
      const rest = space === -1 ? data : data.slice(space + 1).trimStart();
      if (tagName === rawName && rest.charCodeAt(rest.length - 1) !== 47) open++;
      i = close + 1;
    }
  }
}

function after(s: string, marker: string, from: number): number {
  const at = s.indexOf(marker, from);
  if (at === -1) notMine(`${marker} missing`);
  return at + marker.length;
}

/** fast-xml-parser's tagExpWithClosingIndex: the `>` that ends a tag, skipping quoted text; -1 when none. */
export function quotedTagEnd(s: string, from: number, closing = '>'): number {
  const close0 = closing.charCodeAt(0);
  const close1 = closing.length > 1 ? closing.charCodeAt(1) : -1;
  let quote = 0;
  for (let i = from; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (quote !== 0) {
      if (code === quote) quote = 0;
    } else if (code === 34 || code === 39) {
      quote = code;
    } else if (code === close0 && (close1 === -1 || s.charCodeAt(i + 1) === close1)) {
      return i;
    }
  }
  return -1;
}

export type Child = StartTag | { close: number };

/**
 * The next child element of the element named `rawName`, or its close tag
 * ({ close: index past it }). Text, comments and CDATA between children are
 * passed over, as fast-xml-parser keeps them only as text we never read.
 */
export function nextChild(s: string, from: number, rawName: string, onAttr?: (name: string, value: string) => void): Child {
  let i = from;
  for (;;) {
    i = s.indexOf('<', i);
    if (i === -1) notMine(`${rawName} not closed`);
    const c1 = s.charCodeAt(i + 1);
    if (c1 === 47) {
      const close = s.indexOf('>', i);
      if (close === -1 || s.slice(i + 2, close).trim() !== rawName) notMine(`unpaired </${s.slice(i + 2, i + 40)}`);
      return { close: close + 1 };
    }
    if (c1 === 33) {
      if (s.startsWith('<!--', i)) i = after(s, '-->', i + 4);
      else if (s.startsWith('<![CDATA[', i)) i = after(s, ']]>', i);
      else notMine('<! other than a comment or CDATA');
      continue;
    }
    if (c1 === 63) notMine('processing instruction inside the document');
    return readStartTag(s, i, onAttr);
  }
}

/** Skips a whole element that we do not read; it must be strictly well-formed. Returns the index past it. */
export function skipElement(s: string, tag: StartTag, onAttr?: (name: string, value: string) => void): number {
  if (tag.selfClosing) return tag.end;
  const open: string[] = [tag.rawName];
  let i = tag.end;
  while (open.length > 0) {
    const child = nextChild(s, i, open[open.length - 1] as string, onAttr);
    if ('close' in child) {
      open.pop();
      i = child.close;
    } else {
      if (!child.selfClosing) {
        if (open.length >= MAX_DEPTH) notMine('nested too deep');
        open.push(child.rawName);
      }
      i = child.end;
    }
  }
  return i;
}

/** trousse's isNonEmptyString, which feedsmith's parseText asks of a bare element's text. */
export function isNonEmptyString(value: string): boolean {
  if (value === '') return false;
  const code = value.charCodeAt(0);
  if (code > 32 && code < 127) return true;
  return !/^\p{White_Space}*$/u.test(value);
}

/** trousse's coerceNumber on a raw attribute. */
export function parseNumber(value: string | undefined): number | undefined {
  if (value === undefined || !isNonEmptyString(value)) return undefined;
  const numeric = +value;
  return Number.isNaN(numeric) ? undefined : numeric;
}

/** trousse's coerceBoolean on a raw attribute. */
export function parseBoolean(value: string | undefined): boolean | undefined {
  if (value === undefined || !isNonEmptyString(value)) return undefined;
  if (/^\p{White_Space}*true\p{White_Space}*$/iu.test(value)) return true;
  if (/^\p{White_Space}*false\p{White_Space}*$/iu.test(value)) return false;
  return undefined;
}

/** feedsmith's parseString on raw element text or a raw attribute value. */
export function parseString(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  return decodeWithCdata(stripComments(raw)).trim() || undefined;
}

function stripComments(text: string): string {
  let at = text.indexOf('<!--');
  if (at === -1) return text;
  let result = '';
  let last = 0;
  while (at !== -1) {
    result += text.slice(last, at);
    const end = text.indexOf('-->', at + 4);
    if (end === -1) return text;
    last = end + 3;
    at = text.indexOf('<!--', last);
  }
  return result + text.slice(last);
}

/** Each CDATA section's text as it is, the text between decoded; joined once (a `+=` per section made a rope as long). */
function decodeWithCdata(text: string): string {
  let at = text.indexOf('<![CDATA[');
  if (at === -1) return decodeEntities(text);
  const parts: string[] = [];
  let last = 0;
  while (at !== -1) {
    parts.push(decodeEntities(text.slice(last, at)));
    const end = text.indexOf(']]>', at + 9);
    if (end === -1) return decodeEntities(text);
    parts.push(text.slice(at + 9, end));
    last = end + 3;
    at = text.indexOf('<![CDATA[', last);
  }
  parts.push(decodeEntities(text.slice(last)));
  // One section and nothing around it, the usual body: itself, not a copy.
  const filled = parts.filter((part) => part !== '');
  return filled.length === 1 ? filled[0]! : filled.join('');
}

/** feedsmith decodes only when an `&` has a `;` somewhere after it. */
function decodeEntities(text: string): string {
  const amp = text.indexOf('&');
  return amp !== -1 && text.indexOf(';', amp) !== -1 ? decodeReferences(text) : text;
}

/** After the root's close tag: only whitespace and comments. */
export function expectEnd(s: string, from: number): void {
  let i = from;
  for (;;) {
    while (/\s/.test(s.charAt(i))) i++;
    if (i >= s.length) return;
    if (!s.startsWith('<!--', i)) notMine('content after the root');
    const end = s.indexOf('-->', i + 4);
    if (end === -1) notMine('comment not closed');
    i = end + 3;
  }
}

/** The document being read and the namespace check its attributes go through. */
export interface Doc {
  s: string;
  onAttr: (name: string, value: string) => void;
}

/**
 * Reads the child elements of `tag` one by one: `visit` reads one and returns
 * the index past it. Returns the index past `tag`'s close tag.
 */
export function eachChild(doc: Doc, tag: StartTag, visit: (child: StartTag) => number): number {
  let i = tag.end;
  for (;;) {
    const child = nextChild(doc.s, i, tag.rawName, doc.onAttr);
    if ('close' in child) return child.close;
    i = visit(child);
  }
}

/** A stop node's raw text and the index past it. */
export function stopText(doc: Doc, tag: StartTag): [string, number] {
  if (tag.selfClosing) return ['', tag.end];
  const [contentEnd, next] = readStopContent(doc.s, tag.rawName, tag.end);
  return [doc.s.slice(tag.end, contentEnd), next];
}

export function assign<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

export function pushDefined<T>(list: T[], value: T | undefined): void {
  if (value !== undefined) list.push(value);
}

export function dropUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as Array<keyof T>) if (value[key] === undefined) delete value[key];
  return value;
}

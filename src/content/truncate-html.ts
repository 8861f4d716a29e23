import { Parser } from 'htmlparser2';

/** An element open at a cut: a persistent stack, so keeping one per boundary costs nothing however deep the nesting. */
interface Open {
  name: string;
  parent: Open | undefined;
  /** Bytes of the end tags that close this element and every one it is in. */
  closing: number;
}

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

function endTags(open: Open | undefined): string {
  const tags: string[] = [];
  for (let e = open; e; e = e.parent) tags.push(`</${e.name}>`);
  return tags.join('');
}

/**
 * The longest prefix of `text` of at most `bytes` UTF-8 bytes that splits no
 * character (surrogate pair) and no character reference (`&amp;` cut to `&am`).
 */
function textPrefix(text: string, bytes: number): string {
  let end = 0;
  let used = 0;
  for (const c of text) {
    const size = utf8(c);
    if (used + size > bytes) break;
    used += size;
    end += c.length;
  }
  const amp = text.lastIndexOf('&', end - 1);
  return amp !== -1 && !text.slice(amp, end).includes(';') ? text.slice(0, amp) : text.slice(0, end);
}

/**
 * `html` cut to at most `maxBytes` UTF-8 bytes, end tags of the elements
 * left open included, or undefined when it fits whole. The cut falls between
 * elements (before a tag, a comment or a text), at the last such boundary
 * that fits; inside a text only when that boundary would keep less than
 * half of `maxBytes` (one text of megabytes). Read by htmlparser2, the
 * tokenizer of the sanitizer, as a stream that stops at the cut: a body of
 * 13 MB is not read further than its first `maxBytes`, and the prefix parses
 * to the same elements it held in the whole body. Deterministic.
 */
export function truncateHtml(html: string, maxBytes: number): string | undefined {
  if (html.length <= maxBytes / 3 || utf8(html) <= maxBytes) return undefined;
  let open: Open | undefined;
  let best = { at: 0, bytes: 0, open: undefined as Open | undefined };
  let scanned = 0;
  let scannedBytes = 0;
  // Right after a start tag: a cut there would leave the element empty; the boundary before its tag is better.
  let justOpened = false;
  let textCut: string | undefined;
  let over = false;
  // Each token's start is a boundary: the prefix before it, with the elements open there closed.
  const boundary = (at: number): boolean => {
    if (over || at <= scanned) return !over;
    scannedBytes += utf8(html.slice(scanned, at));
    scanned = at;
    if (scannedBytes + (open?.closing ?? 0) > maxBytes) over = true;
    else if (!justOpened) best = { at, bytes: scannedBytes, open };
    return !over;
  };
  const parser: Parser = new Parser(
    {
      onopentag(name) {
        if (!boundary(parser.startIndex)) return parser.pause();
        open = { name, parent: open, closing: (open?.closing ?? 0) + name.length + 3 };
        justOpened = true;
      },
      onclosetag(name) {
        if (!boundary(parser.startIndex)) return parser.pause();
        if (open?.name === name) open = open.parent;
        justOpened = false;
      },
      ontext(text) {
        const start = parser.startIndex;
        if (!boundary(start)) return parser.pause();
        const room = maxBytes - scannedBytes - (open?.closing ?? 0);
        const kept = utf8(text) > room && best.bytes < maxBytes / 2 ? textPrefix(text, room) : '';
        if (kept !== '') {
          textCut = html.slice(0, start) + kept + endTags(open);
          over = true;
          return parser.pause();
        }
        justOpened = false;
      },
      oncomment() {
        if (!boundary(parser.startIndex)) return parser.pause();
        justOpened = false;
      },
      onprocessinginstruction() {
        if (!boundary(parser.startIndex)) return parser.pause();
        justOpened = false;
      },
    },
    { decodeEntities: false },
  );
  parser.end(html);
  if (!over) boundary(html.length);
  return textCut ?? html.slice(0, best.at) + endTags(best.open);
}

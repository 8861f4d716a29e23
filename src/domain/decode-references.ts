import { decodeHTML } from 'entities';

/** Characters decoded at once: a piece's rope is small enough to live and die young. */
const PIECE = 1 << 16;

/** Written (never read), so the flattening read cannot be optimized away. */
let lastRead = 0;

/**
 * V8 makes `a += b` a rope (a cons string) that it copies into one flat
 * string only when the string is read. decodeHTML builds its result that way,
 * two nodes per reference: a text of a million references held ~70 MB of
 * nodes for its 6 MB until read, past what a cleaning thread may hold
 * beside the rest (issue 15). Reading one character flattens the rope in place.
 */
function flattened(text: string): string {
  lastRead = text.charCodeAt(text.length >> 1);
  return text;
}

/**
 * decodeHTML (HTML's named and numeric references, as feedsmith decodes
 * feeds), with the same result, on a long text in pieces that are each cut
 * just before an `&` (no reference holds one, so each decodes as it would in
 * the whole) and flattened as they are made, then joined (flat) once.
 */
export function decodeReferences(text: string, piece = PIECE): string {
  if (text.length <= piece) return decodeHTML(text);
  const parts: string[] = [];
  for (let start = 0; start < text.length; ) {
    let end = text.lastIndexOf('&', start + piece);
    // No `&` after the start within a piece: up to the next one (the start's reference may be long: &#0000…65;).
    if (end <= start) end = text.indexOf('&', start + piece);
    if (end === -1) end = text.length;
    parts.push(flattened(decodeHTML(text.slice(start, end))));
    start = end;
  }
  return parts.join('');
}

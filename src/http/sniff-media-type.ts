/**
 * What a response body is when it cannot be a feed, and whether a
 * Content-Type names a feed's kind of document. A feed is read by its bytes
 * (servers send RSS as text/plain, application/octet-stream or text/html),
 * as the WHATWG MIME Sniffing Standard's feed rules do; the type only names
 * what a body that is no feed was served as.
 */

/** The bare type of a Content-Type header: `text/plain; charset=utf-8` → `text/plain`. */
export function essence(contentType: string | undefined): string | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type === undefined || type === '' ? undefined : type;
}

/** XML and JSON types (RSS, Atom, RDF and JSON Feed are served as these), and HTML, which feeds are often served as. */
export function isFeedMediaType(contentType: string | undefined): boolean {
  const type = essence(contentType);
  if (type === undefined) return true;
  return /^(?:application|text)\/(?:[\w.+-]+\+)?(?:xml|json)$/.test(type) || type === 'text/html' || type === 'application/xhtml+xml';
}

const ascii = (b: Uint8Array, at: number, text: string) => [...text].every((c, i) => b[at + i] === c.charCodeAt(0));

/** Magic numbers (WHATWG MIME Sniffing §7.1, "matching an image/archive type pattern"). */
const SIGNATURES: Array<[string, (b: Uint8Array) => boolean]> = [
  ['a PNG image', (b) => b[0] === 0x89 && ascii(b, 1, 'PNG\r\n\x1a\n')],
  ['a JPEG image', (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ['a GIF image', (b) => ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a')],
  ['a WebP image', (b) => ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBPVP')],
  ['an AVIF image', (b) => ascii(b, 4, 'ftypavif') || ascii(b, 4, 'ftypavis')],
  ['an ICO image', (b) => b[0] === 0 && b[1] === 0 && b[2] === 1 && b[3] === 0],
  ['a PDF document', (b) => ascii(b, 0, '%PDF-')],
  ['a ZIP archive', (b) => ascii(b, 0, 'PK\x03\x04')],
  ['a gzip file', (b) => b[0] === 0x1f && b[1] === 0x8b && b[2] === 0x08],
];

/**
 * A description such as "a PNG image, served as image/png" when the body is
 * one of the binary kinds a magic number names, or is served as an image,
 * audio or video and does not start like a document (`<`, `{`, `[`); else
 * undefined: the body is read as a feed.
 */
export function describeNonFeed(body: Uint8Array, contentType: string | undefined): string | undefined {
  const type = essence(contentType);
  const served = type === undefined ? '' : `, served as ${type}`;
  const named = SIGNATURES.find(([, matches]) => matches(body))?.[0];
  if (named !== undefined) return `${named}${served}`;
  const kind = /^(image|audio|video)\//.exec(type ?? '')?.[1];
  if (kind === undefined || startsLikeDocument(body)) return undefined;
  return `${kind === 'audio' ? 'an audio file' : kind === 'video' ? 'a video' : 'an image'}${served}`;
}

function startsLikeDocument(body: Uint8Array): boolean {
  const head = new TextDecoder('utf-8').decode(body.subarray(0, 64)).replace(/^[\s\ufeff\0]+/, '');
  return /^[<{[]/.test(head);
}

/**
 * Atom 0.3 (§3.1.2) lets a content construct say `mode="base64"`: its text is
 * the content encoded in base64. Neither reader decodes it, so titles and
 * bodies came out as base64. The document is rewritten before reading: each
 * such element gets its decoded text (UTF-8), XML-escaped, and loses the mode,
 * so its `type` (text/plain, text/html) says what it is as for any other.
 * Text that is not valid base64 is left as it was.
 */
const BASE64_ELEMENT =
  /<((?:[\w.-]+:)?(?:title|tagline|subtitle|content|summary|info|copyright|rights))(\s[^>]*?)\smode\s*=\s*(?:"base64"|'base64')([^>]*)>([\s\S]*?)<\/\1\s*>/gi;

export function decodeAtom03Base64(body: string): string {
  if (!/mode\s*=\s*["']base64["']/i.test(body)) return body;
  return body.replace(BASE64_ELEMENT, (whole, name: string, before: string, after: string, text: string) => {
    const raw = text.replace(/^\s*<!\[CDATA\[([\s\S]*)\]\]>\s*$/, '$1').replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(raw) || raw.length % 4 === 1) return whole;
    const decoded = Buffer.from(raw, 'base64').toString('utf8');
    const escaped = decoded.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    return `<${name}${before}${after}>${escaped}</${name}>`;
  });
}

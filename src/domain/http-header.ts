/** RFC 9110 §5.6.2: a field name is a token. */
export function isHeaderName(text: string): boolean {
  return /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(text);
}

/**
 * What the HTTP client (undici) sends as a field value (RFC 9110 §5.5): one
 * line of visible Latin-1 text, tabs and spaces; a request with anything else
 * fails before it leaves.
 */
export function isHeaderValue(text: string): boolean {
  return !/[^\t\x20-\x7e\x80-\xff]/.test(text);
}

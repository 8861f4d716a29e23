/**
 * `href` resolved against `base` with the WHATWG URL parser, serialized as
 * `URL.href` (percent-encoded, the form the archive writes). Only http(s) URLs
 * are kept: a `javascript:` or `data:` link in a feed is never an article.
 * Returns undefined when nothing usable comes out.
 */
export function absoluteUrl(href: string | undefined, base?: string): string | undefined {
  const trimmed = href?.trim();
  if (trimmed === undefined || trimmed === '') return undefined;
  let url: URL;
  try {
    url = new URL(trimmed, base);
  } catch {
    return undefined;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
}

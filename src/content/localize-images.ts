import { decodeHTMLAttribute } from 'entities';

const IMG = /<img\b[^>]*>/gi;
const SRC = /\ssrc="([^"]*)"/i;

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
}

/**
 * The absolute http(s) image URLs of a sanitized body, once each, in order.
 * Sanitized HTML quotes every attribute with `"`, so a pattern reads it exactly.
 */
export function listImageUrls(html: string): string[] {
  const urls = new Set<string>();
  for (const tag of html.match(IMG) ?? []) {
    const src = SRC.exec(tag)?.[1];
    if (src === undefined) continue;
    const url = decodeHTMLAttribute(src);
    if (/^https?:\/\//i.test(url)) urls.add(url);
  }
  return [...urls];
}

/**
 * Points each archived image at its local copy: `src` becomes the relative
 * path, the original URL moves to `data-original-src`, and `srcset` (remote
 * variants a reader may not reach) is dropped. Images not in `local` keep
 * their original URL.
 */
export function rewriteImages(html: string, local: ReadonlyMap<string, string>): string {
  if (local.size === 0) return html;
  return html.replace(IMG, (tag) => {
    const src = SRC.exec(tag)?.[1];
    const path = src === undefined ? undefined : local.get(decodeHTMLAttribute(src));
    if (path === undefined || src === undefined) return tag;
    return tag
      .replace(/\s(srcset|data-original-src)="[^"]*"/gi, '')
      .replace(SRC, ` src="${escapeAttribute(path)}" data-original-src="${src}"`);
  });
}

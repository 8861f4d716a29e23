import { absoluteUrl } from './absolute-url.js';

/** Attributes that hold one URL (HTML's URL-valued attributes an article uses). */
const URL_ATTRIBUTE = /(\s(?:href|src|poster|cite|longdesc|data-src)\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi;
const SRCSET = /(\ssrcset\s*=\s*)(?:"([^"]*)"|'([^']*)')/gi;
const TAG = /<[A-Za-z][^"'>]*(?:(?:"[^"]*"|'[^']*')[^"'>]*)*>/g;

/**
 * `html` with the relative URLs in its tags' URL attributes (href, src,
 * srcset...) resolved against `base`: the xml:base in scope where the feed
 * gives one (XML Base §4.3 applies it to content too; RFC 4287 §2), which
 * the item's link, the base the article is cleaned against later, need not
 * share. Absolute URLs, fragments (#note) and what does not resolve to
 * http(s) are left as written.
 */
export function resolveHtmlUrls(html: string, base: string): string {
  if (!html.includes('<')) return html;
  const resolve = (value: string): string => {
    const trimmed = value.trim();
    if (trimmed === '' || trimmed.startsWith('#') || /^[a-z][a-z0-9+.-]*:/i.test(trimmed)) return value;
    return absoluteUrl(trimmed, base) ?? value;
  };
  return html.replace(TAG, (tag) =>
    tag
      .replace(URL_ATTRIBUTE, (_, name: string, double?: string, single?: string, bare?: string) => {
        const value = double ?? single ?? bare ?? '';
        const quote = double !== undefined ? '"' : single !== undefined ? "'" : '';
        return `${name}${quote}${resolve(value)}${quote}`;
      })
      .replace(SRCSET, (_, name: string, double?: string, single?: string) => {
        const value = (double ?? single ?? '')
          .split(',')
          .map((candidate) => candidate.replace(/^(\s*)(\S+)/, (__, space: string, url: string) => space + resolve(url)))
          .join(',');
        const quote = double !== undefined ? '"' : "'";
        return `${name}${quote}${value}${quote}`;
      }),
  );
}

import { selectAll, type HtmlDocument } from '../../content/parse-html.js';
import type { SiteRule } from '../registry.js';

/** DW's internal links point at its content API, which readers cannot use. */
const API_ARTICLE = /^https?:\/\/api\.dw\.com\/api\/detail\/article\/(\d+)(?:[/?#]|$)/i;

/** The reader-facing page of a DW article id (the site redirects it to the full slug). */
export function dwArticleUrl(id: string): string {
  return `https://www.dw.com/zh/a-${id}`;
}

function rewriteApiLinks(document: HtmlDocument): void {
  for (const link of selectAll(document.body, 'a[href*="api.dw.com/"]')) {
    const match = API_ARTICLE.exec((link.getAttribute('href') ?? '').trim());
    if (match?.[1]) link.setAttribute('href', dwArticleUrl(match[1]));
  }
}

/**
 * Deutsche Welle 中文 (www.dw.com/zh), as feedx.net mirrors it. The header
 * `<div><i>author<br>date</i></div>` is the byline and stays; the closing
 * "DW中文有Instagram！" paragraph is an advert and goes; the copyright
 * notice stays (it is the publisher's, not a widget).
 */
export const dwRule: SiteRule = {
  name: 'dw',
  hosts: ['dw.com'],
  remove: ['p:has(a[href*="instagram.com/dw.chinese"])'],
  hook: rewriteApiLinks,
};

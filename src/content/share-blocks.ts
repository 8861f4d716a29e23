import { selectAll, type HtmlDocument, type HtmlElement } from './parse-html.js';
import { removeNode, type RemovalCount } from './removal-count.js';

/*
 * Share buttons are links to a social network's "share this" endpoint.
 * Every site draws them differently, but the endpoints are few, so they are
 * found by their targets, and the block around them (a label such as
 * "分享 :" and the wrappers) goes with them.
 */

export const SHARE_URL_PATTERNS: readonly RegExp[] = [
  /^https?:\/\/(?:[\w-]+\.)*facebook\.com\/(?:dialog\/(?:share|feed|send)|sharer)/i,
  /^https?:\/\/(?:www\.)?(?:twitter|x)\.com\/(?:intent\/(?:tweet|post)|share)/i,
  /^whatsapp:/i,
  /^https?:\/\/(?:web|api)\.whatsapp\.com\/send/i,
  /^https?:\/\/wa\.me\/\?/i,
  /^https?:\/\/(?:www\.)?addtoany\.com\//i,
  /^https?:\/\/(?:t|telegram)\.me\/share/i,
  /^https?:\/\/service\.weibo\.com\/share/i,
  /^https?:\/\/(?:www\.)?linkedin\.com\/(?:shareArticle|sharing)/i,
  /^https?:\/\/(?:www\.)?reddit\.com\/submit/i,
  /^https?:\/\/(?:social-plugins\.line\.me|line\.me\/R\/msg)/i,
  /^https?:\/\/(?:www\.)?pinterest\.com\/pin\/create/i,
  /^https?:\/\/(?:www\.)?tumblr\.com\/(?:share|widgets\/share)/i,
  /^https?:\/\/del\.icio\.us\/post/i,
  /^https?:\/\/(?:connect\.qq\.com\/widget\/shareqq|sns\.qzone\.qq\.com\/cgi-bin\/qzshare)/i,
  // WordPress (Jetpack) share buttons link back to the post with ?share=<network>.
  /[?&]share=(?:twitter|x|facebook|email|telegram|jetpack-whatsapp|whatsapp|reddit|linkedin|tumblr|pinterest|pocket|print|mastodon|threads|bluesky)(?:&|#|$)/i,
  // "Share by e-mail": a mailto: with no recipient, only a subject or body.
  /^mailto:\?/i,
];

/** Text a share block may carry besides its links: a label like "分享 :" or "Share this:". */
const MAX_LABEL_CHARS = 16;

const CONTENT_INSIDE = 'p, img, picture, figure, table, iframe, video, audio, h1, h2, h3, h4, h5, h6, blockquote, pre';

export function isShareUrl(href: string): boolean {
  const value = href.trim();
  return SHARE_URL_PATTERNS.some((pattern) => pattern.test(value));
}

function textLength(element: HtmlElement): number {
  return (element.textContent ?? '').replace(/\s+/g, '').length;
}

/** True when `element` holds share links and at most a short label, nothing else. */
function isShareOnly(element: HtmlElement): boolean {
  if (element.querySelector(CONTENT_INSIDE)) return false;
  let linkText = 0;
  for (const link of selectAll(element, 'a[href]')) {
    if (!isShareUrl(link.getAttribute('href') ?? '')) return false;
    linkText += textLength(link);
  }
  return textLength(element) - linkText <= MAX_LABEL_CHARS;
}

/** Removes each share link with the outermost wrapper around it that holds nothing but share links and a label. */
export function removeShareBlocks(document: HtmlDocument, count: RemovalCount): void {
  const body = document.body;
  for (const link of selectAll(body, 'a[href]')) {
    if (!link.isConnected || !isShareUrl(link.getAttribute('href') ?? '')) continue;
    let block: HtmlElement = link;
    for (let parent = block.parentElement; parent && parent !== body && isShareOnly(parent); parent = parent.parentElement) {
      block = parent;
    }
    removeNode(block, count);
  }
}

import { selectAll, type HtmlDocument } from '../../content/parse-html.js';
import { removeNode, type RemovalCount } from '../../content/removal-count.js';
import type { SiteRule } from '../registry.js';

/** Text only the Better Feed footer paragraphs (`<p><small>...</small></p>`) carry. */
const FEED_FOOTER_MARKERS = ['Feed enhanced by', "get_post_time('Y')"];

/**
 * The footer paragraphs, found by their text: a selector with
 * `:has()`/`:contains()` would say the same but test every paragraph.
 */
function removeFeedFooter(document: HtmlDocument, removed: RemovalCount): void {
  for (const small of selectAll(document.body, 'p > small')) {
    const text = small.textContent ?? '';
    const paragraph = small.parentElement;
    if (paragraph && FEED_FOOTER_MARKERS.some((marker) => text.includes(marker))) removeNode(paragraph, removed);
  }
}

/**
 * China Digital Times 中国数字时代 (chinadigitaltimes.net). Pages carry the
 * article in `div.post-content`. Around it, and in the feed's
 * `content:encoded`, are WordPress plugins' share and related-posts blocks,
 * the "Better Feed" footer of the feed (copyright, permalink, "Add to
 * del.icio.us", post tags, "Feed enhanced by") and Cloudflare Rocket Loader
 * scripts whose `type="<random>-text/javascript"` and nonces changed on
 * every fetch (scripts go with the generic rule, the attributes with the
 * sanitizer's allowlist).
 */
export const cdtRule: SiteRule = {
  name: 'cdt',
  hosts: ['chinadigitaltimes.net'],
  body: 'div.post-content',
  title: 'h1.entry-title',
  remove: [
    '.addtoany_share_save_container',
    '.a2a_kit',
    '.sharedaddy',
    '.jp-relatedposts',
    '.yarpp-related',
    '.crp_related',
    '#fb-root',
  ],
  hook: removeFeedFooter,
};

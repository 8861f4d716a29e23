import type { SiteRule } from '../registry.js';

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
  remove: [
    '.addtoany_share_save_container',
    '.a2a_kit',
    '.sharedaddy',
    '.jp-relatedposts',
    '.yarpp-related',
    '.crp_related',
    '#fb-root',
    'p:has(> small:contains("Feed enhanced by"))',
    'p:has(> small:contains("get_post_time"))',
  ],
};

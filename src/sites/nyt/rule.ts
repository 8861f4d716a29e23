import type { SiteRule } from '../registry.js';

/**
 * 纽约时报中文网 (cn.nytimes.com), as feedx.net mirrors it: byline
 * <address>, <time>, a lead <figure>, the article <section> and a credits
 * <footer> (translator, link to the English original), all kept. The mirror
 * rewrote the images: their addresses go through its image proxy and the
 * in-text photos became `<p><img><small style="color: #999;">caption</small></p>`.
 * The generic feed-mirror rules restore both (original image address, a
 * <figure> with a <figcaption>); this rule names the hosts so the fixtures
 * hold the site to that.
 */
export const nytRule: SiteRule = {
  name: 'nyt',
  hosts: ['cn.nytimes.com', 'cn.nytstyle.com'],
};

import type { SiteRule } from '../registry.js';

/**
 * Radio Free Asia 普通话 (www.rfa.org/mandarin), read from RFA's own
 * rss2.xml `content:encoded`: already the bare article. What is there to
 * clean is generic: every paragraph wrapped in `<span style="font-weight: 400;">`
 * (unwrapped) and `<p><br/><br/></p>` spacers (removed). The reporter and
 * editor line at the end is the byline and stays.
 */
export const rfaRule: SiteRule = {
  name: 'rfa',
  hosts: ['rfa.org'],
};

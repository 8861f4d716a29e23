import type { SiteRule } from '../registry.js';

/**
 * VOA 中文 (www.voachinese.com), as feedx.net mirrors it.
 *
 * The header feedx adds, `<div><i>Sat, 15 Feb 2025 08:17:25 GMT</i></div>`,
 * is kept on purpose: it is the item's own publication date (the same on
 * every fetch, so it costs no stability), and it is the only date a reader
 * of the article file on GitHub sees. The `<p>&nbsp;</p>` spacers between
 * paragraphs are empty placeholders and go with the generic rule; the
 * image caption becomes a figure (generic feed-mirror rule).
 */
export const voaRule: SiteRule = {
  name: 'voa',
  hosts: ['voacantonese.com', 'voachinese.com', 'voanews.com'],
};

import type { SourceConfig } from '../config/config-schema.js';
import { cleanArticle } from '../content/clean-article.js';

/**
 * The body a source's feed HTML becomes: cleaned (boilerplate, share buttons,
 * promo footers, volatile markup, sanitized) unless the source says
 * `clean: false`, in which case it is kept exactly as the feed had it.
 */
export function cleanForSource(html: string, url: string | undefined, source: SourceConfig): string {
  if (!source.clean) return html;
  return cleanArticle({
    html,
    ...(url === undefined ? {} : { url }),
    ...(source.iframeHosts === undefined ? {} : { iframeHosts: source.iframeHosts }),
  }).html;
}

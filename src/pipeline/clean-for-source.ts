import type { SourceConfig } from '../config/config-schema.js';
import { cleanArticle } from '../content/clean-article.js';
import { MAX_HTML_REFERENCES, countReferences } from '../content/character-references.js';
import { sanitizeArticleHtml } from '../content/sanitize-html.js';

/**
 * The body a source's feed HTML becomes: cleaned (boilerplate, share buttons,
 * promo footers, volatile markup, sanitized) unless the source says
 * `clean: false`, in which case it is kept exactly as the feed had it. A body
 * with more references than the DOM cleaner can take is sanitized alone
 * (render-body.ts says so in a warning).
 */
export function cleanForSource(html: string, url: string | undefined, source: SourceConfig): string {
  if (!source.clean) return html;
  const iframeHosts = source.iframeHosts === undefined ? {} : { iframeHosts: source.iframeHosts };
  if (countReferences(html) > MAX_HTML_REFERENCES) return sanitizeArticleHtml(html, iframeHosts);
  return cleanArticle({ html, ...(url === undefined ? {} : { url }), ...iframeHosts }).html;
}

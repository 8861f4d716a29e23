import { findSiteRule } from '../sites/registry.js';
import { removeMirrorFooters, restoreMirrorFigures } from './feed-mirror.js';
import { resolveLazyImages } from './lazy-images.js';
import { parseBaseUrl } from './normalize-url.js';
import { normalizeVolatileMarkup } from './normalize-volatile.js';
import { isWholePage, parseHtmlFragment, renderBodyHtml, selectAll, type HtmlDocument } from './parse-html.js';
import { pruneEmptyElements } from './prune-empty.js';
import { removeNode, type RemovalCount } from './removal-count.js';
import { NON_TEXT_TAGS, sanitizeArticleHtml } from './sanitize-html.js';
import { normalizeNesting, unwrapDisallowedElements } from './sanitizer-prepass.js';
import { removeShareBlocks } from './share-blocks.js';
import { removeTrackingPixels } from './tracking-pixels.js';
import { removeUnusableMedia } from './unusable-media.js';

export interface CleanInput {
  html: string;
  /** The article link: picks the site rule by host and resolves relative URLs. */
  url?: string;
  /** Video hosts allowed in iframes (default: the sanitizer's list). */
  iframeHosts?: string[];
}

export interface CleanResult {
  html: string;
  /** Name of the site rule used, e.g. 'rfi'. */
  rule?: string;
  /** Nodes (subtrees) the cleaning removed before sanitizing. */
  removed: number;
}

/**
 * Never article content, on any site: page plumbing, and every element the
 * sanitizer drops with its content (removed here already, so that their
 * wrappers are pruned too). <noscript> image copies were resolved before.
 */
export const GENERIC_REMOVE_SELECTORS: readonly string[] = ['base', 'input', 'link', 'meta', ...NON_TEXT_TAGS];

function removeAll(document: HtmlDocument, selectors: readonly string[], count: RemovalCount): void {
  if (selectors.length === 0) return;
  for (const element of selectAll(document.body, selectors.join(', '))) removeNode(element, count);
}

/**
 * Keeps only the rule's article body of a whole page. A feed item's content
 * is the article already (and may quote another page's markup, body
 * selector included), so it is never narrowed.
 */
function narrowToBody(document: HtmlDocument, selector: string | undefined): void {
  const body = selector ? document.body.querySelector(selector) : null;
  if (body) document.body.replaceChildren(...Array.from(body.childNodes));
}

/**
 * Cleans one article body: the site rule (picked by the article's host),
 * the generic rules (scripts, styles, tracking pixels, share blocks, empty
 * placeholders, comments, feed-mirror footers), volatile markup normalized
 * so the same article gives the same bytes on every fetch, and finally the
 * sanitizer. Parses the HTML twice: once here, once in the sanitizer.
 */
export function cleanArticle(input: CleanInput): CleanResult {
  const rule = input.url ? findSiteRule(input.url) : undefined;
  const document = parseHtmlFragment(input.html);
  const count: RemovalCount = { removed: 0 };

  if (isWholePage(input.html)) narrowToBody(document, rule?.body);
  resolveLazyImages(document, count);
  removeAll(document, GENERIC_REMOVE_SELECTORS, count);
  if (rule) {
    removeAll(document, rule.remove ?? [], count);
    rule.hook?.(document, count);
  }
  removeMirrorFooters(document, count);
  restoreMirrorFigures(document);
  removeShareBlocks(document, count);
  removeTrackingPixels(document, count);
  normalizeVolatileMarkup(document, parseBaseUrl(input.url), count);
  removeUnusableMedia(document, input.iframeHosts, count);
  unwrapDisallowedElements(document, count);
  normalizeNesting(document);
  pruneEmptyElements(document, count);

  const options = input.iframeHosts ? { iframeHosts: input.iframeHosts } : undefined;
  const html = sanitizeArticleHtml(renderBodyHtml(document), options);
  return rule ? { html, rule: rule.name, removed: count.removed } : { html, removed: count.removed };
}

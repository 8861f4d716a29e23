import { isElement, selectAll, type HtmlDocument, type HtmlElement, type HtmlNode } from './parse-html.js';
import type { RemovalCount } from './removal-count.js';
import { ALLOWED_TAGS, isAllowedLinkHref } from './sanitize-html.js';

/*
 * The sanitizer's structural effects, applied to the document before it is
 * written out: elements off the allowlist unwrapped, links without a usable
 * target unwrapped, and elements nested the way the HTML parser (htmlparser2,
 * shared by linkedom and sanitize-html) would nest them once those wrappers
 * are gone. Then the sanitizer's single pass changes no structure, empty
 * wrappers are all found by the pruning that follows, and cleaning a
 * cleaned article changes nothing.
 */

const ALLOWED: ReadonlySet<string> = new Set(ALLOWED_TAGS);

/**
 * htmlparser2's `openImpliesClose` for the allowed elements: opening the
 * key while one of the values is the current element closes that element
 * first (`<p>a<div>` is `<p>a</p><div>`).
 */
const P = new Set(['p']);
const IMPLIES_CLOSE: ReadonlyMap<string, ReadonlySet<string>> = new Map<string, ReadonlySet<string>>([
  ['tr', new Set(['tr', 'th', 'td'])],
  ['th', new Set(['th'])],
  ['td', new Set(['thead', 'th', 'td'])],
  ['li', new Set(['li'])],
  ['dd', new Set(['dd', 'dt'])],
  ['dt', new Set(['dd', 'dt'])],
  ['rt', new Set(['rt', 'rp'])],
  ['rp', new Set(['rt', 'rp'])],
  ['tbody', new Set(['thead', 'tbody'])],
  ['tfoot', new Set(['thead', 'tbody'])],
  ...[
    'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'address', 'article', 'aside', 'blockquote', 'details', 'div',
    'dl', 'figcaption', 'figure', 'footer', 'header', 'hr', 'ol', 'pre', 'section', 'table', 'ul',
  ].map((tag) => [tag, P] as const),
]);

function unwrap(element: HtmlElement, count: RemovalCount): void {
  element.replaceWith(...Array.from(element.childNodes));
  count.removed += 1;
}

/** Unwraps what the sanitizer would unwrap: tags off its allowlist, links it would strip the target of. */
export function unwrapDisallowedElements(document: HtmlDocument, count: RemovalCount): void {
  for (const element of selectAll(document.body, '*')) {
    if (!ALLOWED.has(element.localName)) unwrap(element, count);
    else if (element.localName === 'a' && !isAllowedLinkHref(element.getAttribute('href') ?? '')) unwrap(element, count);
  }
}

/**
 * Moves each element the parser would not have opened inside its parent
 * (and the siblings after it) out, after the parent, as the parser's
 * implied end tag would; the parent's parent then checks them in turn.
 */
function normalizeChildren(parent: HtmlElement): void {
  const closes = (child: HtmlElement): boolean => IMPLIES_CLOSE.get(child.localName)?.has(parent.localName) ?? false;
  for (let child = parent.firstChild; child; child = child.nextSibling) {
    if (!isElement(child)) continue;
    if (closes(child)) {
      const moved: HtmlNode[] = [];
      for (let node: HtmlNode | null = child; node; node = node.nextSibling) moved.push(node);
      parent.after(...moved);
      return;
    }
    normalizeChildren(child);
  }
}

export function normalizeNesting(document: HtmlDocument): void {
  normalizeChildren(document.body);
}

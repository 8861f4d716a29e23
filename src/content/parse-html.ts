import { parseHTML } from 'linkedom';

/*
 * The one module that knows linkedom. The project compiles without the DOM
 * lib (no `Document` type in scope), so the DOM parts the content code uses
 * are described here structurally; linkedom implements them.
 */

export const ELEMENT_NODE = 1;
export const TEXT_NODE = 3;
export const COMMENT_NODE = 8;

export interface HtmlNode {
  readonly nodeType: number;
  readonly nodeName: string;
  readonly parentNode: HtmlNode | null;
  readonly parentElement: HtmlElement | null;
  readonly childNodes: readonly HtmlNode[];
  readonly firstChild: HtmlNode | null;
  readonly lastChild: HtmlNode | null;
  readonly previousSibling: HtmlNode | null;
  readonly nextSibling: HtmlNode | null;
  readonly isConnected: boolean;
  textContent: string | null;
  remove(): void;
}

export interface HtmlAttribute {
  readonly name: string;
  readonly value: string;
}

export interface HtmlElement extends HtmlNode {
  /** Lower-case tag name for HTML elements. */
  readonly localName: string;
  readonly attributes: ArrayLike<HtmlAttribute>;
  readonly children: ArrayLike<HtmlElement>;
  readonly firstElementChild: HtmlElement | null;
  readonly lastElementChild: HtmlElement | null;
  readonly previousElementSibling: HtmlElement | null;
  readonly nextElementSibling: HtmlElement | null;
  innerHTML: string;
  readonly outerHTML: string;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  hasAttribute(name: string): boolean;
  querySelector(selectors: string): HtmlElement | null;
  querySelectorAll(selectors: string): ArrayLike<HtmlElement>;
  matches(selectors: string): boolean;
  closest(selectors: string): HtmlElement | null;
  append(...nodes: HtmlNode[]): void;
  before(...nodes: HtmlNode[]): void;
  after(...nodes: HtmlNode[]): void;
  replaceWith(...nodes: HtmlNode[]): void;
  replaceChildren(...nodes: HtmlNode[]): void;
}

export interface HtmlDocument {
  readonly documentElement: HtmlElement;
  readonly body: HtmlElement;
  createElement(tagName: string): HtmlElement;
  createTextNode(data: string): HtmlNode;
  querySelector(selectors: string): HtmlElement | null;
  querySelectorAll(selectors: string): ArrayLike<HtmlElement>;
}

/** True for a whole HTML page (it has an <html> or <body> tag), false for a fragment. */
export function isWholePage(html: string): boolean {
  return /<(?:html|body)[\s>]/i.test(html);
}

/**
 * Parses an HTML fragment (a feed item's content, a page's article) into a
 * document whose `body` holds the fragment. A full page works too: its body
 * content ends up in `body`.
 */
export function parseHtmlFragment(html: string): HtmlDocument {
  const page = isWholePage(html)
    ? html
    : `<!DOCTYPE html><html><head></head><body>${html}</body></html>`;
  const { document } = parseHTML(page) as unknown as { document: HtmlDocument };
  lowerCaseAttributeNames(document.body);
  return document;
}

/**
 * HTML attribute names are case-insensitive and a browser's parser lowers
 * them (`srcSet`, `dateTime` in React-rendered pages); linkedom keeps them
 * as written, so they are lowered here once, keeping the first of any
 * duplicates as the HTML parser does. SVG keeps its camelCase names.
 */
function lowerCaseAttributeNames(root: HtmlElement): void {
  // A walk that keeps track of <svg> itself: querySelectorAll('*') and closest()
  // per element cost a quarter of the parse.
  if (hasUpperCaseName(root.attributes)) lowerNames(root);
  let svg: HtmlElement | null = null;
  walkElements(
    root,
    (element) => {
      if (svg === null && element.localName === 'svg') svg = element;
      if (svg === null && hasUpperCaseName(element.attributes)) lowerNames(element);
      return true;
    },
    (element) => {
      if (element === svg) svg = null;
    },
  );
}

/**
 * Visits the elements below `start` in document order (pre-order), without
 * recursion: a hostile page may nest deeper than the call stack. `enter`
 * returns false to skip an element's descendants; `leave` is called once
 * an element's descendants are done.
 */
function walkElements(start: HtmlElement, enter: (element: HtmlElement) => boolean, leave?: (element: HtmlElement) => void): void {
  let node = start.firstElementChild;
  while (node) {
    const down = enter(node) ? node.firstElementChild : null;
    if (down) {
      node = down;
      continue;
    }
    let up: HtmlElement | null = node;
    while (up && up !== start) {
      leave?.(up);
      if (up.nextElementSibling) break;
      up = up.parentElement;
    }
    node = up && up !== start ? up.nextElementSibling : null;
  }
}

function hasUpperCaseName(attributes: ArrayLike<HtmlAttribute>): boolean {
  for (let i = 0; i < attributes.length; i += 1) if (/[A-Z]/.test(attributes[i]!.name)) return true;
  return false;
}

function lowerNames(element: HtmlElement): void {
  const names = Array.from(element.attributes, (attribute) => attribute.name);
  const firstValues = new Map<string, string>();
  for (const name of names) {
    const lower = name.toLowerCase();
    if (!firstValues.has(lower)) firstValues.set(lower, element.getAttribute(name) ?? '');
  }
  for (const name of names) element.removeAttribute(name);
  for (const [name, value] of firstValues) element.setAttribute(name, value);
}

/**
 * A whole page as linkedom's full Document, for Mozilla Readability, which
 * walks the DOM itself. Typed as `object`: callers hand it to Readability.
 */
export function parseHtmlPage(html: string): object {
  return parseHTML(html).document as object;
}

/** The fragment back as HTML: the body's content. */
export function renderBodyHtml(document: HtmlDocument): string {
  return document.body.innerHTML;
}

export function isElement(node: HtmlNode): node is HtmlElement {
  return node.nodeType === ELEMENT_NODE;
}

type Matcher = (element: HtmlElement) => boolean;

/** A list of tag names (`script, style`), `*`, or one tag with one attribute present (`a[href]`). */
const TAG_LIST = /^[a-z][a-z0-9]*(?:\s*,\s*[a-z][a-z0-9]*)*$/;
const TAG_WITH_ATTRIBUTE = /^([a-z][a-z0-9]*)\[([a-z][a-z0-9-]*)\]$/;
const matchers = new Map<string, Matcher | null>();

/** HTML names compare case-insensitively (css-select lowers them too; SVG keeps camelCase local names). */
const nameIn = (names: ReadonlySet<string>, element: HtmlElement) => names.has(element.localName) || names.has(element.localName.toLowerCase());

/** A plain test for the simple selectors the cleaners use most; null for the rest (css-select). */
function simpleMatcher(selectors: string): Matcher | null {
  let matcher = matchers.get(selectors);
  if (matcher !== undefined) return matcher;
  matcher = null;
  const withAttribute = TAG_WITH_ATTRIBUTE.exec(selectors);
  if (selectors === '*') matcher = () => true;
  else if (TAG_LIST.test(selectors)) {
    const names = new Set(selectors.split(/\s*,\s*/));
    matcher = (element) => nameIn(names, element);
  } else if (withAttribute) {
    const names = new Set([withAttribute[1]!]);
    const attribute = withAttribute[2]!;
    matcher = (element) => nameIn(names, element) && element.hasAttribute(attribute);
  }
  matchers.set(selectors, matcher);
  return matcher;
}

/**
 * The selector's matches as an array in document order, safe to mutate the
 * tree while iterating. Simple selectors (tag lists, `*`, `tag[attr]`) are
 * matched by a walk of our own: linkedom compiles the selector with
 * css-select on every querySelectorAll, which with a dozen selections an
 * article was ~12% of cleaning. Equal to querySelectorAll, template
 * contents skipped included (parse-html.test.ts compares them).
 */
export function selectAll(root: HtmlElement | HtmlDocument, selectors: string): HtmlElement[] {
  const matcher = simpleMatcher(selectors);
  if (!matcher) return Array.from(root.querySelectorAll(selectors));
  const found: HtmlElement[] = [];
  const start = 'documentElement' in root ? root.documentElement : root;
  if (start !== root && matcher(start)) found.push(start);
  walkElements(start, (element) => {
    if (matcher(element)) found.push(element);
    return element.localName !== 'template';
  });
  return found;
}

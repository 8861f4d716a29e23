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
  const walk = (element: HtmlElement, inSvg: boolean): void => {
    const svg = inSvg || element.localName === 'svg';
    if (!svg && hasUpperCaseName(element.attributes)) lowerNames(element);
    for (let child = element.firstElementChild; child !== null; child = child.nextElementSibling) walk(child, svg);
  };
  walk(root, false);
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

/** The selector's matches as an array, safe to mutate the tree while iterating. */
export function selectAll(root: HtmlElement | HtmlDocument, selectors: string): HtmlElement[] {
  return Array.from(root.querySelectorAll(selectors));
}

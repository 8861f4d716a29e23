import { TEXT_NODE, isElement, type HtmlDocument, type HtmlElement, type HtmlNode } from './parse-html.js';
import { removeNode, type RemovalCount } from './removal-count.js';

/*
 * Empty placeholders: wrappers that are left with no text and no media
 * (`<div data-selfpromo-newsletter></div>`, `<p>&nbsp;</p>`, `<a><span></span></a>`,
 * the husk of a removed share block). Only wrapper-like elements are
 * removed; an empty table cell or a line break keeps its place.
 */

const PRUNABLE = new Set([
  'a', 'address', 'article', 'aside', 'b', 'big', 'blockquote', 'center', 'cite', 'dd', 'div',
  'dl', 'dt', 'em', 'figcaption', 'figure', 'font', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5',
  'h6', 'header', 'i', 'label', 'li', 'main', 'mark', 'nav', 'ol', 'p', 'q', 's', 'section',
  'small', 'span', 'strike', 'strong', 'sub', 'sup', 'time', 'u', 'ul',
]);

/**
 * Elements that are content by themselves, text or not: the ones the
 * sanitizer keeps (a <video> or <svg> alone would not survive it).
 */
const CONTENT_ELEMENTS = new Set(['hr', 'iframe', 'img', 'table']);

/** Whitespace, including the no-break, ideographic and zero-width spaces pages pad with. */
const VISIBLE = /[^\s\u200b-\u200d\u2060\ufeff]/;

const BLOCKS_TRIMMED_AT_END = 'blockquote, div, figcaption, footer, li, p, section';

/** Inline wrappers: an empty one may still hold the space between two words (`<b>BY</b><b>&nbsp;</b><b>lin</b>`). */
const INLINE = new Set([
  'a', 'b', 'big', 'cite', 'em', 'font', 'i', 'label', 'mark', 'q', 's', 'small', 'span', 'strike',
  'strong', 'sub', 'sup', 'time', 'u',
]);

function isPrunable(element: HtmlElement): boolean {
  // Custom elements (<share-button>) are widgets, never article text holders.
  return PRUNABLE.has(element.localName) || element.localName.includes('-');
}

/**
 * An empty inline wrapper gives way to its whitespace and line breaks; any
 * other empty wrapper goes whole. (Unwrapping exposes nothing but text and
 * <br>, so it never nests elements in a way the parser would not.)
 */
function removeEmpty(element: HtmlElement, count: RemovalCount): void {
  const onlyTextAndBreaks = element.childNodes.every((node) => !isElement(node) || node.localName === 'br');
  if (INLINE.has(element.localName) && onlyTextAndBreaks && (element.textContent ?? '') !== '') {
    element.replaceWith(...Array.from(element.childNodes));
    count.removed += 1;
  } else {
    removeNode(element, count);
  }
}

/** Removes empty wrappers below `node`; true when `node` still holds content. */
function prune(node: HtmlNode, count: RemovalCount): boolean {
  let hasContent = false;
  for (let child = node.firstChild, next = child?.nextSibling ?? null; child; child = next, next = child?.nextSibling ?? null) {
    if (child.nodeType === TEXT_NODE) {
      if (VISIBLE.test(child.textContent ?? '')) hasContent = true;
    } else if (isElement(child)) {
      const childHasContent = prune(child, count) || CONTENT_ELEMENTS.has(child.localName);
      if (childHasContent) hasContent = true;
      else if (isPrunable(child)) removeEmpty(child, count);
    }
  }
  return hasContent;
}

function isEdgeJunk(node: HtmlNode): boolean {
  if (node.nodeType === TEXT_NODE) return !VISIBLE.test(node.textContent ?? '');
  return isElement(node) && (node.localName === 'br' || node.localName === 'hr');
}

function lastVisible(block: HtmlElement): HtmlNode | null {
  let last = block.lastChild;
  while (last && last.nodeType === TEXT_NODE && !VISIBLE.test(last.textContent ?? '')) last = last.previousSibling;
  return last;
}

function trimBlockEnd(block: HtmlElement, count: RemovalCount): void {
  for (let last = lastVisible(block); last && isElement(last) && last.localName === 'br'; last = lastVisible(block)) {
    removeNode(last, count);
  }
}

/** Line breaks and rules at the very start or end of the article, and line breaks ending a block. */
function trimEdges(document: HtmlDocument, count: RemovalCount): void {
  const body = document.body;
  while (body.firstChild && isEdgeJunk(body.firstChild)) removeNode(body.firstChild, count);
  while (body.lastChild && isEdgeJunk(body.lastChild)) removeNode(body.lastChild, count);
  for (const block of Array.from(body.querySelectorAll(BLOCKS_TRIMMED_AT_END))) trimBlockEnd(block, count);
}

/** Removes empty placeholders, then stray line breaks and rules at the edges. */
export function pruneEmptyElements(document: HtmlDocument, count: RemovalCount): void {
  prune(document.body, count);
  trimEdges(document, count);
}

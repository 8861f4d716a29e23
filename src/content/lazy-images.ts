import { selectAll, type HtmlDocument, type HtmlElement } from './parse-html.js';
import { removeNode, type RemovalCount } from './removal-count.js';

/*
 * Lazy-loading pages put the real image address in a data attribute and a
 * placeholder in `src`, with a copy inside <noscript> for clients without
 * script. The sanitizer drops data attributes and <noscript>, so the real
 * address must be moved into `src`/`srcset` before it runs.
 */

const LAZY_SRC_ATTRIBUTES = ['data-src', 'data-lazy-src', 'data-original', 'data-actualsrc', 'data-lazyload'];
const LAZY_SRCSET_ATTRIBUTES = ['data-srcset', 'data-lazy-srcset'];

/** A `src` that only holds the place of the real image. */
export function isPlaceholderSrc(src: string | null): boolean {
  if (src === null) return true;
  const value = src.trim();
  return (
    value === '' ||
    value === 'about:blank' ||
    /^data:/i.test(value) ||
    /(?:^|\/)(?:blank|spacer|placeholder|transparent|grey|gray|loading|lazy)[\w-]*\.(?:gif|png|svg|jpe?g)(?:$|\?)/i.test(value)
  );
}

function firstAttribute(element: HtmlElement, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = element.getAttribute(name)?.trim();
    if (value) return value;
  }
  return undefined;
}

function resolveLazyAttributes(img: HtmlElement): void {
  const lazySrc = firstAttribute(img, LAZY_SRC_ATTRIBUTES);
  const lazyClass = /\blazy/i.test(img.getAttribute('class') ?? '');
  if (lazySrc && (lazyClass || isPlaceholderSrc(img.getAttribute('src')))) {
    img.setAttribute('src', lazySrc);
  }
  const lazySrcset = firstAttribute(img, LAZY_SRCSET_ATTRIBUTES);
  const srcset = img.getAttribute('srcset');
  if (lazySrcset && (lazyClass || srcset === null || isPlaceholderSrc(srcset))) {
    img.setAttribute('srcset', lazySrcset);
  }
}

function siblingImage(noscript: HtmlElement): HtmlElement | undefined {
  for (const sibling of [noscript.previousElementSibling, noscript.nextElementSibling]) {
    if (sibling?.localName === 'img') return sibling;
  }
  return undefined;
}

/**
 * A <noscript> holding just one image stands for a lazy image next to it:
 * keep whichever of the two has a real address (Readability does the same).
 */
function unwrapNoscriptImage(noscript: HtmlElement, count: RemovalCount): void {
  const images = selectAll(noscript, 'img');
  const only = images[0];
  if (images.length !== 1 || !only || (noscript.textContent ?? '').trim() !== '') return;
  const sibling = siblingImage(noscript);
  if (sibling && !isPlaceholderSrc(sibling.getAttribute('src'))) {
    removeNode(noscript, count);
    return;
  }
  if (sibling) removeNode(sibling, count);
  noscript.replaceWith(only);
}

/** Moves lazy-loaded image addresses into `src`/`srcset` and resolves <noscript> image copies. */
export function resolveLazyImages(document: HtmlDocument, count: RemovalCount): void {
  for (const img of selectAll(document.body, 'img')) resolveLazyAttributes(img);
  for (const noscript of selectAll(document.body, 'noscript')) unwrapNoscriptImage(noscript, count);
}

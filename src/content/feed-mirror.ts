import { TEXT_NODE, isElement, selectAll, type HtmlDocument, type HtmlElement, type HtmlNode } from './parse-html.js';
import { removeNode, type RemovalCount } from './removal-count.js';

/*
 * Feed mirrors (feedx.net serves the RFI, BBC, DW, VOA and NYT feeds the
 * archive family reads) add their own markup to every item: an advert
 * footer, and images rewritten with a grey <small> caption. Neither belongs
 * to the article.
 */

/** A mirror's advert footer: the text it starts with and the host its links point to. */
export interface MirrorFooter {
  textStart: string;
  linkHost: RegExp;
}

export const MIRROR_FOOTERS: readonly MirrorFooter[] = [
  // <br><hr><div>获取更多RSS：<br><a href="https://feedx.net" ...>https://feedx.net</a> ...</div>
  { textStart: '获取更多RSS', linkHost: /^https?:\/\/(?:[\w-]+\.)*feedx\.[a-z]+(?:[/?#]|$)/i },
];

/** feedx writes image captions as `<small style="color: #999;">`. */
const MIRROR_CAPTION = 'small[style*="#999"]';

function isBlankText(node: HtmlNode): boolean {
  return node.nodeType === TEXT_NODE && (node.textContent ?? '').trim() === '';
}

function isSeparator(node: HtmlNode): boolean {
  return isElement(node) && (node.localName === 'br' || node.localName === 'hr');
}

/** Removes the footer block and the <br>/<hr> run that separates it from the article. */
function removeFooterBlock(block: HtmlElement, count: RemovalCount): void {
  let before = block.previousSibling;
  while (before && (isSeparator(before) || isBlankText(before))) {
    const next = before.previousSibling;
    removeNode(before, count);
    before = next;
  }
  removeNode(block, count);
}

function footerAround(link: HtmlElement, footer: MirrorFooter): HtmlElement | undefined {
  for (let block = link.parentElement; block; block = block.parentElement) {
    if (block.localName === 'body') return undefined;
    if ((block.textContent ?? '').trim().startsWith(footer.textStart)) return block;
  }
  return undefined;
}

export function removeMirrorFooters(document: HtmlDocument, count: RemovalCount): void {
  for (const link of selectAll(document.body, 'a[href]')) {
    if (!link.isConnected) continue;
    const href = link.getAttribute('href') ?? '';
    const footer = MIRROR_FOOTERS.find((f) => f.linkHost.test(href.trim()));
    const block = footer ? footerAround(link, footer) : undefined;
    if (block) removeFooterBlock(block, count);
  }
}

function figureOf(document: HtmlDocument, img: HtmlElement, caption: HtmlElement): HtmlElement {
  const figure = document.createElement('figure');
  const figcaption = document.createElement('figcaption');
  figcaption.append(...Array.from(caption.childNodes));
  figure.append(img, figcaption);
  return figure;
}

function onlyElements(parent: HtmlElement): HtmlElement[] | undefined {
  const elements: HtmlElement[] = [];
  for (const node of parent.childNodes) {
    if (isElement(node)) elements.push(node);
    else if (!isBlankText(node)) return undefined;
  }
  return elements;
}

/**
 * Turns the mirror's image-and-caption pairs back into figures:
 * `<img><div><small>c</small></div>` (VOA, DW) and `<p><img><small>c</small></p>` (NYT).
 */
export function restoreMirrorFigures(document: HtmlDocument): void {
  for (const caption of selectAll(document.body, MIRROR_CAPTION)) {
    const holder = caption.parentElement;
    if (!holder) continue;
    const parts = onlyElements(holder);
    if (holder.localName === 'div' && parts?.length === 1) {
      const img = holder.previousElementSibling;
      if (img?.localName === 'img' && holder.previousSibling === img) {
        holder.replaceWith(figureOf(document, img, caption));
      }
    } else if (holder.localName === 'p' && parts?.length === 2 && parts[0]?.localName === 'img' && parts[1] === caption) {
      holder.replaceWith(figureOf(document, parts[0], caption));
    }
  }
}

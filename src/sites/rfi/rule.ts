import { selectAll, type HtmlDocument, type HtmlElement } from '../../content/parse-html.js';
import { removeNode, type RemovalCount } from '../../content/removal-count.js';
import type { SiteRule } from '../registry.js';

/** RFI's share label, "分享 :" (and the full-width colon variant). */
const SHARE_LABEL = /^分享\s*[:：]?$/;

/** An element that has any `data-selfpromo-*` attribute (newsletter and app placeholders). */
function isSelfPromo(element: HtmlElement): boolean {
  return Array.from(element.attributes).some((attribute) => attribute.name.startsWith('data-selfpromo'));
}

/**
 * The share block is `<div><div>分享 :</div><div>...links...</div></div>`;
 * the generic rule removes the links, this removes the labelled block as a
 * whole even where RFI adds a widget the generic rule does not know.
 */
function removeShareBlocks(document: HtmlDocument, removed: RemovalCount): void {
  for (const label of selectAll(document.body, 'div > div:first-child')) {
    const block = label.parentElement;
    if (block && label.children.length === 0 && SHARE_LABEL.test((label.textContent ?? '').trim())) removeNode(block, removed);
  }
}

function removeSelfPromos(document: HtmlDocument, removed: RemovalCount): void {
  for (const element of selectAll(document.body, 'div, section, aside')) {
    if (isSelfPromo(element)) removeNode(element, removed);
  }
}

/**
 * RFI Chinese (www.rfi.fr/cn), as feedx.net mirrors it: a dateline div, the
 * lead image, the article, then empty `data-selfpromo-*` placeholders, the
 * share block and sometimes an author block (kept: it is the byline).
 */
export const rfiRule: SiteRule = {
  name: 'rfi',
  hosts: ['rfi.fr'],
  remove: ['[data-root-share]', 'share-button', 'share-modal'],
  hook(document, removed) {
    removeSelfPromos(document, removed);
    removeShareBlocks(document, removed);
  },
};

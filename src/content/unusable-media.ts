import { selectAll, type HtmlDocument } from './parse-html.js';
import { removeNode, type RemovalCount } from './removal-count.js';
import { isAllowedIframeSrc, isAllowedImageSrc } from './sanitize-html.js';

/**
 * Removes the images and players the sanitizer would drop (no usable
 * address, an SVG `data:` image, a player from a host not on the list)
 * before empty wrappers are pruned, so that no wrapper is left empty by the
 * sanitizer and cleaning a cleaned article changes nothing.
 */
export function removeUnusableMedia(
  document: HtmlDocument,
  iframeHosts: readonly string[] | undefined,
  count: RemovalCount,
): void {
  for (const img of selectAll(document.body, 'img')) {
    if (!isAllowedImageSrc(img.getAttribute('src') ?? '')) removeNode(img, count);
  }
  for (const frame of selectAll(document.body, 'iframe')) {
    if (!isAllowedIframeSrc(frame.getAttribute('src') ?? '', iframeHosts)) removeNode(frame, count);
  }
}

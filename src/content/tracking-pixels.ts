import { selectAll, type HtmlDocument, type HtmlElement } from './parse-html.js';
import { removeNode, type RemovalCount } from './removal-count.js';

/*
 * Tracking pixels: images nobody sees, there to count readers. Known
 * counting hosts, 1×1 (or 0-sized) images and hidden images.
 */

/** Hosts (and their subdomains) whose images only count views. */
export const TRACKING_PIXEL_HOSTS: readonly string[] = [
  'b.scorecardresearch.com',
  'c.statcounter.com',
  'feedproxy.google.com',
  'feeds.feedburner.com',
  'feedsportal.com',
  'google-analytics.com',
  'pixel.quantserve.com',
  'pixel.wp.com',
  'sb.scorecardresearch.com',
  'stats.wp.com',
];

function hostOf(src: string): string | undefined {
  try {
    return new URL(src.trim()).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

function isTiny(value: string | null): boolean {
  if (value === null) return false;
  const match = /^\s*(\d+)(?:px)?\s*$/i.exec(value);
  return match !== null && Number(match[1]) <= 1;
}

function styleSaysHidden(style: string): boolean {
  const css = style.toLowerCase().replace(/\s+/g, '');
  return (
    css.includes('display:none') ||
    css.includes('visibility:hidden') ||
    (/(?:^|;)width:[01]px/.test(css) && /(?:^|;)height:[01]px/.test(css))
  );
}

export function isTrackingPixel(img: HtmlElement): boolean {
  if (isTiny(img.getAttribute('width')) && isTiny(img.getAttribute('height'))) return true;
  if (styleSaysHidden(img.getAttribute('style') ?? '')) return true;
  const host = hostOf(img.getAttribute('src') ?? '');
  return host !== undefined && TRACKING_PIXEL_HOSTS.some((h) => host === h || host.endsWith(`.${h}`));
}

export function removeTrackingPixels(document: HtmlDocument, count: RemovalCount): void {
  for (const img of selectAll(document.body, 'img')) {
    if (isTrackingPixel(img)) removeNode(img, count);
  }
}

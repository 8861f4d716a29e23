/**
 * The link as article and list files write it: the WHATWG URL serializer's
 * output (`new URL(x).href`, non-ASCII percent-encoded as in the seed), with
 * `(`, `)` and spaces percent-encoded too so the Markdown link cannot end early.
 * Returns undefined for something that is not an absolute URL.
 */
export function formatLink(link: string, base?: string): string | undefined {
  let url: URL;
  try {
    url = new URL(link.trim(), base);
  } catch {
    return undefined;
  }
  return url.href.replace(/[() ]/g, (c) => (c === '(' ? '%28' : c === ')' ? '%29' : '%20'));
}

/** Query parameters that identify a campaign or a click, never the article. */
const TRACKING_PARAM = /^(utm_[a-z_]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|yclid|igshid|spm|_ga|ref_src|at_medium|at_campaign|xtor)$/i;

/**
 * The identity of a link: scheme and host lower-cased (the URL parser does
 * that), default port dropped, fragment and tracking parameters removed.
 * Two links with the same canonical form are the same article.
 */
export function canonicalLink(link: string): string | undefined {
  let url: URL;
  try {
    url = new URL(link.trim());
  } catch {
    return undefined;
  }
  url.hash = '';
  const kept = [...url.searchParams].filter(([key]) => !TRACKING_PARAM.test(key));
  if (kept.length !== [...url.searchParams].length) {
    url.search = kept.length === 0 ? '' : new URLSearchParams(kept).toString();
  }
  return url.href;
}

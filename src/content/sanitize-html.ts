import sanitizeHtml from 'sanitize-html';

/*
 * The one module that imports sanitize-html. An allowlist, not a blocklist:
 * whatever is not named here is dropped (tags are unwrapped, their text
 * kept, except the non-text tags below whose content goes with them).
 */

/** Video hosts whose players may be embedded; each also matches its subdomains. */
export const DEFAULT_IFRAME_HOSTS: readonly string[] = [
  'player.vimeo.com',
  'youtube-nocookie.com',
  'youtube.com',
];

/** A `data:` image larger than this is dropped: inline data is for small images. */
export const MAX_DATA_IMAGE_CHARS = 64 * 1024;

export const ALLOWED_TAGS: readonly string[] = [
  'a', 'abbr', 'address', 'article', 'aside', 'b', 'bdi', 'bdo', 'blockquote', 'br',
  'caption', 'cite', 'code', 'col', 'colgroup', 'dd', 'del', 'details', 'dfn', 'div',
  'dl', 'dt', 'em', 'figcaption', 'figure', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5',
  'h6', 'header', 'hr', 'i', 'iframe', 'img', 'ins', 'kbd', 'li', 'mark', 'ol', 'p',
  'pre', 'q', 'rp', 'rt', 'ruby', 's', 'samp', 'section', 'small', 'span', 'strong',
  'sub', 'summary', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'time',
  'tr', 'u', 'ul', 'var', 'wbr',
];

export const ALLOWED_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  '*': ['dir', 'lang'],
  a: ['href', 'rel', 'title'],
  abbr: ['title'],
  blockquote: ['cite'],
  col: ['span'],
  colgroup: ['span'],
  del: ['cite', 'datetime'],
  dfn: ['title'],
  iframe: ['allowfullscreen', 'height', 'src', 'title', 'width'],
  img: ['alt', 'data-original-src', 'height', 'sizes', 'src', 'srcset', 'title', 'width'],
  ins: ['cite', 'datetime'],
  li: ['value'],
  ol: ['reversed', 'start', 'type'],
  q: ['cite'],
  td: ['colspan', 'headers', 'rowspan'],
  th: ['colspan', 'headers', 'rowspan', 'scope'],
  time: ['datetime'],
};

/** Attributes holding one URL, checked against the allowed schemes. */
export const URL_ATTRIBUTES: readonly string[] = ['cite', 'data-original-src', 'href', 'src'];

export const ALLOWED_SCHEMES: readonly string[] = ['http', 'https', 'mailto'];
export const ALLOWED_SCHEMES_BY_TAG: Readonly<Record<string, readonly string[]>> = {
  iframe: ['https'],
  img: ['data', 'http', 'https'],
};

/** Disallowed tags whose content is dropped with them, not unwrapped. */
export const NON_TEXT_TAGS: readonly string[] = [
  'button', 'datalist', 'noembed', 'noframes', 'noscript', 'option', 'script', 'select',
  'style', 'svg', 'template', 'textarea', 'title', 'xmp',
];

export const LINK_REL = 'noopener noreferrer';

const DATA_IMAGE = /^data:image\/(?:png|jpeg|gif|webp);base64,[a-z0-9+/]+={0,2}$/i;

/**
 * A URL as scheme checks must see it: browsers ignore C0 controls and spaces
 * in many places (`java&#9;script:`), so they are removed first, as
 * sanitize-html's own scheme check does.
 */
function browserView(url: string): string {
  return url.replace(/[\u0000-\u0020]+/g, '');
}

const SCHEME = /^([a-z][a-z0-9+.\-]*):/i;

function isAllowedDataImage(url: string): boolean {
  const seen = browserView(url);
  if (!/^data:/i.test(seen)) return true;
  return seen.length <= MAX_DATA_IMAGE_CHARS && DATA_IMAGE.test(seen);
}

/** True when the sanitizer keeps an <img> with this `src`. */
export function isAllowedImageSrc(src: string): boolean {
  const scheme = SCHEME.exec(browserView(src))?.[1]?.toLowerCase();
  if (scheme === undefined) return browserView(src) !== '';
  if (scheme === 'data') return isAllowedDataImage(src);
  return scheme === 'http' || scheme === 'https';
}

/** True when the sanitizer keeps a link's `href` (else it unwraps the link to its text). */
export function isAllowedLinkHref(href: string): boolean {
  const seen = browserView(href);
  const scheme = SCHEME.exec(seen)?.[1]?.toLowerCase();
  if (scheme === undefined) return seen !== '';
  return ALLOWED_SCHEMES.includes(scheme);
}

/** True when the sanitizer keeps an <iframe> with this `src` (https, host in `hosts` or below). */
export function isAllowedIframeSrc(src: string, hosts: readonly string[] = DEFAULT_IFRAME_HOSTS): boolean {
  let url: URL;
  try {
    url = new URL(browserView(src));
  } catch {
    return false;
  }
  const host = url.hostname.toLowerCase();
  return url.protocol === 'https:' && hosts.some((domain) => host === domain || host.endsWith(`.${domain}`));
}

/** Attribute names in code-point order, so equal input gives equal bytes. */
function sortAttributes(attribs: sanitizeHtml.Attributes): sanitizeHtml.Attributes {
  const sorted: sanitizeHtml.Attributes = {};
  for (const name of Object.keys(attribs).sort()) sorted[name] = attribs[name] ?? '';
  return sorted;
}

function transformTag(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const next = { ...attribs };
  if (tagName === 'a') next.rel = LINK_REL;
  if (tagName === 'img') {
    if (next.src !== undefined && !isAllowedDataImage(next.src)) delete next.src;
    // The original address of a localized image is never inline data.
    const original = next['data-original-src'];
    if (original !== undefined && /^data:/i.test(browserView(original))) {
      delete next['data-original-src'];
    }
  }
  return { tagName, attribs: sortAttributes(next) };
}

const ALLOWED_TAG_SET: ReadonlySet<string> = new Set(ALLOWED_TAGS);

/**
 * Elements the running pass dropped or unwrapped. A pass is synchronous,
 * so one counter serves every call.
 */
let droppedElements = 0;

function noteOpenTag(name: string): void {
  if (!ALLOWED_TAG_SET.has(name)) droppedElements += 1;
}

function dropEmptyShells(frame: sanitizeHtml.IFrame): boolean | 'excludeTag' {
  let verdict: boolean | 'excludeTag' = false;
  // An image or a player without an (allowed) address shows nothing.
  if ((frame.tag === 'img' || frame.tag === 'iframe') && !frame.attribs.src) verdict = true;
  // A link whose target was removed is just its text.
  else if (frame.tag === 'a' && !frame.attribs.href) verdict = 'excludeTag';
  if (verdict) droppedElements += 1;
  return verdict;
}

function buildOptions(iframeHosts: readonly string[]): sanitizeHtml.IOptions {
  const allowedAttributes: Record<string, string[]> = {};
  for (const [tag, names] of Object.entries(ALLOWED_ATTRIBUTES)) allowedAttributes[tag] = [...names];
  const allowedSchemesByTag: Record<string, string[]> = {};
  for (const [tag, schemes] of Object.entries(ALLOWED_SCHEMES_BY_TAG)) {
    allowedSchemesByTag[tag] = [...schemes];
  }
  return {
    allowedTags: [...ALLOWED_TAGS],
    allowedAttributes,
    allowedSchemes: [...ALLOWED_SCHEMES],
    allowedSchemesByTag,
    allowedSchemesAppliedToAttributes: [...URL_ATTRIBUTES],
    allowProtocolRelative: true,
    allowedIframeDomains: [...iframeHosts],
    allowIframeRelativeUrls: false,
    nonTextTags: [...NON_TEXT_TAGS],
    disallowedTagsMode: 'discard',
    enforceHtmlBoundary: false,
    parseStyleAttributes: false,
    transformTags: { '*': transformTag },
    exclusiveFilter: dropEmptyShells,
    onOpenTag: noteOpenTag,
  };
}

const defaultOptions = buildOptions(DEFAULT_IFRAME_HOSTS);

/** Enough passes for any input: the second pass drops nothing (see below). */
const MAX_PASSES = 4;

/**
 * Makes an article body safe to write or serve: no script, no event
 * handlers, no `javascript:`/`vbscript:`/`data:` URLs (except small PNG,
 * JPEG, GIF and WebP images), no forms, no `style`, no `<base>`/`<meta>`,
 * iframes only from `iframeHosts`, every link `rel="noopener noreferrer"`.
 * Deterministic (attributes sorted) and idempotent.
 *
 * Idempotent because a pass that drops no element writes out exactly the
 * tree its parser built, which parses back to the same tree. A pass that
 * did drop one may leave elements nested as the parser would not nest
 * them (`<td><a><td>` without the link is `<td><td>`, which the next parse
 * reads as two cells), so the output is sanitized again until a pass drops
 * nothing. cleanArticle hands over bodies with nothing left to drop, so
 * its bodies take one pass.
 */
export function sanitizeArticleHtml(html: string, options?: { iframeHosts?: string[] }): string {
  const settings = options?.iframeHosts ? buildOptions(options.iframeHosts) : defaultOptions;
  let output = html;
  for (let pass = 0; pass < MAX_PASSES; pass += 1) {
    droppedElements = 0;
    output = sanitizeHtml(output, settings);
    if (droppedElements === 0) break;
  }
  return output;
}

import { COMMENT_NODE, isElement, type HtmlDocument, type HtmlElement, type HtmlNode } from './parse-html.js';
import { normalizeAssetUrl, normalizeLinkUrl, normalizeSrcset, resolveUrl } from './normalize-url.js';
import { removeNode, type RemovalCount } from './removal-count.js';

/*
 * Markup that changes on every fetch although the article did not: comment
 * blocks (cache stamps), URL noise (see normalize-url.ts), Cloudflare's
 * per-request e-mail obfuscation, WordPress embed secrets and relative
 * timestamps ("15 分钟前"). Volatile attributes (nonce, data-cf-*, Rocket
 * Loader's `type="<random>-text/javascript"`, random ids and classes) need
 * no rule here: the scripts are removed and the sanitizer's allowlist keeps
 * none of those attributes.
 */

/** "15 分钟前", "3 小時前", "just now", "5 minutes ago": true on one fetch only. */
const RELATIVE_TIME =
  /^\s*(?:\d+\s*(?:秒|秒钟|秒鐘|分钟|分鐘|小时|小時|天|周|週|个月|個月)前|刚刚|剛剛|just now|\d+\s+(?:seconds?|minutes?|mins?|hours?|days?|weeks?)\s+ago)\s*$/i;

const CF_EMAIL_PATH = /\/cdn-cgi\/l\/email-protection(?:#([0-9a-f]+))?$/i;

/**
 * Cloudflare's e-mail obfuscation: hex bytes, the first one a per-request
 * key that every other byte is XORed with.
 */
export function decodeCloudflareEmail(hex: string): string | undefined {
  if (!/^(?:[0-9a-f]{2}){2,}$/i.test(hex)) return undefined;
  const key = parseInt(hex.slice(0, 2), 16);
  const bytes = new Uint8Array(hex.length / 2 - 1);
  for (let i = 2; i < hex.length; i += 2) bytes[i / 2 - 1] = parseInt(hex.slice(i, i + 2), 16) ^ key;
  const email = new TextDecoder().decode(bytes);
  return /^[^\s@<>"]+@[^\s@<>"]+$/.test(email) ? email : undefined;
}

function normalizeCloudflareEmail(element: HtmlElement, document: HtmlDocument): boolean {
  const email = decodeCloudflareEmail(element.getAttribute('data-cfemail') ?? '');
  if (email === undefined) return false;
  if (element.localName === 'a') {
    element.setAttribute('href', `mailto:${email}`);
    element.removeAttribute('data-cfemail');
    element.textContent = email;
  } else {
    element.replaceWith(document.createTextNode(email));
  }
  return true;
}

function normalizeLink(element: HtmlElement, base: URL | undefined): void {
  const href = element.getAttribute('href');
  if (href === null) return;
  const protectedEmail = CF_EMAIL_PATH.exec(href.trim());
  if (protectedEmail) {
    const email = decodeCloudflareEmail(protectedEmail[1] ?? '');
    if (email === undefined) {
      element.removeAttribute('href');
      return;
    }
    element.setAttribute('href', `mailto:${email}`);
    // The placeholder text Cloudflare writes where the address was.
    if (/^\[email\s+protected\]$/.test((element.textContent ?? '').trim())) element.textContent = email;
    return;
  }
  setIfChanged(element, 'href', normalizeLinkUrl(href, base));
}

function setIfChanged(element: HtmlElement, name: string, value: string): void {
  if (element.getAttribute(name) !== value) element.setAttribute(name, value);
}

function normalizeMedia(element: HtmlElement, base: URL | undefined): void {
  for (const name of ['src', 'data-original-src', 'poster']) {
    const value = element.getAttribute(name);
    if (value !== null) setIfChanged(element, name, normalizeAssetUrl(value, base));
  }
  const srcset = element.getAttribute('srcset');
  if (srcset !== null) setIfChanged(element, 'srcset', normalizeSrcset(srcset, base));
}

function normalizeFrame(element: HtmlElement, base: URL | undefined): void {
  const src = element.getAttribute('src');
  if (src === null) return;
  // WordPress embeds carry a random `#?secret=` per page view.
  const resolved = resolveUrl(src, base).replace(/#\?secret=[\w-]*$/, '');
  setIfChanged(element, 'src', resolved);
}

function normalizeRelativeTime(element: HtmlElement, count: RemovalCount): void {
  if (!RELATIVE_TIME.test(element.textContent ?? '')) return;
  const datetime = element.getAttribute('datetime')?.trim();
  if (datetime) element.textContent = datetime;
  else removeNode(element, count);
}

function normalizeElement(element: HtmlElement, context: WalkContext): void {
  const { base, count, document } = context;
  if (element.hasAttribute('data-cfemail') && normalizeCloudflareEmail(element, document)) return;
  switch (element.localName) {
    case 'a':
      normalizeLink(element, base);
      break;
    case 'img':
    case 'source':
    case 'video':
    case 'audio':
      normalizeMedia(element, base);
      break;
    case 'iframe':
      normalizeFrame(element, base);
      break;
    case 'blockquote':
    case 'q':
    case 'del':
    case 'ins': {
      const cite = element.getAttribute('cite');
      if (cite !== null) setIfChanged(element, 'cite', resolveUrl(cite, base));
      break;
    }
    case 'time':
      normalizeRelativeTime(element, count);
      break;
  }
}

interface WalkContext {
  base: URL | undefined;
  count: RemovalCount;
  document: HtmlDocument;
}

/** A <span> with no language or direction is only a styling hook: its content is what counts. */
function unwrapPlainSpan(element: HtmlElement): void {
  if (element.localName !== 'span' || !element.isConnected) return;
  if (element.hasAttribute('lang') || element.hasAttribute('dir')) return;
  element.replaceWith(...Array.from(element.childNodes));
}

function walk(node: HtmlNode, context: WalkContext): void {
  for (let child = node.firstChild, next = child?.nextSibling ?? null; child; child = next, next = child?.nextSibling ?? null) {
    if (child.nodeType === COMMENT_NODE) {
      removeNode(child, context.count);
    } else if (isElement(child)) {
      normalizeElement(child, context);
      if (child.isConnected) {
        walk(child, context);
        unwrapPlainSpan(child);
      }
    }
  }
}

/** Normalizes volatile markup in place and removes comments; `url` is the article's address. */
export function normalizeVolatileMarkup(document: HtmlDocument, base: URL | undefined, count: RemovalCount): void {
  walk(document.body, { base, count, document });
}

import { decodeHTML, decodeHTMLAttribute } from 'entities';
import { renderMarkdownHtml } from '../content/markdown-to-html.js';
import { sanitizeArticleHtml } from '../content/sanitize-html.js';
import { escapeHtml } from '../domain/escape-html.js';

export interface ReaderBodyOptions {
  /** The article file's body format (the archive's `body` setting). */
  format: 'html' | 'markdown';
  /** The original article URL: relative links in the body point there. */
  articleUrl: string;
  /** What replaces `../../` (the way from an article file to the archive root) before `assets/`. */
  root: string;
  /**
   * link: remote images and players become plain links, so a page makes no
   * request off the reader (pages); keep: left as they are (Atom content,
   * read by feed readers that fetch images themselves).
   */
  remote: 'link' | 'keep';
}

/** Sanitized bodies quote every attribute with `"`: these patterns read them exactly. */
const TAG = /<(img|iframe|a)\b([^>]*)>(?:<\/iframe>)?/gi;
const ATTRIBUTE = /\s([a-z][a-z0-9-]*)(?:="([^"]*)")?/gi;
const LOCAL_ASSET = /^\.\.\/\.\.\/(assets\/[0-9a-f]{2}\/[0-9a-f]{64}\.[a-z0-9]{2,5})$/;
const IMAGE_KEPT = ['alt', 'height', 'title', 'width'];

function readAttributes(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const match of text.matchAll(ATTRIBUTE)) out.set((match[1] ?? '').toLowerCase(), decodeHTMLAttribute(match[2] ?? ''));
  return out;
}

function attr(name: string, value: string): string {
  return ` ${name}="${escapeHtml(value)}"`;
}

function absolute(href: string, base: string): string | undefined {
  try {
    const url = new URL(href, base);
    return url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'mailto:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function remoteLink(label: string, href: string | undefined, kind: string): string {
  const text = escapeHtml(label);
  if (href === undefined) return `<span class="${kind}">${text}</span>`;
  return `<a class="${kind}"${attr('href', href)} rel="noopener noreferrer">${text}</a>`;
}

function rewriteImage(attributes: Map<string, string>, options: ReaderBodyOptions): string {
  const src = attributes.get('src') ?? '';
  const local = LOCAL_ASSET.exec(src)?.[1];
  if (local !== undefined || /^data:/i.test(src)) {
    let out = `<img${attr('src', local !== undefined ? options.root + local : src)}`;
    for (const name of IMAGE_KEPT) {
      const value = attributes.get(name);
      if (value !== undefined) out += attr(name, value);
    }
    return `${out} loading="lazy" decoding="async">`;
  }
  const href = absolute(src, options.articleUrl);
  const alt = attributes.get('alt')?.trim();
  return remoteLink(alt ? `[图片：${alt}]` : '[图片]', href, 'remote-image');
}

function rewriteLink(attributes: Map<string, string>, options: ReaderBodyOptions): string {
  const raw = attributes.get('href') ?? '';
  const local = LOCAL_ASSET.exec(raw)?.[1];
  const href = local !== undefined ? options.root + local : raw.startsWith('#') ? raw : absolute(raw, options.articleUrl);
  let out = '<a';
  if (href !== undefined) out += attr('href', href);
  const title = attributes.get('title');
  if (title !== undefined) out += attr('title', title);
  return `${out} rel="noopener noreferrer">`;
}

/**
 * An article body ready to show: sanitized again (old archives hold bodies
 * that were never sanitized), archived images pointed at `root`, relative
 * links resolved against the original article, and, for pages, every
 * remote image or player turned into a link so that opening a page never
 * contacts another host.
 */
export function renderReaderBody(body: string, options: ReaderBodyOptions): string {
  const clean = sanitizeArticleHtml(options.format === 'markdown' ? renderMarkdownHtml(body) : body);
  return clean.replace(TAG, (whole, tag: string, rest: string) => {
    const attributes = readAttributes(rest);
    const name = tag.toLowerCase();
    if (name === 'a') return rewriteLink(attributes, options);
    if (name === 'img') {
      if (options.remote === 'keep' && !LOCAL_ASSET.test(attributes.get('src') ?? '')) return whole;
      return rewriteImage(attributes, options);
    }
    if (options.remote === 'keep') return whole;
    const src = attributes.get('src') ?? '';
    return remoteLink(`[视频：${src.replace(/^https?:\/\//i, '').split('/')[0] ?? ''}]`, absolute(src, options.articleUrl), 'remote-embed');
  });
}

/** The text of a sanitized body (what renderReaderBody made), tags dropped and entities decoded, for the search index. */
export function bodyText(html: string): string {
  return decodeHTML(html.replace(/<(?:br|p|div|li|h[1-6]|tr|td|th|blockquote|figcaption)\b[^>]*>/gi, ' ').replace(/<[^>]*>/g, ''));
}

import { Readability } from '@mozilla/readability';
import { parseHtmlPage } from './parse-html.js';
import { findSiteRule } from '../sites/registry.js';

export type ExtractMethod = 'rule' | 'readability';

export interface ExtractedArticle {
  /** The article body HTML (not yet cleaned or sanitized). */
  html: string;
  title: string | undefined;
  byline: string | undefined;
  /** Milliseconds since the epoch, when the page says. */
  published: number | undefined;
  /** The site rule's body selector, or Readability. */
  method: ExtractMethod;
  rule?: string;
  /** Characters of text in the body. */
  textLength: number;
  /** A WordPress page's post id (wordpressPost), and its shortlink when the page gives it. */
  postId?: number;
  shortlink?: string;
}

/** Bodies shorter than this are not an article: the caller keeps what it had. */
const MIN_TEXT = 80;

interface PageDocument {
  querySelector(selector: string): { innerHTML: string; textContent: string | null; getAttribute(name: string): string | null } | null;
}

/**
 * Readability resolves relative links against `document.baseURI`, which
 * linkedom leaves null: give it the page URL, or the page's <base href>
 * resolved against it (HTML: "the document base URL").
 */
function setBaseUri(document: object, pageUrl: string): void {
  const base = (document as PageDocument).querySelector('base[href]')?.getAttribute('href');
  let baseUri = pageUrl;
  if (base) {
    try {
      baseUri = new URL(base, pageUrl).href;
    } catch {
      // An unusable <base> is ignored, as browsers do.
    }
  }
  Object.defineProperty(document, 'baseURI', { value: baseUri });
  Object.defineProperty(document, 'documentURI', { value: pageUrl });
}

function textLength(html: string): number {
  return html.replace(/<[^>]*>/g, '').replace(/\s+/g, '').length;
}

function metaDate(document: PageDocument): number | undefined {
  const value =
    document.querySelector('meta[property="article:published_time"]')?.getAttribute('content') ??
    document.querySelector('meta[name="pubdate"], meta[itemprop="datePublished"]')?.getAttribute('content') ??
    document.querySelector('time[datetime]')?.getAttribute('datetime');
  const ms = value ? Date.parse(value) : Number.NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * The post id a WordPress page carries: its shortlink (`<link rel="shortlink"
 * href=".../?p=123">`, which WordPress prints on every post) or, without one,
 * the `postid-123` class of <body>. A `wordpress`-ids source names a saved
 * page by it, as its feed items by their `?p=` guid.
 */
function wordpressPost(document: PageDocument, pageUrl: string): { postId?: number; shortlink?: string } {
  const href = document.querySelector('link[rel="shortlink"]')?.getAttribute('href') ?? '';
  const linked = /[?&]p=(\d{1,7})(?:&|#|$)/.exec(href)?.[1];
  if (linked !== undefined) {
    try {
      return { postId: Number(linked), shortlink: new URL(href, pageUrl).href };
    } catch {
      // Not a URL after all: the class below may still say.
    }
  }
  const classed = /(?:^|\s)postid-(\d{1,7})(?:\s|$)/.exec(document.querySelector('body')?.getAttribute('class') ?? '')?.[1];
  return classed === undefined ? {} : { postId: Number(classed) };
}

/** The heading the site rule names, when the page has it with text. */
function ruleTitle(document: PageDocument, selector: string | undefined): string | undefined {
  const text = selector ? document.querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim() : undefined;
  return text || undefined;
}

/**
 * The article in a whole page: the site rule's body selector when the page
 * has it, else Mozilla Readability. Undefined when neither finds an article
 * (the caller then keeps the feed's content).
 */
export function extractArticle(pageHtml: string, pageUrl: string): ExtractedArticle | undefined {
  const document = parseHtmlPage(pageHtml);
  setBaseUri(document, pageUrl);
  const page = document as unknown as PageDocument;
  const published = metaDate(page);
  const rule = findSiteRule(pageUrl);
  // Read before Readability, which takes the page apart.
  const heading = ruleTitle(page, rule?.title);
  const title = heading ?? page.querySelector('meta[property="og:title"]')?.getAttribute('content') ?? page.querySelector('title')?.textContent ?? undefined;
  const wp = wordpressPost(page, pageUrl);
  if (rule?.body) {
    const body = page.querySelector(rule.body);
    if (body && textLength(body.innerHTML) >= MIN_TEXT) {
      return { html: body.innerHTML, title: title?.trim(), byline: undefined, published, method: 'rule', rule: rule.name, textLength: textLength(body.innerHTML), ...wp };
    }
  }
  const article = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0]).parse();
  if (!article?.content || textLength(article.content) < MIN_TEXT) return undefined;
  const readabilityDate = article.publishedTime ? Date.parse(article.publishedTime) : Number.NaN;
  return {
    html: article.content,
    title: heading ?? (article.title?.trim() || title?.trim()),
    byline: article.byline ?? undefined,
    published: Number.isFinite(readabilityDate) ? readabilityDate : published,
    method: 'readability',
    textLength: textLength(article.content),
    ...wp,
  };
}

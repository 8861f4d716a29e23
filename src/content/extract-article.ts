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
 * The article in a whole page: the site rule's body selector when the page
 * has it, else Mozilla Readability. Undefined when neither finds an article
 * (the caller then keeps the feed's content).
 */
export function extractArticle(pageHtml: string, pageUrl: string): ExtractedArticle | undefined {
  const document = parseHtmlPage(pageHtml);
  setBaseUri(document, pageUrl);
  const page = document as unknown as PageDocument;
  const published = metaDate(page);
  const title = page.querySelector('meta[property="og:title"]')?.getAttribute('content') ?? page.querySelector('title')?.textContent ?? undefined;
  const rule = findSiteRule(pageUrl);
  if (rule?.body) {
    const body = page.querySelector(rule.body);
    if (body && textLength(body.innerHTML) >= MIN_TEXT) {
      return { html: body.innerHTML, title: title?.trim(), byline: undefined, published, method: 'rule', rule: rule.name, textLength: textLength(body.innerHTML) };
    }
  }
  const article = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0]).parse();
  if (!article?.content || textLength(article.content) < MIN_TEXT) return undefined;
  const readabilityDate = article.publishedTime ? Date.parse(article.publishedTime) : Number.NaN;
  return {
    html: article.content,
    title: article.title?.trim() || title?.trim(),
    byline: article.byline ?? undefined,
    published: Number.isFinite(readabilityDate) ? readabilityDate : published,
    method: 'readability',
    textLength: textLength(article.content),
  };
}

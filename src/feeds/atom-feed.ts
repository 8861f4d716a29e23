import type { Enclosure, FeedItem, ParsedFeed } from '../domain/feed-item.js';
import { absoluteUrl } from './absolute-url.js';
import { escapeHtml } from '../domain/escape-html.js';
import { setFeedDate } from './parse-feed-date.js';
import { plainTitle } from './plain-title.js';
import { resolveHtmlUrls } from './resolve-html-urls.js';
import { uniqueStrings } from './unique-strings.js';

/** An Atom text construct (RFC 4287 §3.1) or content element (§4.1.3), entities decoded once. */
export interface AtomTextInput {
  value?: string;
  type?: string;
  src?: string;
  /** The element's own xml:base, which its relative URLs resolve against. */
  xml?: { base?: string };
}

export interface AtomLinkInput {
  href?: string;
  rel?: string;
  type?: string;
  length?: number;
}

export interface AtomEntryInput {
  id?: string;
  title?: AtomTextInput;
  links?: AtomLinkInput[];
  published?: string;
  updated?: string;
  content?: AtomTextInput;
  summary?: AtomTextInput;
  authors?: Array<{ name?: string; email?: string }>;
  categories?: Array<{ term?: string; label?: string }>;
  dc?: { creators?: string[]; dates?: string[] };
  xml?: { base?: string };
}

export interface AtomFeedInput {
  title?: AtomTextInput;
  links?: AtomLinkInput[];
  authors?: Array<{ name?: string; email?: string }>;
  entries?: AtomEntryInput[];
  xml?: { base?: string };
}

/** Atom 1.0 (and 0.3, whose MIME-type `type` values are read alike) into our items. */
export function normalizeAtomFeed(feed: AtomFeedInput, url?: string): Omit<ParsedFeed, 'format' | 'version'> {
  // RFC 4287 §2: xml:base applies to every relative reference; it is itself
  // relative to the document's URL.
  const feedXmlBase = absoluteUrl(feed.xml?.base, url);
  const link = absoluteUrl(alternateLink(feed.links)?.href, feedXmlBase ?? url);
  const feedBase = feedXmlBase ?? link ?? url;
  const feedAuthor = personName(feed.authors);
  const result: Omit<ParsedFeed, 'format' | 'version'> = {
    items: (feed.entries ?? []).map((entry) => normalizeAtomEntry(entry, feedBase, feedAuthor, feedXmlBase !== undefined)),
  };
  const title = plainTitle(feed.title?.value, { markup: isMarkup(feed.title?.type) });
  if (title !== '') result.title = title;
  if (link !== undefined) result.link = link;
  return result;
}

function normalizeAtomEntry(entry: AtomEntryInput, feedBase: string | undefined, feedAuthor: string | undefined, feedXmlBase: boolean): FeedItem {
  const base = absoluteUrl(entry.xml?.base, feedBase) ?? feedBase;
  // Only an xml:base says where the content's relative URLs point; without one they are left to the article's link.
  const contentBase = feedXmlBase || entry.xml?.base !== undefined ? base : undefined;
  const html = (text: string, own: AtomTextInput | undefined): string => {
    const at = own?.xml?.base === undefined ? contentBase : (absoluteUrl(own.xml.base, base) ?? contentBase);
    return at === undefined ? text : resolveHtmlUrls(text, at);
  };
  const item: FeedItem = {
    title: plainTitle(entry.title?.value, { markup: isMarkup(entry.title?.type) }),
    categories: uniqueStrings((entry.categories ?? []).map((c) => c.term ?? c.label)),
    enclosures: enclosures(entry.links, base),
  };
  const guid = entry.id?.trim();
  if (guid) item.guid = guid;
  // Many Atom ids are the entry's permalink; when no alternate link is given,
  // such an id is the best link there is (feedparser does the same).
  const link = absoluteUrl(alternateLink(entry.links)?.href, base) ?? (guid?.startsWith('http') ? absoluteUrl(guid) : undefined);
  if (link !== undefined) item.link = link;
  setFeedDate(item, entry.published ?? entry.updated ?? entry.dc?.dates?.[0]);
  const content = asHtml(entry.content);
  if (content !== undefined) item.content = html(content, entry.content);
  const summary = asHtml(entry.summary);
  if (summary !== undefined) item.summary = html(summary, entry.summary);
  // RFC 4287 §4.2.1: an entry without an author inherits the feed's.
  const author = personName(entry.authors) ?? entry.dc?.creators?.[0]?.trim() ?? feedAuthor;
  if (author) item.author = author;
  return item;
}

/**
 * RFC 4287 §4.2.7.2: "If the 'rel' attribute is not present, the link element
 * MUST be interpreted as if the link relation type is 'alternate'." Among
 * several alternates, an HTML one is the article page.
 */
function alternateLink(links: AtomLinkInput[] | undefined): AtomLinkInput | undefined {
  const alternates = (links ?? []).filter((l) => l.href && (l.rel === undefined || l.rel === 'alternate'));
  return alternates.find((l) => l.type === undefined || /html/i.test(l.type)) ?? alternates[0];
}

function enclosures(links: AtomLinkInput[] | undefined, base: string | undefined): Enclosure[] {
  const result: Enclosure[] = [];
  for (const link of links ?? []) {
    if (link.rel !== 'enclosure') continue;
    const url = absoluteUrl(link.href, base);
    if (url === undefined) continue;
    const enclosure: Enclosure = { url };
    if (link.type !== undefined) enclosure.type = link.type;
    if (link.length !== undefined && Number.isFinite(link.length)) enclosure.length = link.length;
    result.push(enclosure);
  }
  return result;
}

/** Atom 1.0 says "html"/"xhtml"; Atom 0.3 says "text/html"/"application/xhtml+xml". */
function isMarkup(type: string | undefined): boolean {
  return type !== undefined && /html/i.test(type);
}

/**
 * A text construct as HTML (RFC 4287 §3.1.1): type="text" (the default) is
 * plain text and is escaped; "html" is already HTML once XML-decoded; "xhtml"
 * is markup inside a div the parser has unwrapped. Content given only by `src`,
 * or in a non-text media type, has nothing to show inline.
 */
function asHtml(text: AtomTextInput | undefined): string | undefined {
  const value = text?.value;
  if (value === undefined || value === '') return undefined;
  const type = (text?.type ?? 'text').toLowerCase();
  if (isMarkup(type)) return value;
  if (type === 'text' || type.startsWith('text/')) return escapeHtml(value);
  return undefined;
}

function personName(people: Array<{ name?: string; email?: string }> | undefined): string | undefined {
  const person = people?.[0];
  const name = (person?.name ?? person?.email)?.trim();
  return name || undefined;
}

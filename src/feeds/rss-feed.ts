import type { Enclosure, FeedItem, ParsedFeed } from '../domain/feed-item.js';
import { absoluteUrl } from './absolute-url.js';
import { setFeedDate } from './parse-feed-date.js';
import { plainTitle } from './plain-title.js';
import { resolveHtmlUrls } from './resolve-html-urls.js';
import { uniqueStrings } from './unique-strings.js';

/**
 * What we read of an RSS 0.9x/2.0 or RSS 1.0 (RDF) item as the XML parser
 * hands it over: plain strings, entities decoded once, CDATA unwrapped.
 */
export interface RssItemInput {
  title?: string;
  link?: string;
  description?: string;
  authors?: Array<{ name?: string; email?: string }>;
  categories?: Array<{ name?: string }>;
  enclosures?: Array<{ url?: string; type?: string; length?: number }>;
  guid?: { value?: string; isPermaLink?: boolean };
  pubDate?: string;
  dc?: { titles?: string[]; creators?: string[]; dates?: string[]; subjects?: string[]; descriptions?: string[] };
  /** DCMI terms: feeds that date items with them rather than pubDate or dc:date. */
  dcterms?: { issued?: string[]; created?: string[]; modified?: string[] };
  content?: { encoded?: string };
  atom?: { published?: string; updated?: string };
  xml?: { base?: string };
  /** RSS 1.0 items are RDF resources named by rdf:about, their identifier. */
  rdf?: { about?: string };
}

export interface RssChannelInput {
  title?: string;
  /** Some channels name themselves only in dc:title. */
  dc?: { titles?: string[] };
  link?: string;
  items?: RssItemInput[];
  xml?: { base?: string };
}

/** RSS and RDF channels into our items; `url` is where the feed was fetched from. */
export function normalizeRssFeed(channel: RssChannelInput, url?: string): Omit<ParsedFeed, 'format' | 'version'> {
  // XML Base: a relative xml:base resolves against the document's URL, and the
  // channel's link against the xml:base in scope. Relative item links resolve
  // against xml:base, then the channel's own link (the site, when a feed is
  // served from elsewhere), then the feed URL.
  const xmlBase = absoluteUrl(channel.xml?.base, url);
  const link = absoluteUrl(channel.link, xmlBase ?? url);
  const channelBase = xmlBase ?? link ?? url;
  const feed: Omit<ParsedFeed, 'format' | 'version'> = {
    items: (channel.items ?? []).map((item) => normalizeRssItem(item, channelBase, xmlBase !== undefined)),
  };
  const title = plainTitle(channel.title ?? channel.dc?.titles?.[0]);
  if (title !== '') feed.title = title;
  if (link !== undefined) feed.link = link;
  return feed;
}

function normalizeRssItem(item: RssItemInput, channelBase: string | undefined, channelXmlBase: boolean): FeedItem {
  const base = absoluteUrl(item.xml?.base, channelBase) ?? channelBase;
  // Only an xml:base says where the content's relative URLs point; without one they are left to the article's link.
  const contentBase = channelXmlBase || item.xml?.base !== undefined ? base : undefined;
  const html = (text: string): string => (contentBase === undefined ? text : resolveHtmlUrls(text, contentBase));
  const guid = (item.guid?.value ?? item.rdf?.about)?.trim() || undefined;
  const result: FeedItem = {
    title: plainTitle(item.title ?? item.dc?.titles?.[0]),
    categories: uniqueStrings([...(item.categories ?? []).map((c) => c.name), ...(item.dc?.subjects ?? [])]),
    enclosures: enclosures(item.enclosures, base),
  };
  if (guid !== undefined) result.guid = guid;
  const link = absoluteUrl(item.link, base) ?? permalinkGuid(item.guid, base);
  if (link !== undefined) result.link = link;
  // Publication dates first, the time of a change last: a modified date is the best there is only alone.
  setFeedDate(
    result,
    item.pubDate ??
      item.dc?.dates?.[0] ??
      item.dcterms?.issued?.[0] ??
      item.dcterms?.created?.[0] ??
      item.atom?.published ??
      item.atom?.updated ??
      item.dcterms?.modified?.[0],
  );
  if (item.content?.encoded !== undefined) result.content = html(item.content.encoded);
  const summary = item.description ?? item.dc?.descriptions?.[0];
  if (summary !== undefined) result.summary = html(summary);
  const author = item.dc?.creators?.[0] ?? item.authors?.[0]?.name ?? item.authors?.[0]?.email;
  if (author !== undefined && author.trim() !== '') result.author = author.trim();
  return result;
}

/**
 * RSS 2.0: "If the guid element has an attribute named isPermaLink with a value
 * of true, the reader may assume that it is a permalink to the item"; the
 * attribute defaults to true. WordPress writes isPermaLink="false" on its
 * `?p=123` guids, which then never stand in for the link.
 */
function permalinkGuid(guid: RssItemInput['guid'], base: string | undefined): string | undefined {
  if (guid?.value === undefined || guid.isPermaLink === false) return undefined;
  return absoluteUrl(guid.value, base);
}

function enclosures(list: RssItemInput['enclosures'], base: string | undefined): Enclosure[] {
  const result: Enclosure[] = [];
  for (const entry of list ?? []) {
    const url = absoluteUrl(entry.url, base);
    if (url === undefined) continue;
    const enclosure: Enclosure = { url };
    if (entry.type !== undefined) enclosure.type = entry.type;
    if (entry.length !== undefined && Number.isFinite(entry.length)) enclosure.length = entry.length;
    result.push(enclosure);
  }
  return result;
}

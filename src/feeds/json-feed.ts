import type { Enclosure, FeedItem, ParsedFeed } from '../domain/feed-item.js';
import { absoluteUrl } from './absolute-url.js';
import { escapeHtml } from '../domain/escape-html.js';
import { setFeedDate } from './parse-feed-date.js';
import { plainTitle } from './plain-title.js';
import { uniqueStrings } from './unique-strings.js';

/** A JSON Feed 1.0/1.1 item; 1.0's `author` already folded into `authors`. */
export interface JsonFeedItemInput {
  id?: string;
  url?: string;
  external_url?: string;
  title?: string;
  content_html?: string;
  content_text?: string;
  summary?: string;
  date_published?: string;
  date_modified?: string;
  tags?: string[];
  authors?: Array<{ name?: string }>;
  attachments?: Array<{ url?: string; mime_type?: string; size_in_bytes?: number }>;
}

export interface JsonFeedInput {
  title?: string;
  home_page_url?: string;
  authors?: Array<{ name?: string }>;
  items?: JsonFeedItemInput[];
}

export function normalizeJsonFeed(feed: JsonFeedInput, url?: string): Omit<ParsedFeed, 'format' | 'version'> {
  const link = absoluteUrl(feed.home_page_url, url);
  const base = link ?? url;
  const feedAuthor = feed.authors?.[0]?.name?.trim() || undefined;
  const result: Omit<ParsedFeed, 'format' | 'version'> = {
    items: (feed.items ?? []).map((item) => normalizeJsonItem(item, base, feedAuthor)),
  };
  const title = plainTitle(feed.title);
  if (title !== '') result.title = title;
  if (link !== undefined) result.link = link;
  return result;
}

function normalizeJsonItem(item: JsonFeedItemInput, base: string | undefined, feedAuthor: string | undefined): FeedItem {
  const result: FeedItem = {
    title: plainTitle(item.title),
    categories: uniqueStrings(item.tags ?? []),
    enclosures: attachments(item.attachments, base),
  };
  const guid = item.id?.trim();
  if (guid) result.guid = guid;
  const link = absoluteUrl(item.url, base) ?? absoluteUrl(item.external_url, base);
  if (link !== undefined) result.link = link;
  setFeedDate(result, item.date_published ?? item.date_modified);
  // content_text is the full text when there is no content_html; with a
  // summary beside it, it is the content, else it stands in as the summary.
  const text = item.content_text === undefined ? undefined : escapeHtml(item.content_text);
  const content = item.content_html ?? (item.summary !== undefined ? text : undefined);
  if (content !== undefined) result.content = content;
  const summary = item.summary ?? (item.content_html === undefined && content === undefined ? text : undefined);
  if (summary !== undefined) result.summary = summary;
  const author = item.authors?.[0]?.name?.trim() || feedAuthor;
  if (author !== undefined) result.author = author;
  return result;
}

function attachments(list: JsonFeedItemInput['attachments'], base: string | undefined): Enclosure[] {
  const result: Enclosure[] = [];
  for (const attachment of list ?? []) {
    const url = absoluteUrl(attachment.url, base);
    if (url === undefined) continue;
    const enclosure: Enclosure = { url };
    if (attachment.mime_type !== undefined) enclosure.type = attachment.mime_type;
    if (attachment.size_in_bytes !== undefined) enclosure.length = attachment.size_in_bytes;
    result.push(enclosure);
  }
  return result;
}

import { createHash } from 'node:crypto';
import { fromWallClock } from '../domain/calendar.js';
import type { FeedItem } from '../domain/feed-item.js';
import { DEFAULT_CAPS } from '../domain/caps.js';
import { canonicalLink, formatLink } from '../domain/link.js';
import { cutTitle, normalizeTitle } from '../domain/title.js';
import type { SourceConfig } from '../config/config-schema.js';

/** A feed item made ready to archive: what the file and the catalog need. */
export interface Candidate {
  /** Position in the feed: ties in publication time are broken by it. */
  index: number;
  guid: string | undefined;
  /** Formatted as the file writes it (FORMAT.md url). */
  url: string | undefined;
  canonicalLink: string | undefined;
  title: string;
  published: number | undefined;
  /** The feed's date when it was later than the item was first seen: `published` is then the time seen (clampToSeen). */
  futureDate?: number;
  html: string;
  /** The item's two body fields, for selectContent under another setting (record-edits.ts). */
  fields: Pick<FeedItem, 'content' | 'summary'>;
  categories: string[];
  /** The body line of the article file, once rendered (cleaned, images archived). */
  body?: string;
  /** Where the body came from: `feed`, or `page:<rule>` / `page:readability` for full text. */
  bodySource: string;
  /** The link left out for its length (over maxUrlLength): its start and its length, for the warning. */
  overlongLink?: { start: string; length: number };
  /** `url` is the feed's site link standing in for an item with no web link of its own (prepareItem). */
  siteLink?: true;
  /** The length of the title before it was cut to the title cap (maxTitleLength), for the warning. */
  longTitle?: number;
}

/**
 * An http(s) link as the file writes it. A feed's link was resolved against
 * its base already (relative is fine); a guid counts only as an absolute URL
 * on its own (an id like "t3_42tizy" or "123" is no page of the feed's site).
 */
function webLink(raw: string, feedUrl: string, resolve: boolean): string | undefined {
  const trimmed = raw.trim();
  if (!resolve && !/^https?:\/\//i.test(trimmed)) return undefined;
  const url = formatLink(trimmed, feedUrl);
  return url !== undefined && /^https?:/.test(url) ? url : undefined;
}

/**
 * How a warning names an item: its own link, else its guid (the feed's site
 * link standing in as `url` names no item), else its title.
 */
export function itemName(c: Pick<Candidate, 'url' | 'guid' | 'title' | 'siteLink'>): string {
  return (c.siteLink ? undefined : c.url) ?? c.guid ?? c.url ?? c.title;
}

/** FORMAT.md has no room for an empty title; a stand-in a reader can recognise. */
function fallbackTitle(html: string, url: string | undefined): string {
  const text = normalizeTitle(html.replace(/<[^>]*>/g, ' ').replace(/&nbsp;/g, ' '));
  if (text) return [...text].slice(0, 40).join('') + ([...text].length > 40 ? '…' : '');
  return url ?? '(untitled)';
}

/**
 * The source's `content` setting as a rule of selectContent: `content:encoded`
 * is `content`, `description` is `summary`. Kept with what a body was read by
 * (raw bodies, versions), so versions are compared field with field.
 */
export type ContentBasis = 'auto' | 'content' | 'summary';

export function contentBasis(field: SourceConfig['content']): ContentBasis {
  if (field === 'content:encoded') return 'content';
  if (field === 'description') return 'summary';
  return field;
}

/** The source's `content` setting: which field holds the full text; auto takes the fuller one. */
export function selectContent(item: Pick<FeedItem, 'content' | 'summary'>, field: SourceConfig['content']): string {
  const content = item.content ?? '';
  const summary = item.summary ?? '';
  switch (field) {
    case 'content':
    case 'content:encoded':
      return content || summary;
    case 'summary':
    case 'description':
      return summary || content;
    default:
      return content.length >= summary.length ? content : summary;
  }
}

/**
 * The link as the file writes it, or undefined: no absolute URL, or longer
 * than `max` as the feed writes it or once percent-encoded (a hostile feed's
 * 12 MB link would be the file's second line, and every list's line).
 */
function articleLink(raw: string | undefined, feedUrl: string, max: number, resolve: boolean): { url?: string; overlong?: Candidate['overlongLink'] } {
  if (raw === undefined) return {};
  const trimmed = raw.trim();
  if (!resolve && !/^https?:\/\//i.test(trimmed)) return {};
  // Not parsed when already over: the URL parser takes a second for tens of megabytes.
  const url = trimmed.length > max ? trimmed : webLink(trimmed, feedUrl, resolve);
  if (url === undefined || url.length <= max) return url === undefined ? {} : { url };
  return { overlong: { start: url.slice(0, 60), length: url.length } };
}

/** What the run says of an item archived with its title cut (maxTitleLength). */
export function longTitleWarning(c: Candidate, max: number): string[] {
  if (c.longTitle === undefined) return [];
  return [`${itemName(c)}: "${cutTitle(c.title, 60) ?? c.title}": a title of ${c.longTitle} characters is over maxTitleLength (${max}): archived cut to ${c.title.length}`];
}

/** What the run says of an item archived without its link (articleLink). */
export function overlongLinkWarning(c: Candidate, max: number): string[] {
  if (c.overlongLink === undefined) return [];
  return [`${c.overlongLink.start}…: "${c.title}": a link of ${c.overlongLink.length} characters is over maxUrlLength (${max}): archived without it`];
}

/**
 * A guid as the catalog keeps it: one over the link cap is known by its
 * SHA-256, the same item again by the same hash, without megabytes in the catalog.
 */
function boundedGuid(guid: string | undefined, max: number): string | undefined {
  const trimmed = guid?.trim();
  if (!trimmed) return undefined;
  return trimmed.length > max ? `sha256:${createHash('sha256').update(trimmed).digest('hex')}` : trimmed;
}

/** What prepareItem needs of the feed beside the item: its site link and the link cap. */
export interface FeedContext {
  /** The feed's own link (its site). */
  siteLink?: string | undefined;
  maxUrlLength?: number | undefined;
  maxTitleLength?: number | undefined;
}

const hasLink = (l: ReturnType<typeof articleLink>): boolean => l.url !== undefined || l.overlong !== undefined;

/**
 * `siteLink` is the feed's own link (its site). An item's line-2 link is its
 * http(s) link, or with none (a `urn:` or `tag:` guid is an identifier, not a
 * page) the site's: the file links somewhere a reader can open, never to a
 * URN. The stand-in is no identity (no canonical link) and no page to fetch.
 */
export function prepareItem(item: FeedItem, index: number, source: SourceConfig, feedUrl: string, feed: FeedContext = {}): Candidate {
  const max = feed.maxUrlLength ?? DEFAULT_CAPS.maxUrlLength;
  const link = articleLink(item.link, feedUrl, max, true);
  const guid = articleLink(item.guid, feedUrl, max, false);
  const [first, second] = source.link === 'guid' ? [guid, link] : [link, guid];
  const { url: own, overlong } = hasLink(first) ? first : second;
  const standIn = own === undefined && overlong === undefined && feed.siteLink !== undefined ? webLink(feed.siteLink, feedUrl, true) : undefined;
  const url = own ?? standIn;
  const html = selectContent(item, source.content);
  const title = normalizeTitle(item.title) || fallbackTitle(html, own);
  // Cut before the item is matched: the same long title is cut to the same key every run.
  const cut = cutTitle(title, feed.maxTitleLength ?? DEFAULT_CAPS.maxTitleLength);
  return {
    index,
    guid: boundedGuid(item.guid, max),
    url,
    canonicalLink: own === undefined ? undefined : canonicalLink(own),
    title: cut ?? title,
    published: item.published !== undefined && item.zoneless === true && source.timezone !== undefined ? fromWallClock(item.published, source.timezone) : item.published,
    html,
    fields: { content: item.content, summary: item.summary },
    categories: item.categories,
    bodySource: 'feed',
    ...(overlong ? { overlongLink: overlong } : {}),
    ...(standIn === undefined ? {} : { siteLink: true }),
    ...(cut === undefined ? {} : { longTitle: title.length }),
  };
}

/**
 * A date later than the time an item is first seen is no date (as Miniflux
 * does): the item is as old as when it is seen, like an undated one, and is
 * matched as one on later runs. Taken as given, it would head the lists for
 * years and name a month to come.
 */
export function clampToSeen(candidate: Candidate, seen: number): Candidate {
  if (candidate.published === undefined || candidate.published <= seen) return candidate;
  return { ...candidate, published: undefined, futureDate: candidate.published };
}

import { createHash } from 'node:crypto';
import { fromWallClock } from '../domain/calendar.js';
import type { FeedItem } from '../domain/feed-item.js';
import { DEFAULT_CAPS } from '../domain/caps.js';
import { canonicalLink, formatLink } from '../domain/link.js';
import { normalizeTitle } from '../domain/title.js';
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
function articleLink(raw: string | undefined, feedUrl: string, max: number): { url?: string; overlong?: Candidate['overlongLink'] } {
  if (raw === undefined) return {};
  const trimmed = raw.trim();
  // Not parsed when already over: the URL parser takes a second for tens of megabytes.
  const url = trimmed.length > max ? trimmed : formatLink(trimmed, feedUrl);
  if (url === undefined || url.length <= max) return url === undefined ? {} : { url };
  return { overlong: { start: url.slice(0, 60), length: url.length } };
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

export function prepareItem(item: FeedItem, index: number, source: SourceConfig, feedUrl: string, maxUrlLength: number = DEFAULT_CAPS.maxUrlLength): Candidate {
  const rawLink = source.link === 'guid' ? (item.guid ?? item.link) : (item.link ?? item.guid);
  const { url, overlong } = articleLink(rawLink, feedUrl, maxUrlLength);
  const html = selectContent(item, source.content);
  return {
    index,
    guid: boundedGuid(item.guid, maxUrlLength),
    url,
    canonicalLink: url === undefined ? undefined : canonicalLink(url),
    title: normalizeTitle(item.title) || fallbackTitle(html, url),
    published: item.published !== undefined && item.zoneless === true && source.timezone !== undefined ? fromWallClock(item.published, source.timezone) : item.published,
    html,
    fields: { content: item.content, summary: item.summary },
    categories: item.categories,
    bodySource: 'feed',
    ...(overlong ? { overlongLink: overlong } : {}),
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

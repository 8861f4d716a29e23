import { createHash } from 'node:crypto';
import { escapeHtml } from '../domain/escape-html.js';

export interface AtomEntryInput {
  sourceSlug: string;
  sourceName: string;
  id: number;
  title: string;
  /** The original article. */
  url: string;
  published: number;
  /** The article's page on this site (absolute, or relative to the feed). */
  pageHref: string;
  /** The body as HTML, with image addresses that work from the feed's location. */
  contentHtml: string;
}

export interface AtomFeedInput {
  /** Stable words this feed's id is made from (site and feed name). */
  idSeed: string;
  title: string;
  /** Where the feed itself is and the page it stands for (absolute, or relative to the feed). */
  selfHref: string;
  pageHref: string;
  author: string;
  entries: readonly AtomEntryInput[];
  /**
   * xml:base of the feed (RFC 4287 2, XML Base): with `../`, a feed at
   * feeds/<slug>.xml resolves every relative link and image against the
   * site root, wherever the site is hosted.
   */
  xmlBase?: string | undefined;
}

/** Characters XML 1.0 does not allow (`Char` production), and lone surrogates. */
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function text(value: string): string {
  return escapeHtml(value.replace(NOT_XML, ''));
}

/** A name-based UUID (RFC 4122 version 5 layout over SHA-1): the same words, the same id. */
export function nameUuid(name: string): string {
  const hex = createHash('sha1').update(name).digest('hex');
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

function renderEntry(entry: AtomEntryInput): string {
  // RFC 4287 4.1.2: atom:entry MUST contain exactly one atom:id, atom:title and atom:updated.
  // The id is made from the source and the original link: it survives a renumbering of the file.
  return [
    '<entry>',
    `<id>${nameUuid(`newsmirror entry\n${entry.sourceSlug}\n${entry.url}`)}</id>`,
    `<title type="text">${text(entry.title)}</title>`,
    `<updated>${rfc3339(entry.published)}</updated>`,
    `<published>${rfc3339(entry.published)}</published>`,
    `<author><name>${text(entry.sourceName)}</name></author>`,
    `<link rel="alternate" type="text/html" href="${text(entry.pageHref)}"/>`,
    `<link rel="via" type="text/html" href="${text(entry.url)}"/>`,
    `<category term="${text(entry.sourceSlug)}" label="${text(entry.sourceName)}"/>`,
    `<content type="html">${text(entry.contentHtml)}</content>`,
    '</entry>',
  ].join('\n');
}

/**
 * An Atom 1.0 feed (RFC 4287) with the full text of each entry. No clock:
 * the feed's `updated` is its newest entry's time, so the same archive gives
 * the same bytes.
 */
export function renderAtomFeed(feed: AtomFeedInput): string {
  const updated = feed.entries.reduce((max, e) => Math.max(max, e.published), 0);
  // RFC 4287 4.1.1: atom:feed MUST contain exactly one atom:id, atom:title and atom:updated,
  // and an atom:author unless every entry has one; SHOULD contain a rel="self" link.
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom"${feed.xmlBase !== undefined ? ` xml:base="${text(feed.xmlBase)}"` : ''}>`,
    `<id>${nameUuid(`newsmirror feed\n${feed.idSeed}`)}</id>`,
    `<title type="text">${text(feed.title)}</title>`,
    `<updated>${rfc3339(updated)}</updated>`,
    `<author><name>${text(feed.author)}</name></author>`,
    `<link rel="self" type="application/atom+xml" href="${text(feed.selfHref)}"/>`,
    `<link rel="alternate" type="text/html" href="${text(feed.pageHref)}"/>`,
    '<generator>newsmirror</generator>',
    ...feed.entries.map(renderEntry),
    '</feed>',
    '',
  ].join('\n');
}

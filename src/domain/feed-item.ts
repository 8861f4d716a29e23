/** The kinds of feed document newsmirror reads. */
export type FeedFormat = 'rss' | 'atom' | 'rdf' | 'json';

export interface Enclosure {
  url: string;
  type?: string;
  length?: number;
}

/**
 * One feed entry, normalized across RSS 0.9x/2.0, RSS 1.0 (RDF), Atom and
 * JSON Feed. Strings are plain Unicode: entities decoded exactly once, links
 * absolute (resolved against xml:base / the feed URL).
 */
export interface FeedItem {
  guid?: string;
  link?: string;
  /** Plain text, entities decoded once; may be empty. */
  title: string;
  /** Milliseconds since the Unix epoch, when the feed gives a usable date. */
  published?: number;
  /** The feed's date had no zone: `published` reads its clock as UTC, and a source's `timezone` places it (prepare-item.ts). */
  zoneless?: true;
  /** The full-content field: RSS content:encoded, Atom content, JSON content_html. */
  content?: string;
  /** The summary field: RSS/RDF description, Atom summary, JSON summary / content_text. */
  summary?: string;
  author?: string;
  categories: string[];
  enclosures: Enclosure[];
}

export interface ParsedFeed {
  format: FeedFormat;
  /** e.g. "2.0", "1.0", "0.91" where the document says. */
  version?: string;
  title?: string;
  link?: string;
  items: FeedItem[];
}

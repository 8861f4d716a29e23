/* The catalog's rows of archived articles, and the names an item is matched by (Catalog.matchItem). */

/** One archived article as the catalog indexes it. */
export interface ItemRecord {
  source: string;
  id: number;
  guid: string | null;
  link: string | null;
  canonicalLink: string | null;
  title: string;
  published: number;
  firstSeen: number;
  contentHash: string | null;
  path: string;
  /** `feed`, `page:<rule>`, `page:readability`; null for articles imported from files. */
  bodySource: string | null;
  /**
   * The title as its file writes it, when that is not how escapeTitle writes
   * `title` (an older family file: `&quot;` left as the feed had it); lists
   * write it as it is. Null or absent for the files newsmirror writes.
   */
  writtenTitle?: string | null;
}

export interface ItemIdentity {
  guid?: string | undefined;
  canonicalLink?: string | undefined;
  title: string;
  published?: number | undefined;
  /** When the item is seen: the time of an undated item that has a guid or link (FORMAT.md: first seen). */
  seen?: number | undefined;
}

/** Two items with the same title this close together are one article republished. */
export const SAME_TITLE_WINDOW_MS = 12 * 3600_000;

export interface Row {
  source: string;
  id: number;
  guid: string | null;
  link: string | null;
  canonical_link: string | null;
  title: string;
  published: number;
  first_seen: number;
  content_hash: string | null;
  path: string;
  body_source: string | null;
  written_title?: string | null;
}

/**
 * An item's names as alias keys, in the order they are matched: its guid
 * (`g:`), its canonical link (`l:`), or, for an item with neither, its title
 * and date (`t:`), so that an item taken for another by its title is known
 * on later runs whatever it has.
 */
export function aliasKeys(item: ItemIdentity): Array<[string, 'guid' | 'link' | 'dated title']> {
  const keys: Array<[string, 'guid' | 'link' | 'dated title']> = [];
  if (item.guid) keys.push([`g:${item.guid}`, 'guid']);
  if (item.canonicalLink) keys.push([`l:${item.canonicalLink}`, 'link']);
  if (keys.length === 0 && item.title) keys.push([`t:${item.published ?? ''}:${item.title}`, 'dated title']);
  return keys;
}

export function toRecord(row: Row): ItemRecord {
  return {
    source: row.source,
    id: row.id,
    guid: row.guid,
    link: row.link,
    canonicalLink: row.canonical_link,
    title: row.title,
    published: row.published,
    firstSeen: row.first_seen,
    contentHash: row.content_hash,
    path: row.path,
    bodySource: row.body_source,
    writtenTitle: row.written_title ?? null,
  };
}

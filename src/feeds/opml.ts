import { generateOpml, parseOpml, type Opml } from 'feedsmith';
import { FeedError } from '../domain/errors.js';

/** One feed of a subscription list. */
export interface OpmlFeed {
  /** The outline's title, else its text, else the feed's host name (as `sources add` names a feed without a title). */
  title: string;
  xmlUrl: string;
  htmlUrl?: string;
  /** newsmirror's folder name for the feed, when the list came from newsmirror (a `slug` attribute). */
  slug?: string;
  /** The titles of the folders (parent outlines) the feed sat in, outermost first. */
  folders: string[];
}

/**
 * OPML 2.0 §"Attributes of <outline>": "An outline element may contain any
 * number of arbitrary attributes" — newsmirror keeps a source's slug in one,
 * so an exported list imports back to the same folders.
 */
const EXTRA = ['slug'] as const;

type Outline = Opml.Outline<string, typeof EXTRA>;

function clean(value: string | undefined): string | undefined {
  const text = value?.replace(/\s+/g, ' ').trim();
  return text === '' ? undefined : text;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname || url;
  } catch {
    return url;
  }
}

function collect(outlines: readonly Outline[] | undefined, folders: string[], out: OpmlFeed[]): void {
  for (const outline of outlines ?? []) {
    const xmlUrl = clean(outline.xmlUrl);
    const title = clean(outline.title) ?? clean(outline.text);
    if (xmlUrl !== undefined) {
      const htmlUrl = clean(outline.htmlUrl);
      const slug = clean(typeof outline.slug === 'string' ? outline.slug : undefined);
      out.push({ title: title ?? hostOf(xmlUrl), xmlUrl, folders, ...(htmlUrl ? { htmlUrl } : {}), ...(slug ? { slug } : {}) });
    }
    collect(outline.outlines, title !== undefined && xmlUrl === undefined ? [...folders, title] : folders, out);
  }
}

/**
 * The feeds of an OPML subscription list (OPML 1.0 or 2.0), in document
 * order, from every level of nesting. `where` names the file in errors.
 * Throws FeedError('malformed') for a document that is not OPML.
 */
export function parseOpmlFeeds(text: string, where: string): OpmlFeed[] {
  let document: Opml.Document<string, typeof EXTRA>;
  try {
    document = parseOpml(text, { extraOutlineAttributes: EXTRA });
  } catch (error) {
    throw new FeedError('malformed', `${where}: not an OPML document`, { cause: error });
  }
  const feeds: OpmlFeed[] = [];
  collect(document.body?.outlines, [], feeds);
  return feeds;
}

/** An OPML 2.0 subscription list: one `type="rss"` outline per feed, with its slug. */
export function renderOpml(title: string, feeds: readonly OpmlFeed[]): string {
  const outlines: Outline[] = feeds.map((feed) => ({
    text: feed.title,
    title: feed.title,
    type: 'rss',
    xmlUrl: feed.xmlUrl,
    ...(feed.htmlUrl ? { htmlUrl: feed.htmlUrl } : {}),
    ...(feed.slug ? { slug: feed.slug } : {}),
  }));
  const xml = generateOpml({ head: { title }, body: { outlines } }, { extraOutlineAttributes: EXTRA });
  return xml.endsWith('\n') ? xml : `${xml}\n`;
}

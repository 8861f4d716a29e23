/**
 * A fast reader for the common case of well-formed RSS 2.0 and Atom 1.0,
 * behind readFeed. It exists for issue 5's parse target: feedsmith builds a
 * whole object tree of every feed (and readFeed cannot be faster than what it
 * is built on), while this reader walks the text with indexOf, reads only the
 * fields normalizeRssFeed / normalizeAtomFeed use, and hands them the same
 * input feedsmith would. The differential test (fast-feed-reader.test.ts)
 * proves the output equal to the feedsmith path on the corpus, the fixtures
 * and generated documents.
 *
 * It answers undefined ("not mine": readFeed then takes the feedsmith path,
 * with its error messages and repairs) whenever the document leaves what it
 * reproduces exactly: a DOCTYPE, a PI or `<!…>` inside the document, any
 * element that is not strictly well-formed outside the fields read (unquoted
 * or repeated attributes, unpaired tags), text after the root, a second
 * <channel>, items outside the channel, a namespace prefix that feedsmith
 * would rename (e.g. xmlns:a10 for Atom, xmlns:dc bound to another URI, a
 * default namespace on <rss>), Atom xhtml text, an RSS <author> without a
 * dc:creator (feedsmith's person parsing), an Atom author with neither name
 * nor email, and items or entries with none of the fields read (feedsmith
 * drops those).
 */
import type { AtomFeedInput } from './atom-feed.js';
import { readAtom } from './fast-atom-reader.js';
import type { RssChannelInput, RssItemInput } from './rss-feed.js';
import {
  assign,
  dropUndefined,
  eachChild,
  expectEnd,
  NotMine,
  notMine,
  parseBoolean,
  parseNumber,
  parseString,
  quotedTagEnd,
  readStartTag,
  skipElement,
  stopText,
  type Doc,
  type StartTag,
} from './fast-xml-scan.js';
import { namespaceGuard } from './fast-namespaces.js';

export type FastFeed = { root: 'rss'; channel: RssChannelInput } | { root: 'feed'; feed: AtomFeedInput };

/**
 * The feed in `body` (already stripped of a leading BOM and whitespace), or
 * undefined when it is not ours to read; `onBail` hears why (tests).
 */
export function readFeedFast(body: string, onBail?: (reason: string) => void): FastFeed | undefined {
  try {
    if (isRss(body)) {
      return { root: 'rss', channel: readRss(body) };
    }
    if (isAtom(body)) {
      const { doc, root } = openRoot(body, true, 'feed');
      return { root: 'feed', feed: readAtom(doc, root) };
    }
    notMine('neither RSS nor Atom by feedsmith\'s detection');
  } catch (error) {
    if (error instanceof NotMine) {
      onBail?.(error.message);
      return undefined;
    }
    throw error;
  }
}

// feedsmith's detect() for RSS and Atom, which its parse runs first.
function isRss(body: string): boolean {
  return (
    /(?:^|[\s>])<(?:\w+:)?rss[\s>]/im.test(body) &&
    (/version\s*=\s*["'][^"']*["']/i.test(body) || /(<(channel|item|title|link|description|pubDate|guid)[\s>])/i.test(body))
  );
}

const ATOM_DETECT_URIS = ['http://www.w3.org/2005/Atom', 'https://www.w3.org/2005/Atom', 'http://www.w3.org/2005/Atom/', 'https://www.w3.org/2005/Atom/', 'http://purl.org/atom/ns#', 'https://purl.org/atom/ns#'];

function isAtom(body: string): boolean {
  return (
    /(?:^|[\s>])<(?:\w+:)?feed[\s>]/im.test(body) &&
    (ATOM_DETECT_URIS.some((uri) => body.includes(uri)) || /(<(?:\w+:)?(entry|title|link|id|updated|summary)[\s>])/i.test(body))
  );
}

/** The document element's start tag, past the XML declaration, PIs and comments. */
export function openRoot(body: string, atom: boolean, expected: string): { doc: Doc; root: StartTag } {
  const guard = namespaceGuard(body, atom);
  if (guard === undefined) notMine('a namespace prefix feedsmith would rename');
  const s = body.includes('\r') ? body.replace(/\r\n?/g, '\n') : body;
  let i = 0;
  for (;;) {
    while (/\s/.test(s.charAt(i))) i++;
    if (s.startsWith('<?', i)) {
      const end = quotedTagEnd(s, i + 1, '?>');
      if (end === -1 || s.slice(i, end).includes('xmlns')) notMine('PI in the prolog');
      i = end + 2;
    } else if (s.startsWith('<!--', i)) {
      const end = s.indexOf('-->', i + 4);
      if (end === -1) notMine('comment not closed');
      i = end + 3;
    } else break;
  }
  if (s.charAt(i) !== '<') notMine('text before the root');
  const rootAttr = (name: string, value: string): void => {
    // feedsmith reads a default namespace on the root element only (its first tag).
    if (name === 'xmlns' && !guard.rootDefaultNamespace(value)) notMine('default namespace on the root');
    guard.declaration(name, value);
  };
  const root = readStartTag(s, i, rootAttr);
  if (root.name !== expected || root.selfClosing) notMine(`root <${root.rawName}> is not <${expected}>`);
  return { doc: { s, onAttr: guard.declaration }, root };
}

function readRss(body: string): RssChannelInput {
  const { doc, root } = openRoot(body, false, 'rss');
  const { s } = doc;
  let channel: RssChannelInput | undefined;
  const end = eachChild(doc, root, (child) => {
    if (child.name === 'channel') {
      if (channel !== undefined || child.selfClosing) notMine('second or empty channel');
      let next: number;
      [channel, next] = readChannel(doc, child);
      return next;
    }
    if (child.name === 'item') notMine('item outside the channel');
    return skipElement(s, child, doc.onAttr);
  });
  expectEnd(s, end);
  if (channel === undefined || (channel.title === undefined && channel.link === undefined && channel.items?.length === 0)) notMine('no channel, or nothing in it');
  const base = parseString(root.attrs?.get('xml:base'));
  if (base !== undefined) channel.xml = { base };
  return channel;
}

function readChannel(doc: Doc, tag: StartTag): [RssChannelInput, number] {
  const channel: RssChannelInput = { items: [] };
  let seenTitle = false;
  let seenLink = false;
  const end = eachChild(doc, tag, (child) => {
    if (child.name === 'item') {
      const [item, next] = readItem(doc, child);
      channel.items?.push(item);
      return next;
    }
    if (child.name === 'title' || child.name === 'link') {
      const [text, next] = stopText(doc, child);
      if (child.name === 'title' && !seenTitle) [seenTitle, channel.title] = [true, parseString(text)];
      if (child.name === 'link' && !seenLink) [seenLink, channel.link] = [true, parseString(text)];
      return next;
    }
    if (child.name === 'dc:title') {
      const [text, next] = stopText(doc, child);
      const value = parseString(text);
      if (value !== undefined) ((channel.dc ??= {}).titles ??= []).push(value);
      return next;
    }
    return skipElement(doc.s, child, doc.onAttr);
  });
  return [channel, end];
}

const RSS_SINGLE = new Set(['title', 'link', 'description', 'pubdate', 'guid', 'content:encoded', 'atom:published', 'atom:issued', 'atom:created', 'atom:updated', 'atom:modified']);
const DC_LISTS = { 'dc:title': 'titles', 'dc:creator': 'creators', 'dc:date': 'dates', 'dc:subject': 'subjects', 'dc:description': 'descriptions' } as const;
/** Read by normalizeRssFeed, but their prefix is not checked by the namespace guard: feedsmith's to read. */
const DCTERMS_READ = new Set(['dcterms:issued', 'dcterms:created', 'dcterms:modified']);

function readItem(doc: Doc, tag: StartTag): [RssItemInput, number] {
  const item: RssItemInput = {};
  const first = new Map<string, string | undefined>();
  let hasAuthor = false;
  const end = eachChild(doc, tag, (child) => {
    const name = child.name;
    if (RSS_SINGLE.has(name)) {
      const [text, next] = stopText(doc, child);
      if (first.has(name)) return next;
      first.set(name, parseString(text));
      if (name === 'guid') item.guid = dropUndefined({ value: first.get(name), isPermaLink: parseBoolean(child.attrs?.get('ispermalink')) });
      return next;
    }
    if (name === 'category') {
      const [text, next] = stopText(doc, child);
      (item.categories ??= []).push({ name: parseString(text) });
      return next;
    }
    if (name === 'enclosure') {
      const [, next] = stopText(doc, child);
      const a = child.attrs;
      if (a !== undefined) (item.enclosures ??= []).push(dropUndefined({ url: parseString(a.get('url')), length: parseNumber(a.get('length')), type: parseString(a.get('type')) }));
      return next;
    }
    if (name in DC_LISTS) {
      const [text, next] = stopText(doc, child);
      const value = parseString(text);
      const dc = (item.dc ??= {});
      if (value !== undefined) (dc[DC_LISTS[name as keyof typeof DC_LISTS]] ??= []).push(value);
      return next;
    }
    if (name === 'author') hasAuthor = true;
    if (DCTERMS_READ.has(name)) notMine(`<${child.rawName}> in an item`);
    return skipElement(doc.s, child, doc.onAttr);
  });
  const text = (name: string): string | undefined => first.get(name);
  assign(item, 'title', text('title'));
  assign(item, 'link', text('link'));
  assign(item, 'description', text('description'));
  assign(item, 'pubDate', text('pubdate'));
  if (text('content:encoded') !== undefined) item.content = { encoded: text('content:encoded') as string };
  const published = text('atom:published') ?? text('atom:issued') ?? text('atom:created');
  const updated = text('atom:updated') ?? text('atom:modified');
  if (published !== undefined || updated !== undefined) item.atom = dropUndefined({ published, updated });
  const base = parseString(tag.attrs?.get('xml:base'));
  if (base !== undefined) item.xml = { base };
  // feedsmith's parsePerson (name, e-mail and URL out of one string) is not copied here.
  if (hasAuthor && item.dc?.creators?.[0] === undefined) notMine('RSS author without dc:creator');
  const read = [item.title, item.link, item.description, item.guid?.value, item.pubDate, item.content, item.dc?.creators, item.dc?.titles];
  if (read.every((v) => v === undefined)) notMine('item with none of the fields read');
  return [item, end];
}


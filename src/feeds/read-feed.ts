import {
  DetectError,
  MalformedError,
  ParseError,
  parseAtomFeed,
  parseFeed,
  parseJsonFeed,
  parseRdfFeed,
  parseRssFeed,
} from 'feedsmith';
import { FeedError } from '../domain/errors.js';
import type { FeedFormat, ParsedFeed } from '../domain/feed-item.js';
import { absoluteUrl } from './absolute-url.js';
import { decodeAtom03Base64 } from './decode-atom03-base64.js';
import { expandInternalEntities } from './expand-internal-entities.js';
import { normalizeAtomFeed } from './atom-feed.js';
import { readFeedFast, type FastFeed } from './fast-feed-reader.js';
import { normalizeJsonFeed } from './json-feed.js';
import { repairFeedXml } from './repair-feed-xml.js';
import { unprefixRss } from './unprefix-rss.js';
import { normalizeRssFeed } from './rss-feed.js';

export interface ReadFeedOptions {
  /** Where the feed came from: the base of relative links, and named in errors. */
  url?: string;
  /** Named in errors when there is no url (a file's path). */
  name?: string;
  /**
   * false: never take the fast reader (fast-feed-reader.ts), always feedsmith.
   * For the differential test and comparisons; the output is the same.
   */
  fastPath?: boolean;
}

/**
 * Reads an RSS 0.9x/2.0, RSS 1.0/0.9 (RDF), Atom 1.0/0.3 or JSON Feed 1.0/1.1
 * document (already decoded to text) into normalized items. This is the one
 * module that knows feedsmith. A well-formed feed may have 0 items (the
 * caller decides what that means). Throws FeedError: 'empty' for a blank body,
 * 'not_a_feed' for HTML, plain text, other JSON or another XML vocabulary, and
 * 'malformed' for a feed too broken to read.
 */
export function readFeed(text: string, options: ReadFeedOptions = {}): ParsedFeed {
  const where = options.url ?? options.name ?? 'input';
  // A BOM or whitespace before "<?xml" is an XML error that real feeds make
  // (the Rodel.Reader corpus feeds start with a newline); readers accept it.
  const body = text.replace(/^[\s\ufeff]+/, '');
  if (body === '') throw new FeedError('empty', `${where}: empty body, not a feed`);
  const first = body.charAt(0);
  if (first === '{' || first === '[') return readJsonFeed(body, where, options.url);
  if (first !== '<') throw new FeedError('not_a_feed', `${where}: not a feed (plain text, not XML or JSON)`);
  return readXmlFeed(expandInternalEntities(body, where), where, options.url, options.fastPath !== false);
}

function readXmlFeed(xml: string, where: string, url: string | undefined, fastPath: boolean): ParsedFeed {
  const prefixed = rootElement(xml);
  const body =
    prefixed?.name === 'rss' ? unprefixRss(xml, prefixed.tag) : prefixed?.name === 'feed' && prefixed.tag.includes('purl.org/atom/ns#') ? decodeAtom03Base64(xml) : xml;
  const root = body === xml ? prefixed : rootElement(body);
  if (fastPath && (root?.name === 'rss' || root?.name === 'feed')) {
    // The fast reader takes only a document whose root element is closed, so never a truncated one.
    const fast = readFeedFast(body);
    if (fast !== undefined) return normalizeFast(fast, root.tag, body, url);
  }
  if (root !== undefined && isFeedRoot(root.name)) refuseTruncated(body, root, where);
  try {
    switch (root?.name) {
      case 'rss':
      case 'rdf':
      case 'feed':
        return readKnownRoot(body, { name: root.name, tag: root.tag }, url);
      case 'html':
      case 'head':
      case 'body':
        throw new FeedError('not_a_feed', `${where}: not a feed (looks like an HTML page)`);
      default:
        return readUnknownRoot(body, root, where, url);
    }
  } catch (error) {
    const name = root?.name;
    if (error instanceof ParseError && root !== undefined && isFeedRoot(name)) {
      const empty = emptyFeed(body, { name, tag: root.tag });
      if (empty !== undefined) return empty;
    }
    if (error instanceof MalformedError && root !== undefined && isFeedRoot(name)) {
      const known: FeedRoot = { name, tag: root.tag };
      const repaired = repairFeedXml(body, known.name, (xml) => parsesAs(known.name, xml));
      if (repaired !== undefined) return readKnownRoot(repaired, known, url);
    }
    throw asFeedError(error, body, where, root?.name);
  }
}

type FeedRoot = { name: 'rss' | 'rdf' | 'feed'; tag: string };

function isFeedRoot(name: string | undefined): name is FeedRoot['name'] {
  return name === 'rss' || name === 'rdf' || name === 'feed';
}

function readKnownRoot(body: string, root: FeedRoot, url: string | undefined): ParsedFeed {
  switch (root.name) {
    case 'rss':
      return {
        format: 'rss',
        ...version(rssVersion(root.tag)),
        ...normalizeRssFeed(withChannelBase(parseRssFeed(body), body), url),
      };
    case 'rdf':
      return { format: 'rdf', ...version(rdfVersion(root.tag)), ...normalizeRssFeed(parseRdfFeed(body), url) };
    case 'feed':
      return { format: 'atom', ...version(atomVersion(root.tag)), ...normalizeAtomFeed(parseAtomFeed(body), url) };
  }
}

function normalizeFast(fast: FastFeed, tag: string, body: string, url: string | undefined): ParsedFeed {
  if (fast.root === 'rss') {
    return { format: 'rss', ...version(rssVersion(tag)), ...normalizeRssFeed(withChannelBase(fast.channel, body), url) };
  }
  return { format: 'atom', ...version(atomVersion(tag)), ...normalizeAtomFeed(fast.feed, url) };
}

/**
 * A well-formed feed with nothing in it (`<channel></channel>`, an Atom
 * `<feed>` with no title and no entry), which feedsmith calls an invalid
 * format: it is a feed with 0 items, whose source is not failing (the caller
 * warns), not a malformed document. RSS without a <channel> stays malformed.
 */
function emptyFeed(body: string, root: FeedRoot): ParsedFeed | undefined {
  switch (root.name) {
    case 'rss':
      if (!/<(?:[\w.-]+:)?channel[\s/>]/i.test(body)) return undefined;
      return { format: 'rss', ...version(rssVersion(root.tag)), items: [] };
    case 'rdf':
      return { format: 'rdf', ...version(rdfVersion(root.tag)), items: [] };
    case 'feed':
      return { format: 'atom', ...version(atomVersion(root.tag)), items: [] };
  }
}

function parsesAs(root: FeedRoot['name'], xml: string): boolean {
  try {
    if (root === 'rss') parseRssFeed(xml);
    else if (root === 'rdf') parseRdfFeed(xml);
    else parseAtomFeed(xml);
    return true;
  } catch {
    return false;
  }
}

/**
 * feedsmith keeps the xml:base of <rss> but not that of <channel>, where
 * WordPress-like generators put it; read it from the start tag ourselves.
 */
function withChannelBase<T extends { xml?: { base?: string } }>(feed: T, body: string): T {
  const tag = /<channel\b[^>]*>/i.exec(body.slice(0, 16_384))?.[0];
  const base = tag === undefined ? undefined : /\sxml:base\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(tag);
  const channelBase = base?.[1] ?? base?.[2];
  if (channelBase === undefined) return feed;
  const rootBase = feed.xml?.base;
  const combined = rootBase === undefined ? channelBase : (absoluteUrl(channelBase, rootBase) ?? channelBase);
  return { ...feed, xml: { ...feed.xml, base: combined } };
}

/**
 * A feed cut off in transfer fails the run instead of being read. feedsmith's
 * XML parser accepts a document whose elements are still open at its end,
 * and the repairs would rebuild one from its complete items; either way the
 * items before the cut would be archived for good (the last one perhaps
 * without its text, as an article file is never rewritten), the cut body's
 * validators kept, and the items after the cut given smaller, newer-looking
 * ids by a later run. The next run fetches the feed again. Text after the
 * root's end tag is left to the parser, which accepts it as readers do.
 */
function refuseTruncated(body: string, root: RootElement, where: string): void {
  const rawName = /^<([^\s/>]+)/.exec(root.tag)?.[1] ?? root.name;
  const open = unclosedAtEnd(body, rawName);
  if (open !== undefined) {
    const reason = `truncated: the document ends ${open === '' ? '' : `in ${open}, `}before </${rawName}>`;
    throw new FeedError('malformed', `${where}: malformed ${formatName(root.name)} (${reason})`);
  }
}

/**
 * undefined when the end tag of the document element `rawName` is there: a
 * `</rawName>` outside comments, CDATA sections and PIs (one in the text of an
 * item cut off in its CDATA does not count). Else what the document ends in
 * ('' for element content). Names compare ignoring case, as leniently as the parser.
 */
function unclosedAtEnd(body: string, rawName: string): string | undefined {
  const name = rawName.toLowerCase();
  const sections: Array<[string, string, string]> = [
    ['<![CDATA[', ']]>', 'a CDATA section'],
    ['<!--', '-->', 'a comment'],
    ['<?', '?>', 'a processing instruction'],
  ];
  let i = 0;
  for (;;) {
    i = body.indexOf('<', i);
    if (i === -1) return '';
    const section = sections.find(([start]) => body.startsWith(start, i));
    if (section !== undefined) {
      const [start, end, what] = section;
      const at = body.indexOf(end, i + start.length);
      if (at === -1) return what;
      i = at + end.length;
    } else if (body.charCodeAt(i + 1) === 47 && body.slice(i + 2, i + 2 + name.length).toLowerCase() === name) {
      i += 2 + name.length;
      if (/^\s*>/.test(body.slice(i, i + 256))) return undefined;
    } else {
      i += 1;
    }
  }
}

/** A root we do not recognise: feedsmith's own sniffing gets the last word. */
function readUnknownRoot(body: string, root: RootElement | undefined, where: string, url: string | undefined): ParsedFeed {
  const parsed = parseFeed(body);
  if (root !== undefined && parsed.format !== 'json') refuseTruncated(body, root, where);
  const format: FeedFormat = parsed.format;
  switch (parsed.format) {
    case 'rss':
    case 'rdf':
      return { format, ...normalizeRssFeed(parsed.feed, url) };
    case 'atom':
      return { format, ...normalizeAtomFeed(parsed.feed, url) };
    case 'json':
      return { format, ...normalizeJsonFeed(parsed.feed, url) };
    default:
      throw new FeedError('not_a_feed', `${where}: not a feed (XML root <${root?.name ?? '?'}>)`);
  }
}

function asFeedError(error: unknown, body: string, where: string, root: string | undefined): FeedError {
  if (error instanceof FeedError) return error;
  if (error instanceof DetectError) {
    const what = looksLikeHtml(body, root) ? 'looks like an HTML page' : `XML root <${root ?? '?'}> is not RSS, Atom or RDF`;
    return new FeedError('not_a_feed', `${where}: not a feed (${what})`, { cause: error });
  }
  if (error instanceof MalformedError) {
    // fast-xml-parser may quote the feed after "Context:"; a user needs only the what and where.
    const reason = error.cause instanceof Error ? firstLine(error.cause.message).replace(/\.? *Context:.*$/, '').slice(0, 160) : 'unreadable XML';
    return new FeedError('malformed', `${where}: malformed ${formatName(root)} (${reason})`, { cause: error });
  }
  if (error instanceof ParseError) {
    return new FeedError('malformed', `${where}: malformed ${formatName(root)} (no channel or feed element to read)`, {
      cause: error,
    });
  }
  return new FeedError('malformed', `${where}: unreadable feed (${firstLine(String(error))})`, { cause: error });
}

function readJsonFeed(body: string, where: string, url: string | undefined): ParsedFeed {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new FeedError('malformed', `${where}: malformed JSON (${firstLine(String(error))})`, { cause: error });
  }
  if (!isJsonFeedLike(value)) throw new FeedError('not_a_feed', `${where}: not a feed (JSON, but not a JSON Feed)`);
  const declared = typeof value.version === 'string' ? value.version : undefined;
  // Feeds in the wild write "1.0" or "1.1" instead of the version URL, which
  // feedsmith's sniffing rejects; the shape already told us what this is.
  const canonical = declared?.includes('jsonfeed.org/version/') ? declared : 'https://jsonfeed.org/version/1.1';
  try {
    const feed = parseJsonFeed({ ...value, version: canonical });
    const number = declared === undefined ? undefined : /(\d+(?:\.\d+)*)\/?$/.exec(declared)?.[1];
    return { format: 'json', ...version(number), ...normalizeJsonFeed(feed, url) };
  } catch (error) {
    throw asFeedError(error, body, where, 'JSON');
  }
}

/** JSON Feed: "version (required, string)", "items (required, array)"; we accept a missing or bare version. */
function isJsonFeedLike(value: unknown): value is { version?: unknown; items: unknown[] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  if (!Array.isArray(record.items)) return false;
  const declared = record.version;
  if (typeof declared === 'string') return declared.includes('jsonfeed.org/version/') || /^\d+(\.\d+)*$/.test(declared);
  return typeof record.title === 'string';
}

interface RootElement {
  /** Local name, lower case: rss, feed, rdf, html... */
  name: string;
  /** The start tag, for its version and namespace attributes. */
  tag: string;
}

/** The document element, past the XML declaration, comments, PIs and a DOCTYPE (with internal subset). */
function rootElement(body: string): RootElement | undefined {
  const prolog = /^(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!doctype[^[>]*(?:\[[\s\S]*?\])?\s*>)*/i.exec(body);
  const start = prolog?.[0].length ?? 0;
  const match = /^<(?:[\w.-]+:)?([\w.-]+)[^>]*>?/.exec(body.slice(start, start + 4096));
  if (match?.[1] === undefined) return undefined;
  return { name: match[1].toLowerCase(), tag: match[0] };
}

function version(value: string | undefined): { version?: string } {
  return value === undefined ? {} : { version: value };
}

function rssVersion(tag: string): string | undefined {
  return /\sversion\s*=\s*["']\s*([^"'\s]+)\s*["']/i.exec(tag)?.[1];
}

function rdfVersion(tag: string): string | undefined {
  if (tag.includes('purl.org/rss/1.0')) return '1.0';
  if (tag.includes('channel.netscape.com/rdf/simple/0.9')) return '0.9';
  return undefined;
}

function atomVersion(tag: string): string | undefined {
  if (tag.includes('http://www.w3.org/2005/Atom')) return '1.0';
  if (tag.includes('purl.org/atom/ns#')) return '0.3';
  return rssVersion(tag);
}

const HTML_ROOTS = new Set(['html', 'head', 'body', 'div', 'p', 'title', 'meta', 'script']);

function looksLikeHtml(body: string, root: string | undefined): boolean {
  return (root !== undefined && HTML_ROOTS.has(root)) || /^\s*<!doctype\s+html/i.test(body);
}

function formatName(root: string | undefined): string {
  if (root === 'rss') return 'RSS feed';
  if (root === 'rdf') return 'RSS 1.0 (RDF) feed';
  if (root === 'feed') return 'Atom feed';
  if (root === 'JSON') return 'JSON Feed';
  return 'XML feed';
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).trim();
}

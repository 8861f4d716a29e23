/**
 * The Atom 1.0 half of the fast feed reader (see fast-feed-reader.ts): feed
 * title, links, authors and xml:base, and per entry the fields
 * normalizeAtomFeed reads, built as feedsmith's parseText, parseContent,
 * parseLink, parseCategory and parsePerson build them.
 */
import type { AtomEntryInput, AtomFeedInput, AtomLinkInput, AtomTextInput } from './atom-feed.js';
import {
  assign,
  dropUndefined,
  expectEnd,
  isNonEmptyString,
  eachChild,
  notMine,
  parseNumber,
  parseString,
  pushDefined,
  skipElement,
  stopText,
  type Doc,
  type StartTag,
} from './fast-xml-scan.js';

export function readAtom(doc: Doc, root: StartTag): AtomFeedInput {
  const feed: AtomFeedInput = { entries: [] };
  let seenTitle = false;
  const end = eachChild(doc, root, (child) => {
    if (child.name === 'entry') {
      const [entry, next] = readEntry(doc, child);
      feed.entries?.push(entry);
      return next;
    }
    if (child.name === 'title' || child.name === 'link') {
      const [text, next] = stopText(doc, child);
      if (child.name === 'link') pushDefined((feed.links ??= []), atomLink(text, child));
      else if (!seenTitle) [seenTitle, feed.title] = [true, atomText(text, child)];
      return next;
    }
    if (child.name === 'author') {
      const [person, next] = readPerson(doc, child);
      (feed.authors ??= []).push(person);
      return next;
    }
    return skipElement(doc.s, child, doc.onAttr);
  });
  expectEnd(doc.s, end);
  if (feed.title === undefined && feed.entries?.length === 0) notMine('nothing in the feed');
  const base = parseString(root.attrs?.get('xml:base'));
  if (base !== undefined) feed.xml = { base };
  return feed;
}

const ATOM_SINGLE = new Set(['id', 'title', 'summary', 'content', 'published', 'issued', 'created', 'updated', 'modified']);

function readEntry(doc: Doc, tag: StartTag): [AtomEntryInput, number] {
  const entry: AtomEntryInput = {};
  const first = new Map<string, [string, StartTag]>();
  const end = eachChild(doc, tag, (child) => {
    const name = child.name;
    if (ATOM_SINGLE.has(name)) {
      const [text, next] = stopText(doc, child);
      if (!first.has(name)) first.set(name, [text, child]);
      return next;
    }
    if (name === 'link') {
      const [text, next] = stopText(doc, child);
      pushDefined((entry.links ??= []), atomLink(text, child));
      return next;
    }
    if (name === 'category') {
      const [, next] = stopText(doc, child);
      const a = child.attrs;
      if (a !== undefined) (entry.categories ??= []).push(dropUndefined({ term: parseString(a.get('term')), label: parseString(a.get('label')) }));
      return next;
    }
    if (name === 'author') {
      const [person, next] = readPerson(doc, child);
      (entry.authors ??= []).push(person);
      return next;
    }
    if (name === 'dc:creator' || name === 'dc:date') {
      const [text, next] = stopText(doc, child);
      const value = parseString(text);
      const dc = (entry.dc ??= {});
      if (value !== undefined) (dc[name === 'dc:creator' ? 'creators' : 'dates'] ??= []).push(value);
      return next;
    }
    return skipElement(doc.s, child, doc.onAttr);
  });
  const raw = (name: string): string | undefined => {
    const found = first.get(name);
    return found === undefined ? undefined : parseString(found[0]);
  };
  assign(entry, 'id', raw('id'));
  const title = first.get('title');
  if (title !== undefined) assign(entry, 'title', atomText(...title));
  const summary = first.get('summary');
  if (summary !== undefined) assign(entry, 'summary', atomText(...summary));
  const content = first.get('content');
  if (content !== undefined) assign(entry, 'content', atomContent(...content));
  assign(entry, 'published', raw('published') ?? raw('issued') ?? raw('created'));
  assign(entry, 'updated', raw('updated') ?? raw('modified'));
  const base = parseString(tag.attrs?.get('xml:base'));
  if (base !== undefined) entry.xml = { base };
  const read = [entry.id, entry.title, entry.summary, entry.content?.value, entry.published, entry.updated, entry.links?.[0]];
  if (read.every((v) => v === undefined)) notMine('entry with none of the fields read');
  return [entry, end];
}

const isXhtml = (type: string | undefined): boolean => type === 'xhtml' || type === 'application/xhtml+xml';

/** feedsmith's parseText: a bare element's text, or text with a type. */
function atomText(text: string, tag: StartTag): AtomTextInput | undefined {
  if (tag.attrs === undefined) {
    if (!isNonEmptyString(text)) return undefined;
    const value = parseString(text);
    return value === undefined ? undefined : { value };
  }
  const type = parseString(tag.attrs.get('type'));
  if (isXhtml(type)) notMine('xhtml text construct');
  const value = text === '' ? undefined : parseString(text);
  return value === undefined ? undefined : withBase(dropUndefined({ value, type }), tag);
}

/** feedsmith keeps a text construct's own xml:base (parseText, parseContent). */
function withBase(text: AtomTextInput, tag: StartTag): AtomTextInput {
  const base = parseString(tag.attrs?.get('xml:base'));
  return base === undefined ? text : { ...text, xml: { base } };
}

/** feedsmith's parseContent: as parseText, plus src, and kept without a value. */
function atomContent(text: string, tag: StartTag): AtomTextInput | undefined {
  if (tag.attrs === undefined) return atomText(text, tag);
  const type = parseString(tag.attrs.get('type'));
  if (isXhtml(type)) notMine('xhtml content');
  return withBase(dropUndefined({ value: text === '' ? undefined : parseString(text), type, src: parseString(tag.attrs.get('src')) }), tag);
}

/** feedsmith's parseLink: only a link with attributes counts; href falls back to the text. */
function atomLink(text: string, tag: StartTag): AtomLinkInput | undefined {
  const a = tag.attrs;
  if (a === undefined) return undefined;
  const href = parseString(a.get('href')) ?? (text === '' ? undefined : parseString(text));
  const link = dropUndefined({ href, rel: parseString(a.get('rel')), type: parseString(a.get('type')), length: parseNumber(a.get('length')) });
  // feedsmith also reads hreflang and title; a link with none of the four may still be kept there, so it is not ours.
  if (Object.keys(link).length === 0) notMine('link without href, rel, type or length');
  return link;
}

/** An Atom person: only name and email are read, and one without either is not ours (feedsmith may drop it). */
function readPerson(doc: Doc, tag: StartTag): [{ name?: string; email?: string }, number] {
  if (tag.selfClosing) notMine('empty author');
  const first = new Map<string, string | undefined>();
  const end = eachChild(doc, tag, (child) => {
    if (child.name === 'name' || child.name === 'email' || child.name === 'uri' || child.name === 'url') {
      const [text, next] = stopText(doc, child);
      if (!first.has(child.name)) first.set(child.name, parseString(text));
      return next;
    }
    return skipElement(doc.s, child, doc.onAttr);
  });
  const person = dropUndefined({ name: first.get('name'), email: first.get('email') });
  if (person.name === undefined && person.email === undefined) notMine('author without name or email');
  return [person, end];
}


import { XMLParser } from 'fast-xml-parser';

const ATOM = 'http://www.w3.org/2005/Atom';

type Node = Record<string, unknown>;

const list = (value: unknown): Node[] => (value === undefined ? [] : Array.isArray(value) ? (value as Node[]) : [value as Node]);

function textOf(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (value && typeof value === 'object' && '#text' in value) return String((value as Node)['#text']);
  return '';
}

/** RFC 3339 date-time, as RFC 4287 3.3 requires of atom:updated and atom:published. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function checkCommon(node: Node, where: string, problems: string[]): void {
  for (const name of ['id', 'title', 'updated']) {
    const found = list(node[name]);
    if (found.length !== 1) problems.push(`${where}: ${found.length} atom:${name} elements, must be exactly 1`);
  }
  const id = textOf(list(node.id)[0]);
  if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(id)) problems.push(`${where}: atom:id "${id}" is not an IRI`);
  const updated = textOf(list(node.updated)[0]);
  if (!DATE_TIME.test(updated)) problems.push(`${where}: atom:updated "${updated}" is not an RFC 3339 date-time`);
  const alternates = list(node.link).filter((l) => (l['@_rel'] ?? 'alternate') === 'alternate');
  if (alternates.length > 1) problems.push(`${where}: more than one rel="alternate" link`);
  for (const link of list(node.link)) if (typeof link['@_href'] !== 'string' || link['@_href'] === '') problems.push(`${where}: atom:link without href`);
}

/**
 * What RFC 4287 requires of a feed (4.1.1) and each entry (4.1.2): exactly
 * one id (an IRI), title and updated (RFC 3339); an author on the feed or on
 * every entry; each entry a rel="alternate" link or content; ids unique.
 * Returns the problems found, none for a valid feed.
 */
export function checkAtomRequirements(xml: string): string[] {
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, trimValues: false }).parse(xml) as Node;
  const feed = doc.feed as Node | undefined;
  if (!feed) return ['no atom:feed root element'];
  const problems: string[] = [];
  if (feed['@_xmlns'] !== ATOM) problems.push(`atom:feed is not in the Atom namespace (${String(feed['@_xmlns'])})`);
  checkCommon(feed, 'feed', problems);
  const entries = list(feed.entry);
  const feedAuthor = list(feed.author).length > 0;
  const ids = new Set<string>();
  entries.forEach((entry, i) => {
    const where = `entry ${i + 1}`;
    checkCommon(entry, where, problems);
    if (!feedAuthor && list(entry.author).length === 0) problems.push(`${where}: no atom:author (and none on the feed)`);
    const hasAlternate = list(entry.link).some((l) => (l['@_rel'] ?? 'alternate') === 'alternate');
    if (!hasAlternate && list(entry.content).length === 0) problems.push(`${where}: neither a rel="alternate" link nor atom:content`);
    const id = textOf(list(entry.id)[0]);
    if (ids.has(id)) problems.push(`${where}: atom:id ${id} used twice`);
    ids.add(id);
  });
  return problems;
}

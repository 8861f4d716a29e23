import { FeedError } from '../domain/errors.js';

/**
 * Hard limits on what a DOCTYPE's internal entities may expand to: a real feed
 * declares a few names for a few words (`<!ENTITY site "Harbour Gazette">`); a
 * "billion laughs" document nests ten entities of ten references each into a
 * gigabyte. Past a limit the feed is refused, never expanded part way.
 */
export const ENTITY_LIMITS = {
  /** Entities declared in one DOCTYPE. */
  declarations: 1_000,
  /**
   * References replaced in the document, nested ones counted: a big feed may
   * use a declared `&nbsp;` tens of thousands of times; each costs next to nothing.
   */
  references: 100_000,
  /** Characters the expansion may add to the document (2 MiB), and the longest one entity may be. */
  characters: 2_097_152,
  /** Entities inside entities. */
  depth: 8,
} as const;

const PREDEFINED = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
const PROLOG = /^(?:\s|<\?[\s\S]*?\?>|<!--[\s\S]*?-->)*<!DOCTYPE\b/i;

/**
 * The document with its DOCTYPE removed and the general entities its internal
 * subset declares (XML 1.0 §4.2) expanded in place, outside CDATA sections and
 * comments. The XML parser under feedsmith refuses a parameter-entity
 * declaration (`<!ENTITY % x "...">`) and leaves declared names unexpanded, so
 * the subset is read here: parameter entities and external entities (SYSTEM,
 * PUBLIC: never fetched) are ignored, and a reference to one stays as written.
 * A document without an internal subset is returned as it is.
 */
export function expandInternalEntities(body: string, where: string): string {
  // The prolog is short in any real feed; a hostile one full of PIs is not scanned past 64 KiB.
  const start = PROLOG.exec(body.slice(0, 65_536));
  if (start === null) return body;
  const doctypeAt = start[0].length - '<!DOCTYPE'.length;
  const end = doctypeEnd(body, doctypeAt);
  if (end === undefined) return body;
  const subset = end.subset;
  const declared = subset === undefined ? new Map<string, string>() : declarations(subset, where);
  const rest = body.slice(end.index);
  const head = body.slice(0, doctypeAt);
  if (declared.size === 0) return head + rest;
  return head + expand(rest, declared, where);
}

/** The index just past the DOCTYPE's `>`, and its internal subset; quotes and comments respected. */
function doctypeEnd(body: string, at: number): { index: number; subset?: string } | undefined {
  let subsetStart: number | undefined;
  let subsetEnd: number | undefined;
  let i = at + '<!DOCTYPE'.length;
  while (i < body.length) {
    const c = body[i];
    if (c === '"' || c === "'") {
      const close = body.indexOf(c, i + 1);
      if (close === -1) return undefined;
      i = close + 1;
    } else if (subsetStart !== undefined && subsetEnd === undefined && body.startsWith('<!--', i)) {
      const close = body.indexOf('-->', i + 4);
      if (close === -1) return undefined;
      i = close + 3;
    } else if (c === '[' && subsetStart === undefined) {
      subsetStart = i + 1;
      i += 1;
    } else if (c === ']' && subsetStart !== undefined && subsetEnd === undefined) {
      subsetEnd = i;
      i += 1;
    } else if (c === '>' && (subsetStart === undefined || subsetEnd !== undefined)) {
      const index = i + 1;
      return subsetStart === undefined ? { index } : { index, subset: body.slice(subsetStart, subsetEnd) };
    } else i += 1;
  }
  return undefined;
}

function declarations(subset: string, where: string): Map<string, string> {
  const found = new Map<string, string>();
  const pattern = /<!--[\s\S]*?-->|<!ENTITY\s+(%\s+)?([A-Za-z_:][\w.:-]*)\s+(?:"([^"]*)"|'([^']*)'|(?:SYSTEM|PUBLIC)\b[^>]*)\s*>/g;
  let count = 0;
  for (const match of subset.matchAll(pattern)) {
    const [, percent, name, double, single] = match;
    if (name === undefined || percent !== undefined) continue;
    count += 1;
    if (count > ENTITY_LIMITS.declarations) throw tooMuch(where, `more than ${ENTITY_LIMITS.declarations} entity declarations`);
    const value = double ?? single;
    // XML 1.0 §4.2: the first declaration of a name binds it; predefined ones cannot be redefined usefully.
    if (value !== undefined && !found.has(name) && !PREDEFINED.has(name)) found.set(name, value);
  }
  return found;
}

// An unclosed CDATA section or comment runs to the end: one scan, not one per opening.
const REFERENCE = /<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<!--[\s\S]*?(?:-->|$)|&([A-Za-z_:][\w.:-]*);/g;

function expand(text: string, declared: Map<string, string>, where: string): string {
  const resolved = new Map<string, string>();
  let references = 0;
  let added = 0;
  const count = (n: number, length: number): void => {
    references += n;
    added += length;
    if (references > ENTITY_LIMITS.references) throw tooMuch(where, `more than ${ENTITY_LIMITS.references} entity references`);
    if (added > ENTITY_LIMITS.characters) throw tooMuch(where, `entities expand to more than ${ENTITY_LIMITS.characters} characters`);
  };
  const resolve = (name: string, depth: number, open: Set<string>): string => {
    const known = resolved.get(name);
    if (known !== undefined) return known;
    if (depth > ENTITY_LIMITS.depth) throw tooMuch(where, `entities nested more than ${ENTITY_LIMITS.depth} deep`);
    if (open.has(name)) throw new FeedError('malformed', `${where}: malformed XML feed (entity &${name}; refers to itself)`);
    open.add(name);
    const value = (declared.get(name) ?? '').replace(/&([A-Za-z_:][\w.:-]*);/g, (whole, inner: string) => {
      if (!declared.has(inner)) return whole;
      const replacement = resolve(inner, depth + 1, open);
      count(1, replacement.length);
      return replacement;
    });
    open.delete(name);
    if (value.length > ENTITY_LIMITS.characters) throw tooMuch(where, `entity &${name}; expands to more than ${ENTITY_LIMITS.characters} characters`);
    resolved.set(name, value);
    return value;
  };
  return text.replace(REFERENCE, (whole, name: string | undefined) => {
    if (name === undefined || !declared.has(name)) return whole;
    const value = resolve(name, 1, new Set());
    count(1, value.length);
    return value;
  });
}

function tooMuch(where: string, what: string): FeedError {
  return new FeedError('malformed', `${where}: malformed XML feed (DOCTYPE refused: ${what})`);
}

import { notMine } from './fast-xml-scan.js';

/**
 * feedsmith renames namespace prefixes to its canonical ones (xmlns:a10 bound
 * to the Atom URI makes <a10:updated> read as atom:updated; in an Atom feed
 * the Atom prefix disappears). It learns the bindings from a raw scan of the
 * first 64 KiB after the root's `<`, and from xmlns attributes as it parses.
 * The fast reader keys elements by their literal, lower-cased prefix, so it
 * reads a document only when no binding that matters is renamed: the
 * prefixes it reads (dc, content, atom) are either undeclared or bound to
 * their own URIs, and no other prefix is bound to one of those URIs.
 * Bindings of other prefixes to other URIs may be renamed by feedsmith, but
 * only into namespaces whose elements the fast reader never reads.
 */

// feedsmith's namespace URIs for the prefixes we read (namespaces/*/common/config), lower-cased as it compares them.
const DC = ['http://purl.org/dc/elements/1.1/', 'http://dublincore.org/documents/dcmi-namespace/', 'http://purl.org/dc/elements/1.0/'];
const CONTENT = ['http://purl.org/rss/1.0/modules/content/'];
const ATOM = ['http://www.w3.org/2005/atom', 'http://www.w3.org/2005/atom/', 'http://purl.org/atom/ns#'];

/** Each URI with http and https, with and without its final slash where feedsmith lists both. */
function variants(uris: string[], slashless: boolean): string[] {
  return uris.flatMap((uri) => {
    const both = [uri, uri.replace(/^http:/, 'https:')];
    return slashless && uri.endsWith('/') ? both.flatMap((u) => [u, u.slice(0, -1)]) : both;
  });
}

const CANONICAL = new Map<string, string>([
  ...variants(DC, true).map((uri): [string, string] => [uri, 'dc']),
  ...variants(CONTENT, true).map((uri): [string, string] => [uri, 'content']),
  ...variants(ATOM, false).map((uri): [string, string] => [uri, 'atom']),
]);
const READ_PREFIXES = new Set(['dc', 'content', 'atom']);

export interface NamespaceGuard {
  /** Whether a default namespace on the root leaves element names alone. */
  rootDefaultNamespace(uri: string): boolean;
  /** Checks an attribute as it is parsed: throws NotMine for a binding feedsmith would rename. */
  declaration(name: string, value: string): void;
}

/** undefined when feedsmith's seed scan of the document's head finds a binding that it would rename. */
export function namespaceGuard(document: string, atomFeed: boolean): NamespaceGuard | undefined {
  const safe = (prefix: string, uri: string): boolean => {
    const canonical = CANONICAL.get(uri.trim().toLowerCase());
    if (canonical === undefined) return !READ_PREFIXES.has(prefix);
    // In an Atom feed the Atom namespace is the primary one: its prefix is dropped.
    return prefix === (atomFeed && canonical === 'atom' ? '' : canonical);
  };
  // createNamespaceResolver's seed scan, as feedsmith runs it.
  const head = document.length > 65_536 ? document.slice(0, 65_536) : document;
  const tail = /([\w.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;
  let index = head.indexOf('xmlns:', rootIndex(head));
  while (index !== -1) {
    tail.lastIndex = index + 6;
    const match = tail.exec(head);
    if (match !== null && !safe((match[1] ?? '').toLowerCase(), match[2] ?? match[3] ?? '')) return undefined;
    index = head.indexOf('xmlns:', match !== null ? tail.lastIndex : index + 6);
  }
  return {
    rootDefaultNamespace: (uri) => {
      const canonical = CANONICAL.get(uri.trim().toLowerCase());
      // An unknown URI may still be one feedsmith knows (RSS, RDF...); only Atom's own is certain.
      return atomFeed && canonical === 'atom';
    },
    declaration: (name, value) => {
      if (name.startsWith('xmlns:') && !safe(name.slice(6), value)) notMine(`namespace ${name} renamed by feedsmith`);
    },
  };
}

function rootIndex(document: string): number {
  let index = document.indexOf('<');
  while (index !== -1) {
    const marker = document.charCodeAt(index + 1);
    if (marker !== 63 && marker !== 33) return index;
    const end = document.startsWith('<!--', index) ? document.indexOf('-->', index) : document.indexOf('>', index);
    if (end === -1) return -1;
    index = document.indexOf('<', end);
  }
  return -1;
}

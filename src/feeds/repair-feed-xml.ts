/**
 * Second chance for a feed the XML parser rejected. Real feeds break in a few
 * recurring ways: a bare "<" in a title ("5 < 6"), one item with a stray tag.
 * Rather than lose every item for one bad one, we repair in steps of growing
 * cost and keep the first text that reads:
 *   1. escape each "<" that cannot start markup;
 *   2. rebuild the document from its complete items, dropping what lies after them;
 *   3. keep only the items that read on their own.
 * Returns undefined when nothing works; the caller then reports "malformed".
 * A body cut off in transfer never comes here: readFeed refuses it first
 * (the next run fetches it whole), so no repair stands in for the missing end.
 *
 * `reads` says whether a candidate text parses (the caller owns the parser).
 */
export function repairFeedXml(body: string, root: 'rss' | 'rdf' | 'feed', reads: (xml: string) => boolean): string | undefined {
  // A name start, "/", "!" or "?" after "<" is markup (XML 1.0 §2.3, §2.5, §2.6);
  // anything else is text that should have been escaped.
  const escaped = body.replace(/<(?![A-Za-z_:/!?])/g, '&lt;');
  if (escaped !== body && reads(escaped)) return escaped;

  const element = root === 'feed' ? 'entry' : 'item';
  const parts = splitItems(escaped, element);
  // Without one complete item there is nothing to save, and an empty "repaired"
  // feed would read as "no news" instead of as the error it is.
  if (parts === undefined || parts.items.length === 0) return undefined;
  const closing = closingTags(escaped, root);

  const whole = parts.head + parts.items.join('') + closing;
  if (reads(whole)) return whole;

  const good = parts.items.filter((item) => reads(parts.head + item + closing));
  if (good.length === 0) return undefined;
  const kept = parts.head + good.join('') + closing;
  return reads(kept) ? kept : undefined;
}

interface SplitFeed {
  /** Everything before the first item: the root and channel start tags, channel fields. */
  head: string;
  /** Each complete item, from its start tag to its end tag; a truncated last one is left out. */
  items: string[];
}

function splitItems(body: string, element: string): SplitFeed | undefined {
  const start = new RegExp(`<(?:[\\w.-]+:)?${element}[\\s>/]`, 'gi');
  const first = start.exec(body);
  if (first === null) return undefined;
  const head = body.slice(0, first.index);
  const items: string[] = [];
  const pattern = new RegExp(`<(?:[\\w.-]+:)?${element}[\\s>][\\s\\S]*?</(?:[\\w.-]+:)?${element}\\s*>`, 'gi');
  pattern.lastIndex = first.index;
  for (let match = pattern.exec(body); match !== null; match = pattern.exec(body)) items.push(match[0]);
  return { head, items };
}

/**
 * The end tags that close what `head` opened: RSS 2.0 items sit in <channel>
 * inside <rss>; RSS 1.0 items are children of <rdf:RDF>; Atom entries of <feed>.
 */
function closingTags(body: string, root: 'rss' | 'rdf' | 'feed'): string {
  if (root === 'rss') return '</channel></rss>';
  const prefix = new RegExp(`<([\\w.-]+:)?${root === 'rdf' ? 'RDF' : 'feed'}[\\s>]`, 'i').exec(body)?.[1] ?? '';
  return root === 'rdf' ? `</${prefix}RDF>` : `</${prefix}feed>`;
}

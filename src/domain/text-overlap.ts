/**
 * Whether two article bodies (HTML) are plainly different texts: the test
 * that keeps the title rule (FORMAT.md: the same title within the source's
 * recent items is the same article) from losing articles that only share a
 * headline, such as two "快讯" an hour apart. Compares the sets of
 * character pairs of their text, tags and entities left out, by how much of
 * the smaller set the larger holds: a summary inside its full text, or an
 * article cleaned of its share buttons, still overlaps almost wholly; two
 * news items of one desk share only common words. Bodies too short to tell
 * (under MIN_PAIRS pairs: a title-only item, "快讯 1") are never called
 * different, so the title rule decides as before.
 */
export function bodiesDiffer(a: string, b: string): boolean {
  const pa = characterPairs(a);
  const pb = characterPairs(b);
  if (pa.size < MIN_PAIRS || pb.size < MIN_PAIRS) return false;
  const [small, large] = pa.size <= pb.size ? [pa, pb] : [pb, pa];
  let shared = 0;
  for (const pair of small) if (large.has(pair)) shared += 1;
  return shared / small.size < SAME_TEXT_OVERLAP;
}

/** Fewer distinct pairs than this (about 30 characters of text) is too little to tell two texts apart. */
const MIN_PAIRS = 30;
/** Below this share of the smaller text's pairs found in the larger, two texts are different articles. */
const SAME_TEXT_OVERLAP = 0.5;

function characterPairs(html: string): Set<string> {
  const text = html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(?:#\d+|#x[\da-f]+|\w+);/gi, ' ')
    .replace(/\s+/g, ' ')
    .toLowerCase();
  const chars = [...text];
  const pairs = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i += 1) {
    if (chars[i] === ' ' || chars[i + 1] === ' ') continue;
    pairs.add(chars[i]! + chars[i + 1]!);
  }
  return pairs;
}

import type { Highlight } from './search-query.js';
import { normalizeSearchText } from './search-normalize.js';
import { isWordUnit } from './search-tokens.js';

/** Characters of context in a snippet: about two lines of Chinese. */
const SNIPPET_CHARS = 120;
/** Context kept before the first match in the window. */
const LEAD = 24;

interface Match {
  start: number;
  end: number;
  term: number;
}

/** As the index splits words: 据Reuters报道 holds the word reuters, Reutersian does not. */
function isWordAt(text: string, index: number): boolean {
  return index >= 0 && index < text.length && isWordUnit(text.charCodeAt(index));
}

/** Every place the highlight terms occur in the normalized text. */
function findMatches(normalized: string, terms: readonly Highlight[]): Match[] {
  const matches: Match[] = [];
  terms.forEach((term, k) => {
    if (term.text === '') return;
    for (let at = normalized.indexOf(term.text); at >= 0; at = normalized.indexOf(term.text, at + 1)) {
      const end = at + term.text.length;
      if (term.word && (isWordAt(normalized, at - 1) || isWordAt(normalized, end))) continue;
      matches.push({ start: at, end, term: k });
    }
  });
  return matches.sort((a, b) => a.start - b.start || b.end - a.end);
}

/** The window start covering the most distinct terms (then the most matches), earliest on ties. */
function bestWindow(matches: readonly Match[]): number {
  let best = { start: 0, distinct: 0, count: 0 };
  let left = 0;
  const counts = new Map<number, number>();
  for (let right = 0; right < matches.length; right += 1) {
    const m = matches[right]!;
    counts.set(m.term, (counts.get(m.term) ?? 0) + 1);
    while (left < right && m.end - matches[left]!.start > SNIPPET_CHARS - LEAD) {
      const term = matches[left]!.term;
      const n = (counts.get(term) ?? 1) - 1;
      if (n === 0) counts.delete(term);
      else counts.set(term, n);
      left += 1;
    }
    const count = right - left + 1;
    if (counts.size > best.distinct || (counts.size === best.distinct && count > best.count)) {
      best = { start: matches[left]!.start, distinct: counts.size, count };
    }
  }
  return best.start;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Never cut a surrogate pair in half. */
function safeCut(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code < 0xe000 ? index - 1 : index;
}

/** `text[from, to)` as HTML: escaped, with each match in <mark>. */
function markRange(text: string, matches: readonly Match[], from: number, to: number): string {
  let out = '';
  let at = from;
  for (const m of matches) {
    if (m.end <= at || m.start >= to) continue;
    const start = Math.max(m.start, at);
    const end = Math.min(m.end, to);
    out += `${escapeHtml(text.slice(at, start))}<mark>${escapeHtml(text.slice(start, end))}</mark>`;
    at = end;
  }
  return out + escapeHtml(text.slice(at, to));
}

/**
 * HTML for a search result: a stretch of the original text (never the
 * normalized one, which has Traditional characters made Simplified) where the
 * query's terms are densest, escaped, each match in `<mark>`, with `…` where
 * the stretch was cut. Offsets carry over because normalization keeps the
 * length. Without a match (the query matched the title only) the start.
 */
export function renderSnippet(text: string, terms: readonly Highlight[], length = SNIPPET_CHARS): string {
  const matches = findMatches(normalizeSearchText(text), terms);
  // Start before the densest matches, but never so late that the stretch ends short of its length.
  const first = matches.length > 0 ? Math.max(0, Math.min(bestWindow(matches) - LEAD, text.length - length)) : 0;
  const start = safeCut(text, first);
  const end = Math.min(text.length, safeCut(text, start + length));
  return `${start > 0 ? '…' : ''}${markRange(text, matches, start, end)}${end < text.length ? '…' : ''}`;
}

/** The whole of a short text (a title) as HTML with its matches marked. */
export function renderHighlighted(text: string, terms: readonly Highlight[]): string {
  return markRange(text, findMatches(normalizeSearchText(text), terms), 0, text.length);
}

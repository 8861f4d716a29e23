import { NewsmirrorError } from '../domain/errors.js';
import { normalizeSearchText } from './search-normalize.js';
import { runTokens, segmentText, type Segment } from './search-tokens.js';

export type SearchErrorCode = 'empty_query' | 'bad_query';

/** A query that cannot be run: nothing to look for, or a bad filter. */
export class SearchError extends NewsmirrorError {
  declare readonly code: SearchErrorCode;
  constructor(code: SearchErrorCode, message: string) {
    super(code, message);
  }
}

/**
 * What a query asks for, every part required (AND): phrases of adjacent
 * tokens for the positional index, and single characters for the character
 * lists. `highlight` holds the normalized strings to mark in snippets.
 */
export interface ParsedQuery {
  phrases: string[][];
  chars: string[];
  highlight: Highlight[];
}

export interface Highlight {
  text: string;
  /** A Latin word: marked only where it stands as a whole word, as the index matches it. */
  word: boolean;
}

/** Enough for any real query; a pasted paragraph becomes a long AND that only slows the index down. */
const MAX_TOKENS = 64;

const QUOTES: Record<string, string> = { '"': '"', '“': '”', '「': '」', '『': '』', '”': '”' };

/** Splits a query into terms: whitespace separates them, quotes ("…", “…”, 「…」) keep a phrase whole. */
function splitTerms(q: string): string[] {
  const terms: string[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i]!;
    const close = QUOTES[c];
    if (close !== undefined) {
      const end = q.indexOf(close, i + 1);
      const stop = end < 0 ? q.length : end;
      terms.push(q.slice(i + 1, stop));
      i = stop + 1;
    } else if (/\s/.test(c)) {
      i += 1;
    } else {
      let end = i;
      while (end < q.length && !/\s/.test(q[end]!) && QUOTES[q[end]!] === undefined) end += 1;
      terms.push(q.slice(i, end));
      i = end;
    }
  }
  return terms;
}

/**
 * One term's conditions. Runs of two or more CJK characters and words make
 * one phrase, as the index wrote them. A lone CJK character at either end of
 * a longer term (年 in 2024年) cannot be placed: in an article it may be the
 * start or end of a longer run, indexed only as bigrams. It becomes a
 * required character instead, which finds every article the phrase would
 * and perhaps a few more.
 */
function termConditions(segments: Segment[], query: ParsedQuery): void {
  const tokens: string[] = [];
  segments.forEach((segment, k) => {
    if (segment.kind === 'word') {
      tokens.push(segment.text);
      query.highlight.push({ text: segment.text, word: true });
      return;
    }
    query.highlight.push({ text: segment.chars.join(''), word: false });
    const alone = segment.chars.length === 1;
    if (alone && (segments.length === 1 || k === 0 || k === segments.length - 1)) query.chars.push(segment.chars[0]!);
    else tokens.push(...runTokens(segment.chars));
  });
  if (tokens.length > 0) query.phrases.push(tokens);
}

/** Reads a user's query. Throws SearchError('empty_query') when it holds no letter, digit or CJK character. */
export function parseQuery(q: string): ParsedQuery {
  const query: ParsedQuery = { phrases: [], chars: [], highlight: [] };
  for (const term of splitTerms(q)) termConditions(segmentText(normalizeSearchText(term)), query);
  query.chars = [...new Set(query.chars)];
  const seen = new Set<string>();
  query.phrases = query.phrases.filter((p) => {
    const key = p.join(' ');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (query.phrases.length === 0 && query.chars.length === 0) {
    throw new SearchError('empty_query', `the query ${JSON.stringify(q)} has no word or character to look for`);
  }
  const count = query.chars.length + query.phrases.reduce((n, p) => n + p.length, 0);
  if (count > MAX_TOKENS) throw new SearchError('bad_query', `the query is too long (${count} terms; at most ${MAX_TOKENS})`);
  return query;
}

/** FTS5 query syntax: a string in double quotes, a double quote inside doubled. */
export function ftsString(token: string): string {
  return `"${token.replaceAll('"', '""')}"`;
}

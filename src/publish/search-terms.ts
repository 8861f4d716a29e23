import { runInNewContext } from 'node:vm';

/**
 * How the static site's search cuts text into terms and terms into shards.
 * One implementation, written once as browser JavaScript: the site builder
 * runs this very source (in a node:vm context) to build the index, and the
 * page ships it in static/search.js to read the index, so the two can never
 * disagree.
 *
 * Terms (of text already normalized: Simplified, lower case):
 * - a run of Chinese (or Japanese, Korean) characters gives its character
 *   bigrams; the index also keeps each character alone, so a one-character
 *   query has a term; a two-character word is exactly one bigram;
 * - other letters and digits make words (at most 40 code units).
 * A longer query needs all its bigrams in the article (no positions are
 * kept: a phrase is approximated by its bigrams all being present).
 */
export const SEARCH_CORE_JS = `function nmSearchTerms(text, query) {
  var letter = /[\\p{L}\\p{N}\\p{M}]/u;
  var out = [];
  var seen = Object.create(null);
  var run = [];
  var word = '';
  function add(term) { if (!seen[term]) { seen[term] = true; out.push(term); } }
  function cjk(c) {
    return (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0x3040 && c <= 0x30ff) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0x1100 && c <= 0x11ff) ||
      (c >= 0x3131 && c <= 0x318e) || c === 0x3005 || (c >= 0x20000 && c <= 0x3ffff);
  }
  function endRun() {
    if (!query || run.length === 1) for (var i = 0; i < run.length; i += 1) add(run[i]);
    for (var k = 0; k + 1 < run.length; k += 1) add(run[k] + run[k + 1]);
    run = [];
  }
  function endWord() {
    if (word !== '' && word.length <= 40) add(word);
    word = '';
  }
  for (var ch of text) {
    var c = ch.codePointAt(0);
    if (cjk(c)) { endWord(); run.push(ch); }
    else if (letter.test(ch)) { endRun(); word += ch; }
    else { endRun(); endWord(); }
  }
  endRun();
  endWord();
  return out;
}
function nmSearchShardOf(term, shards) {
  var h = 0x811c9dc5;
  for (var i = 0; i < term.length; i += 1) {
    h ^= term.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % shards;
}
`;

interface SearchCore {
  nmSearchTerms(text: string, query: boolean): string[];
  nmSearchShardOf(term: string, shards: number): number;
}

const core = runInNewContext(`${SEARCH_CORE_JS};({ nmSearchTerms: nmSearchTerms, nmSearchShardOf: nmSearchShardOf })`) as SearchCore;

/** The terms of normalized text: for the index (`query` false) or for a query. Distinct, in order of appearance. */
export function searchTerms(text: string, query: boolean): string[] {
  return Array.from(core.nmSearchTerms(text, query));
}

/** Which of `shards` shard files holds a term (FNV-1a over UTF-16 code units). */
export function shardOf(term: string, shards: number): number {
  return core.nmSearchShardOf(term, shards);
}

import { SeededRandom } from '../corpus/seeded-random.js';
import { searchTextFromHtml } from '../../src/catalog/search-text.js';
import type { SearchCorpus } from './search-corpus.js';

export type QueryClass = '1 char' | '2 chars' | '3 chars' | '4 chars' | '6 chars' | 'English word';

export const QUERY_CLASSES: readonly QueryClass[] = ['1 char', '2 chars', '3 chars', '4 chars', '6 chars', 'English word'];

const CJK_RUN = /[\u4e00-\u9fff]+/g;

/**
 * Queries a reader might type, `perClass` of each class: half cut from the
 * text of random articles (so common strings come up as often as they occur),
 * half taken from the lexicon at Zipf-random ranks (so rare words are there
 * too, and some longer strings that match nothing). English words from the
 * generator's list. Seeded: the same queries at every size.
 */
export function benchQueries(corpus: SearchCorpus, articles: number, perClass: number, seed: number): Map<QueryClass, string[]> {
  const rng = new SeededRandom(seed ^ 0x51ea7c4);
  const out = new Map<QueryClass, string[]>();
  const lengths: [QueryClass, number][] = [['1 char', 1], ['2 chars', 2], ['3 chars', 3], ['4 chars', 4], ['6 chars', 6]];
  for (const [name, length] of lengths) {
    const queries: string[] = [];
    while (queries.length < perClass / 2) {
      const article = corpus.article(rng.int(0, articles - 1));
      const runs = searchTextFromHtml(article.html).match(CJK_RUN)?.filter((r) => r.length >= length) ?? [];
      if (runs.length === 0) continue;
      const run = rng.pick(runs);
      const at = rng.int(0, run.length - length);
      queries.push(run.slice(at, at + length));
    }
    while (queries.length < perClass) {
      if (length === 1) {
        queries.push(corpus.characters[Math.floor(corpus.characters.length * rng.next() ** 2)]!);
        continue;
      }
      let text = '';
      while (text.length < length) text += corpus.words[Math.floor(corpus.words.length * rng.next() ** 2)];
      queries.push(text.slice(0, length));
    }
    out.set(name, queries);
  }
  out.set('English word', Array.from({ length: perClass }, () => rng.pick(corpus.latin)));
  return out;
}

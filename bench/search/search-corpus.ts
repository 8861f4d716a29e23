import { SeededRandom } from '../corpus/seeded-random.js';

/*
 * Made-up Chinese news text for the search benchmark. The feed corpus of
 * bench/corpus/ draws from about 200 words, which suits parsing but not
 * search: with so few distinct bigrams every query matches every article and
 * the index compresses unrealistically well. Here a lexicon of 60,000 words
 * is built from 4,000 characters with Zipf frequencies (a few characters and
 * words everywhere, most rare; the commonest words single characters), each article repeats a handful of its own
 * topic words as news does, and Latin words and numbers appear now and then.
 * Calibrated against real archive text: about 0.5 distinct bigrams and 0.2
 * distinct characters per character of text, 2.8 bytes per character.
 */

const CHARACTERS = 4000;
const WORDS = 60_000;
const SINGLE_CHARACTER_WORDS = 300;
const LATIN = [
  'reuters', 'afp', 'bbc', 'cnn', 'nato', 'who', 'gdp', 'covid', 'iphone', 'tiktok', 'ai', 'ev', 'apple', 'google', 'tesla',
  'huawei', 'twitter', 'youtube', 'facebook', 'openai', 'nvidia', 'samsung', 'boeing', 'spacex', 'microsoft', 'amazon',
  'climate', 'market', 'election', 'president', 'minister', 'police', 'court', 'protest', 'vaccine', 'chip', 'taiwan',
  'hongkong', 'beijing', 'shanghai', 'washington', 'london', 'berlin', 'paris', 'tokyo', 'moscow', 'kyiv', 'ukraine',
];
const COMMA = ['，', '，', '，', '、', '；', '：'];
const STOP = ['。', '。', '。', '。', '？', '！'];

/** Index in [0, n) with probability about proportional to 1/(k+1): Zipf with exponent 1. */
function zipf(rng: SeededRandom, n: number): number {
  // Inverse of the continuous approximation H(x) ≈ ln(x + 1).
  return Math.min(n - 1, Math.floor(Math.exp(rng.next() * Math.log(n + 1)) - 1));
}

export interface SearchCorpus {
  /** Characters in frequency order (most common first). */
  characters: string[];
  /** Words in frequency order. */
  words: string[];
  /** The Latin words articles mention now and then. */
  latin: readonly string[];
  article(index: number): GeneratedArticle;
}

export interface GeneratedArticle {
  title: string;
  /** Body HTML: paragraphs, the way article files hold it. */
  html: string;
  /** Milliseconds since the epoch: one article every ~3 minutes, newest last. */
  published: number;
}

/** Start of the generated archive's time line: 2019-01-01T00:00:00Z. */
const EPOCH = Date.UTC(2019, 0, 1);

export function searchCorpus(seed: number): SearchCorpus {
  const rng = new SeededRandom(seed);
  // A deterministic shuffle of the Unified Ideographs, so that frequent characters are spread over the block.
  const pool: number[] = [];
  for (let c = 0x4e00; c < 0x4e00 + 20_000; c += 1) pool.push(c);
  for (let i = pool.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rng.next() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  const characters = pool.slice(0, CHARACTERS).map((c) => String.fromCharCode(c));
  // The most frequent words are single characters (的, 在, 是 ...), as in real Chinese: about half the
  // words of a text. Without them the commonest three- and four-character strings would be in every article.
  const words: string[] = characters.slice(0, SINGLE_CHARACTER_WORDS);
  const seen = new Set<string>(words);
  while (words.length < WORDS) {
    const u = rng.next();
    const length = u < 0.15 ? 1 : u < 0.8 ? 2 : u < 0.92 ? 3 : 4;
    let word = '';
    for (let k = 0; k < length; k += 1) word += characters[zipf(rng, CHARACTERS)];
    if (seen.has(word)) continue;
    seen.add(word);
    words.push(word);
  }
  return { characters, words, latin: LATIN, article: (index) => generateArticle(seed, index, words) };
}

function sentence(rng: SeededRandom, words: readonly string[], topic: readonly string[]): string {
  let out = '';
  const clauses = rng.int(1, 4);
  for (let c = 0; c < clauses; c += 1) {
    const length = rng.int(3, 9);
    for (let w = 0; w < length; w += 1) {
      const u = rng.next();
      if (u < 0.18) out += topic[rng.int(0, topic.length - 1)];
      else if (u < 0.19) out += ` ${LATIN[zipf(rng, LATIN.length)]} `;
      else if (u < 0.2) out += `${rng.int(1, 2030)}${rng.pick(['年', '月', '日', '%', '人'])}`;
      else out += words[zipf(rng, words.length)];
    }
    out += c === clauses - 1 ? rng.pick(STOP) : rng.pick(COMMA);
  }
  return out;
}

/** Article `index`, generated on its own (any article can be made without the ones before it). */
function generateArticle(seed: number, index: number, words: readonly string[]): GeneratedArticle {
  const rng = new SeededRandom(seed ^ Math.imul(index + 1, 0x9e3779b1));
  const topic = Array.from({ length: 12 }, () => words[Math.floor(words.length * rng.next() ** 3)]!);
  let title = '';
  while (title.length < rng.int(10, 24)) title += rng.chance(0.5) ? topic[rng.int(0, topic.length - 1)] : words[zipf(rng, words.length)];
  // Lengths of real news: most 600-2,000 characters, a few long features.
  const target = Math.round(400 + 1400 * -Math.log(1 - rng.next() * 0.95));
  let html = '';
  let chars = 0;
  while (chars < target) {
    let paragraph = '';
    const length = rng.int(80, 300);
    while (paragraph.length < length) paragraph += sentence(rng, words, topic);
    html += `<p>${paragraph}</p>`;
    chars += paragraph.length;
  }
  const published = EPOCH + index * 180_000 + rng.int(0, 170_000);
  return { title, html, published };
}

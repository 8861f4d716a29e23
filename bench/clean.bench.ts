import { parseHTML } from 'linkedom';
import { BENCH_SOURCES, generateArticle, type GeneratedArticle } from './corpus/article-html.js';
import { articleBytes } from './corpus/feed-set.js';
import { SeededRandom } from './corpus/seeded-random.js';
import { pairedSpeedup, round, timeInterleaved } from './measure.js';

export interface CleanResult {
  articles: number;
  megabytes: number;
  articlesPerSec: number;
  megabytesPerSec: number;
  /** One linkedom parse + serialize of the same HTML: the least a DOM-based cleaner does. */
  domFloorArticlesPerSec: number;
  /** cleanArticle / DOM floor. */
  fractionOfFloor: number;
}

type CleanArticle = (input: { html: string; url?: string }) => { html: string };

/**
 * The cleaner is looked up at run time, not imported: the bench has to run
 * (and say so) on a tree where the content module is not there yet.
 */
async function findCleaner(): Promise<CleanArticle | undefined> {
  const specifier = '../src/content/clean-article.js';
  try {
    const module = (await import(specifier)) as { cleanArticle?: unknown };
    return typeof module.cleanArticle === 'function' ? (module.cleanArticle as CleanArticle) : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

function pages(seed: number, count: number): GeneratedArticle[] {
  const rng = new SeededRandom(seed ^ 0xc1ea4);
  return Array.from({ length: count }, (_, i) => {
    const source = BENCH_SOURCES[i % BENCH_SOURCES.length]!;
    return generateArticle(seed, source, `clean-${source.slug}`, i, articleBytes(rng), Date.UTC(2025, 0, 1) + i * 60_000);
  });
}

/** clean: articles/s through cleanArticle (site rule, generic rules, sanitizer) on 2-20 KB bodies of all nine sources. */
export async function benchClean(options: { seed: number; quick: boolean }, log: (line: string) => void): Promise<CleanResult | null> {
  const cleanArticle = await findCleaner();
  if (!cleanArticle) {
    log('clean: skipped: no cleaner yet');
    return null;
  }
  const inputs = pages(options.seed, options.quick ? 180 : 900);
  const megabytes = inputs.reduce((n, a) => n + Buffer.byteLength(a.html), 0) / 1e6;
  const rounds = options.quick ? 1 : 5;
  log(`clean: ${inputs.length} articles of 2-20 KB (${megabytes.toFixed(1)} MB), ${rounds} interleaved rounds`);
  const [clean, floor] = await timeInterleaved(
    [
      { name: 'cleanArticle', pass: () => inputs.reduce((n, a) => n + cleanArticle({ html: a.html, url: a.url }).html.length, 0) },
      {
        name: 'linkedom parse+serialize',
        pass: () => inputs.reduce((n, a) => n + parseHTML(`<!doctype html><html><head></head><body>${a.html}</body></html>`).document.body.innerHTML.length, 0),
      },
    ],
    rounds,
  );
  if (!clean || !floor) throw new Error('clean bench: missing timing');
  const result: CleanResult = {
    articles: inputs.length,
    megabytes: round(megabytes),
    articlesPerSec: round(inputs.length / clean.median, 0),
    megabytesPerSec: round(megabytes / clean.median),
    domFloorArticlesPerSec: round(inputs.length / floor.median, 0),
    fractionOfFloor: round(pairedSpeedup(clean, floor)),
  };
  log(`  cleanArticle ${result.articlesPerSec} articles/s (${result.megabytesPerSec} MB/s); linkedom parse+serialize ${result.domFloorArticlesPerSec}/s → ${result.fractionOfFloor}× floor`);
  return result;
}

import fc from 'fast-check';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from './catalog.js';
import { searchArticles } from './search-articles.js';
import { indexArticles } from './search-index.js';
import { normalizeSearchText } from './search-normalize.js';
import { searchTextFromHtml } from './search-text.js';

/*
 * The index is exact for Chinese: an article matches a query of CJK
 * characters if and only if its text, Traditional folded to Simplified,
 * contains the query. Few characters (with Traditional twins), runs broken by
 * punctuation, inline and block tags, and words, so that bigram boundaries,
 * repeated characters around punctuation and single characters all come up.
 */
const CJK = ['台', '臺', '湾', '灣', '国', '國', '会', '會', '美', '人'];
const piece = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.constantFrom(...CJK), { minLength: 1, maxLength: 6 }).map((a) => a.join('')) },
  { weight: 2, arbitrary: fc.constantFrom('，', '。', ' ', '-', '<b>', '</b>', '</p><p>', '&amp;') },
  { weight: 1, arbitrary: fc.constantFrom('ab', 'IPhone', '2024') },
);
const article = fc.array(piece, { minLength: 1, maxLength: 12 }).map((p) => `<p>${p.join('')}</p>`);
const query = fc.array(fc.constantFrom(...CJK), { minLength: 1, maxLength: 4 }).map((a) => a.join(''));

describe('search is exact for Chinese', () => {
  let dir: string;
  let catalog: Catalog;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsmirror-search-exact-'));
    catalog = Catalog.open(join(dir, 'catalog.sqlite'));
  });
  afterAll(async () => {
    catalog.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('finds an article exactly when its folded text contains the folded query', () => {
    let run = 0;
    fc.assert(
      fc.property(fc.array(article, { minLength: 1, maxLength: 6 }), fc.array(query, { minLength: 4, maxLength: 4 }), (bodies, queries) => {
        const source = `p${(run += 1)}`;
        indexArticles(
          catalog,
          bodies.map((html, id) => ({ source, id, published: Date.UTC(2025, 0, 1 + id), title: 'x', html })),
        );
        const texts = bodies.map((html) => normalizeSearchText(searchTextFromHtml(html)));
        // More queries cut from an article, so that matches are common, and across its punctuation
        // with a repeated character said once (美国，国会 → 美国会), which must not match.
        const cut = texts[0]!.replace(/[^\u4e00-\u9fff]/g, '');
        const once = cut.replace(/(.)\1+/g, '$1');
        const asked = [...queries, cut.slice(0, 2), cut.slice(1, 4), once.slice(0, 3), once.slice(1, 4), once.slice(2, 5)].filter((q) => q !== '');
        for (const q of asked) {
          const expected = texts.flatMap((t, id) => (t.includes(normalizeSearchText(q)) ? [id] : []));
          const found = searchArticles(catalog, { q, sources: [source], limit: 100 }).hits.map((h) => h.id).sort((a, b) => a - b);
          expect(found, `${JSON.stringify(q)} in ${JSON.stringify(bodies)}`).toEqual(expected);
        }
      }),
      { numRuns: 150, seed: 20250101 },
    );
  });
});

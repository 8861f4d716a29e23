import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeHTML } from 'entities';
import { describe, expect, it } from 'vitest';
import { CORPUS, hasCorpus, noteSkip } from '../../test/helpers/shared.js';
import { extractArticle } from './extract-article.js';

const PAGES = join(CORPUS, 'article-pages/readability-test-pages');
/** The URL Readability's own test suite gives these pages. */
const PAGE_URL = 'http://fakehost/test/page.html';

function tokens(html: string): Map<string, number> {
  const text = decodeHTML(html.replace(/<[^>]*>/g, ' '));
  const counts = new Map<string, number>();
  for (const token of text.match(/\p{Script=Han}|[\p{L}\p{N}]+/gu) ?? []) counts.set(token, (counts.get(token) ?? 0) + 1);
  return counts;
}

/** Text overlap F1: the bag of words (single Han characters) of the two texts. */
function textF1(actual: string, expected: string): number {
  const a = tokens(actual);
  const e = tokens(expected);
  let overlap = 0;
  let sizeA = 0;
  let sizeE = 0;
  for (const [t, n] of a) {
    sizeA += n;
    overlap += Math.min(n, e.get(t) ?? 0);
  }
  for (const n of e.values()) sizeE += n;
  if (sizeA === 0 || sizeE === 0) return sizeA === sizeE ? 1 : 0;
  const precision = overlap / sizeA;
  const recall = overlap / sizeE;
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

describe.skipIf(noteSkip(hasCorpus, 'readability test pages'))('extracting real article pages', () => {
  it('matches Readability.js output on the corpus pages (text overlap F1)', () => {
    const scores: Record<string, number> = {};
    for (const name of readdirSync(PAGES).filter((n) => !n.includes('.'))) {
      const source = readFileSync(join(PAGES, name, 'source.html'), 'utf8');
      const expected = readFileSync(join(PAGES, name, 'expected.html'), 'utf8');
      const article = extractArticle(source, PAGE_URL);
      scores[name] = article ? Math.round(textF1(article.html, expected) * 1000) / 1000 : 0;
    }
    const values = Object.values(scores);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    console.log(`extraction F1 on ${values.length} pages: mean ${mean.toFixed(3)}`, scores);
    expect(values.length).toBeGreaterThanOrEqual(15);
    expect(mean).toBeGreaterThanOrEqual(0.95);
    for (const [name, score] of Object.entries(scores)) expect(score, name).toBeGreaterThanOrEqual(0.85);
  });

  it('resolves relative links against the page URL and its <base>', () => {
    for (const name of ['base-url', 'base-url-base-element', 'base-url-base-element-relative']) {
      const article = extractArticle(readFileSync(join(PAGES, name, 'source.html'), 'utf8'), PAGE_URL)!;
      const expected = readFileSync(join(PAGES, name, 'expected.html'), 'utf8');
      const hrefs = (html: string) => [...html.matchAll(/(?:href|src)="([^"]*)"/g)].map((m) => m[1]);
      expect(hrefs(article.html), name).toEqual(hrefs(expected));
    }
  });
});

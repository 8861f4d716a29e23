import { decodeHTML } from 'entities';
import { describe, expect, it } from 'vitest';
import { decodeReferences } from './decode-references.js';

/** Pieces that end or start at every kind of reference, legacy ones without `;` and unfinished ones included. */
const PIECES = ['&amp;', '&amp', '&ampx', '&#65;', '&#x41', '&#0000000000000065;', '&notin;', '&notit;', '&not', '&&', '&', '&#', '&#x', '&nbsp;', '&#x1F600;', '😀', '中文', 'abc;', ';', ' ', '&lt;p&gt;', '&bogus;'];

/** mulberry32: the same texts on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('decodeReferences', () => {
  it('decodes as decodeHTML does, however the text falls into pieces', () => {
    const next = random(15);
    for (let round = 0; round < 300; round += 1) {
      const text = Array.from({ length: 1 + Math.floor(next() * 60) }, () => PIECES[Math.floor(next() * PIECES.length)]!).join('');
      for (const piece of [1, 2, 3, 7, 16, 64]) expect({ text, piece, out: decodeReferences(text, piece) }).toEqual({ text, piece, out: decodeHTML(text) });
    }
  });

  it('keeps a reference longer than a piece whole', () => {
    const long = `x&#${'0'.repeat(200)}65;y&amp;`;
    expect(decodeReferences(long, 16)).toBe('xAy&');
  });

  it('decodes a million references to the same text as decodeHTML', () => {
    const text = '&#x4e2d;&nbsp;&#25991;&amp;amp;'.repeat(250_000);
    expect(decodeReferences(text)).toBe(decodeHTML(text));
  });
});

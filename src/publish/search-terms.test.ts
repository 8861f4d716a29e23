import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { searchTerms, shardOf } from './search-terms.js';

describe('static search terms', () => {
  it('indexes CJK runs as characters and bigrams, other scripts as words', () => {
    expect(searchTerms('台湾选举 hello World2 𠀀字', false)).toEqual(['台', '湾', '选', '举', '台湾', '湾选', '选举', 'hello', 'World2', '𠀀', '字', '𠀀字']);
  });

  it('queries a one-character run by its character and a longer run by its bigrams only', () => {
    expect(searchTerms('选举 台', true)).toEqual(['选举', '台']);
    expect(searchTerms('台湾选举', true)).toEqual(['台湾', '湾选', '选举']);
    expect(searchTerms('，。！  ', true)).toEqual([]);
  });

  it('finds every query cut from an indexed text: its terms are all among the text terms', () => {
    const han = fc.constantFrom(...'台湾选举结果出口增长经济春节铁路的是了𠀀');
    const text = fc.array(fc.oneof(han, fc.constantFrom(' ', '，', 'news ', 'g20 ')), { minLength: 1, maxLength: 40 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, fc.nat(), fc.nat(), (t, a, b) => {
        const chars = [...t];
        const from = a % chars.length;
        const query = chars.slice(from, from + 1 + (b % 6)).join('');
        // Latin words are matched whole: cut the query at word edges only.
        if (/^[a-z0-9]|[a-z0-9]$/.test(query)) return true;
        const indexed = new Set(searchTerms(t, false));
        return searchTerms(query, true).every((term) => indexed.has(term));
      }),
    );
  });

  it('spreads terms over shards deterministically', () => {
    expect(shardOf('台湾', 64)).toBe(shardOf('台湾', 64));
    const used = new Set(['台湾', '选举', '出口', 'news', '经济', '铁路', '春节', '增长'].map((t) => shardOf(t, 8)));
    expect(used.size).toBeGreaterThan(3);
    for (const t of ['a', '台', '𠀀字']) expect(shardOf(t, 1)).toBe(0);
  });
});

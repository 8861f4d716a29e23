import { describe, expect, it } from 'vitest';
import { CountdownIds, wordpressId } from './ids.js';

describe('ids', () => {
  it('counts down from 0xFFFFF', () => {
    const ids = new CountdownIds([]);
    expect([ids.allocate(), ids.allocate()]).toEqual([1048574, 1048573]);
  });

  it('continues below the numeric minimum, whatever the names sort like', () => {
    const ids = new CountdownIds([1000000, 999999, 1000001, 1048574]);
    expect(ids.allocate()).toBe(999998);
  });

  it('ignores the family stray 0.md and never hands out a taken id', () => {
    const ids = new CountdownIds([0, 332717, 332716]);
    expect(ids.allocate()).toBe(332715);
    ids.reserve(332714);
    expect(ids.allocate()).toBe(332713);
  });

  it('derives China Digital Times ids from ?p=', () => {
    expect(wordpressId('https://chinadigitaltimes.net/chinese/?p=715858')).toBe(332717);
    expect(wordpressId('https://chinadigitaltimes.net/chinese/715858.html')).toBeUndefined();
    expect(wordpressId(undefined)).toBeUndefined();
    expect(wordpressId('https://x/?p=1048575')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { mapLimited } from './map-limited.js';

describe('mapLimited', () => {
  it('keeps order and never runs more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const results = await mapLimited([5, 1, 4, 2, 3], 2, async (n) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, n * 3));
      running -= 1;
      return n * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });

  it('starts no new item once told to stop; the ones in hand finish', async () => {
    let stop = false;
    const results = await mapLimited([1, 2, 3, 4], 1, async (n) => {
      if (n === 2) stop = true;
      return n;
    }, () => stop);
    expect(results).toEqual([1, 2, undefined, undefined]);
  });
});

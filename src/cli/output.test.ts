import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { println } from './output.js';

describe('println', () => {
  it('shows the control characters a feed put in a warning escaped, so they cannot drive the terminal', () => {
    const stream = new PassThrough();
    println(stream, '! news: urn:x\u001b]0;owned\u0007: same title as \u009b2J 新闻\tok');
    expect(stream.read().toString()).toBe('! news: urn:x\\x1b]0;owned\\x07: same title as \\x9b2J 新闻\tok\n');
  });
});

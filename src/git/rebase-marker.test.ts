import { describe, expect, it } from 'vitest';
import { parseRebaseMarker } from './rebase-marker.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const marker = { before: A, upstream: B, branch: 'refs/heads/main', phase: 'rebasing', created: [{ path: 'archive/articles/t/1048570.md', blob: A }] };

describe('parseRebaseMarker', () => {
  it('reads the marker a run writes', () => {
    expect(parseRebaseMarker(JSON.stringify(marker))).toEqual(marker);
    expect(parseRebaseMarker(JSON.stringify({ ...marker, phase: 'rebased', rebased: B }))).toEqual({ ...marker, phase: 'rebased', rebased: B });
  });

  it('takes a marker cut short or edited by hand for none: it proves no rebase ours, so none is undone', () => {
    const text = JSON.stringify(marker);
    for (const bad of [
      text.slice(0, text.length - 5),
      '',
      'null',
      JSON.stringify({ ...marker, before: 'HEAD' }),
      JSON.stringify({ ...marker, upstream: undefined }),
      JSON.stringify({ ...marker, branch: 'main' }),
      JSON.stringify({ ...marker, phase: 'settling' }),
      JSON.stringify({ ...marker, phase: 'rebased' }),
      JSON.stringify({ ...marker, created: [{ path: '', blob: A }] }),
      JSON.stringify({ ...marker, created: [{ path: 'x.md', blob: 'nope' }] }),
    ]) {
      expect(parseRebaseMarker(bad), bad).toBeUndefined();
    }
  });
});

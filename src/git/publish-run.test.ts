import { describe, expect, it } from 'vitest';
import { renderGitSummary } from './publish-run.js';

describe('the git summary', () => {
  it('counts the files of a commit in the singular and the plural', () => {
    const summary = (files: string[]) =>
      renderGitSummary({ repository: '/r', commit: { sha: '0123456789abcdef', message: 'newsmirror: A +1', files }, pushes: [], stray: [] });
    // It said '(1 files)'.
    expect(summary(['README.md'])).toEqual(['git: committed 0123456789 "newsmirror: A +1" (1 file)']);
    expect(summary(['README.md', 'lists/A.md'])).toEqual(['git: committed 0123456789 "newsmirror: A +1" (2 files)']);
  });
});

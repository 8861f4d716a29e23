import { NewsmirrorError } from '../domain/errors.js';

/**
 * A git step that failed: `not_a_repository` (the archive is not inside a
 * work tree), `git_missing` (no git executable), `detached_head`, `conflict`
 * (a rebase that newsmirror cannot resolve), `in_progress` (a rebase, merge,
 * cherry-pick, revert or bisect someone else started and did not finish),
 * `git_failed` (any other command).
 */
export type GitErrorCode = 'not_a_repository' | 'git_missing' | 'detached_head' | 'conflict' | 'in_progress' | 'git_failed';

export class GitError extends NewsmirrorError {
  declare readonly code: GitErrorCode;
  constructor(code: GitErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

import type { SourceState } from '../archive/state-file.js';
import { LimitError } from '../domain/errors.js';
import type { SourceOutcome } from './run-source.js';

/*
 * A source's turn under its deadline (sourceTimeoutMs, run-archive.ts): the
 * CPU work on its bytes runs on the CleanPool's threads, given up when the
 * deadline passes; what runs here checks it between slices of work.
 */

/**
 * Bodies cleaned before the deadline whose files may still be written after
 * it (~0.5 s): without them, a feed too big for one turn archived nothing on
 * every run; with them, each run archives the next oldest.
 */
export const FILES_AFTER_DEADLINE = 256;

/** A stop that holds once `deadline` has passed and `grace` more items have started. */
export function afterDeadline(deadline: AbortSignal | undefined, grace: number): () => boolean {
  let started = 0;
  return () => deadline?.aborted === true && started++ >= grace;
}

/** Items looked up in the catalog between two turns of the event loop. */
const LOOKUPS_PER_TURN = 1000;

/**
 * A feed of 150,000 items is that many catalog look-ups (~5 s): in slices,
 * so the other sources go on meanwhile and the source's deadline can fire,
 * which ends the look-ups (its reason, a LimitError, is thrown).
 */
export async function pauseEvery(i: number, deadline: AbortSignal | undefined): Promise<void> {
  if (i % LOOKUPS_PER_TURN !== LOOKUPS_PER_TURN - 1) return;
  await new Promise((resolve) => setImmediate(resolve));
  if (deadline?.aborted) throw deadline.reason;
}

/**
 * A source whose turn went past its deadline: failed as too_slow, with what
 * it archived before kept (ids are given oldest first, so the rest come next
 * run, and its validators were not kept, so the feed is read again).
 */
export function noteTooSlow(outcome: SourceOutcome, state: SourceState, deadline: AbortSignal): void {
  const limit = deadline.reason instanceof LimitError ? deadline.reason.message : "the source's deadline";
  const done = outcome.added.length > 0 ? `${outcome.added.length} archived, the rest wait for the next run` : 'nothing archived';
  // A failed fetch (the deadline passed while reading the feed) counted the failure already.
  if (outcome.status !== 'failed') state.failures = (state.failures ?? 0) + 1;
  outcome.status = 'failed';
  outcome.error = { code: 'too_slow', message: `${outcome.slug}: ${outcome.url}: stopped at ${limit}: ${done}` };
  state.lastError = outcome.error;
}

/** The deadline's own reason ends archiving as nothing replaced (noteTooSlow says the rest); any other error is thrown on. */
export function pastDeadline(deadline: AbortSignal | undefined): (error: unknown) => number {
  return (error) => {
    if (deadline?.aborted && error === deadline.reason) return 0;
    throw error;
  };
}


import { describe, expect, it } from 'vitest';
import { backoffDelay, isRetryableStatus, parseRetryAfter, planRetry } from './retry-policy.js';

describe('isRetryableStatus', () => {
  it('retries 408, 429 and 5xx only', () => {
    expect([408, 429, 500, 502, 503, 504, 599].every(isRetryableStatus)).toBe(true);
    expect([200, 301, 304, 400, 401, 403, 404, 410, 451].some(isRetryableStatus)).toBe(false);
  });
});

describe('backoffDelay', () => {
  it('doubles per attempt and keeps jitter within the upper half of the step', () => {
    expect(backoffDelay(1, 1000, () => 0)).toBe(500);
    expect(backoffDelay(1, 1000, () => 1)).toBe(1000);
    expect(backoffDelay(3, 1000, () => 0)).toBe(2000);
    expect(backoffDelay(3, 1000, () => 1)).toBe(4000);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads delay-seconds and HTTP-dates', () => {
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
  });
  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});

describe('planRetry', () => {
  const base = { baseMs: 100, maxRetryAfterMs: 60_000, remainingMs: 30_000, random: () => 0, retryAfterMs: undefined };
  it('stops after the last try', () => {
    expect(planRetry({ ...base, attempt: 3, tries: 3 }).retry).toBe(false);
    expect(planRetry({ ...base, attempt: 2, tries: 3 })).toEqual({ retry: true, delayMs: 100 });
  });
  it('waits at least as long as Retry-After asks', () => {
    expect(planRetry({ ...base, attempt: 1, tries: 3, retryAfterMs: 5000 })).toEqual({ retry: true, delayMs: 5000 });
  });
  it('gives up rather than retry early when Retry-After exceeds the cap', () => {
    expect(planRetry({ ...base, attempt: 1, tries: 3, retryAfterMs: 120_000 }).retry).toBe(false);
  });
  it('gives up when the wait would outlast the deadline', () => {
    expect(planRetry({ ...base, attempt: 1, tries: 3, retryAfterMs: 5000, remainingMs: 4000 }).retry).toBe(false);
  });
});

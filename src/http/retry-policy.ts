/**
 * When to try a request again and how long to wait first. Pure: the clock and
 * the random source are parameters so the policy is testable without sleeping.
 */

/** RFC 9110 §15.5.9 (408), RFC 6585 §4 (429) and every 5xx are worth another try. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half random,
 * so many clients that failed together do not come back together.
 * `attempt` is 1 for the wait after the first failure.
 */
export function backoffDelay(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const step = baseMs * 2 ** Math.max(0, attempt - 1);
  return Math.round(step / 2 + (random() * step) / 2);
}

/**
 * Milliseconds the server asks us to wait (RFC 9110 §10.2.3: delay-seconds or
 * an HTTP-date), or undefined when the header is absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Date.parse reads '-5' as the year -5; an HTTP-date always names a day or month.
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

export interface RetryDecision {
  retry: boolean;
  delayMs: number;
}

/**
 * Decide the wait before the next try. A Retry-After longer than the cap is
 * not shortened: waiting less than the server asked would be impolite, so we
 * give up instead. A wait that would end past the request deadline also gives up.
 */
export function planRetry(input: {
  attempt: number;
  tries: number;
  baseMs: number;
  retryAfterMs: number | undefined;
  maxRetryAfterMs: number;
  remainingMs: number;
  random?: () => number;
}): RetryDecision {
  const none = { retry: false, delayMs: 0 };
  if (input.attempt >= input.tries) return none;
  if (input.retryAfterMs !== undefined && input.retryAfterMs > input.maxRetryAfterMs) return none;
  const backoff = backoffDelay(input.attempt, input.baseMs, input.random);
  const delayMs = Math.max(backoff, input.retryAfterMs ?? 0);
  if (delayMs >= input.remainingMs) return none;
  return { retry: true, delayMs };
}

/**
 * One base class for every failure newsmirror reports. `code` is stable and is
 * what callers branch on (never the message); `message` is the one line a user
 * sees, naming what failed and where (source, URL, file, key).
 */
export class NewsmirrorError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A config file that cannot be read or does not satisfy the schema. */
export class ConfigError extends NewsmirrorError {}

/** Something wrong with the archive folder itself: lock held, unreadable file. */
export class ArchiveError extends NewsmirrorError {}

/** Bytes that are not a feed, or a feed too broken to read. */
export type FeedErrorCode = 'not_a_feed' | 'malformed' | 'empty';
export class FeedError extends NewsmirrorError {
  declare readonly code: FeedErrorCode;
  constructor(code: FeedErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** A request that did not produce a usable response. */
export type HttpErrorCode =
  | 'timeout'
  | 'too_large'
  | 'http_status'
  | 'network'
  | 'dns'
  | 'tls'
  | 'blocked'
  | 'redirect'
  | 'bad_url';
export class HttpError extends NewsmirrorError {
  declare readonly code: HttpErrorCode;
  readonly url: string;
  readonly status: number | undefined;
  constructor(
    code: HttpErrorCode,
    message: string,
    details: { url: string; status?: number; cause?: unknown },
  ) {
    super(code, message, { cause: details.cause });
    this.url = details.url;
    this.status = details.status;
  }
}

/**
 * A downloaded picture that cannot be re-encoded: bytes the decoder refuses
 * (corrupt, truncated, a format it lacks), or more pixels than the cap allows.
 * The image stays remote; the article is archived either way.
 */
export type ImageErrorCode = 'image_undecodable' | 'image_too_many_pixels';
export class ImageError extends NewsmirrorError {
  declare readonly code: ImageErrorCode;
  constructor(code: ImageErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/**
 * A picture that would take the archive past one of its size budgets
 * (`budgets` in the config): it stays remote, the article is archived.
 */
export class BudgetError extends NewsmirrorError {
  declare readonly code: 'over_budget';
  constructor(message: string) {
    super('over_budget', message);
  }
}

/**
 * A source that went past a bound of its turn: its deadline (sourceTimeoutMs),
 * CPU work included, or a thread's memory. The source fails alone.
 */
export type LimitErrorCode = 'too_slow' | 'too_large';
export class LimitError extends NewsmirrorError {
  declare readonly code: LimitErrorCode;
  constructor(code: LimitErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

function firstLine(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  // An error of a class that a worker thread could not pass on arrives as a plain object.
  const { message, code } = (error ?? {}) as { message?: unknown; code?: unknown };
  if (typeof message === 'string') return message.split('\n')[0] ?? message;
  if (typeof code === 'string') return code;
  return String(error);
}

/** A short one-line description of any thrown value, for reports. */
export function describeError(error: unknown): string {
  const text = firstLine(error);
  // SQLite's words for a write that failed with ENOSPC ("database or disk is full") do not say it as the
  // system does; the caller names the file.
  return (error as { code?: unknown } | null | undefined)?.code === 'SQLITE_FULL' ? `${text} (no space left on device)` : text;
}

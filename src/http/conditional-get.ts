/** Validators of a cached representation (RFC 9110 §8.8), as sent by the server. */
export interface Validators {
  etag?: string;
  lastModified?: string;
}

/**
 * RFC 9110 §13.1.1 and §13.1.3: the request headers that make a GET
 * conditional. A Last-Modified later than `now` (or unreadable) is not sent:
 * a server that compares dates would answer 304 until that date, and the
 * feed would freeze (one kept before readValidators dropped such dates, or
 * vouched for by a server whose own Date was as far ahead).
 */
export function conditionalHeaders(validators: Validators | undefined, now = Date.now()): Record<string, string> {
  const headers: Record<string, string> = {};
  if (validators?.etag !== undefined && validators.etag !== '') headers['if-none-match'] = validators.etag;
  const modified = validators?.lastModified === undefined ? Number.NaN : Date.parse(validators.lastModified);
  if (validators?.lastModified !== undefined && modified <= now) headers['if-modified-since'] = validators.lastModified;
  return headers;
}

/** True when request headers make it conditional: only then does a 304 mean "what you have is current". */
export function isConditional(headers: Readonly<Record<string, string>>): boolean {
  return headers['if-none-match'] !== undefined || headers['if-modified-since'] !== undefined;
}

/**
 * The validators a response carries, verbatim so they can be sent back as is.
 * A Last-Modified later than the response's Date (or, without Date, than our
 * clock) is dropped: RFC 9110 §8.8.2.1 forbids it, and sent back as
 * If-Modified-Since it would make some servers answer 304 until that date.
 */
export function readValidators(
  response: { etag?: string; lastModified?: string; date?: string },
  now: number,
): Validators {
  const validators: Validators = {};
  if (response.etag !== undefined && response.etag.trim() !== '') validators.etag = response.etag.trim();
  const lastModified = response.lastModified?.trim();
  if (lastModified !== undefined && lastModified !== '') {
    const modified = Date.parse(lastModified);
    const date = response.date === undefined ? Number.NaN : Date.parse(response.date);
    const reference = Number.isNaN(date) ? now : date;
    if (!Number.isNaN(modified) && modified <= reference) validators.lastModified = lastModified;
  }
  return validators;
}

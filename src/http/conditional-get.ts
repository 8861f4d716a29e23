/** Validators of a cached representation (RFC 9110 §8.8), as sent by the server. */
export interface Validators {
  etag?: string;
  lastModified?: string;
}

/** RFC 9110 §13.1.1 and §13.1.3: the request headers that make a GET conditional. */
export function conditionalHeaders(validators: Validators | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (validators?.etag !== undefined && validators.etag !== '') headers['if-none-match'] = validators.etag;
  if (validators?.lastModified !== undefined && validators.lastModified !== '') {
    headers['if-modified-since'] = validators.lastModified;
  }
  return headers;
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

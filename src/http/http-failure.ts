import { HttpError } from '../domain/errors.js';
import type { HttpErrorCode } from '../domain/errors.js';
import { classifyError, oneLine } from './classify-error.js';
import type { HopFailure } from './follow-redirects.js';
import { redactUrl } from './redact-url.js';

/** The reason our own deadline aborts with, so a timeout is told apart from a caller's abort. */
export class DeadlineReached extends Error {}

const WHAT: Record<HttpErrorCode, string> = {
  timeout: 'Timed out',
  too_large: 'Response too large',
  http_status: 'HTTP error',
  network: 'Network error',
  dns: 'DNS lookup failed',
  tls: 'TLS error',
  blocked: 'Blocked non-public address',
  redirect: 'Redirect error',
  bad_url: 'Bad URL',
};

/** Messages stay one readable line even for absurd URLs. */
const MAX_URL_IN_MESSAGE = 300;

function describeWhere(start: URL, hop: URL | undefined): string {
  const from = redactUrl(start).slice(0, MAX_URL_IN_MESSAGE);
  if (hop === undefined) return from;
  const to = redactUrl(hop).slice(0, MAX_URL_IN_MESSAGE);
  return to === from ? from : `${from} (redirected to ${to})`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Library messages should not carry credentials; make sure they cannot. */
function scrub(detail: string, target: URL, hop: HopFailure | undefined): string {
  const secrets = [target.username, target.password, hop?.proxy?.url.username ?? '', hop?.proxy?.url.password ?? ''];
  let out = oneLine(detail);
  for (const secret of secrets) {
    for (const form of new Set([secret, safeDecode(secret)])) {
      if (form.length >= 3) out = out.split(form).join('***');
    }
  }
  return out;
}

function triesSuffix(attempt: number): string {
  return attempt > 1 ? ` (after ${attempt} tries)` : '';
}

/** A final response that is neither 2xx nor a 304 to a conditional request. */
export function statusFailure(target: URL, status: number, finalUrl: URL | undefined, attempt: number, reason?: string): HttpError {
  const where = describeWhere(target, finalUrl);
  return new HttpError('http_status', `HTTP ${status} from ${where}${reason === undefined ? '' : `: ${reason}`}${triesSuffix(attempt)}`, {
    url: redactUrl(target),
    status,
  });
}

/** A failure below HTTP, as one line naming the URL, the hop and the proxy (all without credentials). */
export function transportFailure(input: {
  target: URL;
  hop?: HopFailure;
  error: unknown;
  signal: AbortSignal;
  timeoutMs: number;
  attempt: number;
}): HttpError {
  const { target, hop, error } = input;
  const where = describeWhere(target, hop?.url);
  const url = redactUrl(target);
  const via = hop?.proxy !== undefined ? ` via proxy ${hop.proxy.label}` : '';
  if (input.signal.reason instanceof DeadlineReached) {
    return new HttpError('timeout', `Timed out after ${input.timeoutMs} ms fetching ${where}${via}`, { url, cause: error });
  }
  const { code, detail } = classifyError(error);
  const hint = code === 'blocked' ? '; set allowPrivateNetworks to allow it' : '';
  const message = `${WHAT[code]} fetching ${where}${via}: ${scrub(detail, target, hop)}${hint}${triesSuffix(input.attempt)}`;
  return new HttpError(code, message, { url, cause: error });
}

import type { Dispatcher } from 'undici';
import { HttpError } from '../domain/errors.js';
import { isConditional, readValidators } from './conditional-get.js';
import type { Validators } from './conditional-get.js';
import type { HostLimiter } from './host-limiter.js';
import type { ProxySpec } from './proxy-config.js';
import { BodyTooLargeError, readBody } from './read-body.js';
import { redactUrl } from './redact-url.js';
import { BlockedAddressError, isBlockedHostname } from './ssrf-guard.js';

export const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Bytes of an unwanted body (error page, redirect) read so the connection can be reused. */
const DISCARD_LIMIT = 64 * 1024;

/** A failure below HTTP (socket, DNS, TLS, guard, body) on one hop, kept raw for classification. */
export class HopFailure extends Error {
  constructor(
    readonly error: unknown,
    readonly url: URL,
    readonly proxy: ProxySpec | undefined,
  ) {
    super('hop failed', { cause: error });
  }
}

export interface RouteChoice {
  dispatcher: Dispatcher;
  proxy: ProxySpec | undefined;
}

export interface AttemptContext {
  /** Credential-free start URL; credentials travel in `headers.authorization`. */
  start: URL;
  headers: Readonly<Record<string, string>>;
  trusted: boolean;
  allowPrivateNetworks: boolean;
  maxBytes: number;
  timeoutMs: number;
  signal: AbortSignal;
  limiter: HostLimiter;
  /** Called each time a hop gets its host slot (the fetch's deadline starts at the first). */
  onSlot?: () => void;
  route: (url: URL, guarded: boolean) => RouteChoice;
}

export type AttemptOutcome =
  | { kind: 'unchanged'; url: URL }
  | { kind: 'fetched'; url: URL; status: number; contentType?: string; body: Uint8Array; validators: Validators }
  | { kind: 'status'; url: URL; status: number; retryAfter?: string; reason?: string };

type HopOutcome = AttemptOutcome | { kind: 'redirect'; location: URL };

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

async function discard(body: { dump(opts?: { limit: number }): Promise<void> }): Promise<void> {
  await body.dump({ limit: DISCARD_LIMIT }).catch(() => undefined);
}

/**
 * Trust belongs to the configured URL's origin (scheme, host and port): a
 * feed may move within it (a new path) and stay trusted, but a hop to any
 * other origin is guarded, so a compromised feed server cannot bounce us to
 * 169.254.169.254, nor to another service on its own private host (a feed
 * configured on 127.0.0.1:8080 redirecting to 127.0.0.1:6379).
 */
function isGuarded(ctx: AttemptContext, url: URL): boolean {
  if (ctx.allowPrivateNetworks) return false;
  return !(ctx.trusted && url.origin === ctx.start.origin);
}

/**
 * undici only honours an abort once the request has a socket; a request queued
 * behind a connect that never completes would outlive the deadline. Settle on
 * the signal ourselves and destroy whatever arrives late.
 */
function untilAborted(pending: Promise<Dispatcher.ResponseData>, signal: AbortSignal): Promise<Dispatcher.ResponseData> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      reject(signal.reason);
      pending.then((late) => late.body.destroy(), () => undefined);
    };
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (response) => {
        signal.removeEventListener('abort', onAbort);
        resolve(response);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

async function exchange(ctx: AttemptContext, url: URL, headers: Record<string, string>): Promise<HopOutcome> {
  const guarded = isGuarded(ctx, url);
  let proxy: ProxySpec | undefined;
  let release: (() => void) | undefined;
  try {
    const choice = ctx.route(url, guarded);
    proxy = choice.proxy;
    const { dispatcher } = choice;
    if (guarded && isBlockedHostname(url.hostname)) throw new BlockedAddressError(url.hostname, url.hostname);
    release = await ctx.limiter.acquire(url.hostname, ctx.signal);
    ctx.onSlot?.();
    const response = await untilAborted(dispatcher.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: 'GET',
      headers,
      signal: ctx.signal,
      headersTimeout: ctx.timeoutMs,
      bodyTimeout: ctx.timeoutMs,
    }), ctx.signal);
    return await readResponse(ctx, url, response, isConditional(headers));
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HopFailure(error, url, proxy);
  } finally {
    release?.();
  }
}

async function readResponse(ctx: AttemptContext, url: URL, response: Dispatcher.ResponseData, conditional: boolean): Promise<HopOutcome> {
  const { statusCode: status, headers, body } = response;
  const location = header(headers, 'location');
  if (REDIRECT_STATUSES.has(status) && location !== undefined) {
    await discard(body);
    try {
      return { kind: 'redirect', location: new URL(location, url) };
    } catch (error) {
      const where = redactUrl(url);
      throw new HttpError('redirect', `Invalid redirect Location from ${where}`, { url: where, status, cause: error });
    }
  }
  if (status === 304) {
    await discard(body);
    // RFC 9110 §15.4.5: 304 answers a conditional GET. To an unconditional one it says nothing about
    // a copy we do not have: no body to read, never "unchanged".
    if (!conditional) return { kind: 'status', url, status, reason: 'Not Modified to a request without validators: nothing to read' };
    return { kind: 'unchanged', url };
  }
  if (status < 200 || status > 299) {
    await discard(body);
    const retryAfter = header(headers, 'retry-after');
    return { kind: 'status', url, status, ...(retryAfter !== undefined ? { retryAfter } : {}) };
  }
  const encoding = header(headers, 'content-encoding');
  if (encoding === undefined && Number(header(headers, 'content-length')) > ctx.maxBytes) {
    body.destroy();
    throw new BodyTooLargeError(ctx.maxBytes, 'wire');
  }
  const bytes = await readBody(body, encoding, ctx.maxBytes);
  const contentType = header(headers, 'content-type');
  const validators = readValidators(
    { etag: header(headers, 'etag'), lastModified: header(headers, 'last-modified'), date: header(headers, 'date') },
    Date.now(),
  );
  return { kind: 'fetched', url, status, ...(contentType !== undefined ? { contentType } : {}), body: bytes, validators };
}

function withoutHash(url: URL): string {
  return url.href.replace(/#.*$/, '');
}

/** Where the next hop goes, or an HttpError('redirect' | 'bad_url') saying why it may not. */
function nextHop(ctx: AttemptContext, from: URL, to: URL, redirects: number, visited: Set<string>): URL {
  const start = redactUrl(ctx.start);
  if (to.protocol !== 'http:' && to.protocol !== 'https:') {
    throw new HttpError('bad_url', `Redirect from ${redactUrl(from)} to unsupported scheme ${to.protocol}`, {
      url: start,
    });
  }
  if (redirects >= MAX_REDIRECTS) {
    throw new HttpError('redirect', `More than ${MAX_REDIRECTS} redirects fetching ${start}`, { url: start });
  }
  // Credentials in a Location header are the redirecting server's, never ours to send.
  const next = new URL(to.href);
  next.username = '';
  next.password = '';
  next.hash = '';
  if (visited.has(withoutHash(next))) {
    throw new HttpError('redirect', `Redirect loop fetching ${start}: ${redactUrl(next)} was already visited`, {
      url: start,
    });
  }
  return next;
}

/**
 * One try: request `ctx.start`, following up to MAX_REDIRECTS redirects. Each
 * hop holds its host's concurrency slot only while it talks to that host.
 * Throws HttpError for final verdicts and HopFailure for transport failures.
 */
export async function followRedirects(ctx: AttemptContext): Promise<AttemptOutcome> {
  const visited = new Set<string>();
  let headers: Record<string, string> = { ...ctx.headers };
  let url = ctx.start;
  for (let redirects = 0; ; redirects++) {
    visited.add(withoutHash(url));
    const outcome = await exchange(ctx, url, headers);
    if (outcome.kind !== 'redirect') return outcome;
    const next = nextHop(ctx, url, outcome.location, redirects, visited);
    if (next.origin !== url.origin) {
      // As browsers do (Fetch §4.4): credentials do not follow a cross-origin redirect.
      const { authorization: _a, cookie: _c, ...rest } = headers;
      headers = rest;
    }
    url = next;
  }
}

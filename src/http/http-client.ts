import { setTimeout as sleep } from 'node:timers/promises';
import { HttpError } from '../domain/errors.js';
import { classifyError, oneLine } from './classify-error.js';
import { conditionalHeaders } from './conditional-get.js';
import type { Validators } from './conditional-get.js';
import { DispatcherCache } from './dispatcher-cache.js';
import { HopFailure, followRedirects } from './follow-redirects.js';
import type { AttemptContext, RouteChoice } from './follow-redirects.js';
import { HostLimiter } from './host-limiter.js';
import { DeadlineReached, statusFailure, transportFailure } from './http-failure.js';
import { DIRECT, parseProxy, proxyFromEnv } from './proxy-config.js';
import type { ProxySpec } from './proxy-config.js';
import { ACCEPT_ENCODING } from './read-body.js';
import { redactUrl } from './redact-url.js';
import { isRetryableStatus, parseRetryAfter, planRetry } from './retry-policy.js';
import { defaultUserAgent } from './user-agent.js';

export interface HttpClientOptions {
  /** Default `newsmirror/<version> (+https://github.com/newsmirror)`. */
  userAgent?: string;
  /** http://, https://, socks5://, socks5h://, or 'direct'; unset: HTTPS_PROXY/HTTP_PROXY/ALL_PROXY/NO_PROXY. */
  proxy?: string;
  /**
   * Turns the SSRF guard off for every request. Default false. Direct and
   * through socks5:// the guard checks resolved addresses; through socks5h://
   * or an HTTP(S) proxy the proxy resolves names, so only the URL's host itself
   * (IP literals in any notation, localhost names) can be checked.
   */
  allowPrivateNetworks?: boolean;
  /** Concurrent requests per host name across the client. Default 2. */
  maxPerHost?: number;
  /** Backoff base between tries. Default 1000 ms. */
  retryBaseMs?: number;
  /** A Retry-After longer than this ends the retries. Default 60 000 ms. */
  maxRetryAfterMs?: number;
  /** Where proxy variables are read from, once, at construction. Default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Extra PEM certificates to trust besides Node's roots (a private CA, a test server). */
  ca?: string[];
}

export interface RequestOptions {
  /** Extra headers (Referer, Cookie...); a User-Agent here overrides the client's. */
  headers?: Record<string, string>;
  validators?: Validators;
  /** Default 10 000 ms. */
  connectTimeoutMs?: number;
  /**
   * One deadline for the fetch once it has its first slot at the host: every
   * try, redirect, backoff and the body. Waiting for that slot (the per-host
   * limit) is capped at the same time apart. Default 30 000 ms.
   */
  timeoutMs?: number;
  /** Cap on the body after decompression (and on the wire). Default 15 MiB. */
  maxBytes?: number;
  /** Default 3. */
  tries?: number;
  /** A configured feed URL: not guarded, nor are redirects within its origin (scheme, host and port). */
  trusted?: boolean;
  /** Overrides the client's proxy for this request; 'direct' bypasses every proxy. */
  proxy?: string;
  signal?: AbortSignal;
}

export type FetchResult =
  | { kind: 'unchanged'; url: string }
  | {
      kind: 'fetched';
      /** Final URL after redirects, without credentials. */
      url: string;
      status: number;
      contentType?: string;
      body: Uint8Array;
      /** Exactly what the response sent (a future Last-Modified dropped); empty if none. */
      validators: Validators;
    };

export { isBlockedAddress } from './ssrf-guard.js';

const DEFAULTS = { connectTimeoutMs: 10_000, timeoutMs: 30_000, maxBytes: 15 * 1024 * 1024, tries: 3 };

type Attempt = { done: FetchResult } | { error: HttpError; retryable: boolean; retryAfterMs?: number };

function parseTarget(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new HttpError('bad_url', `Bad URL ${oneLine(redactUrl(url)).slice(0, 300)}`, { url: redactUrl(url), cause: error });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    const where = redactUrl(parsed);
    throw new HttpError('bad_url', `Unsupported scheme ${parsed.protocol} in ${where.slice(0, 300)}`, { url: where });
  }
  return parsed;
}

/** Userinfo becomes Basic auth (RFC 7617) so it never travels inside a URL we print. */
function basicAuth(url: URL): string | undefined {
  if (url.username === '' && url.password === '') return undefined;
  const decode = (part: string): string => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part; // a stray '%' is meant literally
    }
  };
  const pair = `${decode(url.username)}:${decode(url.password)}`;
  return `Basic ${Buffer.from(pair).toString('base64')}`;
}

export class HttpClient {
  readonly #userAgent: string;
  readonly #proxy: string | undefined;
  readonly #allowPrivate: boolean;
  readonly #retryBaseMs: number;
  readonly #maxRetryAfterMs: number;
  readonly #env: Readonly<Record<string, string | undefined>>;
  readonly #limiter: HostLimiter;
  readonly #dispatchers: DispatcherCache;
  readonly #proxies = new Map<string, ProxySpec>();

  constructor(options: HttpClientOptions = {}) {
    this.#userAgent = options.userAgent ?? defaultUserAgent();
    this.#proxy = options.proxy;
    if (options.proxy !== undefined && options.proxy !== DIRECT) parseProxy(options.proxy); // fail fast on a bad setting
    this.#allowPrivate = options.allowPrivateNetworks ?? false;
    this.#limiter = new HostLimiter(options.maxPerHost ?? 2);
    this.#retryBaseMs = options.retryBaseMs ?? 1000;
    this.#maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
    this.#env = { ...(options.env ?? process.env) };
    this.#dispatchers = new DispatcherCache(options.ca);
  }

  async fetch(url: string, options: RequestOptions = {}): Promise<FetchResult> {
    const target = parseTarget(url);
    options.signal?.throwIfAborted();
    const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
    const controller = new AbortController();
    const expire = (): void => controller.abort(new DeadlineReached());
    // First the cap on waiting in the host's queue; at the first slot the fetch's
    // own deadline starts, so our politeness never spends a slow server's time.
    let timer = setTimeout(expire, timeoutMs);
    const deadline = { at: Date.now() + timeoutMs, started: false };
    const onSlot = (): void => {
      if (deadline.started) return;
      deadline.started = true;
      deadline.at = Date.now() + timeoutMs;
      clearTimeout(timer);
      timer = setTimeout(expire, timeoutMs);
    };
    const onCallerAbort = (): void => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', onCallerAbort, { once: true });
    try {
      return await this.#fetchWithRetries(target, options, controller.signal, deadline, onSlot);
    } catch (error) {
      if (options.signal?.aborted === true) throw options.signal.reason;
      throw error;
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  async close(): Promise<void> {
    await this.#dispatchers.close();
  }

  async #fetchWithRetries(
    target: URL,
    options: RequestOptions,
    signal: AbortSignal,
    deadline: { at: number },
    onSlot: () => void,
  ): Promise<FetchResult> {
    const tries = Math.max(1, Math.floor(options.tries ?? DEFAULTS.tries));
    const ctx = this.#context(target, options, signal, onSlot);
    for (let attempt = 1; ; attempt++) {
      const result = await this.#attempt(ctx, target, attempt);
      if ('done' in result) return result.done;
      const { error } = result;
      if (!result.retryable || signal.aborted) throw error;
      const plan = planRetry({
        attempt,
        tries,
        baseMs: this.#retryBaseMs,
        retryAfterMs: result.retryAfterMs,
        maxRetryAfterMs: this.#maxRetryAfterMs,
        remainingMs: deadline.at - Date.now(),
      });
      if (!plan.retry) throw error;
      try {
        await sleep(plan.delayMs, undefined, { signal });
      } catch (abort) {
        throw transportFailure({ target, error: abort, signal, timeoutMs: ctx.timeoutMs, attempt });
      }
    }
  }

  async #attempt(ctx: AttemptContext, target: URL, attempt: number): Promise<Attempt> {
    try {
      const outcome = await followRedirects(ctx);
      if (outcome.kind === 'unchanged') return { done: { kind: 'unchanged', url: redactUrl(outcome.url) } };
      if (outcome.kind === 'fetched') return { done: { ...outcome, url: redactUrl(outcome.url) } };
      const retryAfterMs = parseRetryAfter(outcome.retryAfter, Date.now());
      return {
        error: statusFailure(target, outcome.status, outcome.url, attempt, outcome.reason),
        retryable: isRetryableStatus(outcome.status),
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      };
    } catch (error) {
      if (error instanceof HttpError) return { error, retryable: false };
      const failure = error instanceof HopFailure ? error : new HopFailure(error, ctx.start, undefined);
      const httpError = transportFailure({
        target,
        hop: failure,
        error: failure.error,
        signal: ctx.signal,
        timeoutMs: ctx.timeoutMs,
        attempt,
      });
      return { error: httpError, retryable: !ctx.signal.aborted && classifyError(failure.error).retryable };
    }
  }

  #context(target: URL, options: RequestOptions, signal: AbortSignal, onSlot: () => void): AttemptContext {
    const start = new URL(target.href);
    start.username = '';
    start.password = '';
    start.hash = '';
    const auth = basicAuth(target);
    const headers: Record<string, string> = {
      'user-agent': this.#userAgent,
      accept: '*/*',
      ...(auth !== undefined ? { authorization: auth } : {}),
      ...conditionalHeaders(options.validators),
    };
    for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
    // We can only decode what we advertise.
    headers['accept-encoding'] = ACCEPT_ENCODING;
    const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs;
    return {
      start,
      headers,
      trusted: options.trusted ?? false,
      allowPrivateNetworks: this.#allowPrivate,
      maxBytes: options.maxBytes ?? DEFAULTS.maxBytes,
      timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
      signal,
      limiter: this.#limiter,
      onSlot,
      route: (url, guarded) => this.#route(url, guarded, options.proxy, connectTimeoutMs),
    };
  }

  /** Per-request proxy, then the client's, then the environment (NO_PROXY applies to the environment only). */
  #route(url: URL, guarded: boolean, requestProxy: string | undefined, connectTimeoutMs: number): RouteChoice {
    const setting = requestProxy ?? this.#proxy ?? proxyFromEnv(url, this.#env);
    let proxy: ProxySpec | undefined;
    if (setting !== undefined && setting !== DIRECT) {
      try {
        proxy = this.#proxies.get(setting) ?? parseProxy(setting);
      } catch (error) {
        const where = redactUrl(url);
        const reason = error instanceof Error ? error.message : String(error);
        throw new HttpError('bad_url', `${reason} (fetching ${where})`, { url: where, cause: error });
      }
      this.#proxies.set(setting, proxy);
    }
    return { dispatcher: this.#dispatchers.get({ proxy, guarded, connectTimeoutMs }), proxy };
  }
}

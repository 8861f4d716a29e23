import { FeedError, HttpError, LimitError, NewsmirrorError, describeError } from '../domain/errors.js';
import type { FeedFormat, ParsedFeed } from '../domain/feed-item.js';
import type { SourceConfig } from '../config/config-schema.js';
import type { SourceState, Validators } from '../archive/state-file.js';
import type { HttpClient } from '../http/http-client.js';
import { describeNonFeed, essence, isFeedMediaType } from '../http/sniff-media-type.js';
import { readFeedHere, type ReadFeedFn } from './read-feed-task.js';
import { createHash } from 'node:crypto';
import { newsmirrorVersion } from '../http/user-agent.js';

/**
 * `warnings` of a fetch that worked: one per URL that failed before it (the
 * primary, a mirror), and what the body's decoding resolved.
 */
export type FeedFetch =
  | { kind: 'unchanged'; url: string; warnings: string[]; /** The server answered 304 (else: the same body as last time). */ notModified?: true }
  | { kind: 'feed'; url: string; feed: ParsedFeed; validators: Validators; encoding: string; lossy: boolean; fingerprint: string; warnings: string[] }
  | { kind: 'failed'; url: string; code: string; message: string };

const FORMAT_NAMES: Record<FeedFormat, string> = { rss: 'RSS', atom: 'Atom', rdf: 'RSS 1.0 (RDF)', json: 'JSON Feed' };

/** Request limits: the config's global values, which a source's own override. */
export interface FetchSettings {
  userAgent?: string | undefined;
  proxy?: string | undefined;
  timeoutMs?: number | undefined;
  connectTimeoutMs?: number | undefined;
  maxBytes?: number | undefined;
  tries?: number | undefined;
}

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A feed request's headers and limits: the source's settings over the config's. */
function requestOptions(source: SourceConfig, settings: FetchSettings) {
  const headers: Record<string, string> = { ...source.headers };
  const userAgent = source.userAgent ?? settings.userAgent;
  if (userAgent !== undefined) headers['user-agent'] = userAgent;
  return {
    headers,
    ...defined({
      proxy: source.proxy ?? settings.proxy,
      timeoutMs: source.timeoutMs ?? settings.timeoutMs,
      connectTimeoutMs: source.connectTimeoutMs ?? settings.connectTimeoutMs,
      maxBytes: source.maxBytes ?? settings.maxBytes,
      tries: source.tries ?? settings.tries,
    }),
  };
}

/** The primary and its mirrors, starting with the one that worked last time. */
export function feedUrls(source: SourceConfig, state: SourceState | undefined): string[] {
  const all = [source.url, ...source.mirrors];
  const last = state?.url;
  return last !== undefined && all.includes(last) ? [last, ...all.filter((u) => u !== last)] : all;
}

function errorCode(error: unknown): string {
  if (error instanceof HttpError && error.code === 'http_status' && error.status !== undefined) return `http_${error.status}`;
  if (error instanceof NewsmirrorError) return error.code;
  return 'error';
}

/**
 * Identifies a feed body together with what newsmirror would make of it:
 * the same bytes read with the same source settings and the same version
 * give the same items, so they need not be parsed again.
 */
function fingerprint(body: Uint8Array, source: SourceConfig, maxFeedItems: number | undefined): string {
  return createHash('sha256').update(`${newsmirrorVersion()}\0${JSON.stringify(source)}\0${maxFeedItems ?? ''}\0`).update(body).digest('hex');
}

/**
 * What a URL that failed before `used` worked says in the source's warnings:
 * the run succeeds, but the primary (or a mirror) is broken, and nobody would
 * know. The same URL's failures on later runs are said again only when it is
 * tried again, which is when the one in use fails (feedUrls).
 */
function fallbackWarning(failure: { url: string; code: string; message: string }, used: string, source: SourceConfig): string {
  const prefix = `${failure.url}: `;
  const reason = failure.message.startsWith(prefix) ? failure.message.slice(prefix.length) : failure.message;
  return `${failure.url}: [${failure.code}] ${reason}; used ${used === source.url ? 'the primary' : 'mirror'} ${used}`;
}

/**
 * Fetches and reads one source's feed, trying its mirrors in order when the
 * one in use fails (network error, bad status, not a feed), with a warning
 * for each URL that failed. A 304 to a conditional GET is "unchanged", never an
 * error (to an unconditional one it is: http-client). A configured feed URL's
 * origin is trusted (no SSRF guard). `fetching` hears each URL as it is tried.
 */
export async function fetchFeed(
  http: HttpClient,
  source: SourceConfig,
  state: SourceState | undefined,
  settings: FetchSettings,
  lastFingerprint?: string,
  fetching?: (url: string) => void,
  reading: { read?: ReadFeedFn | undefined; deadline?: AbortSignal | undefined; maxFeedItems?: number | undefined } = {},
): Promise<FeedFetch> {
  const { read = readFeedHere, deadline, maxFeedItems } = reading;
  const failures: { url: string; code: string; message: string }[] = [];
  // The first well-formed but empty feed: what the source reads when no other URL has items.
  let empty: FeedFetch | undefined;
  for (const url of feedUrls(source, state)) {
    // Past the source's deadline no mirror is tried: the source fails as too_slow (run-source.ts).
    if (deadline?.aborted) {
      failures.push({ url, code: 'too_slow', message: `${url}: not tried, the source's deadline had passed` });
      break;
    }
    const warnings = failures.map((failure) => fallbackWarning(failure, url, source));
    fetching?.(url);
    try {
      const result = await http.fetch(url, { ...requestOptions(source, settings), validators: state?.validators?.[url] ?? {}, trusted: true, signal: deadline });
      if (result.kind === 'unchanged') return { kind: 'unchanged', url, warnings, notModified: true };
      const print = fingerprint(result.body, source, maxFeedItems);
      if (print === lastFingerprint) return { kind: 'unchanged', url, warnings };
      const binary = describeNonFeed(result.body, result.contentType);
      if (binary !== undefined) throw new FeedError('not_a_feed', `${url}: not a feed (${binary})`);
      // Decoding and reading are CPU work on hostile bytes: on a thread, given up at the deadline.
      const task = { kind: 'feed' as const, body: result.body, contentType: result.contentType, url: result.url, maxItems: source.maxItems, maxFeedItems };
      const { feed, encoding, conflict, lossy, heldItems } = await read(task, deadline);
      if (heldItems !== undefined) {
        const left = heldItems - feed.items.length;
        warnings.push(`${url}: the feed holds ${heldItems} items, over maxFeedItems (${feed.items.length}): the newest ${feed.items.length} by date are read, the ${left} older ones left out`);
      }
      if (conflict !== undefined) warnings.push(`${url}: ${conflict}`);
      if (!isFeedMediaType(result.contentType)) warnings.push(`${url}: served as ${essence(result.contentType)}, not a feed type; read as ${FORMAT_NAMES[feed.format]} by its content`);
      const fetched: FeedFetch = { kind: 'feed', url, feed, validators: result.validators, encoding, lossy, fingerprint: print, warnings };
      if (feed.items.length > 0) return fetched;
      // Not a failure, but no reason to leave the mirrors untried: a domain taken over can serve an
      // empty channel as well as an error, and an empty feed was a failure that fell to them.
      const message = `${url}: 0 items: the feed is well-formed but empty`;
      warnings.push(`${message} (not failing; status shows it)`);
      empty ??= fetched;
      failures.push({ url, code: 'empty', message });
      continue;
    } catch (error) {
      const message = error instanceof LimitError ? `${url}: reading the feed: ${describeError(error)}` : describeError(error);
      failures.push({ url, code: deadline?.aborted ? 'too_slow' : errorCode(error), message });
    }
  }
  if (empty !== undefined) return empty;
  const [first] = failures;
  const others = failures.length > 1 ? ` (${failures.length - 1} mirror${failures.length > 2 ? 's' : ''} also failed)` : '';
  return {
    kind: 'failed',
    url: first?.url ?? source.url,
    code: first?.code ?? 'error',
    message: `${first?.message ?? 'no URL to fetch'}${others}`,
  };
}

import { FeedError, LimitError, NewsmirrorError, type FeedErrorCode } from '../domain/errors.js';
import type { ParsedFeed } from '../domain/feed-item.js';
import { decodeBody } from '../http/decode-body.js';
import { readFeed } from '../feeds/read-feed.js';
import { newestInFeed } from '../domain/caps.js';

/** A fetched feed body to decode and read (on a thread of the CleanPool, or here). */
export interface FeedTask {
  kind: 'feed';
  body: Uint8Array;
  contentType: string | undefined;
  url: string;
  /** The source's maxItems: only the first this many items of the document are read. */
  maxItems?: number | undefined;
  /** Then at most this many, the newest by date (maxFeedItems, caps.ts). */
  maxFeedItems?: number | undefined;
}

export interface ReadFeedResult {
  feed: ParsedFeed;
  /** Items the document held, where maxFeedItems left some out (feed.items holds the newest). */
  heldItems?: number;
  encoding: string;
  /** What the body's decoding resolved against its declarations (decodeBody). */
  conflict: string | undefined;
  /** Some bytes could not be decoded (U+FFFD): titles holding one are refused (run-source.ts). */
  lossy: boolean;
}

/** Reads a feed task; `signal` gives it up (its source's deadline). */
export type ReadFeedFn = (task: FeedTask, signal?: AbortSignal) => ReadFeedResult | Promise<ReadFeedResult>;

/** An error as a thread passes it on: its class is lost in a message, so it travels as its parts. */
export interface WorkerError {
  name: string;
  code: string | undefined;
  message: string;
}

/**
 * Decodes and reads a feed, and takes from it only the items the run may
 * use: on a thread, the others are never copied to the main thread, which
 * a feed of 150,000 items kept busy for seconds with look-ups.
 */
export function readFeedHere(task: FeedTask): ReadFeedResult {
  const decoded = decodeBody(task.body, task.contentType);
  const feed = readFeed(decoded.text, { url: task.url });
  const inOrder = task.maxItems === undefined ? feed.items : feed.items.slice(0, task.maxItems);
  const items = task.maxFeedItems === undefined ? inOrder : newestInFeed(inOrder, task.maxFeedItems);
  const result: ReadFeedResult = { feed: { ...feed, items }, encoding: decoded.encoding, conflict: decoded.conflict, lossy: decoded.lossy };
  if (items.length < inOrder.length) result.heldItems = inOrder.length;
  return result;
}

export function toWorkerError(error: unknown): WorkerError {
  if (error instanceof Error) return { name: error.name, code: error instanceof NewsmirrorError ? error.code : undefined, message: error.message };
  return { name: 'Error', code: undefined, message: String(error) };
}

/** The error a thread passed on, as its class again, so callers can branch on code. */
export function rebuildError(error: WorkerError): Error {
  if (error.name === 'FeedError') return new FeedError(error.code as FeedErrorCode, error.message);
  if (error.name === 'LimitError') return new LimitError(error.code as 'too_slow' | 'too_large', error.message);
  if (error.code !== undefined) return new NewsmirrorError(error.code, error.message);
  return new Error(error.message);
}

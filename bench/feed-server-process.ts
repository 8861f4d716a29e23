/*
 * Child process that serves generated feeds on 127.0.0.1 for the run,
 * rerun and continue benchmarks. It lives in its own process so that the
 * corpus it holds (tens of MB of XML) and the CPU it spends answering stay
 * out of the archiver's peak RSS and profile. Driven over IPC by
 * feed-server-handle.ts.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { benchFeeds, renderBenchFeed, type FeedWindow } from './corpus/feed-set.js';

export type FeedServerRequest =
  | { type: 'serve'; seed: number; windows: FeedWindow[] }
  | { type: 'validators'; honour: boolean }
  | { type: 'stop' };

export type FeedServerReply =
  | { type: 'ready'; url: string; feeds: number; items: number; bytes: number }
  | { type: 'ok'; hits: number }
  | { type: 'error'; message: string };

const LAST_MODIFIED = 'Wed, 01 Jan 2025 00:00:00 GMT';

let honourValidators = true;
const server = new LocalFeedServer();

function feedHandler(body: Uint8Array, contentType: string): (req: IncomingMessage, res: ServerResponse) => void {
  const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
  return (req, res) => {
    if (!honourValidators) {
      res.writeHead(200, { 'content-type': contentType, 'content-length': body.length }).end(body);
    } else if (req.headers['if-none-match'] === etag) {
      // RFC 9110 §13.1.2: a matching If-None-Match on a GET answers 304 Not Modified.
      res.writeHead(304, { etag }).end();
    } else {
      res.writeHead(200, { 'content-type': contentType, 'content-length': body.length, etag, 'last-modified': LAST_MODIFIED }).end(body);
    }
  };
}

function totalHits(): number {
  return [...server.hits.values()].reduce((n, h) => n + h, 0);
}

async function handle(message: FeedServerRequest): Promise<FeedServerReply | undefined> {
  switch (message.type) {
    case 'serve': {
      if (!server.url) await server.start();
      server.routes.clear();
      const feeds = benchFeeds(message.windows.length);
      let items = 0;
      let bytes = 0;
      for (const [i, feed] of feeds.entries()) {
        const rendered = renderBenchFeed(message.seed, feed, message.windows[i]!);
        server.routes.set(feed.path, feedHandler(rendered.bytes, rendered.contentType));
        items += rendered.items;
        bytes += rendered.bytes.length;
      }
      return { type: 'ready', url: server.url, feeds: feeds.length, items, bytes };
    }
    case 'validators':
      honourValidators = message.honour;
      return { type: 'ok', hits: totalHits() };
    case 'stop':
      process.disconnect?.();
      return undefined;
  }
}

// A parent that dies without saying stop must not leave a server listening.
process.on('disconnect', () => void server.stop().finally(() => process.exit(0)));

process.on('message', (message: FeedServerRequest) => {
  handle(message).then(
    (reply) => reply && process.send?.(reply),
    (error: unknown) => process.send?.({ type: 'error', message: String(error) } satisfies FeedServerReply),
  );
});

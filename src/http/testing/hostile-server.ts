import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import zlib from 'node:zlib';

/**
 * A real HTTP server on 127.0.0.1 that misbehaves the ways news sites do.
 * Every path counts its hits; `/slow-*` paths count concurrency too.
 */
export interface HostileServer {
  origin: string;
  url(path: string): string;
  hits(path: string): number;
  /** Highest number of requests the server was handling at the same time since the last reset. */
  maxConcurrent: number;
  resetConcurrency(): void;
  /** Request headers of the last hit on each path. */
  lastHeaders(path: string): IncomingMessage['headers'] | undefined;
  close(): Promise<void>;
}

export const FEED = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>新聞</title></channel></rss>';

type Handler = (req: IncomingMessage, res: ServerResponse, hit: number) => void;

function text(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(body);
}

function drip(res: ServerResponse, intervalMs: number): void {
  res.writeHead(200, { 'content-type': 'application/rss+xml' });
  const timer = setInterval(() => res.write('x'), intervalMs);
  res.on('close', () => clearInterval(timer));
}

function endless(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/octet-stream' });
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  const pump = (): void => {
    while (!res.destroyed && res.write(chunk));
    if (!res.destroyed) res.once('drain', pump);
  };
  pump();
}

function resetMidBody(req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-length': '100000' });
  res.write(Buffer.alloc(1000, 0x62), () => {
    (req.socket as Socket).resetAndDestroy();
  });
}

/** 64 MiB of zeros: about 64 KiB gzipped, built once. */
let bomb: Buffer | undefined;
function gzipBomb(): Buffer {
  bomb ??= zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
  return bomb;
}

function routes(base: () => string): Record<string, Handler> {
  return {
    '/ok': (_req, res) => text(res, 200, FEED, { 'content-type': 'application/rss+xml; charset=utf-8' }),
    '/echo': (req, res) => text(res, 200, JSON.stringify(req.headers), { 'content-type': 'application/json' }),
    '/drip': (_req, res) => drip(res, 1000),
    '/hang': () => undefined, // never answers
    '/endless': (_req, res) => endless(res),
    '/big-declared': (_req, res) => {
      res.writeHead(200, { 'content-length': String(50 * 1024 * 1024) });
      res.write('a');
    },
    '/bomb': (_req, res) => {
      const body = gzipBomb();
      res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip', 'content-length': String(body.length) });
      res.end(body);
    },
    '/gzip': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' });
      res.end(zlib.gzipSync(FEED));
    },
    '/br': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'br' });
      res.end(zlib.brotliCompressSync(FEED));
    },
    '/deflate': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'deflate' });
      res.end(zlib.deflateSync(FEED));
    },
    '/loop-a': (_req, res) => text(res, 302, '', { location: '/loop-b' }),
    '/loop-b': (_req, res) => text(res, 301, '', { location: `${base()}/loop-a` }),
    '/to-ok': (_req, res) => text(res, 307, '', { location: '/ok#fragment' }),
    '/redirect': (req, res) => {
      const to = new URL(req.url ?? '/', base()).searchParams.get('to') ?? '/ok';
      text(res, 302, '', { location: to });
    },
    '/chain': (req, res) => {
      const n = Number(new URL(req.url ?? '/', base()).searchParams.get('n') ?? '0');
      if (n <= 0) text(res, 200, 'end of chain');
      else text(res, 302, '', { location: `/chain?n=${n - 1}` });
    },
    '/conditional': (req, res) => {
      const headers = { etag: '"v1"', 'last-modified': 'Sun, 01 Mar 2026 10:00:00 GMT' };
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304, headers);
        res.end();
      } else text(res, 200, FEED, headers);
    },
    '/always-304': (_req, res) => {
      res.writeHead(304);
      res.end();
    },
    '/future-lm': (_req, res) =>
      text(res, 200, FEED, { etag: '"f"', 'last-modified': new Date(Date.now() + 365 * 86_400_000).toUTCString() }),
    '/429-then-ok': (_req, res, hit) =>
      hit === 1 ? text(res, 429, 'slow down', { 'retry-after': '1' }) : text(res, 200, FEED),
    '/429-long': (_req, res) => text(res, 429, 'come back tomorrow', { 'retry-after': '86400' }),
    '/503-then-ok': (_req, res, hit) => (hit === 1 ? text(res, 503, 'busy') : text(res, 200, FEED)),
    '/503': (_req, res) => text(res, 503, 'down'),
    '/404': (_req, res) => text(res, 404, 'not here'),
    '/reset': (req, res) => resetMidBody(req, res),
    '/wrong-type': (_req, res) => text(res, 200, FEED, { 'content-type': 'image/png' }),
    '/slow-a': (_req, res) => setTimeout(() => text(res, 200, 'a'), 150),
    '/slow-b': (_req, res) => setTimeout(() => text(res, 200, 'b'), 150),
    '/slow-600': (_req, res) => setTimeout(() => text(res, 200, 'c'), 600),
  };
}

/** Start the server on 127.0.0.1, port 0. */
export async function startHostileServer(): Promise<HostileServer> {
  const hits = new Map<string, number>();
  const headers = new Map<string, IncomingMessage['headers']>();
  let active = 0;
  let origin = '';
  const table = routes(() => origin);
  const state = { maxConcurrent: 0 };
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', origin).pathname;
    const hit = (hits.get(path) ?? 0) + 1;
    hits.set(path, hit);
    headers.set(path, req.headers);
    active += 1;
    state.maxConcurrent = Math.max(state.maxConcurrent, active);
    res.on('close', () => {
      active -= 1;
    });
    const handler = table[path];
    if (handler === undefined) text(res, 404, 'no such route');
    else handler(req, res, hit);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (path) => `${origin}${path}`,
    hits: (path) => hits.get(path) ?? 0,
    get maxConcurrent() {
      return state.maxConcurrent;
    },
    resetConcurrency: () => {
      state.maxConcurrent = active;
    },
    lastHeaders: (path) => headers.get(path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

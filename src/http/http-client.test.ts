import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '../domain/errors.js';
import { HttpClient } from './http-client.js';
import type { FetchResult, RequestOptions } from './http-client.js';
import { FEED, startHostileServer } from './testing/hostile-server.js';
import type { HostileServer } from './testing/hostile-server.js';

let server: HostileServer;
let client: HttpClient;
const fast: RequestOptions = { timeoutMs: 1500, connectTimeoutMs: 1000 };

beforeAll(async () => {
  server = await startHostileServer();
  client = new HttpClient({ allowPrivateNetworks: true, retryBaseMs: 10, env: {} });
});
afterAll(async () => {
  await client.close();
  await server.close();
});

async function failure(promise: Promise<unknown>): Promise<HttpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HttpError);
  const httpError = error as HttpError;
  expect(httpError.message).not.toMatch(/[\r\n]/);
  return httpError;
}

function fetched(result: FetchResult): Extract<FetchResult, { kind: 'fetched' }> {
  if (result.kind !== 'fetched') throw new Error(`expected fetched, got ${result.kind}`);
  return result;
}

describe('HttpClient basics', () => {
  it('fetches a body with its type, status and final URL', async () => {
    const result = fetched(await client.fetch(server.url('/ok'), fast));
    expect(new TextDecoder().decode(result.body)).toBe(FEED);
    expect(result.status).toBe(200);
    expect(result.contentType).toBe('application/rss+xml; charset=utf-8');
    expect(result.url).toBe(server.url('/ok'));
  });

  it('names newsmirror and its version in the User-Agent, and lets a source override it', async () => {
    await client.fetch(server.url('/echo'), fast);
    expect(server.lastHeaders('/echo')?.['user-agent']).toMatch(/^newsmirror\/\d+\.\d+\.\d+ \(\+https:\/\/github\.com\/newsmirror\)$/);
    await client.fetch(server.url('/echo'), { ...fast, headers: { 'User-Agent': 'Mozilla/5.0 test', Referer: 'https://x.example/' } });
    expect(server.lastHeaders('/echo')?.['user-agent']).toBe('Mozilla/5.0 test');
    expect(server.lastHeaders('/echo')?.referer).toBe('https://x.example/');
    expect(server.lastHeaders('/echo')?.['accept-encoding']).toBe('gzip, deflate, br');
  });

  it.each(['/gzip', '/br', '/deflate'])('decodes %s', async (path) => {
    const result = fetched(await client.fetch(server.url(path), fast));
    expect(new TextDecoder().decode(result.body)).toBe(FEED);
  });

  it('returns the bytes of a wrong Content-Type: the caller decides', async () => {
    const result = fetched(await client.fetch(server.url('/wrong-type'), fast));
    expect(result.contentType).toBe('image/png');
    expect(new TextDecoder().decode(result.body)).toBe(FEED);
  });

  it('sends URL credentials as Basic auth and keeps them out of the result URL', async () => {
    const withAuth = server.url('/echo').replace('http://', 'http://alice:s%40cret@');
    const result = fetched(await client.fetch(withAuth, fast));
    expect(result.url).toBe(server.url('/echo'));
    const sent = server.lastHeaders('/echo')?.authorization;
    expect(sent).toBe(`Basic ${Buffer.from('alice:s@cret').toString('base64')}`);
  });

  it.each([
    ['not a url', 'bad_url'],
    ['ftp://example.com/feed', 'bad_url'],
    ['file:///etc/passwd', 'bad_url'],
  ])('refuses %s with %s', async (url, code) => {
    const error = await failure(client.fetch(url, fast));
    expect(error.code).toBe(code);
  });
});

describe('conditional GET', () => {
  it('returns validators, then unchanged when they match', async () => {
    const first = fetched(await client.fetch(server.url('/conditional'), fast));
    expect(first.validators).toEqual({ etag: '"v1"', lastModified: 'Sun, 01 Mar 2026 10:00:00 GMT' });
    const second = await client.fetch(server.url('/conditional'), { ...fast, validators: first.validators });
    expect(second).toEqual({ kind: 'unchanged', url: server.url('/conditional') });
    expect(server.lastHeaders('/conditional')?.['if-none-match']).toBe('"v1"');
    expect(server.lastHeaders('/conditional')?.['if-modified-since']).toBe('Sun, 01 Mar 2026 10:00:00 GMT');
  });

  it('takes a 304 to a request without any validator for an error: there is nothing to read, and nothing unchanged', async () => {
    const error = await client.fetch(server.url('/always-304'), fast).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).code).toBe('http_status');
    expect((error as HttpError).status).toBe(304);
    expect((error as HttpError).message).toMatch(/HTTP 304 from .*\/always-304.*: Not Modified to a request without validators/);
    expect(server.lastHeaders('/always-304')?.['if-none-match']).toBeUndefined();
  });

  it('does not send a Last-Modified dated in the future as If-Modified-Since (it could freeze the feed), but sends the ETag', async () => {
    await client.fetch(server.url('/conditional'), { ...fast, validators: { etag: '"v1"', lastModified: 'Fri, 01 Jan 2100 00:00:00 GMT' } });
    expect(server.lastHeaders('/conditional')?.['if-modified-since']).toBeUndefined();
    expect(server.lastHeaders('/conditional')?.['if-none-match']).toBe('"v1"');
  });

  it('drops a Last-Modified in the future but keeps the ETag', async () => {
    expect(fetched(await client.fetch(server.url('/future-lm'), fast)).validators).toEqual({ etag: '"f"' });
  });
});

describe('limits', () => {
  it('ends a slow drip at the deadline', async () => {
    const error = await failure(client.fetch(server.url('/drip'), { ...fast, tries: 3 }));
    expect(error.code).toBe('timeout');
    expect(error.message).toContain(server.url('/drip'));
    expect(server.hits('/drip')).toBe(1); // the deadline covers retries too
  });

  it('times out a server that never answers', async () => {
    expect((await failure(client.fetch(server.url('/hang'), { timeoutMs: 500 }))).code).toBe('timeout');
  });

  it('stops an endless body at maxBytes', async () => {
    const error = await failure(client.fetch(server.url('/endless'), { ...fast, maxBytes: 1 << 20 }));
    expect(error.code).toBe('too_large');
  });

  it('refuses a declared Content-Length over the cap before reading', async () => {
    expect((await failure(client.fetch(server.url('/big-declared'), { ...fast, maxBytes: 1 << 20 }))).code).toBe('too_large');
  });

  it('stops a gzip bomb at maxBytes counted after decompression', async () => {
    const error = await failure(client.fetch(server.url('/bomb'), { ...fast, maxBytes: 1 << 20 }));
    expect(error.code).toBe('too_large');
    expect(error.message).toContain('after decompression');
  });
});

describe('redirects', () => {
  it('follows a redirect and reports the final URL without the fragment', async () => {
    expect(fetched(await client.fetch(server.url('/to-ok'), fast)).url).toBe(server.url('/ok'));
  });

  it('detects a redirect loop', async () => {
    const error = await failure(client.fetch(server.url('/loop-a'), fast));
    expect(error.code).toBe('redirect');
    expect(error.message).toMatch(/loop/);
  });

  it('follows five redirects but not six', async () => {
    expect(fetched(await client.fetch(server.url('/chain?n=5'), fast)).status).toBe(200);
    expect((await failure(client.fetch(server.url('/chain?n=6'), fast))).code).toBe('redirect');
  });

  it('refuses a redirect to another scheme', async () => {
    const to = encodeURIComponent('file:///etc/passwd');
    expect((await failure(client.fetch(server.url(`/redirect?to=${to}`), fast))).code).toBe('bad_url');
  });

  it('does not carry Cookie or Authorization to another origin', async () => {
    const other = server.url('/echo').replace('127.0.0.1', 'localhost');
    await client.fetch(server.url(`/redirect?to=${encodeURIComponent(other)}`), {
      ...fast,
      headers: { Cookie: 'session=1', Referer: 'https://r.example/' },
    });
    const seen = server.lastHeaders('/echo');
    expect(seen?.cookie).toBeUndefined();
    expect(seen?.referer).toBe('https://r.example/');
  });
});

describe('retries', () => {
  it('honours a small Retry-After on 429, then succeeds', async () => {
    expect(fetched(await client.fetch(server.url('/429-then-ok'), { timeoutMs: 5000 })).status).toBe(200);
    expect(server.hits('/429-then-ok')).toBe(2);
  });

  it('gives up when Retry-After exceeds the cap instead of retrying early', async () => {
    const error = await failure(client.fetch(server.url('/429-long'), fast));
    expect(error.code).toBe('http_status');
    expect(error.status).toBe(429);
    expect(server.hits('/429-long')).toBe(1);
  });

  it('retries a 503, then succeeds', async () => {
    expect(fetched(await client.fetch(server.url('/503-then-ok'), fast)).status).toBe(200);
    expect(server.hits('/503-then-ok')).toBe(2);
  });

  it('reports a persistent 503 after all tries', async () => {
    const error = await failure(client.fetch(server.url('/503'), { ...fast, tries: 3 }));
    expect(error.status).toBe(503);
    expect(error.message).toContain('after 3 tries');
    expect(server.hits('/503')).toBe(3);
  });

  it('does not retry a 404', async () => {
    const error = await failure(client.fetch(server.url('/404'), { ...fast, tries: 3 }));
    expect(error.code).toBe('http_status');
    expect(error.status).toBe(404);
    expect(server.hits('/404')).toBe(1);
  });

  it('reports a connection reset mid-body as network, after retrying', async () => {
    const error = await failure(client.fetch(server.url('/reset'), { ...fast, tries: 2 }));
    expect(error.code).toBe('network');
    expect(server.hits('/reset')).toBe(2);
  });

  it('reports a refused connection as network', async () => {
    const error = await failure(client.fetch('http://127.0.0.1:1/feed', { ...fast, tries: 1 }));
    expect(error.code).toBe('network');
    expect(error.message).toContain('http://127.0.0.1:1/feed');
  });

  it('reports an unknown host as dns', async () => {
    const error = await failure(client.fetch('http://no-such-host.invalid/feed', { ...fast, tries: 1 }));
    expect(error.code).toBe('dns');
  });
});

describe('concurrency', () => {
  it('keeps at most maxPerHost requests in flight per host', async () => {
    const limited = new HttpClient({ allowPrivateNetworks: true, maxPerHost: 2, env: {} });
    try {
      const before = server.hits('/slow-a');
      server.resetConcurrency();
      await Promise.all(Array.from({ length: 6 }, () => limited.fetch(server.url('/slow-a'), { timeoutMs: 5000 })));
      expect(server.hits('/slow-a') - before).toBe(6);
      expect(server.maxConcurrent).toBe(2);
    } finally {
      await limited.close();
    }
  });

  it('lets different hosts proceed side by side', async () => {
    const limited = new HttpClient({ allowPrivateNetworks: true, maxPerHost: 1, env: {} });
    try {
      server.resetConcurrency();
      // 127.0.0.1 and localhost are different host names for the limiter.
      await Promise.all([
        limited.fetch(server.url('/slow-a'), { timeoutMs: 5000 }),
        limited.fetch(server.url('/slow-b').replace('127.0.0.1', 'localhost'), { timeoutMs: 5000 }),
      ]);
      expect(server.maxConcurrent).toBe(2);
    } finally {
      await limited.close();
    }
  });

  it('does not count the wait for a host slot against a request: queued requests to a slow host still succeed', async () => {
    const limited = new HttpClient({ allowPrivateNetworks: true, maxPerHost: 1, env: {} });
    try {
      // Three 600 ms answers one at a time: the third waits ~1.2 s for its slot, then takes 0.6 s.
      const results = await Promise.all(Array.from({ length: 3 }, () => limited.fetch(server.url('/slow-600'), { timeoutMs: 1500, tries: 1 })));
      expect(results.map((r) => r.kind)).toEqual(['fetched', 'fetched', 'fetched']);
    } finally {
      await limited.close();
    }
  });

  it('gives up on a request that waited a whole timeout for its slot, as a timeout', async () => {
    const limited = new HttpClient({ allowPrivateNetworks: true, maxPerHost: 1, env: {} });
    try {
      const [first, queued] = await Promise.all([
        failure(limited.fetch(server.url('/hang'), { timeoutMs: 300, tries: 1 })),
        failure(limited.fetch(server.url('/hang'), { timeoutMs: 300, tries: 1 })),
      ]);
      expect(first.code).toBe('timeout');
      expect(queued.code).toBe('timeout');
      expect(queued.message).toContain('/hang');
    } finally {
      await limited.close();
    }
  });

  it('aborts when the caller signal fires, with the caller reason', async () => {
    const controller = new AbortController();
    const pending = client.fetch(server.url('/hang'), { signal: controller.signal, timeoutMs: 5000 });
    controller.abort(new Error('run cancelled'));
    await expect(pending).rejects.toThrow('run cancelled');
  });
});

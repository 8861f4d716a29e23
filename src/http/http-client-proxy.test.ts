import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '../domain/errors.js';
import { HttpClient } from './http-client.js';
import type { HttpClientOptions } from './http-client.js';
import { startConnectProxy } from './testing/connect-proxy.js';
import type { ConnectProxy } from './testing/connect-proxy.js';
import { startHostileServer } from './testing/hostile-server.js';
import type { HostileServer } from './testing/hostile-server.js';
import { startSocks5Proxy } from './testing/socks5-proxy.js';
import type { Socks5Proxy } from './testing/socks5-proxy.js';

let server: HostileServer;
let httpProxy: ConnectProxy;
let socks: Socks5Proxy;
let socksWithAuth: Socks5Proxy;
const fast = { timeoutMs: 3000, connectTimeoutMs: 1000, tries: 1 };
const clients: HttpClient[] = [];

beforeAll(async () => {
  server = await startHostileServer();
  httpProxy = await startConnectProxy();
  socks = await startSocks5Proxy();
  socksWithAuth = await startSocks5Proxy('alice:s3cret');
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all([server.close(), httpProxy.close(), socks.close(), socksWithAuth.close()]);
});

/** Proxies under test run on 127.0.0.1 too, so these clients allow private networks. */
function clientWith(options: HttpClientOptions): HttpClient {
  const client = new HttpClient({ allowPrivateNetworks: true, env: {}, ...options });
  clients.push(client);
  return client;
}

function hostPort(): string {
  return new URL(server.origin).host;
}

async function failure(promise: Promise<unknown>): Promise<HttpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HttpError);
  return error as HttpError;
}

describe('HTTP CONNECT proxy', () => {
  it('carries a request set in the client options', async () => {
    const result = await clientWith({ proxy: httpProxy.url }).fetch(server.url('/ok'), fast);
    expect(result.kind).toBe('fetched');
    expect(httpProxy.tunnels).toContain(hostPort());
  });

  it('carries a request set per request, and "direct" bypasses it', async () => {
    const client = clientWith({});
    const before = httpProxy.tunnels.length;
    await client.fetch(server.url('/ok'), { ...fast, proxy: httpProxy.url });
    expect(httpProxy.tunnels.length).toBe(before + 1);
    await clientWith({ proxy: httpProxy.url }).fetch(server.url('/ok'), { ...fast, proxy: 'direct' });
    expect(httpProxy.tunnels.length).toBe(before + 1);
  });

  it('sends proxy credentials as Proxy-Authorization and never prints them', async () => {
    const withAuth = httpProxy.url.replace('http://', 'http://bob:pr0xypass@');
    const client = clientWith({ proxy: withAuth });
    await client.fetch(server.url('/ok'), fast);
    expect(httpProxy.authorizations.at(-1)).toBe(`Basic ${Buffer.from('bob:pr0xypass').toString('base64')}`);
    const error = await failure(client.fetch('http://127.0.0.1:1/feed', fast));
    expect(error.code).toBe('network');
    expect(error.message).toContain(`via proxy ${httpProxy.url}`);
    expect(`${error.message} ${error.url}`).not.toContain('pr0xypass');
  });

  it.each(['502', 'hang-up'] as const)(
    'fails fast as network, dialling once, when the proxy answers a refused target with %s',
    async (behaviour) => {
      const proxy = await startConnectProxy(behaviour);
      try {
        const error = await failure(clientWith({ proxy: proxy.url }).fetch('http://127.0.0.1:1/feed', fast));
        expect(error.code).toBe('network');
        expect(proxy.tunnels).toEqual(['127.0.0.1:1']);
      } finally {
        await proxy.close();
      }
    },
  );

  it('is taken from HTTP_PROXY, and NO_PROXY is honoured', async () => {
    const before = httpProxy.tunnels.length;
    await clientWith({ env: { HTTP_PROXY: httpProxy.url } }).fetch(server.url('/ok'), fast);
    expect(httpProxy.tunnels.length).toBe(before + 1);
    const bypass = clientWith({ env: { HTTP_PROXY: httpProxy.url, NO_PROXY: 'example.com, 127.0.0.1' } });
    expect((await bypass.fetch(server.url('/ok'), fast)).kind).toBe('fetched');
    expect(httpProxy.tunnels.length).toBe(before + 1);
  });

  it('reads process.env by default', async () => {
    const saved = { ...process.env };
    process.env.HTTP_PROXY = httpProxy.url;
    delete process.env.http_proxy;
    delete process.env.NO_PROXY;
    delete process.env.no_proxy;
    try {
      const before = httpProxy.tunnels.length;
      const client = new HttpClient({ allowPrivateNetworks: true });
      clients.push(client);
      await client.fetch(server.url('/ok'), fast);
      expect(httpProxy.tunnels.length).toBe(before + 1);
    } finally {
      process.env = saved;
    }
  });
});

describe('SOCKS5 proxy', () => {
  it('socks5h:// lets the proxy resolve the name', async () => {
    const url = server.url('/ok').replace('127.0.0.1', 'localhost');
    expect((await clientWith({ proxy: socks.url('socks5h') }).fetch(url, fast)).kind).toBe('fetched');
    expect(socks.requests.at(-1)).toEqual({ addressType: 'domain', host: 'localhost', port: Number(new URL(url).port) });
  });

  it('socks5:// resolves locally and sends the address', async () => {
    const url = server.url('/ok').replace('127.0.0.1', 'localhost');
    expect((await clientWith({ proxy: socks.url('socks5') }).fetch(url, fast)).kind).toBe('fetched');
    expect(socks.requests.at(-1)?.addressType).toMatch(/ipv4|ipv6/);
  });

  it('is taken from ALL_PROXY', async () => {
    const before = socks.requests.length;
    await clientWith({ env: { ALL_PROXY: socks.url('socks5h') } }).fetch(server.url('/ok'), fast);
    expect(socks.requests.length).toBe(before + 1);
  });

  it('authenticates with user and password (RFC 1929)', async () => {
    const client = clientWith({ proxy: socksWithAuth.url('socks5h', 'alice:s3cret') });
    expect((await client.fetch(server.url('/ok'), fast)).kind).toBe('fetched');
    expect(socksWithAuth.requests.length).toBe(1);
  });

  it('reports refused authentication as network, without the password', async () => {
    const client = clientWith({ proxy: socksWithAuth.url('socks5h', 'alice:wrongpass') });
    const error = await failure(client.fetch(server.url('/ok'), fast));
    expect(error.code).toBe('network');
    expect(error.message).toContain('via proxy socks5h://127.0.0.1');
    expect(error.message).not.toContain('wrongpass');
  });

  it('keeps the guard on with socks5:// (local resolution), before dialling the proxy', async () => {
    const before = socks.requests.length;
    const client = new HttpClient({ proxy: socks.url('socks5'), env: {} });
    clients.push(client);
    const error = await failure(client.fetch(server.url('/ok').replace('127.0.0.1', 'localhost'), fast));
    expect(error.code).toBe('blocked');
    expect(socks.requests.length).toBe(before);
  });

  it('refuses an unsupported proxy scheme at construction', () => {
    expect(() => new HttpClient({ proxy: 'socks4://127.0.0.1:1080' })).toThrow(HttpError);
  });
});

describe('a bad per-request proxy', () => {
  it('fails with bad_url naming the request URL but not the credentials', async () => {
    const error = await failure(clientWith({}).fetch(server.url('/ok'), { ...fast, proxy: 'socks4://u:hunter22@127.0.0.1:1' }));
    expect(error.code).toBe('bad_url');
    expect(error.message).toContain(server.url('/ok'));
    expect(error.message).not.toContain('hunter22');
  });
});

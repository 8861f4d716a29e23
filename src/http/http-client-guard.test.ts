import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '../domain/errors.js';
import { HttpClient } from './http-client.js';
import { startHostileServer } from './testing/hostile-server.js';
import type { HostileServer } from './testing/hostile-server.js';

let server: HostileServer;
let guarded: HttpClient;
const fast = { timeoutMs: 1500, connectTimeoutMs: 1000, tries: 1 };

beforeAll(async () => {
  server = await startHostileServer();
  guarded = new HttpClient({ env: {} }); // the guard is on by default
});
afterAll(async () => {
  await guarded.close();
  await server.close();
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HttpError);
  return (error as HttpError).code;
}

function onLocalhost(path: string): string {
  return server.url(path).replace('127.0.0.1', 'localhost');
}

describe('SSRF guard in the client', () => {
  it('is on by default: a page URL on 127.0.0.1 is blocked before the server sees it', async () => {
    const before = server.hits('/ok');
    expect(await codeOf(guarded.fetch(server.url('/ok'), fast))).toBe('blocked');
    expect(server.hits('/ok')).toBe(before);
  });

  it.each([
    'http://2130706433:PORT/ok',
    'http://0177.0.0.1:PORT/ok',
    'http://0x7f.1:PORT/ok',
    'http://127.1:PORT/ok',
    'http://[::ffff:127.0.0.1]:PORT/ok',
    'http://localhost:PORT/ok',
    'http://feeds.localhost:PORT/ok',
  ])('blocks loopback written as %s', async (template) => {
    const url = template.replace('PORT', new URL(server.origin).port);
    expect(await codeOf(guarded.fetch(url, fast))).toBe('blocked');
  });

  it('is not retried', async () => {
    const error = await guarded.fetch(server.url('/ok'), { ...fast, tries: 3 }).catch((e: unknown) => e);
    expect((error as HttpError).message).not.toContain('tries');
  });

  it('trusts a configured feed URL, and redirects within its host', async () => {
    const result = await guarded.fetch(server.url('/to-ok'), { ...fast, trusted: true });
    expect(result.kind).toBe('fetched');
  });

  it('blocks a redirect from a trusted feed to a private address on another host', async () => {
    const to = encodeURIComponent(onLocalhost('/ok'));
    const error = await guarded.fetch(server.url(`/redirect?to=${to}`), { ...fast, trusted: true }).catch((e: unknown) => e);
    expect((error as HttpError).code).toBe('blocked');
    expect((error as HttpError).message).toContain('redirected to');
  });

  it('trusts the configured URL\'s origin, not its host name: a redirect to another port of 127.0.0.1 is guarded', async () => {
    const other = await startHostileServer();
    try {
      const to = encodeURIComponent(other.url('/ok'));
      const before = other.hits('/ok');
      const error = await guarded.fetch(server.url(`/redirect?to=${to}`), { ...fast, trusted: true }).catch((e: unknown) => e);
      expect((error as HttpError).code).toBe('blocked');
      expect((error as HttpError).message).toContain(`redirected to ${other.url('/ok')}`);
      expect(other.hits('/ok')).toBe(before);
      // Nor another scheme on the same host and port.
      const https = encodeURIComponent(server.url('/ok').replace('http:', 'https:'));
      expect(await codeOf(guarded.fetch(server.url(`/redirect?to=${https}`), { ...fast, trusted: true }))).toBe('blocked');
    } finally {
      await other.close();
    }
  });

  it('blocks a redirect to the cloud metadata address given in decimal', async () => {
    const to = encodeURIComponent('http://2852039166/latest/meta-data/'); // 169.254.169.254
    expect(await codeOf(guarded.fetch(server.url(`/redirect?to=${to}`), { ...fast, trusted: true }))).toBe('blocked');
  });

  it('allows everything with allowPrivateNetworks', async () => {
    const open = new HttpClient({ allowPrivateNetworks: true, env: {} });
    try {
      expect((await open.fetch(onLocalhost('/ok'), fast)).kind).toBe('fetched');
    } finally {
      await open.close();
    }
  });

  it('checks the name when a proxy resolves it (socks5h / http proxy), without contacting the proxy', async () => {
    // Port 1 would refuse: getting 'blocked' proves the proxy was never dialled.
    const viaProxy = new HttpClient({ proxy: 'socks5h://127.0.0.1:1', env: {} });
    try {
      expect(await codeOf(viaProxy.fetch(onLocalhost('/ok'), fast))).toBe('blocked');
      expect(await codeOf(viaProxy.fetch('http://10.0.0.1/', fast))).toBe('blocked');
    } finally {
      await viaProxy.close();
    }
  });
});

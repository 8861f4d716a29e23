import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DispatcherCache } from './dispatcher-cache.js';
import { BlockedAddressError } from './ssrf-guard.js';
import { startHostileServer } from './testing/hostile-server.js';
import type { HostileServer } from './testing/hostile-server.js';

/*
 * These go below the client's name check on purpose: they show that the
 * connector itself refuses private peers, which is what stops DNS rebinding
 * (a name that looked public when checked and resolves privately when dialled).
 */
let server: HostileServer;
const cache = new DispatcherCache();

beforeAll(async () => {
  server = await startHostileServer();
});
afterAll(async () => {
  await cache.close();
  await server.close();
});

function request(origin: string, guarded: boolean) {
  return cache.get({ proxy: undefined, guarded, connectTimeoutMs: 1000 }).request({ origin, path: '/ok', method: 'GET' });
}

describe('DispatcherCache guarded connector', () => {
  it('refuses a name that resolves to loopback, at connect time', async () => {
    await expect(request(server.origin.replace('127.0.0.1', 'localhost'), true)).rejects.toBeInstanceOf(BlockedAddressError);
  });

  it('refuses an IP literal peer, which skips DNS lookup entirely', async () => {
    const before = server.hits('/ok');
    await expect(request(server.origin, true)).rejects.toBeInstanceOf(BlockedAddressError);
    expect(server.hits('/ok')).toBe(before);
  });

  it('connects when unguarded, on a separate pool', async () => {
    const response = await request(server.origin, false);
    expect(response.statusCode).toBe(200);
    await response.body.dump();
  });

  it('reuses one dispatcher per route', () => {
    const route = { proxy: undefined, guarded: true, connectTimeoutMs: 1000 };
    expect(cache.get(route)).toBe(cache.get({ ...route }));
    expect(cache.get(route)).not.toBe(cache.get({ ...route, guarded: false }));
  });
});

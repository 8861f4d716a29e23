import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpError } from '../domain/errors.js';
import { HttpClient } from './http-client.js';
import type { HttpClientOptions } from './http-client.js';
import { startConnectProxy } from './testing/connect-proxy.js';
import type { ConnectProxy } from './testing/connect-proxy.js';
import { startSocks5Proxy } from './testing/socks5-proxy.js';
import type { Socks5Proxy } from './testing/socks5-proxy.js';

/*
 * Real HTTPS, with a throwaway self-signed certificate made by openssl for this
 * run. Without openssl on the machine the file skips, saying so.
 */
const haveOpenssl = spawnSync('openssl', ['version']).status === 0;
if (!haveOpenssl) console.warn('http-client-tls.test.ts skipped: no openssl to make a test certificate');

let dir = '';
let cert = '';
let server: Server;
let origin = '';
let httpProxy: ConnectProxy;
let socks: Socks5Proxy;
const clients: HttpClient[] = [];
const fast = { timeoutMs: 3000, connectTimeoutMs: 1000, tries: 1 };

function clientWith(options: HttpClientOptions): HttpClient {
  const client = new HttpClient({ allowPrivateNetworks: true, env: {}, ...options });
  clients.push(client);
  return client;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HttpError);
  return (error as HttpError).code;
}

describe.skipIf(!haveOpenssl)('HTTPS', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsmirror-tls-'));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ], { stdio: 'ignore' });
    cert = await readFile(join(dir, 'cert.pem'), 'utf8');
    const key = await readFile(join(dir, 'key.pem'), 'utf8');
    server = createServer({ cert, key }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('secure');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `https://localhost:${(server.address() as AddressInfo).port}`;
    httpProxy = await startConnectProxy();
    socks = await startSocks5Proxy();
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.all([httpProxy.close(), socks.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses an untrusted certificate with code tls', async () => {
    expect(await codeOf(clientWith({}).fetch(`${origin}/`, fast))).toBe('tls');
  });

  it('fetches directly when the certificate is trusted through `ca`', async () => {
    const result = await clientWith({ ca: [cert] }).fetch(`${origin}/`, fast);
    expect(result.kind === 'fetched' && new TextDecoder().decode(result.body)).toBe('secure');
  });

  it('tunnels HTTPS through an HTTP CONNECT proxy', async () => {
    const result = await clientWith({ ca: [cert], proxy: httpProxy.url }).fetch(`${origin}/`, fast);
    expect(result.kind).toBe('fetched');
    expect(httpProxy.tunnels.at(-1)).toBe(new URL(origin).host);
  });

  it('tunnels HTTPS through a SOCKS5 proxy, checking the certificate for the host name', async () => {
    const result = await clientWith({ ca: [cert], proxy: socks.url('socks5h') }).fetch(`${origin}/`, fast);
    expect(result.kind).toBe('fetched');
    expect(socks.requests.at(-1)?.host).toBe('localhost');
    expect(await codeOf(clientWith({ proxy: socks.url('socks5h') }).fetch(`${origin}/`, fast))).toBe('tls');
  });
});

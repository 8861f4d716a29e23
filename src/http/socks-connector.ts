import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import type { Socket } from 'node:net';
import tls from 'node:tls';
import { SocksClient } from 'socks';
import type { buildConnector } from 'undici';
import type { ProxySpec } from './proxy-config.js';
import { BlockedAddressError, guardedLookup, isBlockedAddress, isBlockedHostname } from './ssrf-guard.js';

/*
 * Our own SOCKS5 connector rather than undici 7's Socks5ProxyAgent: that one is
 * experimental (warns on use), reads only socks5:// and always sends the name to
 * the proxy, with fixed 5 s timeouts. Here socks5:// resolves locally (so the
 * SSRF guard sees the real address) and socks5h:// lets the proxy resolve, which
 * is what users behind a DNS-poisoning firewall need (RFC 1928 ATYP 0x03).
 */

export interface SocksConnectorOptions {
  proxy: ProxySpec;
  guarded: boolean;
  connectTimeoutMs: number;
  tls?: { ca?: string[] };
}

function unbracket(host: string): string {
  return host.replace(/^\[|\]$/g, '');
}

function resolve(host: string, guarded: boolean): Promise<string> {
  return new Promise((done, fail) => {
    const lookup = guarded ? guardedLookup : dnsLookup;
    lookup(host, { all: true }, (err: NodeJS.ErrnoException | null, addresses: string | LookupAddress[]) => {
      const first = Array.isArray(addresses) ? addresses[0] : undefined;
      if (err !== null) fail(err);
      else if (first === undefined) fail(Object.assign(new Error(`no address for ${host}`), { code: 'ENOTFOUND' }));
      else done(first.address);
    });
  });
}

/** The destination to send to the proxy, after the guard has had its say. */
async function destinationFor(host: string, options: SocksConnectorOptions): Promise<string> {
  if (isIP(host) !== 0) {
    if (options.guarded && isBlockedAddress(host)) throw new BlockedAddressError(host, host);
    return host;
  }
  if (options.proxy.kind === 'socks5') return resolve(host, options.guarded);
  // socks5h: the proxy resolves, so only the name itself can be checked here.
  if (options.guarded && isBlockedHostname(host)) throw new BlockedAddressError(host, host);
  return host;
}

function upgradeToTls(socket: Socket, servername: string, options: SocksConnectorOptions): Promise<tls.TLSSocket> {
  return new Promise((done, fail) => {
    const secure = tls.connect({
      ...options.tls,
      socket,
      // RFC 6066 §3: SNI carries host names only, never IP literals.
      ...(isIP(servername) === 0 ? { servername } : {}),
      ALPNProtocols: ['http/1.1'],
    });
    const timer = setTimeout(() => {
      secure.destroy();
      fail(Object.assign(new Error('TLS handshake through SOCKS proxy timed out'), { code: 'UND_ERR_CONNECT_TIMEOUT' }));
    }, options.connectTimeoutMs);
    secure.once('secureConnect', () => {
      clearTimeout(timer);
      done(secure);
    });
    secure.once('error', (error) => {
      clearTimeout(timer);
      secure.destroy();
      fail(error);
    });
  });
}

async function connectViaSocks(
  target: buildConnector.Options,
  options: SocksConnectorOptions,
): Promise<Socket> {
  const host = unbracket(target.hostname);
  const port = Number(target.port) || (target.protocol === 'https:' ? 443 : 80);
  const destination = await destinationFor(host, options);
  const { url } = options.proxy;
  const { socket } = await SocksClient.createConnection({
    command: 'connect',
    destination: { host: destination, port },
    proxy: {
      host: unbracket(url.hostname),
      port: Number(url.port) || 1080,
      type: 5,
      ...(url.username !== '' ? { userId: decodeURIComponent(url.username) } : {}),
      ...(url.password !== '' ? { password: decodeURIComponent(url.password) } : {}),
    },
    timeout: options.connectTimeoutMs,
  });
  if (target.protocol !== 'https:') return socket;
  return upgradeToTls(socket, target.servername ?? host, options);
}

/** An undici `connect` function that tunnels every connection through a SOCKS5 proxy. */
export function createSocksConnector(options: SocksConnectorOptions): buildConnector.connector {
  return (target, callback) => {
    connectViaSocks(target, options).then(
      (socket) => callback(null, socket),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), null),
    );
  };
}

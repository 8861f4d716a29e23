import { rootCertificates } from 'node:tls';
import { Agent, Pool, ProxyAgent, buildConnector } from 'undici';
import type { Dispatcher } from 'undici';
import type { ProxySpec } from './proxy-config.js';
import { createSocksConnector } from './socks-connector.js';
import { BlockedAddressError, guardedLookup, isBlockedAddress } from './ssrf-guard.js';

export interface Route {
  /** undefined: connect directly. */
  proxy: ProxySpec | undefined;
  /** Whether the SSRF guard applies to connections made for this route. */
  guarded: boolean;
  connectTimeoutMs: number;
}

/**
 * Second line of the guard: whatever path the address took (an IP literal skips
 * `lookup` entirely), the socket's peer is checked before a byte is sent on it.
 */
function refusingBlockedPeers(connect: buildConnector.connector): buildConnector.connector {
  return (target, callback) => {
    connect(target, (...args) => {
      const [error, socket] = args;
      if (error !== null) {
        callback(error, null);
        return;
      }
      const peer = socket.remoteAddress;
      if (peer === undefined || isBlockedAddress(peer)) {
        socket.destroy();
        callback(new BlockedAddressError(target.hostname, peer ?? 'unknown'), null);
        return;
      }
      callback(null, socket);
    });
  };
}

/**
 * undici treats a connect failure coded UND_ERR_SOCKET as recoverable and dials
 * again at once while queued requests wait (client.js `onError`); a proxy that
 * hangs up on CONNECT was dialled thousands of times a second. Re-coding the
 * failure makes undici fail the queued requests instead.
 */
class ProxyClosedError extends Error {
  readonly code = 'ERR_NEWSMIRROR_PROXY_CLOSED';
  constructor(cause: Error) {
    super(`proxy closed the connection: ${cause.message}`, { cause });
    this.name = 'ProxyClosedError';
  }
}

function failingFast(connect: buildConnector.connector): buildConnector.connector {
  return (target, callback) => {
    connect(target, (...args) => {
      const [error] = args;
      if (error !== null && (error as { code?: unknown }).code === 'UND_ERR_SOCKET') {
        callback(new ProxyClosedError(error), null);
        return;
      }
      callback(...args);
    });
  };
}

/** TLS settings shared by every connection of a client. */
interface TlsSettings {
  ca?: string[];
}

function createDirect(route: Route, tls: TlsSettings): Dispatcher {
  if (!route.guarded) return new Agent({ connect: { ...tls, timeout: route.connectTimeoutMs } });
  const connect = buildConnector({ ...tls, timeout: route.connectTimeoutMs, lookup: guardedLookup });
  return new Agent({ connect: refusingBlockedPeers(connect) });
}

function createProxied(proxy: ProxySpec, route: Route, tls: TlsSettings): Dispatcher {
  if (proxy.kind === 'socks5' || proxy.kind === 'socks5h') {
    const socks = createSocksConnector({ proxy, guarded: route.guarded, connectTimeoutMs: route.connectTimeoutMs, tls });
    // socks5 resolved locally, so the peer the proxy reached is known to be public;
    // the socket's own peer is the proxy and must not be checked.
    return new Agent({ connect: socks });
  }
  // HTTP(S) proxy, CONNECT tunnel for every target (undici's default), so the
  // proxy never sees request bodies or headers of https targets. ProxyAgent
  // turns userinfo in the URI into Proxy-Authorization itself.
  return new ProxyAgent({
    uri: proxy.url.href,
    proxyTls: { ...tls, timeout: route.connectTimeoutMs },
    requestTls: { ...tls, timeout: route.connectTimeoutMs },
    factory: (origin, options) => {
      const poolOptions = options as Pool.Options;
      const { connect } = poolOptions;
      return new Pool(origin, {
        ...poolOptions,
        ...(typeof connect === 'function' ? { connect: failingFast(connect) } : {}),
      });
    },
  });
}

/**
 * One undici dispatcher per (proxy, guard, connect timeout), created on first
 * use and kept for the client's life so connections are reused. Guarded and
 * unguarded traffic never share a pool: a connection opened for a trusted feed
 * on a private address must not be reused for an untrusted page link.
 */
export class DispatcherCache {
  readonly #dispatchers = new Map<string, Dispatcher>();
  readonly #tls: TlsSettings;

  /** `extraCa`: PEM certificates trusted in addition to Node's root store (Node's `ca` replaces it). */
  constructor(extraCa: readonly string[] = []) {
    this.#tls = extraCa.length > 0 ? { ca: [...rootCertificates, ...extraCa] } : {};
  }

  get(route: Route): Dispatcher {
    // The key holds the proxy URL with credentials; it never leaves this map.
    const key = `${route.proxy?.url.href ?? 'direct'}|${route.guarded ? 'guarded' : 'open'}|${route.connectTimeoutMs}`;
    let dispatcher = this.#dispatchers.get(key);
    if (dispatcher === undefined) {
      dispatcher =
        route.proxy === undefined ? createDirect(route, this.#tls) : createProxied(route.proxy, route, this.#tls);
      this.#dispatchers.set(key, dispatcher);
    }
    return dispatcher;
  }

  async close(): Promise<void> {
    const all = [...this.#dispatchers.values()];
    this.#dispatchers.clear();
    await Promise.all(all.map((d) => d.close().catch(() => undefined)));
  }
}

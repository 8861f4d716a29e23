import { BlockList, isIP } from 'node:net';
import { HttpError } from '../domain/errors.js';
import { redactUrl } from './redact-url.js';

export type ProxyKind = 'http' | 'https' | 'socks5' | 'socks5h';

export interface ProxySpec {
  kind: ProxyKind;
  /** The full URL, credentials included: hand it to connectors only, never print it. */
  url: URL;
  /** The same URL without credentials, for messages and logs. */
  label: string;
}

/** Written as a per-source `proxy:` to bypass a global or environment proxy. */
export const DIRECT = 'direct';

const KINDS: Record<string, ProxyKind> = {
  'http:': 'http',
  'https:': 'https',
  'socks5:': 'socks5',
  'socks5h:': 'socks5h',
};

/**
 * Read a proxy setting (`http://`, `https://`, `socks5://`, `socks5h://`; a bare
 * `host:port` means http, as curl reads it). Throws HttpError('bad_url').
 */
export function parseProxy(value: string): ProxySpec {
  const text = value.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch (error) {
    throw new HttpError('bad_url', `Invalid proxy URL ${redactUrl(text)}`, { url: redactUrl(text), cause: error });
  }
  const kind = KINDS[url.protocol];
  const label = redactUrl(url).replace(/\/$/, '');
  if (kind === undefined || url.hostname === '') {
    throw new HttpError(
      'bad_url',
      `Unsupported proxy ${label}: use http://, https://, socks5:// or socks5h://`,
      { url: label },
    );
  }
  return { kind, url, label };
}

type Env = Readonly<Record<string, string | undefined>>;

/** Lower-case first, like curl: upper-case HTTP_PROXY can be set by a CGI request (httpoxy). */
function envValue(env: Env, name: string): string | undefined {
  const value = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return value === undefined || value.trim() === '' ? undefined : value;
}

/**
 * The proxy the environment asks for when fetching `target`, following the
 * conventions of curl: HTTPS_PROXY for https, HTTP_PROXY for http, ALL_PROXY
 * for both, unless NO_PROXY matches the host.
 */
export function proxyFromEnv(target: URL, env: Env): string | undefined {
  const noProxy = envValue(env, 'no_proxy');
  if (noProxy !== undefined && matchesNoProxy(target, noProxy)) return undefined;
  const specific = target.protocol === 'https:' ? envValue(env, 'https_proxy') : envValue(env, 'http_proxy');
  return specific ?? envValue(env, 'all_proxy');
}

function defaultPort(url: URL): string {
  return url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : '80';
}

/**
 * NO_PROXY as curl reads it: entries separated by commas or spaces; `*` alone
 * matches everything; `example.com` and `.example.com` match the host and its
 * subdomains; an entry may carry `:port`; IP entries may be CIDR ranges.
 */
export function matchesNoProxy(target: URL, noProxy: string): boolean {
  const host = target.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
  const port = defaultPort(target);
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    const { name, entryPort } = splitEntry(entry);
    if (entryPort !== undefined && entryPort !== port) continue;
    if (matchesName(host, name)) return true;
  }
  return false;
}

function splitEntry(entry: string): { name: string; entryPort: string | undefined } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed !== null) return { name: bracketed[1] ?? '', entryPort: bracketed[2] };
  const hostPort = /^([^:]+):(\d+)$/.exec(entry);
  if (hostPort !== null) return { name: hostPort[1] ?? '', entryPort: hostPort[2] };
  return { name: entry, entryPort: undefined };
}

function matchesName(host: string, name: string): boolean {
  const cidr = /^(.+)\/(\d{1,3})$/.exec(name);
  if (cidr !== null) return inCidr(host, cidr[1] ?? '', Number(cidr[2]));
  const bare = name.replace(/^\*?\./, '').replace(/\.$/, '');
  return host === bare || host.endsWith(`.${bare}`);
}

function inCidr(host: string, network: string, prefix: number): boolean {
  const family = isIP(network);
  if (family === 0 || isIP(host) !== family) return false;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  try {
    const list = new BlockList();
    list.addSubnet(network, prefix, type);
    return list.check(host, type);
  } catch {
    return false; // a malformed NO_PROXY entry matches nothing, like curl
  }
}

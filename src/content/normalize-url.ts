/*
 * URL values in an article, made stable: the same article fetched twice must
 * give the same bytes, so per-visit query parameters (tracking tags, cache
 * busters, share tokens) are dropped and relative addresses resolved. Query
 * strings are filtered as raw text, so the parameters that stay keep their
 * exact original encoding.
 */

/** Parameters that only say where a click came from, on any host. */
const TRACKING_PARAMS = new Set([
  '__twitter_impression', '_hsenc', '_hsmi', 'at_campaign', 'at_medium', 'dclid', 'fbclid',
  'gbraid', 'gclid', 'igsh', 'igshid', 'mc_cid', 'mc_eid', 'mkt_tok', 'msclkid', 'ns_campaign',
  'ns_fee', 'ns_linkname', 'ns_mchannel', 'ns_source', 'ocid', 'ref_src', 'ref_url', 'scm',
  'share_source', 'spm', 'wbraid', 'wt_mc', 'wt.mc_id', 'xtor', 'yclid',
]);

/** `from=` is a real filter on some sites; only these values are click sources. */
const TRACKING_FROM_VALUE =
  /^(?:singlemessage|groupmessage|timeline|feed|rss|share\w*|page_\w+|androidqq|iphoneqq|weixin|wechat|weibo|app\w*|message|search|toutiao\w*)$/i;

/** Host-specific share tokens (the host or any subdomain of it). */
const HOST_TRACKING_PARAMS: ReadonlyArray<readonly [string, ReadonlySet<string>]> = [
  ['facebook.com', new Set(['__cft__[0]', '__tn__', 'mibextid', 'rdid', 'sfnsn'])],
  ['nytimes.com', new Set(['smid', 'smtyp'])],
  ['mp.weixin.qq.com', new Set([
    'abtest_cookie', 'ascene', 'chksm', 'clicktime', 'devicetype', 'enterid', 'exportkey',
    'key', 'lang', 'mpshare', 'nettype', 'pass_ticket', 'scene', 'sessionid', 'sharer_shareid',
    'sharer_sharetime', 'srcid', 'subscene', 'uin', 'version', 'wx_header',
  ])],
  ['twitter.com', new Set(['s', 't'])],
  ['weibo.com', new Set(['from', 'loc', 'mod', 'wvr'])],
  ['x.com', new Set(['s', 't'])],
  ['youtu.be', new Set(['feature', 'si'])],
  ['youtube.com', new Set(['feature', 'si'])],
];

/** Cache-busting parameters on images and media; only short token values count. */
const CACHE_BUSTER_PARAMS = new Set([
  '_', 'cache', 'cachebuster', 'cb', 'nocache', 'rand', 'random', 'rnd', 't', 'timestamp',
  'ts', 'v', 'ver', 'version',
]);
const CACHE_BUSTER_VALUE = /^[\w.\-]{0,40}$/;

/** Image proxies a feed mirror rewrites images through: the original is in `url`. */
const IMAGE_PROXY_HOSTS = new Set(['images.weserv.nl', 'wsrv.nl']);

const HAS_SCHEME = /^[a-z][a-z0-9+.\-]*:/i;

interface UrlParts {
  head: string;
  query: string | undefined;
  hash: string | undefined;
}

function splitUrl(url: string): UrlParts {
  const hashAt = url.indexOf('#');
  const beforeHash = hashAt < 0 ? url : url.slice(0, hashAt);
  const hash = hashAt < 0 ? undefined : url.slice(hashAt + 1);
  const queryAt = beforeHash.indexOf('?');
  if (queryAt < 0) return { head: beforeHash, query: undefined, hash };
  return { head: beforeHash.slice(0, queryAt), query: beforeHash.slice(queryAt + 1), hash };
}

function joinUrl({ head, query, hash }: UrlParts): string {
  return head + (query ? `?${query}` : '') + (hash === undefined ? '' : `#${hash}`);
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

function hostMatches(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}

type ParamFilter = (key: string, value: string) => boolean;

/** Removes the query parameters `drop` selects; the rest stay byte for byte. */
function dropParams(url: string, drop: ParamFilter): string {
  const parts = splitUrl(url);
  if (!parts.query) return url;
  const kept = parts.query.split('&').filter((pair) => {
    if (pair === '') return false;
    const eq = pair.indexOf('=');
    const key = decodeComponent(eq < 0 ? pair : pair.slice(0, eq)).toLowerCase();
    const value = eq < 0 ? '' : decodeComponent(pair.slice(eq + 1));
    return !drop(key, value);
  });
  const query = kept.join('&');
  if (query === parts.query) return url;
  return joinUrl({ ...parts, query });
}

/** `value` made absolute against `base` when it is relative; otherwise as it was (trimmed). */
export function resolveUrl(value: string, base: URL | undefined): string {
  const trimmed = value.trim();
  if (trimmed === '' || HAS_SCHEME.test(trimmed)) return trimmed;
  if (base) {
    try {
      return new URL(trimmed, base).href;
    } catch {
      return trimmed;
    }
  }
  return trimmed.startsWith('//') ? `https:${trimmed}` : trimmed;
}

/** A link without the parameters that only track who clicked where. */
export function stripTrackingParams(url: string): string {
  const host = hostOf(url);
  if (host === undefined) return url;
  const hostParams = HOST_TRACKING_PARAMS.filter(([domain]) => hostMatches(host, domain));
  return dropParams(url, (key, value) => {
    if (key.startsWith('utm_') || TRACKING_PARAMS.has(key)) return true;
    if (key === 'from' && TRACKING_FROM_VALUE.test(value)) return true;
    return hostParams.some(([, names]) => names.has(key));
  });
}

/** An image or media address without cache-busting parameters (`?v=3`, `?_=1700000000`). */
export function stripCacheBusters(url: string): string {
  const parts = splitUrl(url);
  // `image.jpg?1700000000`: a bare number as the whole query.
  if (parts.query !== undefined && /^\d{1,20}$/.test(parts.query)) {
    return joinUrl({ ...parts, query: undefined });
  }
  return dropParams(url, (key, value) => CACHE_BUSTER_PARAMS.has(key) && CACHE_BUSTER_VALUE.test(value));
}

/**
 * The original image behind a feed mirror's image proxy
 * (`https://images.weserv.nl/?url=static01.nyt.com/x.jpg` → `https://static01.nyt.com/x.jpg`).
 * The proxy address is the mirror's choice and changes with it; the
 * original is the image's stable name.
 */
export function unwrapImageProxy(url: string): string {
  const host = hostOf(url);
  if (host === undefined || !IMAGE_PROXY_HOSTS.has(host)) return url;
  const query = splitUrl(url).query ?? '';
  for (const pair of query.split('&')) {
    if (!pair.toLowerCase().startsWith('url=')) continue;
    const target = decodeComponent(pair.slice(4)).trim();
    const absolute = /^https?:\/\//i.test(target)
      ? target
      : `https://${target.replace(/^ssl:/i, '').replace(/^\/+/, '')}`;
    try {
      return new URL(absolute).href;
    } catch {
      return url;
    }
  }
  return url;
}

/** The stable form of a link target. */
export function normalizeLinkUrl(value: string, base: URL | undefined): string {
  return stripTrackingParams(resolveUrl(value, base));
}

/** The stable form of an image or media address. */
export function normalizeAssetUrl(value: string, base: URL | undefined): string {
  return stripCacheBusters(unwrapImageProxy(resolveUrl(value, base)));
}

/**
 * A `srcset` with each candidate's URL normalized (HTML: "srcset" is a
 * comma-separated list of an URL and an optional descriptor).
 */
export function normalizeSrcset(value: string, base: URL | undefined): string {
  return value
    .split(/,\s+/)
    .map((candidate) => candidate.trim())
    .filter((candidate) => candidate !== '')
    .map((candidate) => {
      const space = candidate.search(/\s/);
      const url = space < 0 ? candidate : candidate.slice(0, space);
      const descriptor = space < 0 ? '' : candidate.slice(space).trim();
      const normalized = normalizeAssetUrl(url, base);
      return descriptor ? `${normalized} ${descriptor}` : normalized;
    })
    .join(', ');
}

/** The article URL as a base for relative addresses, when it is an http(s) URL. */
export function parseBaseUrl(url: string | undefined): URL | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

import type { SourceConfig } from '../config/config-schema.js';
import { HttpError, describeError } from '../domain/errors.js';
import type { HttpClient } from '../http/http-client.js';
import { decodeBody } from '../http/decode-body.js';
import { mapLimited } from '../domain/map-limited.js';
import type { Candidate } from './prepare-item.js';
import type { FetchSettings } from './fetch-feed.js';

/** Under this many characters of text, a feed item is a summary, not the article. */
const SUMMARY_TEXT = 500;
const READ_MORE = /(阅读全文|閱讀全文|阅读更多|閱讀更多|继续阅读|繼續閱讀|查看全文|全文链接|read more|continue reading|read the full)/i;
const PAGES_IN_FLIGHT = 4;
/** Failures that say the host is unreachable: the run stops asking it. */
const HOST_DOWN = new Set(['dns', 'network', 'timeout', 'tls']);

function textOf(html: string): string {
  return html.replace(/<[^>]*>/g, '').replace(/&[a-z#0-9]+;/gi, ' ').replace(/\s+/g, '');
}

/** The source's fullText setting: auto fetches the page when the feed carries only a summary. */
export function wantsFullText(candidate: Candidate, source: SourceConfig): boolean {
  // A site link standing in for an item's own (prepareItem) is no page of the item's.
  if (source.fullText === 'never' || candidate.url === undefined || candidate.siteLink === true) return false;
  if (source.fullText === 'always') return true;
  const text = textOf(candidate.html);
  return text.length < SUMMARY_TEXT || READ_MORE.test(candidate.html.slice(-600));
}

/**
 * Replaces a summary with the article from its page: fetched through the
 * HTTP client with the SSRF guard on (the link comes from feed content),
 * extracted by the site rule's selector or Readability. On any failure the
 * feed's content stays and the reason is returned as a warning.
 */
async function completeOne(
  candidate: Candidate,
  source: SourceConfig,
  http: HttpClient,
  settings: FetchSettings,
  downHosts: Map<string, string>,
): Promise<string | undefined> {
  const url = candidate.url!;
  const host = new URL(url).host;
  const down = downHosts.get(host);
  if (down !== undefined) return `${url}: not fetched, ${host} failed earlier in this run (${down}); kept the feed's content`;
  try {
    const headers: Record<string, string> = { ...source.headers };
    const userAgent = source.userAgent ?? settings.userAgent;
    if (userAgent !== undefined) headers['user-agent'] = userAgent;
    const proxy = source.proxy ?? settings.proxy;
    // The source's limits over the config's, as its feed has them (fetch-feed.ts); the page is as large as a feed may be.
    const limits = {
      timeoutMs: source.timeoutMs ?? settings.timeoutMs,
      connectTimeoutMs: source.connectTimeoutMs ?? settings.connectTimeoutMs,
      maxBytes: source.maxBytes ?? settings.maxBytes,
      tries: source.tries ?? settings.tries,
    };
    const result = await http.fetch(url, {
      headers,
      ...(proxy !== undefined ? { proxy } : {}),
      ...Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)),
    });
    if (result.kind === 'unchanged') return `${url}: the page answered 304 to an unconditional request; kept the feed's content`;
    const page = decodeBody(result.body, result.contentType);
    // Loaded on first use: the DOM and Readability (~25 MB) only when a page is fetched.
    const { extractArticle } = await import('../content/extract-article.js');
    const article = extractArticle(page.text, result.url);
    if (!article) return `${url}: no article found in the page; kept the feed's content`;
    candidate.html = article.html;
    candidate.bodySource = article.rule ? `page:${article.rule}` : `page:${article.method}`;
    if (candidate.published === undefined && article.published !== undefined) candidate.published = article.published;
    return undefined;
  } catch (error) {
    if (error instanceof HttpError && HOST_DOWN.has(error.code)) downHosts.set(host, error.code);
    return `${describeError(error)}; kept the feed's content`;
  }
}

/** Fetches full text for the candidates that want it; returns one warning per page that failed. */
export async function completeArticles(
  candidates: Candidate[],
  source: SourceConfig,
  http: HttpClient,
  settings: FetchSettings,
  stop?: () => boolean,
): Promise<{ warnings: string[]; asked: Set<Candidate>; notAsked: Set<Candidate> }> {
  const wanted = candidates.filter((c) => wantsFullText(c, source));
  const downHosts = new Map<string, string>();
  // Once `stop` says so, no page is asked for any more: those items are left for the next run.
  const results = await mapLimited(wanted, PAGES_IN_FLIGHT, async (candidate) => ({ warning: await completeOne(candidate, source, http, settings, downHosts) }), stop);
  return {
    warnings: results.flatMap((r) => (r?.warning === undefined ? [] : [r.warning])).sort(),
    asked: new Set(wanted.filter((_, i) => results[i] !== undefined)),
    notAsked: new Set(wanted.filter((_, i) => results[i] === undefined)),
  };
}

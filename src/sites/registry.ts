import type { HtmlDocument } from '../content/parse-html.js';
import type { RemovalCount } from '../content/removal-count.js';
import { bbcRule } from './bbc/rule.js';
import { cdtRule } from './cdt/rule.js';
import { dwRule } from './dw/rule.js';
import { nytRule } from './nyt/rule.js';
import { rfaRule } from './rfa/rule.js';
import { rfiRule } from './rfi/rule.js';
import { voaRule } from './voa/rule.js';

/**
 * What one site needs beyond the generic cleaning, as data first
 * (miniflux's scraper and rewrite rules): the hosts it covers, where the
 * article body is on its pages, what to remove, and only where selectors
 * cannot say it, a hook that edits the parsed document.
 */
export interface SiteRule {
  /** Short ASCII name, the folder under src/sites/. */
  name: string;
  /** Hosts this rule covers; each also covers its subdomains (`rfi.fr` covers `www.rfi.fr`). */
  hosts: string[];
  /** CSS selector of the article body on the site's pages; content outside it is dropped. */
  body?: string;
  /**
   * CSS selector of the article's heading on the site's pages: the page's
   * <title> and og:title carry the site's name (`示例 | 中国数字时代`).
   */
  title?: string;
  /** CSS selectors of boilerplate to remove, with everything inside. */
  remove?: string[];
  /**
   * Edits selectors cannot express; runs after `remove`. Nodes it removes
   * go through `removeNode(node, removed)` so the cleaning report counts them.
   */
  hook?: (doc: HtmlDocument, removed: RemovalCount) => void;
}

/** Every site rule, sorted by name: an explicit list, no directory scanning. */
export const siteRules: readonly SiteRule[] = [bbcRule, cdtRule, dwRule, nytRule, rfaRule, rfiRule, voaRule];

/** [host, rule] pairs, longest host first, so the most specific rule wins. */
const hostIndex: ReadonlyArray<readonly [string, SiteRule]> = siteRules
  .flatMap((rule) => rule.hosts.map((host) => [host, rule] as const))
  .sort((a, b) => b[0].length - a[0].length || (a[0] < b[0] ? -1 : 1));

/** The rule for an article link, by its host (or a parent domain of it). */
export function findSiteRule(url: string): SiteRule | undefined {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return undefined;
  }
  for (const [ruleHost, rule] of hostIndex) {
    if (host === ruleHost || host.endsWith(`.${ruleHost}`)) return rule;
  }
  return undefined;
}

import type { SourceConfig } from '../config/config-schema.js';
import type { SourceState } from '../archive/state-file.js';
import type { Catalog } from '../catalog/catalog.js';

export interface SourceHealth {
  slug: string;
  name: string;
  /** The feed URL in use: the primary, or the mirror that worked last. */
  url: string;
  lastAttempt: string | null;
  lastSuccess: string | null;
  lastError: { code: string; message: string } | null;
  consecutiveFailures: number;
  /** The feed read last was well-formed but had 0 items. */
  emptyFeed: boolean;
  articles: number;
  newest: string | null;
  /** No new item for longer than the source's usual interval (or its staleAfter). */
  stale: boolean;
  staleAfterHours: number | null;
}

const HOUR = 3600_000;
/** Bounds of a learned interval: never flag a source within 6 h, always after 30 days. */
const MIN_STALE = 6 * HOUR;
const MAX_STALE = 30 * 24 * HOUR;
const HISTORY = 30;

/**
 * How long a source may go without a new item before it looks stale: four
 * times the median gap between its recent items, learned from its history
 * (at least 5 items), unless the config gives `staleAfter`.
 */
export function staleAfterMs(source: SourceConfig, recent: readonly number[]): number | undefined {
  if (source.staleAfter !== undefined) return source.staleAfter;
  if (recent.length < 5) return undefined;
  const gaps = recent.slice(1).map((t, i) => (recent[i] ?? t) - t).sort((a, b) => a - b);
  const median = gaps[Math.floor(gaps.length / 2)] ?? 0;
  return Math.min(MAX_STALE, Math.max(MIN_STALE, 4 * median));
}

const iso = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

export function sourceHealth(source: SourceConfig, state: SourceState | undefined, catalog: Catalog, now: number): SourceHealth {
  const last = catalog.lastFetch(source.slug);
  const { count, newest } = catalog.countItems(source.slug);
  const threshold = staleAfterMs(source, catalog.recentPublished(source.slug, HISTORY));
  return {
    slug: source.slug,
    name: source.name,
    url: state?.url ?? source.url,
    lastAttempt: iso(last?.at),
    lastSuccess: iso(catalog.lastSuccess(source.slug)),
    lastError: state?.lastError ?? null,
    consecutiveFailures: state?.failures ?? 0,
    emptyFeed: state?.emptyFeed === true,
    articles: count,
    newest: iso(newest),
    stale: threshold !== undefined && newest !== null && now - newest > threshold,
    staleAfterHours: threshold === undefined ? null : Math.round((threshold / HOUR) * 10) / 10,
  };
}

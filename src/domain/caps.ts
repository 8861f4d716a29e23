/**
 * What one feed may make a run do, whatever it serves: a feed that changed
 * hands (a mirror domain taken over) can list thousands of items, or
 * bodies and links of many megabytes. Each cap has a config key of the same
 * name (README, "Caps"); a source may set its own where that makes sense.
 */
export const DEFAULT_CAPS = {
  /** New items archived per source and run; the rest wait for the next runs. */
  maxItemsPerRun: 100,
  /** Characters of an article link (line 2 of its file); a longer one is left out. */
  maxUrlLength: 8192,
  /** Characters of an article title (line 2 of its file and its list lines); a longer one is cut. */
  maxTitleLength: 1000,
  /** UTF-8 bytes of an article body after cleaning; a longer one is cut, and says so. */
  maxBodyBytes: 2 * 1024 * 1024,
  /** Images downloaded per article (`images.maxPerArticle`); the rest keep their URL. One page is fetched per article. */
  imagesPerArticle: 50,
  /**
   * Items read from one feed document, unless set (maxFeedItems): this many
   * times maxItemsPerRun, so a feed's backlog still comes in over ten runs.
   */
  feedItemsPerRunItem: 10,
} as const;

export interface Caps {
  maxItemsPerRun: number;
  maxUrlLength: number;
  maxTitleLength: number;
  maxBodyBytes: number;
  /** Items read from one feed document, the newest by date; unset: 10 × maxItemsPerRun. */
  maxFeedItems?: number | undefined;
}

/** A source's caps: its own settings over the config's. */
export function capsFor(config: Caps, source: Partial<Caps>): Required<Caps> {
  const maxItemsPerRun = source.maxItemsPerRun ?? config.maxItemsPerRun;
  return {
    maxItemsPerRun,
    maxUrlLength: config.maxUrlLength,
    maxTitleLength: config.maxTitleLength,
    maxBodyBytes: source.maxBodyBytes ?? config.maxBodyBytes,
    maxFeedItems: source.maxFeedItems ?? config.maxFeedItems ?? maxItemsPerRun * DEFAULT_CAPS.feedItemsPerRunItem,
  };
}

/**
 * The newest `cap` items of a feed document by date, in the document's
 * order. An item without a date counts as newest (it is dated when first
 * seen, prepare-item.ts), and of two with the same date the one higher in
 * the document is newer, as ids are given (run-source.ts). Applied where the
 * feed is read (on a cleaning thread), so a feed of 150,000 items hands the
 * rest of the run no more than `cap` of them.
 */
export function newestInFeed<T extends { published?: number | undefined }>(items: T[], cap: number): T[] {
  if (items.length <= cap) return items;
  const when = (i: number) => items[i]!.published ?? Infinity;
  // Infinity - Infinity is NaN, which `||` passes over to the document order.
  const order = items.map((_, i) => i).sort((a, b) => when(b) - when(a) || a - b);
  return order
    .slice(0, cap)
    .sort((a, b) => a - b)
    .map((i) => items[i]!);
}

/**
 * The newest `cap` of the new items, `oldestFirst` as they are sorted for
 * their ids, and how many wait. Newest first, because a reader wants today's
 * news today; the older ones come in the next runs, each once (the feed is
 * read again while any wait: run-source.ts keeps its validators only then),
 * and get smaller ids than the newer ones already archived: ids count down
 * oldest first within a run, not across a backlog.
 */
export function takeNewest<T>(oldestFirst: readonly T[], cap: number): { taken: T[]; waiting: number } {
  const waiting = Math.max(0, oldestFirst.length - cap);
  return { taken: oldestFirst.slice(waiting), waiting };
}

/** A size as a cap is said: `2 MiB`, `512 KiB`, else in bytes. */
export function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

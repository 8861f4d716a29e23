/**
 * GitHub's limits an archive lives under (docs.github.com, "Repository
 * limits", "About large files on GitHub", "GitHub Pages limits"), in the
 * units GitHub states them: a repository ideally under 1 GB and strongly
 * recommended under 5 GB, no file over 100 MiB, no push over 2 GB, a Pages
 * site of at most 1 GB.
 */
export const GITHUB_LIMITS = [
  { key: 'repository-recommended', label: 'repository (recommended)', size: '1 GB', bytes: 1e9, measure: 'total' },
  { key: 'repository', label: 'repository', size: '5 GB', bytes: 5e9, measure: 'total' },
  { key: 'file', label: 'one file', size: '100 MiB', bytes: 100 * 1024 * 1024, measure: 'largest' },
  // A push of the whole archive (to a new remote, or a first push) carries all of it.
  { key: 'push', label: 'one push', size: '2 GB', bytes: 2e9, measure: 'total' },
  { key: 'pages', label: 'Pages site', size: '1 GB', bytes: 1e9, measure: 'site' },
] as const;

export type LimitMeasure = (typeof GITHUB_LIMITS)[number]['measure'];

export interface LimitForecast {
  key: string;
  label: string;
  /** The limit as GitHub states it. */
  size: string;
  bytes: number;
  /** What is compared with it now. */
  used: number;
  passed: boolean;
  /** When it would be reached at the growth measured (ISO 8601 day), null when passed, not growing, not a matter of growth or over a century away. */
  reached: string | null;
  /** Days from now until then, null when passed, not growing or not a matter of growth. */
  days: number | null;
}

const DAY_MS = 86_400_000;
/** Past this a date is no forecast (and past year 9999 no ISO date). */
const CENTURY_DAYS = 36_525;

/**
 * When each limit would be reached at `bytesPerDay`. One file's limit is not
 * a matter of growth (article files do not grow; the largest is an image or
 * a list), so it is only passed or not.
 */
export function forecastLimits(used: Record<LimitMeasure, number>, bytesPerDay: number, now: number): LimitForecast[] {
  return GITHUB_LIMITS.map((limit) => {
    const value = used[limit.measure];
    const passed = value > limit.bytes;
    const grows = limit.measure !== 'largest' && bytesPerDay > 0 && !passed;
    const days = grows ? Math.ceil((limit.bytes - value) / bytesPerDay) : null;
    const reached = days === null || days > CENTURY_DAYS ? null : new Date(now + days * DAY_MS).toISOString().slice(0, 10);
    return { key: limit.key, label: limit.label, size: limit.size, bytes: limit.bytes, used: value, passed, reached, days };
  });
}

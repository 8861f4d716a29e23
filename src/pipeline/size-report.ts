import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Catalog } from '../catalog/catalog.js';
import { listOldestFirst } from '../catalog/reader-queries.js';
import { monthKey } from '../domain/calendar.js';
import { mapLimited } from '../domain/map-limited.js';
import { forecastLimits, type LimitForecast } from '../domain/github-limits.js';
import { measureFiles, type FileSize } from '../archive/measure-files.js';

export const SIZE_KINDS = ['articles', 'edits', 'assets', 'lists', 'state', 'other'] as const;
export type SizeKind = (typeof SIZE_KINDS)[number];
export type KindBytes = Record<SizeKind, number>;

export interface SizeReport {
  archive: string;
  measured: string;
  files: number;
  bytes: number;
  kinds: KindBytes;
  /** Per source folder (articles/<slug>, edits/<slug>, its lists); assets are shared, so in none. */
  sources: { slug: string; name: string | undefined; articles: number; bytes: number; kinds: KindBytes; months: { month: string; bytes: number }[] }[];
  /** Articles by their date, edits by when they were seen, monthly lists by their name; `unknown`: no date known. */
  months: { month: string; bytes: number; kinds: KindBytes }[];
  growth: { days: number; from: string; to: string; articles: number; bytesPerDay: number; kinds: KindBytes };
  /** What a static site would weigh: the articles' and edits' pages and every asset. */
  site: number;
  limits: LimitForecast[];
  largest: FileSize[];
  warnings: string[];
}

const DAY_MS = 86_400_000;
export const GROWTH_DAYS = 30;
const LARGEST = 10;
const ARTICLE = /^articles\/([^/]+)\/(-?\d+)\.md$/;
const EDIT = /^edits\/([^/]+)\/[^/]+\/(\d+)\.md$/;
const LIST = /^lists\/([^/]+?)(?:\.md|\/(\d{4}-\d{2})\.md)$/;
const ASSET_LINK = /assets\/[0-9a-f]{2}\/[0-9a-f]{64}\.[a-z0-9]{2,5}/g;
const READS_IN_FLIGHT = 16;

const zero = (): KindBytes => ({ articles: 0, edits: 0, assets: 0, lists: 0, state: 0, other: 0 });

interface Placed {
  kind: SizeKind;
  slug?: string | undefined;
  month?: string | undefined;
  /** When it came: an article's date, an edit's time seen. */
  at?: number | undefined;
}

export interface SizeInput {
  root: string;
  /** Source names by slug (lists are named by source name). */
  names: ReadonlyMap<string, string>;
  timeZone: string;
  /** Null when the archive has no catalog yet: articles are then undated. */
  catalog: Catalog | null;
  now: number;
}

/**
 * monthKey per 15 minutes (every zone's midnight falls on one): Intl's
 * formatting took 0.6 s for 100k articles.
 */
function monthsOf(timeZone: string): (ms: number) => string {
  const cache = new Map<number, string>();
  return (ms) => {
    const slot = Math.floor(ms / 900_000);
    let month = cache.get(slot);
    if (month === undefined) cache.set(slot, (month = monthKey(ms, timeZone)));
    return month;
  };
}

function place(path: string, month: (ms: number) => string, dates: Map<string, number>, bySourceName: Map<string, string>): Placed {
  const article = ARTICLE.exec(path);
  if (article) {
    const at = dates.get(`${article[1]}/${article[2]}`);
    return { kind: 'articles', slug: article[1], at, month: at === undefined ? 'unknown' : month(at) };
  }
  const edit = EDIT.exec(path);
  if (edit) {
    const at = Number(edit[2]);
    return { kind: 'edits', slug: edit[1], at, month: month(at) };
  }
  if (path.startsWith('assets/')) return { kind: 'assets' };
  const list = LIST.exec(path);
  if (list) return { kind: 'lists', slug: bySourceName.get(list[1] ?? ''), month: list[2] };
  if (path === 'README.md') return { kind: 'lists' };
  if (path === '.newsmirror/state.json' || path === '.gitignore') return { kind: 'state' };
  return { kind: 'other' };
}

/**
 * Assets that came with the window's articles: those their files link. A
 * picture is dated by the articles that link it, so only the window's files
 * are read (a bounded number, whatever the archive's size); one an older
 * article linked first is counted again (a logo), so growth errs high.
 */
async function windowAssets(root: string, articles: readonly string[], sizes: ReadonlyMap<string, number>): Promise<number> {
  const linked = new Set<string>();
  await mapLimited(articles, READS_IN_FLIGHT, async (path) => {
    const text = await readFile(join(root, path), 'utf8').catch(() => '');
    for (const match of text.matchAll(ASSET_LINK)) linked.add(match[0]);
  });
  let bytes = 0;
  for (const path of linked) bytes += sizes.get(path) ?? 0;
  return bytes;
}

/**
 * What the archive holds, by kind, source and month, how fast it grew over
 * the last 30 days (by the dates of what came: articles, their edits and the
 * pictures they link), and when GitHub's limits would be reached at that
 * rate. Sizes by stat; the catalog dates the articles (their first line).
 */
export async function measureArchive(input: SizeInput): Promise<SizeReport> {
  const files = await measureFiles(input.root);
  const warnings: string[] = [];
  const dates = new Map<string, number>();
  let oldest = Infinity;
  if (input.catalog) {
    for (const row of listOldestFirst(input.catalog)) {
      dates.set(`${row.source}/${row.id}`, row.published);
      oldest = Math.min(oldest, row.published);
    }
  }
  const bySourceName = new Map([...input.names].map(([slug, name]) => [name, slug]));
  const kinds = zero();
  const sources = new Map<string, { kinds: KindBytes; articles: number; months: Map<string, number> }>();
  const months = new Map<string, KindBytes>();
  const growthKinds = zero();
  const from = input.now - GROWTH_DAYS * DAY_MS;
  const recent: string[] = [];
  let undated = 0;
  const monthOf = monthsOf(input.timeZone);
  for (const file of files) {
    const placed = place(file.path, monthOf, dates, bySourceName);
    kinds[placed.kind] += file.bytes;
    if (placed.slug !== undefined) {
      let source = sources.get(placed.slug);
      if (!source) sources.set(placed.slug, (source = { kinds: zero(), articles: 0, months: new Map() }));
      source.kinds[placed.kind] += file.bytes;
      if (placed.kind === 'articles') source.articles += 1;
      if (placed.month !== undefined) source.months.set(placed.month, (source.months.get(placed.month) ?? 0) + file.bytes);
    }
    if (placed.month !== undefined) {
      let month = months.get(placed.month);
      if (!month) months.set(placed.month, (month = zero()));
      month[placed.kind] += file.bytes;
    }
    if (placed.kind === 'articles' && placed.at === undefined) undated += 1;
    if (placed.at !== undefined && placed.at > from && placed.at <= input.now) {
      growthKinds[placed.kind] += file.bytes;
      if (placed.kind === 'articles') recent.push(file.path);
    }
  }
  if (undated > 0) {
    warnings.push(
      input.catalog
        ? `${undated} article files the catalog does not know are in no month and no growth (newsmirror reindex)`
        : 'no catalog yet: articles are in no month and growth is unknown (run newsmirror reindex, or a run)',
    );
  }
  const sizes = new Map(files.map((f) => [f.path, f.bytes]));
  growthKinds.assets = await windowAssets(input.root, recent, sizes);
  // An archive younger than the window grew over its own age, not over 30 days.
  const days = Math.max(1, Math.min(GROWTH_DAYS, Math.ceil((input.now - oldest) / DAY_MS)));
  const grown = growthKinds.articles + growthKinds.edits + growthKinds.assets;
  const bytesPerDay = Number.isFinite(oldest) ? Math.round(grown / days) : 0;
  const bytes = files.reduce((n, f) => n + f.bytes, 0);
  const largest = [...files].sort((a, b) => b.bytes - a.bytes || (a.path < b.path ? -1 : 1)).slice(0, LARGEST);
  const site = kinds.articles + kinds.edits + kinds.assets;
  const sorted = <T>(map: Map<string, T>) => [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    archive: input.root,
    measured: new Date(input.now).toISOString(),
    files: files.length,
    bytes,
    kinds,
    sources: sorted(sources).map(([slug, s]) => ({
      slug,
      name: input.names.get(slug),
      articles: s.articles,
      bytes: Object.values(s.kinds).reduce((n, b) => n + b, 0),
      kinds: s.kinds,
      months: sorted(s.months).map(([month, bytes]) => ({ month, bytes })),
    })),
    months: sorted(months).map(([month, k]) => ({ month, bytes: Object.values(k).reduce((n, b) => n + b, 0), kinds: k })),
    growth: { days, from: new Date(from).toISOString(), to: new Date(input.now).toISOString(), articles: recent.length, bytesPerDay, kinds: growthKinds },
    site,
    limits: forecastLimits({ total: bytes, largest: largest[0]?.bytes ?? 0, site }, bytesPerDay, input.now),
    largest,
    warnings,
  };
}

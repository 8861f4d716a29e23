import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/load-config.js';
import { loadConfig } from '../config/load-config.js';
import { ArchiveError } from '../domain/errors.js';
import { renderSize } from '../domain/byte-size.js';
import type { LimitForecast } from '../domain/github-limits.js';
import { Catalog } from '../catalog/catalog.js';
import { CATALOG_FILE } from '../catalog/catalog-location.js';
import { listSourceSummaries } from '../catalog/reader-queries.js';
import { SIZE_KINDS, measureArchive, type KindBytes, type SizeReport } from '../pipeline/size-report.js';
import { parseCommandArgs } from './cli-args.js';
import { counted, printJson, println, type Output } from './output.js';

export const SIZE_HELP = `Usage: newsmirror size [--config FILE] [--archive DIR] [--json]

What the archive holds, by kind (articles, edits, assets, lists, state),
per source and per month; how much it grew a day over the last 30 days
(articles by their date, edits by when they were seen, the pictures those
articles link); when GitHub's limits would be reached at that rate (a
repository: 1 GB recommended, 5 GB; one file: 100 MiB; one push: 2 GB; a
Pages site: 1 GB); the largest files; and the budgets of the config.
Sizes are read with stat, no file is read but the last 30 days' articles.`;

/** Months shown in the text report (--json has them all). */
const MONTHS_SHOWN = 12;

const kindsLine = (kinds: KindBytes) => SIZE_KINDS.filter((k) => kinds[k] > 0).map((k) => `${k} ${renderSize(kinds[k])}`).join(', ') || 'nothing';

export function renderLimit(limit: LimitForecast): string {
  const what = `${limit.label} ${limit.size}`;
  if (limit.passed) return `${what}: passed (${renderSize(limit.used)})`;
  if (limit.reached !== null) return `${what}: reached in ${limit.days} days (${limit.reached})`;
  if (limit.days !== null) return `${what}: not within 100 years`;
  return `${what}: ${limit.key === 'file' ? `largest file ${renderSize(limit.used)}` : 'not growing'}`;
}

/** Is the archive over its total budget (new pictures stay remote)? */
export function budgetLine(report: SizeReport, config: Config): string {
  const total = config.budgets.total;
  const share = `${Math.round((report.bytes / total) * 100)}%`;
  return report.bytes >= total
    ? `budget: the archive (${renderSize(report.bytes)}) is past budgets.total (${renderSize(total)}): new images are kept remote`
    : `budget: ${share} of budgets.total (${renderSize(total)}); images: ${renderSize(config.budgets.articleImages)} an article, ${renderSize(config.budgets.runImages)} a run`;
}

function renderReport(report: SizeReport, config: Config): string[] {
  const lines = [`${report.archive}: ${renderSize(report.bytes)} in ${report.files} files (${kindsLine(report.kinds)})`];
  for (const s of report.sources) lines.push(`  ${s.slug}${s.name ? ` (${s.name})` : ''}: ${renderSize(s.bytes)}, ${counted(s.articles, 'article')} (${kindsLine(s.kinds)})`);
  const months = report.months.slice(-MONTHS_SHOWN);
  if (months.length > 0) lines.push(`by month${report.months.length > months.length ? ` (the last ${MONTHS_SHOWN}; --json has all)` : ''}:`);
  for (const m of months) lines.push(`  ${m.month}: ${renderSize(m.bytes)} (${kindsLine(m.kinds)})`);
  const g = report.growth;
  lines.push(`growth: ${renderSize(g.bytesPerDay)} a day over the last ${counted(g.days, 'day')} (${counted(g.articles, 'article')}: ${kindsLine(g.kinds)})`);
  lines.push('GitHub limits at that rate:');
  for (const limit of report.limits) lines.push(`  ${renderLimit(limit)}`);
  lines.push(`  (a static site of it: about ${renderSize(report.site)}; newsmirror site --assets link leaves the pictures out)`);
  lines.push('largest files:');
  for (const f of report.largest) lines.push(`  ${renderSize(f.bytes)}  ${f.path}`);
  lines.push(budgetLine(report, config));
  return lines;
}

/** The size report of the configured archive; opens its catalog read-only, and none when there is none yet. */
export async function sizeOf(config: Config, now = Date.now()): Promise<SizeReport> {
  if (!existsSync(config.archiveDir) || !statSync(config.archiveDir).isDirectory()) {
    throw new ArchiveError('no_archive', `${config.archiveDir}: no archive folder here (give it with --archive DIR)`);
  }
  const file = join(config.archiveDir, CATALOG_FILE);
  const catalog = existsSync(file) ? Catalog.open(file) : null;
  try {
    // The catalog knows the names of sources no longer configured, whose lists are still there.
    const known = catalog ? listSourceSummaries(catalog, 0).flatMap((s) => (s.name === undefined ? [] : [[s.slug, s.name] as const])) : [];
    const names = new Map([...known, ...config.sources.map((s) => [s.slug, s.name] as const)]);
    return await measureArchive({ root: config.archiveDir, names, timeZone: config.timezone, catalog, now });
  } finally {
    catalog?.close();
  }
}

export async function sizeCommand(args: string[], io: Output): Promise<number> {
  const { values } = parseCommandArgs('size', args, {}, 0);
  if (values.help) {
    println(io.out, SIZE_HELP);
    return 0;
  }
  const config = await loadConfig({ config: values.config, archive: values.archive, cwd: process.cwd() });
  const report = await sizeOf(config);
  if (values.json) {
    const t = config.budgets;
    printJson(io.out, { ...report, budgets: { ...t, passed: report.bytes >= t.total } });
    return 0;
  }
  for (const line of renderReport(report, config)) println(io.out, line);
  for (const w of report.warnings) println(io.err, `! ${w}`);
  return 0;
}

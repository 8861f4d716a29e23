import { existsSync, statSync } from 'node:fs';
import { ArchiveError } from '../domain/errors.js';
import { join } from 'node:path';
import { loadConfig } from '../config/load-config.js';
import { readState } from '../archive/state-file.js';
import { Catalog } from '../catalog/catalog.js';
import { CATALOG_FILE } from '../catalog/catalog-location.js';
import { sourceHealth, type SourceHealth } from '../pipeline/source-health.js';
import { parseCommandArgs } from './cli-args.js';
import { counted, printJson, println, type Output } from './output.js';
import { lastRunReport } from '../catalog/run-history.js';
import { renderSize } from '../domain/byte-size.js';
import type { BudgetReport } from '../pipeline/image-budget.js';
import type { Config } from '../config/load-config.js';
import { budgetLine, renderLimit, sizeOf } from './size-command.js';

export const STATUS_HELP = `Usage: newsmirror status [--config FILE] [--archive DIR] [--json]

Shows the health of every configured source: last attempt and last success,
the last error with its code (timeout, too_large, http_404, not_a_feed,
blocked, dns, tls, network, empty, ...), consecutive failures, the feed URL in
use (primary or mirror), articles archived, the newest article, whether the
feed had 0 items when last read (marked ~, not a failure), and whether
the source is stale (no new article for longer than its usual interval, or
than its staleAfter). Then the archive's size, its growth a day, the next
GitHub limit it would reach (newsmirror size says more), and whether a size
budget kept images remote (the archive's total, or the last run's).`;

/** What status says of the archive's size and budgets (its --json \`size\`), and the lines for people. */
async function sizeStatus(config: Config, catalog: Catalog, missing: boolean) {
  const report = await sizeOf(config);
  const last = missing ? undefined : (lastRunReport(catalog)?.budgets as BudgetReport | undefined);
  const next = report.limits.find((l) => l.reached !== null);
  const passed = report.limits.filter((l) => l.passed);
  const limits = [...passed.map((l) => `${l.label} ${l.size} passed`), ...(next ? [`${next.label} ${next.size} by ${next.reached}`] : [])];
  const lines = [`size: ${renderSize(report.bytes)} (assets ${renderSize(report.kinds.assets)}), ${renderSize(report.growth.bytesPerDay)} a day${limits.length > 0 ? `; ${limits.join(', ')}` : ''}`];
  lines.push(budgetLine(report, config));
  if (last !== undefined && last.keptRemote > 0) lines.push(`budget: the last run kept ${counted(last.keptRemote, 'image')} remote (budgets.${last.reached.join(', budgets.')})`);
  const json = {
    bytes: report.bytes,
    kinds: report.kinds,
    bytesPerDay: report.growth.bytesPerDay,
    limits: report.limits,
    budgets: { ...config.budgets, passed: report.bytes >= config.budgets.total, lastRun: last ?? null },
  };
  return { json, lines };
}

function describe(h: SourceHealth): string[] {
  // A source with no fetch recorded (new, or articles from an archive continued) is not known healthy: no mark says it is.
  const mark = h.consecutiveFailures > 0 ? '✗' : h.stale || h.emptyFeed ? '~' : h.lastAttempt === null ? '·' : '✓';
  const lines = [`${mark} ${h.slug} (${h.name}) ${h.url}`];
  lines.push(`    ${counted(h.articles, 'article')}, newest ${h.newest ?? 'none'}${h.stale ? ` — stale (after ${h.staleAfterHours} h)` : ''}`);
  lines.push(`    last attempt ${h.lastAttempt ?? 'never'}, last success ${h.lastSuccess ?? 'never'}`);
  if (h.emptyFeed) lines.push('    0 items in the feed when last read (well-formed, but empty)');
  if (h.lastError) lines.push(`    failing ${h.consecutiveFailures}× [${h.lastError.code}] ${h.lastError.message}`);
  return lines;
}

export async function statusCommand(args: string[], io: Output): Promise<number> {
  const { values } = parseCommandArgs('status', args, {}, 0);
  if (values.help) {
    println(io.out, STATUS_HELP);
    return 0;
  }
  const config = await loadConfig({ config: values.config, archive: values.archive, cwd: process.cwd() });
  if (existsSync(config.archiveDir) && !statSync(config.archiveDir).isDirectory()) {
    throw new ArchiveError('no_archive', `${config.archiveDir}: not a folder (give the archive folder with --archive DIR)`);
  }
  const file = join(config.archiveDir, CATALOG_FILE);
  const missing = !existsSync(file);
  const { state, problem } = await readState(config.archiveDir);
  // A read-only look: never create a catalog (or the archive folder) just to say it is empty.
  const catalog = Catalog.open(missing ? ':memory:' : file);
  try {
    const now = Date.now();
    const sources = config.sources.map((source) => sourceHealth(source, state.sources[source.slug], catalog, now));
    const warnings = [
      ...(problem ? [problem] : []),
      ...(missing ? [`${file}: no catalog yet; counts appear after the next run or \`newsmirror reindex\``] : []),
      ...(catalog.recoveredFrom !== undefined
        ? [`${file} was not a readable SQLite database: moved to ${catalog.recoveredFrom}; counts and history appear after the next run or \`newsmirror reindex\``]
        : []),
    ];
    // An archive folder not made yet has no size to say.
    const size = existsSync(config.archiveDir) ? await sizeStatus(config, catalog, missing) : undefined;
    if (values.json) printJson(io.out, { archive: config.archiveDir, sources, size: size?.json ?? null, warnings });
    else {
      for (const h of sources) for (const line of describe(h)) println(io.out, line);
      for (const line of size?.lines ?? []) println(io.out, line);
      for (const w of warnings) println(io.out, `! ${w}`);
    }
    return 0;
  } finally {
    catalog.close();
  }
}

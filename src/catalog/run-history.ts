import type { Catalog } from './catalog.js';

/**
 * The report the last finished run left (run-archive.ts records it), parsed,
 * or undefined: none yet, or one that is no JSON (a catalog's rows are
 * input like any other).
 */
export function lastRunReport(catalog: Catalog): Record<string, unknown> | undefined {
  const text = catalog.sqlite.prepare("SELECT report FROM runs WHERE status IN ('ok', 'partial') AND report IS NOT NULL ORDER BY id DESC LIMIT 1").pluck().get();
  if (typeof text !== 'string') return undefined;
  try {
    const report: unknown = JSON.parse(text);
    return report !== null && typeof report === 'object' ? (report as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

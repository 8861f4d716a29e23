import { parseArgs } from 'node:util';
import { runSearchBench } from './search.bench.js';

/*
 * The search benchmark on its own, until bench/main.ts runs it as a group:
 *   npm run build && node dist/bench/search/run-search-bench.js [--quick] [--seed N] [--json]
 * Builds 100k and 1M-article catalogs (10k and 100k with --quick) in the
 * system temp folder and removes them afterwards (1M needs about 11 GB free).
 */
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    seed: { type: 'string', default: '20250101' },
    json: { type: 'boolean', default: false },
  },
});
const seed = Number(values.seed);
if (!Number.isInteger(seed)) throw new Error(`--seed: "${values.seed}" is not an integer`);
const result = await runSearchBench({ quick: values.quick, seed, log: values.json ? () => undefined : undefined });
if (values.json) console.log(JSON.stringify(result, null, 2));

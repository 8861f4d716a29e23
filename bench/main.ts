import { fork } from 'node:child_process';
import { tuneMemory } from '../src/cli/tune-memory.js';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { emptyResults, renderTable, writeResults, type BenchResults } from './bench-results.js';

const HELP = `Usage: npm run bench -- [--quick] [--only parse,decode,run,archive,clean,startup,search,growth,bigbody,hostile,size] [--seed N] [--concurrency N]

Runs newsmirror's benchmarks, each against a baseline measured in the same
run, prints a Markdown table and writes bench/results/<date>-<sha>.json
(<date>-<sha>-quick.json with --quick). See bench/README.md.

  --quick          smaller sizes, one round: a smoke test in under a minute
  --only LIST      run only these groups (run includes rerun; archive is continue + reindex)
  --seed N         corpus seed (default 20250101)
  --concurrency N  the run's source concurrency (default: the config default)`;

const GROUPS = ['parse', 'decode', 'run', 'archive', 'clean', 'startup', 'search', 'growth', 'bigbody', 'hostile', 'size'] as const;
type Group = (typeof GROUPS)[number];

interface Settings {
  quick: boolean;
  seed: number;
  concurrency: number | undefined;
  workDir: string;
}

type ChildMessage = { group: Group; result: Partial<BenchResults> } | { group: Group; error: string };

const log = (line: string) => console.log(line);

/**
 * One group, in the current process: the child's side. Each group's module is
 * loaded only for its own process, so a group's peak RSS holds no other
 * group's modules (the run's main thread, as the CLI's, loads no DOM).
 */
async function runGroup(group: Group, s: Settings): Promise<Partial<BenchResults>> {
  switch (group) {
    case 'parse':
      return { parse: await (await import('./parse.bench.js')).benchParse(s, log) };
    case 'decode':
      return { decode: await (await import('./decode.bench.js')).benchDecode(s, log) };
    case 'run':
      return (await import('./run.bench.js')).benchRun(s, log);
    case 'archive': {
      const { benchArchive } = await import('./archive.bench.js');
      const { reindex, continue: cont } = await benchArchive({ seed: s.seed, quick: s.quick, cacheDir: s.workDir }, log);
      return { reindex, continue: cont };
    }
    case 'clean':
      return { clean: await (await import('./clean.bench.js')).benchClean(s, log) };
    case 'startup':
      return { startup: await (await import('./startup.bench.js')).benchStartup(s, log) };
    case 'bigbody':
      return { bigBody: await (await import('./big-body.bench.js')).benchBigBody({ seed: s.seed, quick: s.quick, workDir: s.workDir }, log) };
    case 'hostile':
      return { hostile: await (await import('./hostile.bench.js')).benchHostile(s, log) };
    case 'search': {
      const { runSearchBench } = await import('./search/search.bench.js');
      // The full sizes (100k and 1M) take about 20 minutes and 11 GB; --quick stays a smoke test.
      return { search: await runSearchBench({ quick: s.quick, seed: s.seed, log, ...(s.quick ? { steps: [2_000, 10_000] } : {}) }) };
    }
    case 'size':
      return { size: await (await import('./size.bench.js')).benchSize(s, log) };
    case 'growth': {
      const { benchGrowth } = await import('./growth.bench.js');
      const imagesDir = fileURLToPath(new URL('../../../shared/corpus/images', import.meta.url));
      return { growth: await benchGrowth({ quick: s.quick, workDir: s.workDir, imagesDir }, log) };
    }
  }
}

/**
 * Each group runs in a fresh child process: its peak RSS is its own
 * (ru_maxrss never goes down), and one group's garbage and JIT state do not
 * slow the next. A `node --cpu-prof` given to main is inherited by the children;
 * --expose-gc lets the interleaved timings start each pass from a clean heap.
 */
function runChild(group: Group, argv: string[]): Promise<ChildMessage> {
  return new Promise((resolve) => {
    const execArgv = [...process.execArgv, '--expose-gc'];
    const child = fork(fileURLToPath(import.meta.url), ['--child', group, ...argv], { stdio: 'inherit', execArgv });
    let message: ChildMessage | undefined;
    child.on('message', (m: ChildMessage) => (message = m));
    child.on('exit', (code, signal) => resolve(message ?? { group, error: `benchmark process exited (${signal ?? code}) without a result` }));
  });
}

function parseSettings(): { settings: Settings; groups: Group[]; child: Group | undefined; help: boolean; argv: string[] } {
  const argv = process.argv.slice(2);
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      seed: { type: 'string', default: '20250101' },
      concurrency: { type: 'string' },
      child: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const aliases: Record<string, Group> = { rerun: 'run', continue: 'archive', reindex: 'archive' };
  const wanted = values.only?.split(',').map((g) => aliases[g.trim()] ?? g.trim());
  for (const g of wanted ?? []) {
    if (!(GROUPS as readonly string[]).includes(g)) throw new Error(`--only: unknown benchmark "${g}" (known: ${GROUPS.join(', ')}, rerun, continue, reindex)`);
  }
  const groups = GROUPS.filter((g) => wanted === undefined || wanted.includes(g));
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed: "${values.seed}" is not an integer`);
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  const child = values.child as Group | undefined;
  const passthrough = argv.filter((a, i) => a !== '--child' && argv[i - 1] !== '--child' && !a.startsWith('--child='));
  return { settings: { quick: values.quick, seed, concurrency, workDir: join(tmpdir(), 'newsmirror-bench') }, groups, child, help: values.help, argv: passthrough };
}

async function main(): Promise<number> {
  const { settings, groups, child, help, argv } = parseSettings();
  if (help) {
    log(HELP);
    return 0;
  }
  await mkdir(settings.workDir, { recursive: true });
  if (child !== undefined) {
    // The heap settings the CLI runs with (bin/newsmirror.js).
    tuneMemory();
    let message: ChildMessage;
    try {
      message = { group: child, result: await runGroup(child, settings) };
    } catch (error) {
      message = { group: child, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
    // Started by hand (no IPC channel, e.g. to profile one group): print what the parent would get.
    if (process.send) process.send(message);
    else console.log(JSON.stringify(message, null, 2));
    return 'error' in message ? 1 : 0;
  }
  const repo = fileURLToPath(new URL('../../', import.meta.url));
  const results = emptyResults(repo, settings.quick, settings.seed, [...groups]);
  log(`newsmirror bench${settings.quick ? ' --quick' : ''}: ${groups.join(', ')} (seed ${settings.seed}, ${results.machine.cpus} CPUs, Node ${process.version}; data under ${settings.workDir})`);
  for (const group of groups) {
    const message = await runChild(group, argv);
    if ('error' in message) {
      results.errors[group] = message.error.split('\n')[0] ?? message.error;
      console.error(`bench ${group} failed:\n${message.error}`);
    } else {
      Object.assign(results, message.result);
    }
  }
  const file = await writeResults(join(repo, 'bench', 'results'), results);
  log('');
  log(renderTable(results));
  log('');
  log(`results: ${file}`);
  return Object.keys(results.errors).length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pairedSpeedup, round, timeInterleaved, type ContenderTiming } from './measure.js';

export interface StartupResult {
  /** `node -e 0`: what any Node command costs before it does anything (the baseline). */
  bareNodeMs: number;
  /** `newsmirror --help`, `newsmirror status --help`, `newsmirror run --help`: a command's modules loaded, nothing done. */
  helpMs: number;
  statusMs: number;
  runMs: number;
  /** Each against bare Node, paired per round (1.5 = takes 1.5× as long as starting Node). */
  helpVsNode: number;
  statusVsNode: number;
  runVsNode: number;
}

const BIN = fileURLToPath(new URL('../../bin/newsmirror.js', import.meta.url));

function spawnPass(args: string[]): () => void {
  return () => {
    const child = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${child.status}: ${child.stderr.trim()}`);
  };
}

/**
 * How long the CLI takes to start: each command loads only its own modules
 * (cli/main.ts), so `status` should cost little more than Node itself and
 * `run` (the DOM, the sanitizer, the feed reader, the HTTP client) more.
 */
export async function benchStartup(options: { quick: boolean }, log: (line: string) => void): Promise<StartupResult> {
  const [node, help, status, run] = await timeInterleaved(
    [
      { name: 'node -e 0', pass: spawnPass(['-e', '0']) },
      { name: 'newsmirror --help', pass: spawnPass([BIN, '--help']) },
      { name: 'newsmirror status --help', pass: spawnPass([BIN, 'status', '--help']) },
      { name: 'newsmirror run --help', pass: spawnPass([BIN, 'run', '--help']) },
    ],
    options.quick ? 3 : 10,
  );
  const ms = (t: ContenderTiming | undefined) => round((t?.median ?? Number.NaN) * 1000, 1);
  const result: StartupResult = {
    bareNodeMs: ms(node),
    helpMs: ms(help),
    statusMs: ms(status),
    runMs: ms(run),
    helpVsNode: round(1 / pairedSpeedup(help!, node!)),
    statusVsNode: round(1 / pairedSpeedup(status!, node!)),
    runVsNode: round(1 / pairedSpeedup(run!, node!)),
  };
  log(`startup: node ${result.bareNodeMs} ms; --help ${result.helpMs} ms (${result.helpVsNode}×), status ${result.statusMs} ms (${result.statusVsNode}×), run ${result.runMs} ms (${result.runVsNode}×)`);
  return result;
}

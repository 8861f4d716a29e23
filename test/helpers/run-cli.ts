import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { Output } from '../../src/cli/output.js';
import { PROJECT_ROOT } from './shared.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function collector(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** Runs the CLI in this process (fast), capturing what it prints; `interactive` as on a terminal (live progress). */
export async function runCli(args: string[], options: { interactive?: boolean } = {}): Promise<CliResult> {
  const out = collector();
  const err = collector();
  const io: Output = { out: out.stream, err: err.stream, interactive: options.interactive ?? false };
  const code = await main(args, io);
  return { code, stdout: out.text(), stderr: err.text() };
}

export const BIN = join(PROJECT_ROOT, 'bin/newsmirror.js');

/**
 * Runs the built CLI (`npm run build` first) as its own process. `maxFileKiB`
 * caps the size of the files it writes (ulimit -f, SIGXFSZ ignored): a write
 * past it fails with EFBIG, as one on a full disk fails with ENOSPC.
 */
export function spawnCli(args: string[], options: { cwd?: string; env?: Record<string, string>; maxFileKiB?: number } = {}) {
  const [command, argv] =
    options.maxFileKiB === undefined
      ? [process.execPath, [BIN, ...args]]
      : ['bash', ['-c', `trap '' XFSZ; ulimit -f ${options.maxFileKiB}; exec "$0" "$@"`, process.execPath, BIN, ...args]];
  const child = spawn(command, argv, {
    cwd: options.cwd ?? PROJECT_ROOT,
    env: { ...process.env, CI: 'true', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const done = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code: code ?? -1, signal, stdout, stderr }));
  });
  return { child, done };
}

import type { Writable } from 'node:stream';
import { escapeControlCharacters } from '../domain/control-characters.js';

/** Where a command prints: results to `out`, progress and problems to `err`. */
export interface Output {
  out: Writable;
  err: Writable;
  /** True on an interactive terminal outside CI: show live progress. */
  interactive: boolean;
}

export function defaultOutput(): Output {
  const ci = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
  for (const stream of [process.stdout, process.stderr]) ignoreClosedReader(stream);
  return { out: process.stdout, err: process.stderr, interactive: Boolean(process.stderr.isTTY) && !ci };
}

/**
 * `newsmirror search 台 | head -1`: the reader goes away while the command
 * still prints, and the next write fails with EPIPE, an unhandled stream
 * error that crashed the command with a stack trace. What is left to print
 * has no reader; the command itself goes on to its end (a run still
 * archives everything) and exits with its own code.
 */
function ignoreClosedReader(stream: NodeJS.WriteStream): void {
  if (stream.listenerCount('error') > 0) return;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

/**
 * One line (or several) for the terminal, with control characters escaped:
 * warnings and errors quote titles, guids, URLs and labels from feeds, and
 * an ESC in one of them must show as `\x1b`, not clear the maintainer's
 * screen or retitle the window.
 */
export function println(stream: Writable, line = ''): void {
  stream.write(`${escapeControlCharacters(line)}\n`);
}

/** `1 article`, `2 articles`: a count and its noun (plural: with -s unless given). */
export function counted(count: number, noun: string, plural = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : plural}`;
}

export function printJson(stream: Writable, value: unknown): void {
  stream.write(`${JSON.stringify(value, null, 2)}\n`);
}

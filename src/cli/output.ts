import type { Writable } from 'node:stream';

/** Where a command prints: results to `out`, progress and problems to `err`. */
export interface Output {
  out: Writable;
  err: Writable;
  /** True on an interactive terminal outside CI: show live progress. */
  interactive: boolean;
}

export function defaultOutput(): Output {
  const ci = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
  return { out: process.stdout, err: process.stderr, interactive: Boolean(process.stderr.isTTY) && !ci };
}

export function println(stream: Writable, line = ''): void {
  stream.write(`${line}\n`);
}

export function printJson(stream: Writable, value: unknown): void {
  stream.write(`${JSON.stringify(value, null, 2)}\n`);
}

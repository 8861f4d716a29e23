import { parseArgs, type ParseArgsConfig } from 'node:util';
import { NewsmirrorError } from '../domain/errors.js';

/** A command line that cannot be understood: exit code 1, like any run that cannot start. */
export class UsageError extends NewsmirrorError {
  constructor(message: string) {
    super('usage', message);
  }
}

/** Options every command takes. */
export const COMMON_OPTIONS = {
  config: { type: 'string' },
  archive: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

/**
 * Parses a command line. `maxPositionals` is how many arguments besides
 * options the command takes: one more was ignored before, so `run rfi` ran
 * every source and `save URL1 URL2` saved only the first.
 */
export function parseCommandArgs<O extends NonNullable<ParseArgsConfig['options']>>(command: string, args: string[], options: O, maxPositionals: number) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...COMMON_OPTIONS, ...options }, allowPositionals: true, strict: true });
  } catch (error) {
    // main.ts names the command; node's message has a second sentence about positionals we do not need.
    const first = ((error as Error).message.split('\n')[0] ?? '').replace(/\. To specify a positional argument.*$/, '');
    // "--limit -5", "--source --json": node explains its "argument is ambiguous" only on the lines after.
    const ambiguous = /^Option '(--[\w-]+)' argument is ambiguous\.$/.exec(first)?.[1];
    const what = ambiguous ? `${ambiguous}: no value, or one that starts with "-" (give such a value as ${ambiguous}=-x)` : first;
    throw new UsageError(`${what} (see newsmirror ${command} --help)`);
  }
  // An empty value is a variable left unset (--archive "$DIR"): --archive '' archived into the working
  // folder over its README.md, --host '' served on every interface, --config '' read the folder.
  for (const [name, value] of Object.entries(parsed.values)) {
    if (value === '' || (Array.isArray(value) && value.includes(''))) throw new UsageError(`--${name}: empty value (see newsmirror ${command} --help)`);
  }
  if (parsed.positionals.includes('')) throw new UsageError(`an empty argument (see newsmirror ${command} --help)`);
  // The shell does not expand ~ after "=": --archive=~/news made a folder named "~" in the working folder.
  for (const name of ['archive', 'out', 'config']) {
    const value = (parsed.values as Record<string, unknown>)[name];
    if (typeof value === 'string' && value.startsWith('~')) {
      throw new UsageError(`--${name} ${value}: ~ is not expanded here (write --${name} ${value} with a space, for the shell to expand it, or the full path)`);
    }
  }
  const extra = parsed.positionals.slice(maxPositionals);
  if (extra.length > 0 && (parsed.values as { help?: boolean }).help !== true) {
    throw new UsageError(`unexpected argument ${extra.map((a) => JSON.stringify(a)).join(' ')} (see newsmirror ${command} --help)`);
  }
  return parsed;
}

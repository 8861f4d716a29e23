import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { z } from 'zod';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { ConfigError, describeError } from '../domain/errors.js';
import { parseReadme } from '../domain/readme.js';
import { configSchema, type ConfigInput, type ParsedConfig } from './config-schema.js';
import { DEFAULT_SOURCES } from './default-sources.js';

export interface Config extends ParsedConfig {
  /** Absolute archive folder. */
  archiveDir: string;
  /** The file the config came from; undefined for the built-in default. */
  file: string | undefined;
}

export interface LoadConfigOptions {
  /** --config */
  config?: string | undefined;
  /** --archive: overrides the config's folder. */
  archive?: string | undefined;
  cwd: string;
}

export const CONFIG_FILE = 'newsmirror.yaml';

function keyPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');
}

/** The line of the YAML node at `path` (or of the nearest node above it that is there). */
function lineOf(doc: Document | undefined, lines: LineCounter, path: readonly PropertyKey[]): number | undefined {
  for (let n = path.length; doc && n >= 0; n -= 1) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as unknown[], true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return undefined;
}

/** `file:line` of the YAML node at `path`, or just `file` when it cannot be located. */
function where(file: string, doc: Document | undefined, lines: LineCounter, path: readonly PropertyKey[]): string {
  const line = lineOf(doc, lines, path);
  return line === undefined ? file : `${file}:${line}`;
}

function checkUnique(config: ParsedConfig, fail: (path: PropertyKey[], message: string) => never): void {
  const seen = new Map<string, number>();
  config.sources.forEach((source, i) => {
    for (const [key, value] of [
      ['slug', source.slug.toLowerCase()],
      ['name', source.name.toLowerCase()],
    ] as const) {
      const earlier = seen.get(`${key}:${value}`);
      if (earlier !== undefined) {
        fail(['sources', i, key], `"${source[key]}" is already used by sources[${earlier}] (${key}s name folders and files, and must differ ignoring case)`);
      }
      seen.set(`${key}:${value}`, i);
    }
  });
}

/** What is wrong, in the user's words where zod's are its own. */
function issueText(issue: z.core.$ZodIssue, input: unknown): string {
  // A bad record key (a header name) says why in its inner issue; the outer one only says "Invalid key in record".
  if (issue.code === 'invalid_key') return issue.issues[0]?.message ?? issue.message;
  // "Invalid input: expected string, received undefined" is a key left out.
  const value = issue.path.reduce<unknown>((node, key) => (node as Record<PropertyKey, unknown> | undefined)?.[key], input);
  if (issue.code === 'invalid_type' && value === undefined) return 'missing (required)';
  return issue.message;
}

/** Problems said at most: a file that is wrong everywhere (not a config at all) is not listed in full. */
const MAX_PROBLEMS = 20;

/** Every problem zod found, each as a key path and what is wrong there; an unknown key is one per key. */
function problemsOf(issues: readonly z.core.$ZodIssue[], input: unknown): { path: PropertyKey[]; message: string }[] {
  return issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: [...issue.path, key], message: 'unknown key (check its spelling against the README)' }))
      : [{ path: [...issue.path], message: issueText(issue, input) }],
  );
}

function validate(input: unknown, file: string, doc: Document | undefined, lines: LineCounter): ParsedConfig {
  const say = (path: readonly PropertyKey[], message: string): string => {
    const key = keyPath(path);
    return `${where(file, doc, lines, path)}: ${key ? `${key}: ` : ''}${message}`;
  };
  const fail = (path: PropertyKey[], message: string): never => {
    throw new ConfigError('invalid_config', say(path, message));
  };
  const result = configSchema.safeParse(input);
  if (!result.success) {
    // Every problem, one a line in the file's order: it said the first and "(and 3 more)", one run each to find.
    const problems = problemsOf(result.error.issues, input).map((p, i) => ({ ...p, i, line: lineOf(doc, lines, p.path) ?? 0 }));
    // An unknown key first: a misspelt one explains the "missing" key after it.
    const unknown = (p: { message: string }) => (p.message.startsWith('unknown key') ? 0 : 1);
    const sorted = problems.sort((a, b) => unknown(a) - unknown(b) || a.line - b.line || a.i - b.i).map((p) => say(p.path, p.message));
    const shown = sorted.slice(0, MAX_PROBLEMS);
    if (sorted.length > MAX_PROBLEMS) shown.push(`${file}: and ${sorted.length - MAX_PROBLEMS} more problems`);
    throw new ConfigError('invalid_config', shown.join('\n'));
  }
  const config = result.data!;
  checkUnique(config, fail);
  return config;
}

/**
 * The README heading and footer the config leaves unsaid are the archive's
 * own, read from its README.md (an archive continued from elsewhere keeps
 * its front page); else the defaults.
 */
async function readmeOf(input: unknown, parsed: ParsedConfig['readme'], archiveDir: string): Promise<ParsedConfig['readme']> {
  const given = (input as { readme?: { title?: unknown; footer?: unknown } }).readme ?? {};
  if (given.title !== undefined && given.footer !== undefined) return parsed;
  const text = await readFile(resolve(archiveDir, 'README.md'), 'utf8').catch(() => undefined);
  const own = text === undefined ? undefined : parseReadme(text);
  if (!own) return parsed;
  return { title: given.title !== undefined ? parsed.title : own.title, footer: given.footer !== undefined ? parsed.footer : own.footer };
}

/**
 * The file's text, which must be UTF-8 (a BOM is fine). A file saved as
 * GBK or Latin-1 read as UTF-8 without complaint gave names and titles with
 * U+FFFD in them, and so list files named with them; UTF-16 (Notepad's
 * "Unicode") gave a string that failed as "expected object".
 */
function decodeConfig(bytes: Buffer, file: string): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new ConfigError('invalid_config', `${file}: saved as UTF-16; save it as UTF-8`);
  }
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const decodes = (part: Uint8Array) => {
    try {
      utf8.decode(part);
      return true;
    } catch {
      return false;
    }
  };
  if (decodes(bytes)) return utf8.decode(bytes);
  let line = 1;
  for (let start = 0, end = 0; start <= bytes.length; start = end + 1, line += 1) {
    end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    if (!decodes(bytes.subarray(start, end))) break;
  }
  throw new ConfigError('invalid_config', `${file}:${line}: not UTF-8 text (GBK or Latin-1?); save the file as UTF-8`);
}

/**
 * Finds, reads and validates the configuration: `--config FILE`, else
 * `./newsmirror.yaml`, else the built-in default sources. The archive folder
 * is relative to the config file (or to the working directory for the default).
 */
export async function loadConfig(options: LoadConfigOptions): Promise<Config> {
  const explicit = options.config !== undefined ? resolve(options.cwd, options.config) : undefined;
  const local = resolve(options.cwd, CONFIG_FILE);
  const file = explicit ?? (existsSync(local) ? local : undefined);
  const lines = new LineCounter();
  let input: unknown = { sources: [...DEFAULT_SOURCES] } satisfies ConfigInput;
  let doc: Document | undefined;
  if (file !== undefined) {
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      throw new ConfigError('unreadable_config', `${file}: cannot read the config file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    const text = decodeConfig(bytes, file);
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
    const [problem] = doc.errors;
    if (problem) {
      const pos = problem.linePos?.[0];
      // The parser's first line repeats the position and ends with a colon before its excerpt: the position is given already.
      const what = (problem.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '').replace(/:$/, '');
      throw new ConfigError('invalid_yaml', `${file}${pos ? `:${pos.line}:${pos.col}` : ''}: not valid YAML: ${what}`);
    }
    try {
      input = doc.toJS() ?? {};
    } catch (error) {
      // Aliases that expand without end (yaml stops them): a document that parsed but cannot be read.
      throw new ConfigError('invalid_yaml', `${file}: not usable YAML: ${describeError(error)}`);
    }
  }
  const config = validate(input, file ?? '(built-in default config)', doc, lines);
  const base = file !== undefined ? dirname(file) : options.cwd;
  const archiveDir = options.archive !== undefined ? resolve(options.cwd, options.archive) : resolve(base, config.archive);
  return { ...config, readme: await readmeOf(input, config.readme, archiveDir), archiveDir, file };
}

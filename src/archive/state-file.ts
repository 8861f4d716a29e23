import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isHeaderValue } from '../domain/http-header.js';
import { writeFileIfChanged } from './write-file-atomic.js';

export const STATE_FILE = '.newsmirror/state.json';

export interface Validators {
  etag?: string;
  lastModified?: string;
}

/**
 * What must survive a fresh CI machine, per source. Only values that change
 * when something really changed (validators, the URL in use, the failure
 * streak): no timestamps, so a run with nothing new leaves the file as it was.
 */
export interface SourceState {
  /** The feed URL that worked last (the primary or a mirror); the next run starts with it. */
  url?: string;
  validators?: Record<string, Validators>;
  failures?: number;
  lastError?: { code: string; message: string };
  /** The feed read last had 0 items: not a failure, but its health says so. Cleared by a feed with items. */
  emptyFeed?: true;
}

export interface ArchiveState {
  sources: Record<string, SourceState>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * One source's state as far as it has the types newsmirror writes; what
 * has not (a hand edit) is left out and its key added to `wrong`. Taken as
 * it was, `"failures": "3"` counted on as "31", a string entry was saved
 * back as {"0": ...}, and an ETag that is no header value made every fetch
 * of the source fail as a [network] error, run after run.
 */
function readSourceState(key: string, value: unknown, wrong: string[]): SourceState {
  if (!isRecord(value)) {
    wrong.push(key);
    return {};
  }
  const out: SourceState = {};
  const isText = (v: unknown): v is string => typeof v === 'string' && isHeaderValue(v);
  for (const [name, field] of Object.entries(value)) {
    if (name === 'url' && typeof field === 'string') out.url = field;
    else if (name === 'failures' && Number.isSafeInteger(field) && (field as number) >= 0) out.failures = (field as number) || undefined;
    else if (name === 'emptyFeed' && field === true) out.emptyFeed = true;
    else if (name === 'lastError' && isRecord(field) && typeof field.code === 'string' && typeof field.message === 'string') {
      out.lastError = { code: field.code, message: field.message };
    } else if (name === 'validators' && isRecord(field)) {
      const validators: Record<string, Validators> = {};
      for (const [url, v] of Object.entries(field)) {
        if (isRecord(v) && Object.entries(v).every(([k, x]) => (k === 'etag' || k === 'lastModified') && isText(x))) validators[url] = v as Validators;
        else wrong.push(`${key}.validators.${url}`);
      }
      if (Object.keys(validators).length > 0) out.validators = validators;
    } else wrong.push(`${key}.${name}`);
  }
  return out;
}

/**
 * Reads the state file. It is a cache of fetch state, so a missing or broken
 * one is not fatal: the run starts afresh and the problem is returned to report.
 */
export async function readState(root: string): Promise<{ state: ArchiveState; problem?: string }> {
  let text: string;
  try {
    text = await readFile(join(root, STATE_FILE), 'utf8');
  } catch {
    return { state: { sources: {} } };
  }
  try {
    const value: unknown = JSON.parse(text);
    if (isRecord(value) && isRecord(value.sources)) {
      const wrong: string[] = [];
      const sources = Object.fromEntries(Object.entries(value.sources).map(([slug, entry]) => [slug, readSourceState(`sources.${slug}`, entry, wrong)]));
      const more = wrong.length > 1 ? ` (and ${wrong.length - 1} more)` : '';
      return wrong.length === 0 ? { state: { sources } } : { state: { sources }, problem: `${STATE_FILE}: ${wrong[0]}: not a value newsmirror writes there${more}; left out` };
    }
    return { state: { sources: {} }, problem: `${STATE_FILE}: no "sources" object; starting with empty fetch state` };
  } catch (error) {
    return { state: { sources: {} }, problem: `${STATE_FILE}: not valid JSON (${(error as Error).message}); starting with empty fetch state` };
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    if (value[key] !== undefined) out[key] = sortKeys(value[key]);
  }
  return out;
}

/** Sorted keys, two-space indent, final newline: small diffs in git. */
export function renderState(state: ArchiveState): string {
  return `${JSON.stringify(sortKeys(state), null, 2)}\n`;
}

export async function writeState(root: string, state: ArchiveState): Promise<boolean> {
  return writeFileIfChanged(root, STATE_FILE, renderState(state));
}

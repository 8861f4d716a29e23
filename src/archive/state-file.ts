import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
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
}

export interface ArchiveState {
  sources: Record<string, SourceState>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
    if (isRecord(value) && isRecord(value.sources)) return { state: value as unknown as ArchiveState };
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

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * Walk up from this file to newsmirror's package.json: the same code runs from
 * src/http (tests) and dist/src/http (installed), at different depths.
 */
function readVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    try {
      const pkg: unknown = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (typeof pkg === 'object' && pkg !== null && 'name' in pkg && pkg.name === 'newsmirror') {
        return 'version' in pkg && typeof pkg.version === 'string' ? pkg.version : '0.0.0';
      }
    } catch {
      // no package.json at this level: keep climbing
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return '0.0.0';
}

let version: string | undefined;

/** newsmirror's own version, from its package.json, read once per process. */
export function newsmirrorVersion(): string {
  version ??= readVersion();
  return version;
}

/** `newsmirror/<version> (+https://github.com/newsmirror)`, read once per process. */
export function defaultUserAgent(): string {
  cached ??= `newsmirror/${newsmirrorVersion()} (+https://github.com/newsmirror)`;
  return cached;
}

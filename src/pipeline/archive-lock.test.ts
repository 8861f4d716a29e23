import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { acquireLock } from './archive-lock.js';

describe('archive lock', () => {
  it('lets exactly one of several runs take over a lock left by a dead process', async () => {
    // Contenders that judged the same dead lock stale must not remove each other's fresh lock.
    for (let trial = 0; trial < 200; trial += 1) {
      const root = await tempDir();
      await mkdir(join(root, '.newsmirror'));
      await writeFile(join(root, '.newsmirror/lock'), `${JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), started: 'x' })}\n`);
      const results = await Promise.allSettled([acquireLock(root), acquireLock(root), acquireLock(root)]);
      const held = results.filter((r) => r.status === 'fulfilled');
      expect(held, `trial ${trial}`).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(String(r.reason)).toMatch(/\.newsmirror\/lock: /);
      for (const r of held) await r.value.release();
      expect(await readdir(join(root, '.newsmirror'))).toEqual(['lock.sqlite']);
    }
  });
});

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../src/config/config-schema.js';
import { cleanForSource } from '../src/pipeline/clean-for-source.js';
import { PROJECT_ROOT } from './helpers/shared.js';

const compiled = join(PROJECT_ROOT, 'dist/src/pipeline/clean-pool.js');

// Skipped without a build (vitest alone), never in CI, where `npm test` builds first.
describe.skipIf(!existsSync(compiled) && !process.env.CI)('the cleaning thread pool (compiled, as the CLI runs it)', () => {
  it('cleans in worker threads exactly as on the main thread, in order, and closes', async () => {
    const { CleanPool } = (await import(pathToFileURL(compiled).href)) as typeof import('../src/pipeline/clean-pool.js');
    const [source] = configSchema.parse({ sources: [{ name: 'R', slug: 'r', url: 'https://www.rfi.fr/cn/rss' }] }).sources;
    const bodies = Array.from({ length: 40 }, (_, i) => `<p>第${i}段</p><script>x()</script><div data-selfpromo-app></div><br><hr><div>获取更多RSS：<br><a href="https://feedx.net">https://feedx.net</a></div>`);
    const pool = CleanPool.start(2);
    try {
      const out = await Promise.all(bodies.map((html) => pool.clean(html, 'https://www.rfi.fr/cn/a', source!)));
      expect(out).toEqual(bodies.map((html) => cleanForSource(html, 'https://www.rfi.fr/cn/a', source!)));
      expect(out[7]).toBe('<p>第7段</p>');
      expect(await pool.clean('<p>raw</p><script>kept</script>', undefined, { ...source!, clean: false })).toBe('<p>raw</p><script>kept</script>');
    } finally {
      await pool.close();
    }
  });

  it('redoes on the calling thread the jobs of a thread that dies, and keeps going without it', async () => {
    const { CleanPool } = (await import(pathToFileURL(compiled).href)) as typeof import('../src/pipeline/clean-pool.js');
    const [source] = configSchema.parse({ sources: [{ name: 'R', slug: 'r', url: 'https://www.rfi.fr/cn/rss' }] }).sources;
    const bodies = Array.from({ length: 30 }, (_, i) => `<p>第${i}段</p><script>x()</script>`);
    const pool = CleanPool.start(2);
    try {
      const jobs = bodies.map((html) => pool.clean(html, undefined, source!));
      await pool.killOneThread();
      const later = bodies.map((html) => pool.clean(html, undefined, source!));
      expect(await Promise.all([...jobs, ...later])).toEqual([...bodies, ...bodies].map((html) => cleanForSource(html, undefined, source!)));
    } finally {
      await pool.close();
    }
  });
});

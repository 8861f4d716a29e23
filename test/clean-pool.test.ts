import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../src/config/config-schema.js';
import { cleanForSource } from '../src/pipeline/clean-for-source.js';
import { PROJECT_ROOT } from './helpers/shared.js';
import { numberedItems, rss } from './helpers/feeds.js';

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

  it('gives up a job at its signal (its source\'s deadline): queued, dropped; running, its thread replaced; the others go on', async () => {
    const { CleanPool } = (await import(pathToFileURL(compiled).href)) as typeof import('../src/pipeline/clean-pool.js');
    const [source] = configSchema.parse({ sources: [{ name: 'R', slug: 'r', url: 'https://www.rfi.fr/cn/rss' }] }).sources;
    // A few seconds of cleaning a thread: longer than any deadline below.
    const slow = '<div><p>段落 <a href="https://example.org/x">链接</a> <b>粗</b></p></div>'.repeat(40_000);
    const pool = CleanPool.start(2);
    try {
      const deadline = new AbortController();
      const started = Date.now();
      const given = [pool.clean(slow, undefined, source!, deadline.signal), pool.clean(slow, undefined, source!, deadline.signal), pool.clean(slow, undefined, source!, deadline.signal)];
      const other = pool.clean('<p>别的来源</p><script>x()</script>', undefined, source!);
      setTimeout(() => deadline.abort(), 200);
      const settled = await Promise.allSettled(given);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(settled.map((s) => (s.status === 'rejected' ? (s.reason as { code?: string }).code : 'fulfilled'))).toEqual(['too_slow', 'too_slow', 'too_slow']);
      expect(await other).toBe('<p>别的来源</p>');
      // Both threads are there again and clean as before.
      const after = await Promise.all(['<p>一</p>', '<p>二</p>', '<p>三</p>'].map((html) => pool.clean(html, undefined, source!)));
      expect(after).toEqual(['<p>一</p>', '<p>二</p>', '<p>三</p>']);
      const late = pool.clean('<p>晚</p>', undefined, source!, deadline.signal);
      await expect(late).rejects.toMatchObject({ code: 'too_slow' });
    } finally {
      await pool.close();
    }
  });

  it('reads feeds on a thread as on the calling thread, its errors with their codes', async () => {
    const { CleanPool } = (await import(pathToFileURL(compiled).href)) as typeof import('../src/pipeline/clean-pool.js');
    const { readFeedHere } = await import('../src/pipeline/read-feed-task.js');
    const task = { kind: 'feed' as const, body: new TextEncoder().encode(rss(numberedItems(5))), contentType: 'application/rss+xml', url: 'https://example.org/feed' };
    const pool = CleanPool.start(1);
    try {
      expect(await pool.readFeed(task)).toEqual(readFeedHere(task));
      const page = { ...task, body: new TextEncoder().encode('<!DOCTYPE html><html><body><p>网页</p></body></html>') };
      await expect(pool.readFeed(page)).rejects.toMatchObject({ name: 'FeedError', code: 'not_a_feed' });
    } finally {
      await pool.close();
    }
  });

  it('runs the jobs of a thread that dies again on a new thread, and keeps going', async () => {
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

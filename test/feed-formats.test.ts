/**
 * The long tail of feed formats through `newsmirror run` (issue 15): a real
 * server on 127.0.0.1, a real archive folder, catalog and state file.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTree } from './helpers/archive-tree.js';
import { numberedItems, rss } from './helpers/feeds.js';
import { startOneSource, type OneSource } from './helpers/one-source.js';
import { runCli } from './helpers/run-cli.js';

describe('feed formats through newsmirror run', () => {
  let one: OneSource;
  beforeEach(async () => {
    one = await startOneSource();
  });
  afterEach(() => one.server.stop());

  const run = async () => {
    const result = await runCli(['run', '--config', one.config, '--json']);
    return { code: result.code, report: JSON.parse(result.stdout) };
  };
  const articles = async () => [...(await readTree(one.archive)).entries()].filter(([p]) => p.startsWith('articles/'));

  it('takes an empty feed for 0 items: a warning, the source not failing, and status shows it until items come', async () => {
    one.server.routes.set('/t.xml', { body: rss([]) });
    const first = await run();
    expect(first.code).toBe(0);
    expect(first.report.sources[0]).toMatchObject({ status: 'ok', items: 0, added: [] });
    expect(first.report.sources[0].warnings[0]).toMatch(/0 items: the feed is well-formed but empty/);
    const state = JSON.parse(await readFile(join(one.archive, '.newsmirror/state.json'), 'utf8'));
    expect(state.sources.t).toEqual({ emptyFeed: true });

    const status = await runCli(['status', '--config', one.config]);
    expect(status.stdout).toMatch(/^~ t \(测试\) /m);
    expect(status.stdout).toContain('0 items in the feed when last read (well-formed, but empty)');
    expect(JSON.parse((await runCli(['status', '--config', one.config, '--json'])).stdout).sources[0]).toMatchObject({
      emptyFeed: true,
      consecutiveFailures: 0,
      lastError: null,
    });

    one.server.routes.set('/t.xml', { body: rss(numberedItems(1)) });
    expect((await run()).report.sources[0].added).toHaveLength(1);
    expect(JSON.parse((await runCli(['status', '--config', one.config, '--json'])).stdout).sources[0].emptyFeed).toBe(false);
    expect(await articles()).toHaveLength(1);
  });
});

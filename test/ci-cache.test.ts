import { cp, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PNG } from '../src/demo/demo-feeds.js';
import { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { gitIn, isolateGit, treeFiles } from '../src/git/testing/git-fixture.js';
import { compactAsset } from './helpers/archived-image.js';
import { numberedItems, rss, type TestItem } from './helpers/feeds.js';
import { runCli } from './helpers/run-cli.js';
import { raceRemote } from './helpers/race-remote.js';
import { tempDir } from './helpers/temp-dir.js';

beforeAll(isolateGit);

const BASE = numberedItems(2, 'base', Date.UTC(2026, 0, 1));
const NEW = numberedItems(2, 'new', Date.UTC(2026, 0, 2));

/**
 * The generated GitHub workflow: a fresh checkout each run, the catalog
 * restored from the Actions cache and saved back even when the run failed.
 * A run whose push failed (exit 3) saved a catalog that knows articles,
 * images and edits whose files went with its runner: the next run's
 * checkout lacks them, its catalog does not.
 */
describe('a catalog from the Actions cache, saved by a run whose push failed', () => {
  let server: LocalFeedServer;
  let dir: string;
  let origin: string;
  let clone: (name: string, ...options: string[]) => Promise<string>;
  beforeEach(async () => {
    server = await new LocalFeedServer().start();
    dir = await tempDir();
    server.routes.set('/a.png', { headers: { 'content-type': 'image/png' }, body: DEMO_PNG });
    ({ origin, clone } = await raceRemote(dir, server, BASE, 'allowPrivateNetworks: true\n'));
  });
  afterEach(() => server.stop());

  const run = (c: string) => runCli(['run', '--config', join(c, 'newsmirror.yaml'), '--json']);

  /** The workflow's "Restore the catalog": the catalog files that clone `from` left, copied into clone `to`. */
  async function restoreCache(from: string, to: string) {
    const cache = join(from, 'archive/.newsmirror');
    for (const name of (await readdir(cache)).filter((n) => n.startsWith('catalog.sqlite'))) {
      await cp(join(cache, name), join(to, 'archive/.newsmirror', name));
    }
  }

  /** A CI run that cannot push, then one on a fresh checkout with the catalog the first saved: the second's report. */
  async function afterFailedPush(items: TestItem[]) {
    server.routes.set('/t.xml', { body: rss(items) });
    const first = await clone('ci-1', '--depth', '1');
    await restoreCache(join(dir, 'seed'), first);
    await gitIn(first, 'remote', 'set-url', 'origin', join(dir, 'nowhere.git'));
    expect((await run(first)).code).toBe(3);
    const second = await clone('ci-2', '--depth', '1');
    await restoreCache(first, second);
    const result = await run(second);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    return { second, report: JSON.parse(result.stdout) as { sources: Array<{ added: number[]; edited: number[]; status: string }> } };
  }

  it('archives again the articles whose files never reached the remote, though the feed is the same', async () => {
    const { report } = await afterFailedPush([...NEW, ...BASE]);
    expect(report.sources[0]).toMatchObject({ status: 'ok', added: [1048572, 1048571] });
    expect(await treeFiles(origin, 'main', 'archive/articles/t')).toEqual(['1048571', '1048572', '1048573', '1048574'].map((id) => `archive/articles/t/${id}.md`));
  });

  it('downloads again an image whose file never reached the remote, rather than point at a missing file', async () => {
    const asset = `archive/${compactAsset(DEMO_PNG)}`;
    const pictured = { ...NEW[0]!, description: `<p>图</p><img src="${server.url}/a.png">` };
    const { second } = await afterFailedPush([pictured, ...BASE]);
    expect(await readFile(join(second, 'archive/articles/t/1048572.md'), 'utf8')).toContain(`src="../../${asset.slice('archive/'.length)}"`);
    expect(await treeFiles(origin, 'main', 'archive/assets')).toEqual([asset]);
    expect(server.hits.get('/a.png')).toBe(2);
  });

  it('records again an edit whose file never reached the remote', async () => {
    const edited = { ...BASE[0]!, description: '<p>正文 1（更正）</p>' };
    const { report } = await afterFailedPush([edited, BASE[1]!]);
    expect(report.sources[0]).toMatchObject({ status: 'ok', edited: [1048573] });
    expect(await treeFiles(origin, 'main', 'archive/edits/t/1048573')).toHaveLength(1);
  });
});

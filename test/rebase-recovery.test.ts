import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseArticleFile } from '../src/archive/article-file.js';
import { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { gitIn, isolateGit, showFile, treeFiles } from '../src/git/testing/git-fixture.js';
import { numberedItems, rss } from './helpers/feeds.js';
import { raceRemote } from './helpers/race-remote.js';
import { spawnCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp-dir.js';

beforeAll(isolateGit);

const BASE = numberedItems(2, 'base', Date.UTC(2026, 0, 1));
/** s0..s4, one hour apart, oldest first. */
const STORY = numberedItems(5, 's', Date.UTC(2026, 0, 2)).reverse();
const story = (...ks: number[]) => ks.map((k) => STORY[k]!);

/** The remote's archive: each article's link by id, and the ids the source's list and its month's list link. */
async function remoteArchive(origin: string) {
  const links = new Map<number, string>();
  for (const path of await treeFiles(origin, 'main', 'archive/articles/t')) {
    const name = path.split('/').pop()!;
    links.set(Number(name.replace('.md', '')), parseArticleFile(await showFile(origin, 'main', path), name).url);
  }
  const ids = (text: string) => [...text.matchAll(/\]\(\/articles\/t\/(\d+)\.md\)/g)].map((m) => Number(m[1])).sort();
  const list = ids(await showFile(origin, 'main', 'archive/lists/测试.md'));
  const month = ids(await showFile(origin, 'main', 'archive/lists/测试/2026-01.md'));
  return { links, list, month };
}

describe('a run killed inside its own rebase (run --push, the remote moved)', () => {
  let server: LocalFeedServer;
  let origin: string;
  let a: string;
  beforeEach(async () => {
    server = await new LocalFeedServer().start();
    const race = await raceRemote(await tempDir(), server, BASE);
    origin = race.origin;
    a = await race.clone('a');
    const b = await race.clone('b');
    // b pushes s0 and s1 first, under the two ids a then gives s2 and s3: a's rebase renumbers both.
    server.routes.set('/t.xml', { body: rss([...story(0, 1), ...BASE]) });
    const first = await spawnCli(['run', '--config', join(b, 'newsmirror.yaml')]).done;
    expect(first.code, first.stdout + first.stderr).toBe(0);
  });
  afterEach(() => server.stop());

  const run = (env: Record<string, string> = {}) => spawnCli(['run', '--config', join(a, 'newsmirror.yaml'), '--json'], { env }).done;

  async function expectWhole(stories: typeof STORY): Promise<void> {
    const { links, list, month } = await remoteArchive(origin);
    // Every article once, under distinct ids, each listed.
    expect([...links.values()].sort()).toEqual([...BASE, ...stories].map((item) => item.link).sort());
    expect(list).toEqual([...links.keys()].sort());
    expect(month).toEqual([...links.keys()].sort());
    // Nothing left behind: no untracked renumbered file, no marker, no rebase, and a's branch is the remote's.
    expect(await gitIn(a, 'status', '--porcelain', '--untracked-files=all')).toBe('');
    expect(existsSync(join(a, 'archive/.newsmirror/rebase.json'))).toBe(false);
    expect(await gitIn(a, 'rev-parse', 'HEAD')).toBe(await gitIn(origin, 'rev-parse', 'main'));
    // And the catalog agrees with the files: the same feed again archives nothing and commits nothing.
    const again = JSON.parse((await run()).stdout);
    expect(again.sources[0].added).toEqual([]);
    expect(again.git.commit).toBeNull();
  }

  /** What a's feed holds when it runs again: s1 (which b has) and s4 (new) as well, or nothing new at all. */
  const MORE = story(1, 2, 3, 4);
  const SAME = story(2, 3);

  it.each([
    ['before the rebase starts', 'rebase-marked:1', undefined, MORE, 0],
    ['after the rebase stopped on the ids both clones gave', 'rebase-stopped:1', 'undid', MORE, 0],
    ['after the rebase stopped, the feed unchanged since', 'rebase-stopped:1', 'undid', SAME, 0],
    ['after the first renumbered file was written, not yet staged', 'renumbered-written:1', 'undid', MORE, 1],
    // The abort takes the staged one away; the other is the marker's to remove.
    ['after one renumbered file was staged and the second written', 'renumbered-written:2', 'undid', MORE, 1],
    ['after the rebase finished, before its lists were rebuilt', 'rebase-finished:1', 'took back', MORE, 0],
    ['after the rebase finished, the feed unchanged since', 'rebase-finished:1', 'took back', SAME, 0],
    ['after the rebase was settled, before the push', 'before-push:2', undefined, MORE, 0],
  ])('%s: the next run undoes what is left, pushes every article once, with lists that show them all', async (_what, point, said, later, removed) => {
    server.routes.set('/t.xml', { body: rss([...story(2, 3), ...BASE]) });
    const killed = await run({ NEWSMIRROR_FAILPOINT: point });
    expect(killed.signal, killed.stdout + killed.stderr).toBe('SIGKILL');
    expect(existsSync(join(a, '.git/rebase-merge'))).toBe(said === 'undid');
    server.routes.set('/t.xml', { body: rss([...later, ...BASE]) });
    const next = await run();
    expect(next.code, next.stdout + next.stderr).toBe(0);
    const report = JSON.parse(next.stdout);
    const files = removed > 0 ? ` and the ${removed} renumbered file it wrote removed` : '';
    if (said === 'undid') expect(report.warnings[0]).toMatch(new RegExp(`^git: undid the rebase onto [0-9a-f]{10} that a killed run left \\(git rebase --abort${files}\\); this run's push rebases again$`));
    else if (said) expect(report.warnings[0]).toMatch(/^git: took back the rebase onto [0-9a-f]{10} that a killed run left, finished but not pushed \(its lists not rebuilt\), to [0-9a-f]{10}; this run's push rebases again$/);
    else expect(report.warnings).toEqual([]);
    expect(report.git.pushes[0]).toMatchObject({ status: 'pushed' });
    await expectWhole(later === MORE ? STORY : story(0, 1, 2, 3));
  });

  it('leaves a rebase of the maintainer’s alone, though a killed run’s marker is there: exit 3, said, nothing lost', async () => {
    server.routes.set('/t.xml', { body: rss([...story(2, 3), ...BASE]) });
    const killed = await run({ NEWSMIRROR_FAILPOINT: 'rebase-marked:1' });
    expect(killed.signal, killed.stdout + killed.stderr).toBe('SIGKILL');
    expect(existsSync(join(a, 'archive/.newsmirror/rebase.json'))).toBe(true);
    // The maintainer rebases the run's commit by hand (onto its parent, not the remote's commit the marker names).
    await gitIn(a, '-c', 'sequence.editor=sed -i s/^pick/edit/', 'rebase', '--quiet', '-i', 'HEAD~1');
    server.routes.set('/t.xml', { body: rss([...story(1, 2, 3, 4), ...BASE]) });
    const result = await run();
    expect(result.code, result.stdout + result.stderr).toBe(3);
    const report = JSON.parse(result.stdout);
    expect(report.warnings).toEqual([]);
    expect(report.git.error).toBe(`${a}: a rebase is in progress (a run killed in one?); finish it or run \`git rebase --abort\`, then run again: nothing was committed`);
    expect(existsSync(join(a, '.git/rebase-merge'))).toBe(true);
    expect(await gitIn(a, 'rev-parse', 'HEAD')).toBe(await gitIn(a, 'rev-parse', 'main'));
    // Once the maintainer is done with it, the next run pushes everything.
    await gitIn(a, 'rebase', '--abort');
    const next = await run();
    expect(next.code, next.stdout + next.stderr).toBe(0);
    await expectWhole(STORY);
  });
});

import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseArticleFile } from '../src/archive/article-file.js';
import { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { gitIn, isolateGit, showFile, subjects, treeFiles } from '../src/git/testing/git-fixture.js';
import { numberedItems, rss, type TestItem } from './helpers/feeds.js';
import { runCli } from './helpers/run-cli.js';
import { raceRemote } from './helpers/race-remote.js';
import { tempDir } from './helpers/temp-dir.js';

beforeAll(isolateGit);

const BASE = numberedItems(2, 'base', Date.UTC(2026, 0, 1));
/** s0..s4, one hour apart: the stream both clones read at slightly different moments. */
const STORY = numberedItems(5, 's', Date.UTC(2026, 0, 2)).reverse();
const story = (...ks: number[]) => ks.map((k) => STORY[k]!);

/** The remote's archive: every article's link, by id, and the list's entries. */
async function remoteArchive(origin: string) {
  const files = (await treeFiles(origin, 'main', 'archive/articles/t')).map((f) => f.split('/').pop()!);
  const links = new Map<number, string>();
  for (const name of files) {
    const text = await showFile(origin, 'main', `archive/articles/t/${name}`);
    links.set(Number(name.replace('.md', '')), parseArticleFile(text, name).url);
  }
  const list = await showFile(origin, 'main', 'archive/lists/测试.md');
  const entries = [...list.matchAll(/\]\(\/articles\/t\/(\d+)\.md\)/g)].map((m) => Number(m[1]));
  return { links, entries };
}

describe('two clones racing to push the same archive', () => {
  let server: LocalFeedServer;
  let origin: string;
  let clone: (name: string, ...options: string[]) => Promise<string>;
  beforeEach(async () => {
    server = await new LocalFeedServer().start();
    ({ origin, clone } = await raceRemote(await tempDir(), server, BASE));
  });
  afterEach(() => server.stop());

  /** Answers the feed only once both clones asked, so both commit on the same base before either pushes. */
  function serveBoth(first: TestItem[], second: TestItem[]): void {
    const waiting: ServerResponse[] = [];
    server.routes.set('/t.xml', (_req, res) => {
      waiting.push(res);
      if (waiting.length < 2) return;
      waiting[0]!.end(rss([...first, ...BASE]));
      waiting[1]!.end(rss([...second, ...BASE]));
    });
  }

  it('keeps both runs’ articles once each, under distinct ids, with lists that show them all', async () => {
    const one = await clone('one');
    const two = await clone('two', '--depth', '1');
    serveBoth(story(0, 1, 2), story(1, 2, 3, 4));
    const results = await Promise.all([one, two].map((c) => runCli(['run', '--config', join(c, 'newsmirror.yaml'), '--json'])));
    for (const r of results) expect(r.code, r.stdout + r.stderr).toBe(0);
    const pushes = results.map((r) => JSON.parse(r.stdout).git.pushes[0]);
    expect(pushes.map((p) => p.status).sort()).toEqual(['pushed', 'pushed']);
    const loser = pushes.find((p) => p.incoming > 0);
    expect(loser, 'one of the runs had to rebase').toBeDefined();
    expect(loser.renumbered).toHaveLength(1);
    expect(loser.dropped).toHaveLength(2);

    const { links, entries } = await remoteArchive(origin);
    const expected = [...BASE, ...STORY].map((item) => item.link).sort();
    expect([...links.values()].sort()).toEqual(expected);
    expect(links.size).toBe(7);
    expect([...entries].sort()).toEqual([...links.keys()].sort());
    // The loser's commit counts only the stories the winner had not archived (5 in all).
    const reports = results.map((r) => JSON.parse(r.stdout));
    const won = reports.find((r) => r.git.pushes[0].incoming === 0).sources[0].added.length;
    expect(await subjects(origin, 'main')).toEqual([`newsmirror: 测试 +${5 - won}`, `newsmirror: 测试 +${won}`, 'newsmirror: 测试 +2', 'set up']);
    expect(reports.map((r) => r.git.commit.sha).sort()).toEqual((await gitIn(origin, 'rev-list', '-2', 'main')).trim().split('\n').sort());

    // Each clone's catalog agrees with its files: the same feed again archives nothing.
    for (const c of [one, two]) {
      await gitIn(c, 'pull', '--quiet', '--rebase', 'origin', 'main');
      server.routes.set('/t.xml', { body: rss([...STORY, ...BASE]) });
      const again = JSON.parse((await runCli(['run', '--config', join(c, 'newsmirror.yaml'), '--json'])).stdout);
      expect(again.sources[0].added).toEqual([]);
      expect(again.git.commit).toBeNull();
    }
  });

  /**
   * Clone b archives `first` and pushes; clone a reads the feed later, when it holds `second`, and
   * pushes after b, whose commit it did not have: a's report, its run having gone through.
   */
  async function pushAfter(first: TestItem[], second: TestItem[]) {
    const a = await clone('a');
    const b = await clone('b');
    server.routes.set('/t.xml', { body: rss([...first, ...BASE]) });
    expect((await runCli(['run', '--config', join(b, 'newsmirror.yaml')])).code).toBe(0);
    server.routes.set('/t.xml', { body: rss([...second, ...BASE]) });
    const late = await runCli(['run', '--config', join(a, 'newsmirror.yaml'), '--json']);
    expect(late.code, late.stdout + late.stderr).toBe(0);
    return { a, report: JSON.parse(late.stdout) };
  }

  it('after a rebase onto the same article, lists every article in every list and counts only what it committed', async () => {
    const { report } = await pushAfter(story(0), story(1, 0));
    // Its run archived 2, one of which b had pushed already (the same file): it counted 2 new.
    expect(report.sources[0].added).toEqual([1048571]);
    expect(report.git.pushes[0]).toMatchObject({ status: 'pushed', incoming: 1, renumbered: [] });

    // The pushed commit adds one article (the other was on the remote already) and says so.
    const head = (await gitIn(origin, 'rev-parse', 'main')).trim();
    expect(await gitIn(origin, 'diff', '--name-only', '--diff-filter=A', 'main~1', 'main', '--', 'archive/articles')).toBe('archive/articles/t/1048571.md\n');
    expect(await subjects(origin, 'main')).toEqual(['newsmirror: 测试 +1', 'newsmirror: 测试 +1', 'newsmirror: 测试 +2', 'set up']);
    expect(report.git.commit).toMatchObject({ sha: head, message: 'newsmirror: 测试 +1' });

    const { links, entries } = await remoteArchive(origin);
    expect(links.size).toBe(4);
    expect([...entries].sort()).toEqual([...links.keys()].sort());
    const month = await showFile(origin, 'main', 'archive/lists/测试/2026-01.md');
    const monthEntries = [...month.matchAll(/\]\(\/articles\/t\/(\d+)\.md\)/g)].map((m) => Number(m[1]));
    expect(monthEntries).toEqual(entries);
  });

  /**
   * Clone b archives `day(1)` and pushes; clone a reads the feed later, when it holds only `day(2)`,
   * and pushes after b: a's push must go through with nothing dropped. Returns the remote's articles.
   */
  async function raceOverOneLink(day: (n: number) => TestItem): Promise<Array<{ title: string; body: string }>> {
    const { report } = await pushAfter([day(1)], [day(2)]);
    expect(report.git.pushes[0]).toMatchObject({ status: 'pushed', incoming: 1, dropped: [] });
    const articles = [];
    for (const name of await treeFiles(origin, 'main', 'archive/articles/t')) articles.push(parseArticleFile(await showFile(origin, 'main', name), name));
    return articles;
  }

  it('keeps both clones’ articles when they share a link but are different articles (a page updated daily)', async () => {
    const articles = await raceOverOneLink((n) => ({ title: `每日简报 ${n}`, guid: `urn:brief:${n}`, link: 'https://example.org/briefing', pubDate: new Date(Date.UTC(2026, 0, 2, n)).toUTCString(), description: `<p>第 ${n} 期</p>` }));
    expect(articles.map((a) => a.title).sort()).toEqual(['base 0 第0篇', 'base 1 第1篇', '每日简报 1', '每日简报 2']);
  });

  it('keeps both clones\' articles when they share a link and a headline but are a day apart', async () => {
    const articles = await raceOverOneLink((n) => ({ title: '每日简报', guid: `urn:daily:${n}`, link: 'https://example.org/daily', pubDate: new Date(Date.UTC(2026, 0, 1 + n)).toUTCString(), description: `<p>第 ${n} 期</p>` }));
    expect(articles.map((a) => a.body).filter((body) => body.includes('期')).sort()).toEqual(['<p>第 1 期</p>', '<p>第 2 期</p>']);
  });

  it('renumbers every colliding article of a clone that lost the race, and the lists follow', async () => {
    const one = await clone('one');
    const two = await clone('two');
    const other = numberedItems(3, 'x', Date.UTC(2026, 0, 3));
    server.routes.set('/t.xml', { body: rss([...story(0, 1), ...BASE]) });
    expect((await runCli(['run', '--config', join(one, 'newsmirror.yaml')])).code).toBe(0);
    server.routes.set('/t.xml', { body: rss([...other, ...BASE]) });
    // A maintainer's uncommitted edit survives the rebase and stays out of the commits.
    await appendFile(join(two, 'newsmirror.yaml'), '# local note\n');
    // So does an editor's swap file beside the articles, in the commit folded in after the rebase as in the first.
    await writeFile(join(two, 'archive/articles/t/.1048573.md.swp'), 'swap\n');
    const late = JSON.parse((await runCli(['run', '--config', join(two, 'newsmirror.yaml'), '--json'])).stdout);
    const push = late.git.pushes[0];
    expect(push).toMatchObject({ status: 'pushed', incoming: 1, dropped: [] });
    // Renumbered oldest first, as ids are given: the older of the two keeps the larger id.
    expect(push.renumbered).toEqual([
      { slug: 't', from: 1048572, to: 1048569 },
      { slug: 't', from: 1048571, to: 1048568 },
    ]);
    const { links, entries } = await remoteArchive(origin);
    expect(links.size).toBe(7);
    expect(links.get(1048572)).toBe(STORY[0]!.link);
    expect(links.get(1048571)).toBe(STORY[1]!.link);
    expect(links.get(1048570)).toBe(other[0]!.link);
    expect(links.get(1048569)).toBe(other[2]!.link);
    expect(links.get(1048568)).toBe(other[1]!.link);
    expect(entries).toHaveLength(7);
    expect(await gitIn(two, 'status', '--porcelain')).toBe(' M newsmirror.yaml\n?? archive/articles/t/.1048573.md.swp\n');
    expect(late.git.stray).toEqual(['archive/articles/t/.1048573.md.swp']);
    expect(await readFile(join(two, 'newsmirror.yaml'), 'utf8')).toMatch(/# local note\n$/);
    expect(await gitIn(two, 'rev-parse', 'HEAD')).toBe(await gitIn(origin, 'rev-parse', 'main'));
  });

  it('says in its summary only the articles the rebase kept as new', async () => {
    const a = await clone('a');
    const b = await clone('b');
    server.routes.set('/t.xml', { body: rss([...story(0), ...BASE]) });
    expect((await runCli(['run', '--config', join(b, 'newsmirror.yaml')])).code).toBe(0);
    server.routes.set('/t.xml', { body: rss([...story(1, 0), ...BASE]) });
    const late = await runCli(['run', '--config', join(a, 'newsmirror.yaml')]);
    expect(late.code, late.stdout + late.stderr).toBe(0);
    expect(late.stdout).toMatch(/^newsmirror: 1 source, 1 new article, 0 unchanged, 0 failed in /);
    expect(late.stdout).toContain('git: pushed to origin (rebased onto 1 new commit)\n');
  });

  it('drops a clone\'s article that the remote archived under another id, and pushes', async () => {
    // Clone a archives s0 and s1 without b's commit (s1): s0 takes b's id for s1, and a's s1 has no counterpart path.
    const { a, report } = await pushAfter(story(1), story(1, 0));
    expect(report.git.pushes[0]).toMatchObject({
      status: 'pushed',
      renumbered: [{ slug: 't', from: 1048572, to: 1048570 }],
      dropped: ['articles/t/1048571.md'],
    });
    // The run's new articles as they stand: s0 under its new id, s1 not new (b's).
    expect(report.sources[0].added).toEqual([1048570]);
    const { links, entries } = await remoteArchive(origin);
    expect(Object.fromEntries(links)).toMatchObject({ 1048572: STORY[1]!.link, 1048570: STORY[0]!.link });
    expect(links.size).toBe(4);
    expect([...entries].sort()).toEqual([...links.keys()].sort());
    expect((await subjects(origin, 'main')).slice(0, 2)).toEqual(['newsmirror: 测试 +1', 'newsmirror: 测试 +1']);
    expect(await gitIn(a, 'status', '--porcelain')).toBe('');
  });
});

import { openDatabase } from '../src/catalog/sqlite.js';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { gitIn, isolateGit, showFile, subjects, treeFiles } from '../src/git/testing/git-fixture.js';
import { numberedItems, rss, type TestItem } from './helpers/feeds.js';
import { runCli } from './helpers/run-cli.js';
import { raceRemote } from './helpers/race-remote.js';
import { tempDir } from './helpers/temp-dir.js';

beforeAll(isolateGit);

const BASE = numberedItems(2, 'base', Date.UTC(2026, 0, 1));
const X: TestItem = { title: '票价调整', guid: 'urn:x', link: 'https://example.org/x', pubDate: 'Fri, 02 Jan 2026 04:00:00 GMT', description: '<p>平均加幅约百分之三。</p>' };
const X2: TestItem = { ...X, description: '<p>平均加幅约百分之二点五。</p><p>（更正）</p>' };
const E: TestItem = { title: '地铁延误', guid: 'urn:e', link: 'https://example.org/e', pubDate: 'Fri, 02 Jan 2026 06:00:00 GMT', description: '<p>荃湾线延误二十分钟。</p>' };
const E2: TestItem = { ...E, description: '<p>荃湾线延误三十分钟。</p>' };
const Y: TestItem = { title: '天气', guid: 'urn:y', link: 'https://example.org/y', pubDate: 'Fri, 02 Jan 2026 05:00:00 GMT', description: '<p>晴</p>' };

describe('edits and a rebase that renumbers their article', () => {
  let server: LocalFeedServer;
  let dir: string;
  let origin: string;
  let clone: (name: string) => Promise<string>;
  beforeEach(async () => {
    server = await new LocalFeedServer().start();
    dir = await tempDir();
    ({ origin, clone } = await raceRemote(dir, server, BASE));
  });
  afterEach(() => server.stop());

  const run = async (c: string, items: TestItem[], feedTitle = 'Test feed') => {
    server.routes.set('/t.xml', { body: rss(items, feedTitle) });
    return runCli(['run', '--config', join(c, 'newsmirror.yaml'), '--json']);
  };
  /** Two clones of the remote, as two machines running the archive. */
  const clones = async () => [await clone('a'), await clone('b')] as const;
  const sources = (r: { stdout: string }) => JSON.parse(r.stdout).sources[0] as { added: number[]; edited: number[] };
  /** Clone `c` cannot push for a while: its runs commit, and keep their commits. */
  const offline = (c: string) => gitIn(c, 'remote', 'set-url', 'origin', join(dir, 'nowhere.git'));
  /** Clone `c`, offline, archives X and records an edit of it (X2): two commits it cannot push. */
  const editOffline = async (c: string) => {
    await offline(c);
    expect(sources(await run(c, [X, ...BASE])).added).toEqual([1048572]);
    expect(sources(await run(c, [X2, ...BASE])).edited).toEqual([1048572]);
  };
  /** Clone `c` runs and pushes (online again, if it was offline): its report, the run having gone through. */
  const pushLate = async (c: string, items: TestItem[], feedTitle?: string) => {
    await gitIn(c, 'remote', 'set-url', 'origin', origin);
    const late = await run(c, items, feedTitle);
    expect(late.code, late.stdout + late.stderr).toBe(0);
    return JSON.parse(late.stdout) as { sources: Array<{ added: number[]; edited: number[] }>; git: { pushes: Array<Record<string, unknown>> } };
  };

  it('moves an article\'s edit files with it, so the article that took its id does not show them', async () => {
    const [a, b] = await clones();
    // Clone a cannot push for a while: it archives X, then records an edit of X, both unpushed.
    await editOffline(a);
    // Clone b archives another article, Y, under the same id and pushes first.
    expect(sources(await run(b, [Y, ...BASE])).added).toEqual([1048572]);
    // Clone a can push again: its X is renumbered.
    const late = await pushLate(a, [X2, ...BASE], 'Test feed again');
    const push = late.git.pushes[0];
    expect(push).toMatchObject({ status: 'pushed', renumbered: [{ slug: 't', from: 1048572, to: 1048571 }] });
    const edits = await treeFiles(origin, 'main', 'archive/edits');
    expect(edits).toEqual([expect.stringMatching(/^archive\/edits\/t\/1048571\/\d{13}\.md$/)]);
    // Y, under X's old id, is no edit of X's versions: the next run records nothing.
    const next = sources(await run(a, [Y, X2, ...BASE], 'Test feed once more'));
    expect([next.added, next.edited]).toEqual([[], []]);
  });

  it('never renumbers an article onto an id whose edit files are a deleted article\'s', async () => {
    const [a, b] = await clones();
    // Clone b archives Y, then E with an edit; E is deleted by hand, its edits stay; all pushed.
    expect(sources(await run(b, [Y, ...BASE])).added).toEqual([1048572]);
    expect(sources(await run(b, [E, Y, ...BASE])).added).toEqual([1048571]);
    expect(sources(await run(b, [E2, Y, ...BASE])).edited).toEqual([1048571]);
    await rm(join(b, 'archive/articles/t/1048571.md'));
    expect((await run(b, [Y, ...BASE], 'Test feed after the deletion')).code).toBe(0);
    // Clone a archived X under Y's id meanwhile: X is renumbered, below E's id, which E's edit files keep.
    const late = await pushLate(a, [X, ...BASE]);
    const push = late.git.pushes[0];
    expect(push).toMatchObject({ status: 'pushed', renumbered: [{ slug: 't', from: 1048572, to: 1048570 }] });
    expect(await treeFiles(origin, 'main', 'archive/articles/t/1048571.md')).toEqual([]);
  });

  it('never renumbers an article onto an id that a later commit of ours used and deleted', async () => {
    const [a, b] = await clones();
    await offline(a);
    // Clone a, unpushed: X, then E (a smaller id), then E is deleted by hand and the deletion committed.
    expect(sources(await run(a, [X, ...BASE])).added).toEqual([1048572]);
    expect(sources(await run(a, [E, X, ...BASE])).added).toEqual([1048571]);
    await rm(join(a, 'archive/articles/t/1048571.md'));
    const deleted = JSON.parse((await run(a, [X, ...BASE], 'Test feed after the deletion')).stdout).git.commit;
    expect(deleted.files).toContain('archive/articles/t/1048571.md');
    expect(sources(await run(b, [Y, ...BASE])).added).toEqual([1048572]);
    const late = await pushLate(a, [X, ...BASE], 'Test feed again');
    // Replayed, E's commit would collide with X moved to E's id (and E come back); X goes below it.
    expect(late.git.pushes[0]).toMatchObject({ status: 'pushed', renumbered: [{ slug: 't', from: 1048572, to: 1048570 }] });
    expect(await treeFiles(origin, 'main', 'archive/articles')).toEqual([1048570, 1048572, 1048573, 1048574].map((id) => `archive/articles/t/${id}.md`));
    expect(await showFile(origin, 'main', 'archive/articles/t/1048570.md')).toContain('[票价调整](https://example.org/x)');
  });

  it('moves the edit files of an article dropped for the remote\'s copy under another id to that copy', async () => {
    const [a, b] = await clones();
    const W: TestItem = { ...E, pubDate: 'Fri, 02 Jan 2026 01:00:00 GMT' };
    await offline(a);
    // Clone a, unpushed: W, then X with an edit.
    expect(sources(await run(a, [W, ...BASE])).added).toEqual([1048572]);
    expect(sources(await run(a, [X, W, ...BASE])).added).toEqual([1048571]);
    expect(sources(await run(a, [X2, W, ...BASE])).edited).toEqual([1048571]);
    // Clone b archives X too, under 1048572, and pushes first.
    expect(sources(await run(b, [X, ...BASE])).added).toEqual([1048572]);
    const late = await pushLate(a, [X2, W, ...BASE], 'Test feed again');
    expect(late.git.pushes[0]).toMatchObject({ status: 'pushed', renumbered: [{ slug: 't', from: 1048572, to: 1048570 }], dropped: ['articles/t/1048571.md'] });
    // X's edit follows the X kept (b's, 1048572), and is its latest version: the next run records nothing.
    expect(await treeFiles(origin, 'main', 'archive/edits')).toEqual([expect.stringMatching(/^archive\/edits\/t\/1048572\/\d{13}\.md$/)]);
    expect(sources(await run(a, [X2, W, ...BASE], 'Test feed once more')).edited).toEqual([]);
  });

  it('moves the edit files of an article dropped where its id holds another article of the remote\'s', async () => {
    const [a, b] = await clones();
    await editOffline(a);
    // Clone b archives Y under X's id, then X under the next one, and pushes first.
    expect(sources(await run(b, [Y, ...BASE])).added).toEqual([1048572]);
    expect(sources(await run(b, [X, Y, ...BASE])).added).toEqual([1048571]);
    const late = await pushLate(a, [X2, ...BASE], 'Test feed again');
    expect(late.git.pushes[0]).toMatchObject({ status: 'pushed', renumbered: [], dropped: ['articles/t/1048572.md'] });
    // X's edit is not Y's: it goes to b's X.
    expect(await treeFiles(origin, 'main', 'archive/edits')).toEqual([expect.stringMatching(/^archive\/edits\/t\/1048571\/\d{13}\.md$/)]);
    expect(sources(await run(a, [X2, Y, ...BASE], 'Test feed once more')).edited).toEqual([]);
    // b's X is known by our X's guid too: a new headline is an edit of it, not another article.
    const retitled = sources(await run(a, [{ ...X2, title: '票价调整（更正）' }, Y, ...BASE], 'Test feed retitled'));
    expect([retitled.added, retitled.edited]).toEqual([[], [1048571]]);
  });

  it('counts an edit file moved after a rebase in no commit message as a new edit', async () => {
    const [a, b] = await clones();
    // Clone a, unpushed: X, an edit of X, then E: three commits.
    await editOffline(a);
    expect(sources(await run(a, [E, X2, ...BASE])).added).toEqual([1048571]);
    expect(sources(await run(b, [Y, ...BASE])).added).toEqual([1048572]);
    const late = await pushLate(a, [E, X2, ...BASE], 'Test feed again');
    // X is renumbered and its edit file moves with it, in the last commit: which adds E, and no edit.
    expect(late.git.pushes[0]!.renumbered).toEqual([{ slug: 't', from: 1048572, to: 1048570 }]);
    expect((await subjects(origin, 'main')).slice(0, 4)).toEqual(['newsmirror: 测试 +1', 'newsmirror: 测试 (1 edit)', 'newsmirror: 测试 +1', 'newsmirror: 测试 +1']);
  });

  it('keeps one edit file when both clones recorded the same edit', async () => {
    const [a, b] = await clones();
    expect(sources(await run(a, [X, ...BASE])).added).toEqual([1048572]);
    await gitIn(b, 'pull', '--quiet', 'origin', 'main');
    expect(sources(await run(b, [X, ...BASE], 'Test feed for b')).edited).toEqual([]);
    // Both see the correction: a records and pushes it first, then b.
    expect(sources(await run(a, [X2, ...BASE])).edited).toEqual([1048572]);
    const late = await pushLate(b, [X2, ...BASE]);
    expect(late.sources[0]!.edited).toEqual([1048572]);
    // b's commit held that edit alone: none of it is left to push.
    expect(late.git.pushes[0]).toMatchObject({ status: 'up_to_date', incoming: 1 });
    expect(await treeFiles(origin, 'main', 'archive/edits')).toHaveLength(1);
    expect(await gitIn(b, 'status', '--porcelain')).toBe('');
    // b's catalog knows the one kept as its version: nothing again, and a later edit is compared with it.
    const catalog = openDatabase(join(b, 'archive/.newsmirror/catalog.sqlite'), { readonly: true });
    const paths = catalog.prepare('SELECT path FROM item_versions WHERE path IS NOT NULL').pluck().all() as string[];
    catalog.close();
    expect(paths.map((path) => `archive/${path}`)).toEqual(await treeFiles(origin, 'main', 'archive/edits'));
    expect(sources(await run(b, [X2, ...BASE], 'Test feed again')).edited).toEqual([]);
    expect(sources(await run(b, [{ ...X2, description: '<p>平均加幅约百分之二。</p>' }, ...BASE], 'Test feed corrected again')).edited).toEqual([1048572]);
    expect(await treeFiles(origin, 'main', 'archive/edits')).toHaveLength(2);
  });

  it('finds an article by an edit another clone recorded, once a rebase brought its edit file in', async () => {
    const [a, b] = await clones();
    expect(sources(await run(a, [X, ...BASE])).added).toEqual([1048572]);
    await gitIn(b, 'pull', '--quiet', 'origin', 'main');
    expect(sources(await run(b, [X, ...BASE], 'Test feed for b')).edited).toEqual([]);
    const search = async (q: string) => {
      const found = await runCli(['search', q, '--config', join(b, 'newsmirror.yaml'), '--json']);
      expect([found.code, found.stderr]).toEqual([0, '']);
      return (JSON.parse(found.stdout).hits as Array<{ id: number }>).map((hit) => hit.id);
    };
    expect(await search('更正')).toEqual([]);
    // a records the correction and pushes it; b, whose feed still carries X as it was, archives Y and pushes after.
    expect(sources(await run(a, [X2, ...BASE])).edited).toEqual([1048572]);
    const late = await pushLate(b, [Y, X, ...BASE], 'Test feed again');
    expect(late.git.pushes[0]).toMatchObject({ status: 'pushed', incoming: 1 });
    expect(await treeFiles(b, 'HEAD', 'archive/edits')).toHaveLength(1);
    // X's edit file is in b's archive now: b's search finds X by what it added, as a's does.
    expect(await search('更正')).toEqual([1048572]);
    expect(await search('百分之二点五')).toEqual([1048572]);
  });

  it('never compares an article a rebase brought in under an id with the versions of the article that was there', async () => {
    const [a, b] = await clones();
    const W: TestItem = { ...E, pubDate: 'Fri, 02 Jan 2026 01:00:00 GMT' };
    expect(sources(await run(a, [X, ...BASE])).added).toEqual([1048572]);
    // b takes X in from its file and keeps X's feed version to compare with.
    await gitIn(b, 'pull', '--quiet', 'origin', 'main');
    expect(sources(await run(b, [X, ...BASE], 'Test feed for b')).edited).toEqual([]);
    // On a, X is deleted by hand and Y, archived next, takes its id (X had no edit files).
    await rm(join(a, 'archive/articles/t/1048572.md'));
    expect(sources(await run(a, [Y, ...BASE])).added).toEqual([1048572]);
    // b archives W and pushes: the rebase brings Y in under X's id.
    const late = await pushLate(b, [W, ...BASE], 'Test feed again');
    expect(late.git.pushes[0]).toMatchObject({ status: 'pushed', renumbered: [] });
    expect(await showFile(origin, 'main', 'archive/articles/t/1048572.md')).toContain('[天气](https://example.org/y)');
    // Y, as the feed carries it, is Y's first version on b: no edit of X's.
    const next = sources(await run(b, [Y, W, ...BASE], 'Test feed once more'));
    expect([next.added, next.edited]).toEqual([[], []]);
    expect(await treeFiles(b, 'HEAD', 'archive/edits')).toEqual([]);
  });
});

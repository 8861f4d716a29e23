import Database from 'better-sqlite3';
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

  it('moves an article\'s edit files with it, so the article that took its id does not show them', async () => {
    const a = await clone('a');
    const b = await clone('b');
    // Clone a cannot push for a while: it archives X, then records an edit of X, both unpushed.
    await gitIn(a, 'remote', 'set-url', 'origin', join(dir, 'nowhere.git'));
    expect(JSON.parse((await run(a, [X, ...BASE])).stdout).sources[0].added).toEqual([1048572]);
    expect(JSON.parse((await run(a, [X2, ...BASE])).stdout).sources[0].edited).toEqual([1048572]);
    // Clone b archives another article, Y, under the same id and pushes first.
    expect(JSON.parse((await run(b, [Y, ...BASE])).stdout).sources[0].added).toEqual([1048572]);
    // Clone a can push again: its X is renumbered.
    await gitIn(a, 'remote', 'set-url', 'origin', origin);
    const late = await run(a, [X2, ...BASE], 'Test feed again');
    expect(late.code, late.stdout + late.stderr).toBe(0);
    const push = JSON.parse(late.stdout).git.pushes[0];
    expect(push).toMatchObject({ status: 'pushed', renumbered: [{ slug: 't', from: 1048572, to: 1048571 }] });
    const edits = await treeFiles(origin, 'main', 'archive/edits');
    expect(edits).toEqual([expect.stringMatching(/^archive\/edits\/t\/1048571\/\d{13}\.md$/)]);
    // Y, under X's old id, is no edit of X's versions: the next run records nothing.
    const next = JSON.parse((await run(a, [Y, X2, ...BASE], 'Test feed once more')).stdout).sources[0];
    expect([next.added, next.edited]).toEqual([[], []]);
  });

  it('never renumbers an article onto an id whose edit files are a deleted article\'s', async () => {
    const a = await clone('a');
    const b = await clone('b');
    // Clone b archives Y, then E with an edit; E is deleted by hand, its edits stay; all pushed.
    expect(JSON.parse((await run(b, [Y, ...BASE])).stdout).sources[0].added).toEqual([1048572]);
    expect(JSON.parse((await run(b, [E, Y, ...BASE])).stdout).sources[0].added).toEqual([1048571]);
    expect(JSON.parse((await run(b, [E2, Y, ...BASE])).stdout).sources[0].edited).toEqual([1048571]);
    await rm(join(b, 'archive/articles/t/1048571.md'));
    expect((await run(b, [Y, ...BASE], 'Test feed after the deletion')).code).toBe(0);
    // Clone a archived X under Y's id meanwhile: X is renumbered, below E's id, which E's edit files keep.
    const late = await run(a, [X, ...BASE]);
    expect(late.code, late.stdout + late.stderr).toBe(0);
    const push = JSON.parse(late.stdout).git.pushes[0];
    expect(push).toMatchObject({ status: 'pushed', renumbered: [{ slug: 't', from: 1048572, to: 1048570 }] });
    expect(await treeFiles(origin, 'main', 'archive/articles/t/1048571.md')).toEqual([]);
  });

  it('never renumbers an article onto an id that a later commit of ours used and deleted', async () => {
    const a = await clone('a');
    const b = await clone('b');
    await gitIn(a, 'remote', 'set-url', 'origin', join(dir, 'nowhere.git'));
    // Clone a, unpushed: X, then E (a smaller id), then E is deleted by hand and the deletion committed.
    expect(JSON.parse((await run(a, [X, ...BASE])).stdout).sources[0].added).toEqual([1048572]);
    expect(JSON.parse((await run(a, [E, X, ...BASE])).stdout).sources[0].added).toEqual([1048571]);
    await rm(join(a, 'archive/articles/t/1048571.md'));
    const deleted = JSON.parse((await run(a, [X, ...BASE], 'Test feed after the deletion')).stdout).git.commit;
    expect(deleted.files).toContain('archive/articles/t/1048571.md');
    expect(JSON.parse((await run(b, [Y, ...BASE])).stdout).sources[0].added).toEqual([1048572]);
    await gitIn(a, 'remote', 'set-url', 'origin', origin);
    const late = await run(a, [X, ...BASE], 'Test feed again');
    expect(late.code, late.stdout + late.stderr).toBe(0);
    // Replayed, E's commit would collide with X moved to E's id (and E come back); X goes below it.
    expect(JSON.parse(late.stdout).git.pushes[0]).toMatchObject({ status: 'pushed', renumbered: [{ slug: 't', from: 1048572, to: 1048570 }] });
    expect(await treeFiles(origin, 'main', 'archive/articles')).toEqual([1048570, 1048572, 1048573, 1048574].map((id) => `archive/articles/t/${id}.md`));
    expect(await showFile(origin, 'main', 'archive/articles/t/1048570.md')).toContain('[票价调整](https://example.org/x)');
  });

  const sources = (r: { stdout: string }) => JSON.parse(r.stdout).sources[0] as { added: number[]; edited: number[] };

  it('moves the edit files of an article dropped for the remote\'s copy under another id to that copy', async () => {
    const a = await clone('a');
    const b = await clone('b');
    const W: TestItem = { ...E, pubDate: 'Fri, 02 Jan 2026 01:00:00 GMT' };
    await gitIn(a, 'remote', 'set-url', 'origin', join(dir, 'nowhere.git'));
    // Clone a, unpushed: W, then X with an edit.
    expect(sources(await run(a, [W, ...BASE])).added).toEqual([1048572]);
    expect(sources(await run(a, [X, W, ...BASE])).added).toEqual([1048571]);
    expect(sources(await run(a, [X2, W, ...BASE])).edited).toEqual([1048571]);
    // Clone b archives X too, under 1048572, and pushes first.
    expect(sources(await run(b, [X, ...BASE])).added).toEqual([1048572]);
    await gitIn(a, 'remote', 'set-url', 'origin', origin);
    const late = await run(a, [X2, W, ...BASE], 'Test feed again');
    expect(late.code, late.stdout + late.stderr).toBe(0);
    expect(JSON.parse(late.stdout).git.pushes[0]).toMatchObject({ status: 'pushed', renumbered: [{ slug: 't', from: 1048572, to: 1048570 }], dropped: ['articles/t/1048571.md'] });
    // X's edit follows the X kept (b's, 1048572), and is its latest version: the next run records nothing.
    expect(await treeFiles(origin, 'main', 'archive/edits')).toEqual([expect.stringMatching(/^archive\/edits\/t\/1048572\/\d{13}\.md$/)]);
    expect(sources(await run(a, [X2, W, ...BASE], 'Test feed once more')).edited).toEqual([]);
  });

  it('moves the edit files of an article dropped where its id holds another article of the remote\'s', async () => {
    const a = await clone('a');
    const b = await clone('b');
    await gitIn(a, 'remote', 'set-url', 'origin', join(dir, 'nowhere.git'));
    expect(sources(await run(a, [X, ...BASE])).added).toEqual([1048572]);
    expect(sources(await run(a, [X2, ...BASE])).edited).toEqual([1048572]);
    // Clone b archives Y under X's id, then X under the next one, and pushes first.
    expect(sources(await run(b, [Y, ...BASE])).added).toEqual([1048572]);
    expect(sources(await run(b, [X, Y, ...BASE])).added).toEqual([1048571]);
    await gitIn(a, 'remote', 'set-url', 'origin', origin);
    const late = await run(a, [X2, ...BASE], 'Test feed again');
    expect(late.code, late.stdout + late.stderr).toBe(0);
    expect(JSON.parse(late.stdout).git.pushes[0]).toMatchObject({ status: 'pushed', renumbered: [], dropped: ['articles/t/1048572.md'] });
    // X's edit is not Y's: it goes to b's X.
    expect(await treeFiles(origin, 'main', 'archive/edits')).toEqual([expect.stringMatching(/^archive\/edits\/t\/1048571\/\d{13}\.md$/)]);
    expect(sources(await run(a, [X2, Y, ...BASE], 'Test feed once more')).edited).toEqual([]);
    // b's X is known by our X's guid too: a new headline is an edit of it, not another article.
    const retitled = sources(await run(a, [{ ...X2, title: '票价调整（更正）' }, Y, ...BASE], 'Test feed retitled'));
    expect([retitled.added, retitled.edited]).toEqual([[], [1048571]]);
  });

  it('counts an edit file moved after a rebase in no commit message as a new edit', async () => {
    const a = await clone('a');
    const b = await clone('b');
    await gitIn(a, 'remote', 'set-url', 'origin', join(dir, 'nowhere.git'));
    // Clone a, unpushed: X, an edit of X, then E: three commits.
    expect(sources(await run(a, [X, ...BASE])).added).toEqual([1048572]);
    expect(sources(await run(a, [X2, ...BASE])).edited).toEqual([1048572]);
    expect(sources(await run(a, [E, X2, ...BASE])).added).toEqual([1048571]);
    expect(sources(await run(b, [Y, ...BASE])).added).toEqual([1048572]);
    await gitIn(a, 'remote', 'set-url', 'origin', origin);
    const late = await run(a, [E, X2, ...BASE], 'Test feed again');
    expect(late.code, late.stdout + late.stderr).toBe(0);
    // X is renumbered and its edit file moves with it, in the last commit: which adds E, and no edit.
    expect(JSON.parse(late.stdout).git.pushes[0].renumbered).toEqual([{ slug: 't', from: 1048572, to: 1048570 }]);
    expect((await subjects(origin, 'main')).slice(0, 4)).toEqual(['newsmirror: 测试 +1', 'newsmirror: 测试 (1 edit)', 'newsmirror: 测试 +1', 'newsmirror: 测试 +1']);
  });

  it('keeps one edit file when both clones recorded the same edit', async () => {
    const a = await clone('a');
    const b = await clone('b');
    expect(sources(await run(a, [X, ...BASE])).added).toEqual([1048572]);
    await gitIn(b, 'pull', '--quiet', 'origin', 'main');
    expect(sources(await run(b, [X, ...BASE], 'Test feed for b')).edited).toEqual([]);
    // Both see the correction: a records and pushes it first, then b.
    expect(sources(await run(a, [X2, ...BASE])).edited).toEqual([1048572]);
    const late = await run(b, [X2, ...BASE]);
    expect(late.code, late.stdout + late.stderr).toBe(0);
    expect(JSON.parse(late.stdout).sources[0].edited).toEqual([1048572]);
    // b's commit held that edit alone: none of it is left to push.
    expect(JSON.parse(late.stdout).git.pushes[0]).toMatchObject({ status: 'up_to_date', incoming: 1 });
    expect(await treeFiles(origin, 'main', 'archive/edits')).toHaveLength(1);
    expect(await gitIn(b, 'status', '--porcelain')).toBe('');
    // b's catalog knows the one kept as its version: nothing again, and a later edit is compared with it.
    const catalog = new Database(join(b, 'archive/.newsmirror/catalog.sqlite'), { readonly: true });
    const paths = catalog.prepare('SELECT path FROM item_versions WHERE path IS NOT NULL').pluck().all() as string[];
    catalog.close();
    expect(paths.map((path) => `archive/${path}`)).toEqual(await treeFiles(origin, 'main', 'archive/edits'));
    expect(sources(await run(b, [X2, ...BASE], 'Test feed again')).edited).toEqual([]);
    expect(sources(await run(b, [{ ...X2, description: '<p>平均加幅约百分之二。</p>' }, ...BASE], 'Test feed corrected again')).edited).toEqual([1048572]);
    expect(await treeFiles(origin, 'main', 'archive/edits')).toHaveLength(2);
  });
});

import { openDatabase } from '../src/catalog/sqlite.js';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseArticleFile, renderArticleFile } from '../src/archive/article-file.js';
import type { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { gitIn, isolateGit } from '../src/git/testing/git-fixture.js';
import { readTree } from './helpers/archive-tree.js';
import { rss, type TestItem } from './helpers/feeds.js';
import { runCli } from './helpers/run-cli.js';
import { startOneSource } from './helpers/one-source.js';

const STORY = '<p>香港特区政府周三宣布，将于下月起调整公共交通票价，平均加幅约百分之三。</p><p>运输署表示，调整是考虑到营运成本上升及通胀因素。</p>';
const CORRECTED = '<p>香港特区政府周三宣布，将于下月起调整公共交通票价，平均加幅约百分之二点五。</p><p>运输署表示，调整是考虑到营运成本上升及通胀因素。</p><p>（更正：加幅此前误报为百分之三。）</p>';
/** Another story of the feed. */
const WEATHER: TestItem = { title: '天气', guid: 'urn:weather', link: 'https://example.org/weather', pubDate: 'Thu, 08 Jan 2026 04:00:00 GMT', description: '<p>晴</p>' };
const PROMO = '<br><hr><div>获取更多RSS：<br><a href="https://feedx.net" style="color:orange" target="_blank">https://feedx.net</a> <br></div>';

describe('edits of archived articles', () => {
  beforeAll(() => isolateGit());
  let server: LocalFeedServer;
  let config: string;
  let archive: string;
  /** The source's settings, with `more` (`, clean: false`). */
  let configure: (more?: string) => Promise<void>;
  beforeEach(async () => {
    ({ server, config, archive, configure } = await startOneSource());
  });
  afterEach(() => server.stop());
  /** The feed; another `title` changes its bytes, so its items are looked at again. */
  const serve = (items: TestItem[], title?: string) => server.routes.set('/t.xml', { body: rss(items, title) });
  const item = (title: string, description: string): TestItem => ({ title, guid: 'urn:fare', link: 'https://example.org/fare', pubDate: 'Wed, 07 Jan 2026 04:00:00 GMT', description });
  async function run() {
    const result = await runCli(['run', '--config', config, '--json']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    return JSON.parse(result.stdout).sources[0] as { added: number[]; edited: number[]; warnings: string[] };
  }
  /** The story archived, then carried with bytes that cleaning removes (a promo footer): no edit, a version kept. */
  const archiveWithFooter = async () => {
    serve([item('票价调整', STORY)]);
    await run();
    serve([item('票价调整', `${STORY}${PROMO}`)]);
    expect((await run()).edited).toEqual([]);
  };
  const edits = async () => (await readdir(join(archive, 'edits/t/1048574')).catch(() => [] as string[])).sort();

  it('records a changed body or title beside the article, once each, and never touches the article file', async () => {
    serve([item('票价调整', STORY)]);
    expect((await run()).added).toEqual([1048574]);
    const article = await readFile(join(archive, 'articles/t/1048574.md'), 'utf8');
    const lists = await readFile(join(archive, 'lists/测试.md'), 'utf8');

    serve([item('票价调整', CORRECTED)]);
    const corrected = await run();
    expect([corrected.added, corrected.edited, corrected.warnings]).toEqual([[], [1048574], []]);
    const [first] = await edits();
    expect(first).toMatch(/^\d{13}\.md$/);
    const edit = parseArticleFile(await readFile(join(archive, 'edits/t/1048574', first!), 'utf8'), first!);
    expect(edit).toMatchObject({ title: '票价调整', url: 'https://example.org/fare', published: Date.UTC(2026, 0, 7, 4) });
    expect(edit.body).toContain('百分之二点五');
    expect(await readFile(join(archive, 'articles/t/1048574.md'), 'utf8')).toBe(article);
    expect(await readFile(join(archive, 'lists/测试.md'), 'utf8')).toBe(lists);

    // The same version again: nothing recorded, no file changed.
    const before = await readTree(archive);
    expect((await run()).edited).toEqual([]);
    expect(await readTree(archive)).toEqual(before);

    // A run killed after writing the edit file, before recording it: the file is taken as it is, not
    // written twice (the feed changed since, or the run would not look at its items at all).
    const db = openDatabase(join(archive, '.newsmirror/catalog.sqlite'));
    db.exec('DELETE FROM item_versions');
    db.close();
    serve([WEATHER, item('票价调整', CORRECTED)]);
    expect(await run()).toMatchObject({ added: [1048573], edited: [] });
    expect(await edits()).toEqual([first]);
    const catalog = openDatabase(join(archive, '.newsmirror/catalog.sqlite'), { readonly: true });
    expect(catalog.prepare('SELECT path FROM item_versions').pluck().all()).toEqual([`edits/t/1048574/${first}`]);
    catalog.close();

    // A new headline is an edit too.
    serve([WEATHER, item('票价调整（更正）', CORRECTED)]);
    expect((await run()).edited).toEqual([1048574]);
    expect(await edits()).toHaveLength(2);

    // The reader shows the article as archived, and its later versions folded under it.
    const out = join(archive, '..', 'site');
    expect((await runCli(['site', '--config', config, '--out', out])).code).toBe(0);
    const page = await readFile(join(out, 'articles/t/1048574.html'), 'utf8');
    const [archived, versions] = page.split('<section class="edits">');
    expect(archived).toContain('百分之三。');
    expect(archived).not.toContain('百分之二点五');
    expect(versions!.match(/<details>/g)).toHaveLength(2);
    expect(versions).toContain('票价调整（更正）');
    expect(versions).toContain('百分之二点五');
  });

  it('records the edits of an article known by a link it was once taken for by its title', async () => {
    serve([item('票价调整', STORY)]);
    await run();
    // Republished under a new guid and link: taken for the article by its title, its names remembered.
    const moved = (description: string): TestItem => ({ ...item('票价调整', description), guid: 'urn:fare-2', link: 'https://example.org/fare-2' });
    serve([moved(STORY)]);
    expect(await run()).toMatchObject({ added: [], edited: [] });
    serve([moved(CORRECTED)]);
    expect((await run()).edited).toEqual([1048574]);
  });

  it('takes bytes that cleaning removes (a promo footer, a nonce) for no edit, also where the source keeps its bytes', async () => {
    await archiveWithFooter();
    expect(await edits()).toEqual([]);
    await configure(', clean: false');
    serve([item('票价调整', `${STORY}<img src="https://example.org/pixel.gif?nonce=8f3a" width="1" height="1">`)]);
    expect((await run()).edited).toEqual([]);
    serve([item('票价调整', CORRECTED)]);
    expect((await run()).edited).toEqual([1048574]);
  });

  it('takes the feed version of an article from an older archive as its first, then records what changes', async () => {
    // An archive continued from the family's: the article is a file, with no raw body in the catalog.
    await mkdir(join(archive, 'articles/t'), { recursive: true });
    await writeFile(
      join(archive, 'articles/t/1048574.md'),
      renderArticleFile({ published: Date.UTC(2026, 0, 7, 4), title: '票价调整', url: 'https://example.org/fare', body: `<div>${STORY}${PROMO}</div>` }),
    );
    serve([item('票价调整', STORY)]);
    expect(await run()).toMatchObject({ added: [], edited: [] });
    expect(await edits()).toEqual([]);
    serve([item('票价调整', CORRECTED)]);
    expect((await run()).edited).toEqual([1048574]);
  });

  it('commits the edit files with --commit, and says so in the message', async () => {
    const repo = join(archive, '..');
    await gitIn(repo, 'init', '--quiet');
    serve([item('票价调整', STORY)]);
    expect((await runCli(['run', '--config', config, '--commit'])).code).toBe(0);
    serve([item('票价调整', CORRECTED)]);
    const committed = await runCli(['run', '--config', config, '--commit', '--json']);
    expect(committed.code, committed.stdout + committed.stderr).toBe(0);
    const report = JSON.parse(committed.stdout);
    expect(report.git.commit.message).toBe('newsmirror: 测试 (1 edit)');
    expect(report.git.commit.files).toEqual([expect.stringMatching(/^archive\/edits\/t\/1048574\/\d{13}\.md$/)]);
    expect(report.git.stray).toEqual([]);
  });
  it('takes a feed that lists one item twice (same guid, two bodies) for no edit, run after run', async () => {
    const twice = [item('票价调整', STORY), item('票价调整', `${STORY}<p>相关新闻：地铁</p>`)];
    serve(twice);
    expect((await run()).added).toEqual([1048574]);
    const before = await readTree(archive);
    for (let n = 0; n < 3; n += 1) {
      // The feed's own bytes change each time (a build date, as many feeds have): its items are looked at.
      serve(twice, `Test feed ${n}`);
      const again = await run();
      expect([again.edited, again.warnings]).toEqual([[], []]);
    }
    expect(await readTree(archive)).toEqual(before);
  });
  it('never gives an article deleted by hand with recorded edits its id again: the edits are that article\'s', async () => {
    serve([item('票价调整', STORY)]);
    await run();
    serve([item('票价调整', CORRECTED)]);
    expect((await run()).edited).toEqual([1048574]);
    const [edit] = await edits();
    // The maintainer takes the article out; the feed has moved on to another story.
    await rm(join(archive, 'articles/t/1048574.md'));
    serve([WEATHER]);
    const added = (await run()).added;
    expect(added).toHaveLength(1);
    expect(added[0]).not.toBe(1048574);
    expect(await edits()).toEqual([edit]);
  });
  it('takes an image link signed anew on each request (its query) for no edit, run after run', async () => {
    const img = (n: number) => `${STORY}<p><img src="https://img.example.org/fare.jpg?Expires=17677${n}&Signature=ab${n}cd"></p>`;
    serve([item('票价调整', img(0))]);
    await run();
    const found: number[][] = [];
    for (let n = 1; n < 4; n += 1) {
      serve([item('票价调整', img(n))], `Test feed ${n}`);
      found.push((await run()).edited);
    }
    expect(found).toEqual([[], [], []]);
  });

  it('sets the edits of an article aside when its file is replaced by another article, and never takes them for the new one\'s', async () => {
    await gitIn(join(archive, '..'), 'init', '--quiet');
    const commitRun = async () => {
      const result = await runCli(['run', '--config', config, '--commit', '--json']);
      expect(result.code, result.stdout + result.stderr).toBe(0);
      return JSON.parse(result.stdout) as { sources: Array<{ added: number[]; edited: number[]; warnings: string[] }>; git: { commit: { message: string; files: string[] }; stray: string[] } };
    };
    serve([item('票价调整', STORY)]);
    await commitRun();
    serve([item('票价调整', CORRECTED)]);
    expect((await commitRun()).sources[0]!.edited).toEqual([1048574]);
    const [edit] = await edits();
    const text = await readFile(join(archive, 'edits/t/1048574', edit!), 'utf8');
    // By hand, the file now holds another article, which the feed carries too.
    await writeFile(join(archive, 'articles/t/1048574.md'), renderArticleFile({ published: Date.UTC(2026, 0, 8, 4), title: '天气', url: 'https://example.org/weather', body: '<p>晴</p>' }));
    serve([WEATHER, item('票价调整', CORRECTED)]);
    const report = await commitRun();
    // The weather article is compared with none of the fare story's versions; the fare story, its file gone, is archived again.
    expect([report.sources[0]!.added, report.sources[0]!.edited]).toEqual([[1048573], []]);
    expect(await edits()).toEqual([]);
    // Its edit is kept beside, under a name no article takes, committed and not counted as an edit.
    const aside = (await readdir(join(archive, 'edits/t'))).filter((name) => name !== '1048574');
    expect(aside).toEqual([expect.stringMatching(/^1048574-replaced-\d{13}$/)]);
    expect(await readFile(join(archive, 'edits/t', aside[0]!, edit!), 'utf8')).toBe(text);
    expect(report.sources[0]!.warnings).toEqual([
      `articles/t/1048574.md: holds another article than the catalog recorded (the file was replaced): taken in as it is; the edit files of the article it held are kept in edits/t/${aside[0]}/`,
    ]);
    expect(report.git.commit.message).toBe('newsmirror: 测试 +1');
    expect(report.git.commit.files).toEqual(expect.arrayContaining([`archive/edits/t/1048574/${edit}`, `archive/edits/t/${aside[0]}/${edit}`]));
    expect(report.git.stray).toEqual([]);
    // And the next run records nothing either.
    serve([WEATHER, item('票价调整', CORRECTED)], 'Test feed again');
    expect((await run()).edited).toEqual([]);
  });

  it('takes a change of the source\'s content setting (which field is the body) for no edit, and records what changes after it', async () => {
    const SUMMARY = '<p>香港特区政府周三宣布调整公共交通票价。</p>';
    const both = (summary: string, content: string): TestItem => ({ ...item('票价调整', summary), contentEncoded: content });
    serve([both(SUMMARY, STORY)]);
    expect((await run()).added).toEqual([1048574]);
    // The maintainer switches the source to the feed's summary field.
    await configure(', content: summary');
    serve([both(SUMMARY, STORY)], 'Test feed again');
    expect((await run()).edited).toEqual([]);
    serve([both(SUMMARY, STORY)], 'Test feed once more');
    expect((await run()).edited).toEqual([]);
    expect(await edits()).toEqual([]);
    // The summary itself changes: that is an edit, and it is the summary that is written.
    serve([both('<p>香港特区政府周三宣布调整公共交通票价，平均加幅约百分之二点五。</p>', STORY)]);
    expect((await run()).edited).toEqual([1048574]);
    const [edit] = await edits();
    expect(parseArticleFile(await readFile(join(archive, 'edits/t/1048574', edit!), 'utf8'), edit!).body).toContain('百分之二点五');
    // And back: the content field again, unchanged since it was archived, is no edit either.
    await configure(', content: content');
    serve([both('<p>香港特区政府周三宣布调整公共交通票价，平均加幅约百分之二点五。</p>', STORY)], 'Test feed back');
    expect((await run()).edited).toEqual([]);
  });

  it('takes a change of the content setting for no edit also for an article whose catalog did not keep its field', async () => {
    const both: TestItem = { ...item('票价调整', '<p>香港特区政府周三宣布调整公共交通票价。</p>'), contentEncoded: STORY };
    serve([both]);
    await run();
    // A catalog from before the field was kept (migration 13).
    const db = openDatabase(join(archive, '.newsmirror/catalog.sqlite'));
    db.exec('UPDATE raw_bodies SET basis = NULL');
    db.close();
    await configure(', content: description');
    serve([both], 'Test feed again');
    expect((await run()).edited).toEqual([]);
    serve([{ ...both, description: '<p>香港特区政府周三宣布调整公共交通票价，加幅百分之二点五。</p>' }], 'Test feed once more');
    expect((await run()).edited).toEqual([1048574]);
  });

  it('never compares a new article with the versions of a deleted one whose id it took', async () => {
    // The feed's bytes change but not the version (a promo footer): kept as the version compared from.
    await archiveWithFooter();
    // The maintainer deletes the article (it has no edit files); the next new article takes its id.
    await rm(join(archive, 'articles/t/1048574.md'));
    serve([WEATHER]);
    expect((await run()).added).toEqual([1048574]);
    serve([WEATHER], 'Test feed again');
    expect((await run()).edited).toEqual([]);
    expect(await edits()).toEqual([]);
  });

  it('never compares an article that arrived under a deleted one\'s id (another clone\'s, pulled) with its versions', async () => {
    await archiveWithFooter();
    // The article is deleted by hand, and a run takes the deletion in (its feed down that hour, so the
    // story is not archived again at once): its versions stay under the id.
    await rm(join(archive, 'articles/t/1048574.md'));
    server.routes.set('/t.xml', { status: 503, body: 'down' });
    expect((await runCli(['run', '--config', config])).code).toBe(2);
    // Another clone archived another story under that id; a pull brings its file in.
    const storm: TestItem = { ...WEATHER, description: '<p>天文台周四发出强烈季候风信号，预料本港明日气温下降至十度左右，市民应注意保暖。</p>' };
    const file = renderArticleFile({ published: Date.UTC(2026, 0, 8, 4), title: storm.title!, url: storm.link!, body: storm.description! });
    await writeFile(join(archive, 'articles/t/1048574.md'), file);
    serve([storm]);
    expect(await run()).toMatchObject({ added: [], edited: [] });
    serve([storm], 'Test feed again');
    expect((await run()).edited).toEqual([]);
    expect(await edits()).toEqual([]);
  });

  it('takes an item whose link moved, its body the same, for no edit, relative links and all', async () => {
    const body = `${STORY}<p><a href="/fares/2026">票价表</a><img src="/img/fare.jpg"></p>`;
    serve([item('票价调整', body)]);
    await run();
    // The site moved to another host; the feed keeps the guid and the body's relative links (and adds a footer).
    serve([{ ...item('票价调整', `${body}${PROMO}`), link: 'https://news.example.org/fare' }]);
    expect((await run()).edited).toEqual([]);
    serve([{ ...item('票价调整', CORRECTED), link: 'https://news.example.org/fare' }]);
    expect((await run()).edited).toEqual([1048574]);
  });

  it('records a new headline of an article known from its file alone as an edit, not as another article', async () => {
    // An archive continued from the family's (or a catalog rebuilt from the files): no guid recorded.
    await mkdir(join(archive, 'articles/t'), { recursive: true });
    await writeFile(join(archive, 'articles/t/1048574.md'), renderArticleFile({ published: Date.UTC(2026, 0, 7, 4), title: '票价调整', url: 'https://example.org/fare', body: STORY }));
    serve([item('票价调整', STORY)]);
    expect(await run()).toMatchObject({ added: [], edited: [] });
    serve([item('票价调整（更正）', CORRECTED)]);
    expect(await run()).toMatchObject({ added: [], edited: [1048574] });
  });
});

import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PNG } from '../src/demo/demo-feeds.js';
import { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { bareRemote, gitIn, isolateGit, rejectingRemote, subjects, treeFiles } from '../src/git/testing/git-fixture.js';
import { compactAsset } from './helpers/archived-image.js';
import { numberedItems, rss } from './helpers/feeds.js';
import { runCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp-dir.js';

beforeAll(isolateGit);

describe('run --commit --push', () => {
  let server: LocalFeedServer;
  let repo: string;
  let config: string;
  beforeEach(async () => {
    server = await new LocalFeedServer().start();
    server.routes.set('/a.xml', { body: rss(numberedItems(3, 'a')) });
    server.routes.set('/b.xml', { body: rss(numberedItems(1, 'b')) });
    repo = join(await tempDir(), 'repo');
    await gitIn(join(repo, '..'), 'init', '--quiet', 'repo');
    config = join(repo, 'newsmirror.yaml');
  });
  afterEach(() => server.stop());

  async function configure(git: string, extraSource = ''): Promise<void> {
    await writeFile(
      config,
      `archive: archive\ngit:\n${git}\nsources:\n` +
        `  - { name: 法广, slug: rfi, url: "${server.url}/a.xml", fullText: never }\n${extraSource}` +
        `  - { name: BBC, slug: bbc, url: "${server.url}/b.xml", fullText: never }\n`,
    );
    await gitIn(repo, 'add', 'newsmirror.yaml');
    await gitIn(repo, 'commit', '--quiet', '-m', 'set up');
  }

  it('commits exactly the run files and pushes to every remote; a run with nothing new commits nothing', async () => {
    const dir = join(repo, '..');
    const [one, two] = await Promise.all([bareRemote(join(dir, 'one.git')), bareRemote(join(dir, 'two.git'))]);
    await configure('  push: [one, two]\n  author: { name: 新闻机器人, email: bot@example.org }');
    await gitIn(repo, 'remote', 'add', 'one', one);
    await gitIn(repo, 'remote', 'add', 'two', two);
    await writeFile(join(repo, 'notes.txt'), 'not part of any run\n');

    const first = await runCli(['run', '--config', config]);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^git: committed [0-9a-f]{10} "newsmirror: 法广 \+3, BBC \+1" \(\d+ files\)$/m);
    expect(first.stdout).toContain('git: pushed to one\n');
    expect(first.stdout).toContain('git: pushed to two\n');
    for (const remote of [one, two]) {
      expect(await subjects(remote, 'main')).toEqual(['newsmirror: 法广 +3, BBC +1', 'set up']);
      expect(await gitIn(remote, 'log', '-1', '--format=%an <%ae>', 'main')).toBe('新闻机器人 <bot@example.org>\n');
    }
    const files = await treeFiles(repo, 'HEAD', 'archive');
    expect(files.filter((f) => f.startsWith('archive/articles/'))).toEqual([
      'archive/articles/bbc/1048574.md',
      'archive/articles/rfi/1048572.md',
      'archive/articles/rfi/1048573.md',
      'archive/articles/rfi/1048574.md',
    ]);
    expect(files).toContain('archive/.newsmirror/state.json');
    expect(files).toContain('archive/README.md');
    expect(files).toContain('archive/.gitignore');
    expect(files.some((f) => f.includes('catalog') || f.includes('/tmp/') || f.endsWith('/lock'))).toBe(false);
    expect(await gitIn(repo, 'status', '--porcelain')).toBe('?? notes.txt\n');

    const head = await gitIn(repo, 'rev-parse', 'HEAD');
    const second = await runCli(['run', '--config', config, '--json']);
    expect(second.code).toBe(0);
    const report = JSON.parse(second.stdout);
    expect(report.git.commit).toBeNull();
    expect(report.git.pushes.map((p: { status: string }) => p.status)).toEqual(['up_to_date', 'up_to_date']);
    expect(await gitIn(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(await subjects(one, 'main')).toHaveLength(2);
  });

  /** One source whose item has an image; its config committed. Returns the image's hash and archive path. */
  async function imageSource(): Promise<{ asset: string }> {
    const asset = `archive/${compactAsset(DEMO_PNG)}`;
    server.routes.set('/a.png', { headers: { 'content-type': 'image/png' }, body: DEMO_PNG });
    server.routes.set('/img.xml', {
      body: rss([{ title: '有图', link: 'https://example.org/img', pubDate: 'Mon, 05 Jan 2026 08:00:00 GMT', description: `<p>图</p><img src="${server.url}/a.png">` }]),
    });
    await writeFile(config, `archive: archive\nallowPrivateNetworks: true\nsources:\n  - { name: 图, slug: img, url: "${server.url}/img.xml", fullText: never }\n`);
    await gitIn(repo, 'add', 'newsmirror.yaml');
    await gitIn(repo, 'commit', '--quiet', '-m', 'set up');
    return { asset };
  }

  it('commits the images a run archives, and the archive files an earlier run left uncommitted', async () => {
    const dir = join(repo, '..');
    const origin = await bareRemote(join(dir, 'origin.git'));
    const { asset } = await imageSource();
    await gitIn(repo, 'remote', 'add', 'origin', origin);

    const first = await runCli(['run', '--config', config, '--push']);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(await gitIn(repo, 'status', '--porcelain', '--untracked-files=all')).toBe('');
    // A fresh clone shows the image the article points at.
    await gitIn(dir, 'clone', '--quiet', origin, 'fresh');
    const article = await readFile(join(dir, 'fresh/archive/articles/img/1048574.md'), 'utf8');
    expect(article).toContain(`src="../../${asset.slice('archive/'.length)}"`);
    expect(await readFile(join(dir, 'fresh', asset))).toEqual(await readFile(join(repo, asset)));

    // An archive as an earlier version left it: the image never committed. The next run commits it.
    await gitIn(repo, 'rm', '-r', '--cached', '--quiet', 'archive/assets');
    await gitIn(repo, 'commit', '--quiet', '-m', 'without the image');
    await gitIn(repo, 'push', '--quiet', 'origin', 'HEAD:main');
    await writeFile(join(repo, 'notes.txt'), 'not part of any run\n');
    const second = await runCli(['run', '--config', config, '--push', '--json']);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    const report = JSON.parse(second.stdout);
    expect(report.sources[0].added).toEqual([]);
    expect(report.git.commit).toMatchObject({ message: 'newsmirror: update lists', files: [asset] });
    expect(await treeFiles(origin, 'main', 'archive/assets')).toEqual([asset]);
    expect(await gitIn(repo, 'status', '--porcelain', '--untracked-files=all')).toBe('?? notes.txt\n');
  });

  it('leaves editor swap files, backups, .DS_Store and private notes under articles/, lists/ and assets/ out of the commit', async () => {
    const { asset } = await imageSource();
    const stray = [
      'archive/articles/img/.1048574.md.swp',
      'archive/articles/img/1048574.md~',
      'archive/assets/.DS_Store',
      'archive/lists/.DS_Store',
      'archive/lists/drafts/private.md',
      // Shaped like a source's list, but no configured source has that name.
      'archive/lists/private.md',
    ];
    for (const path of stray) {
      await mkdir(dirname(join(repo, path)), { recursive: true });
      await writeFile(join(repo, path), 'not for the public remote\n');
    }

    const first = await runCli(['run', '--config', config, '--commit']);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(await treeFiles(repo, 'HEAD', 'archive')).toEqual([
      'archive/.gitignore',
      'archive/.newsmirror/state.json',
      'archive/README.md',
      'archive/articles/img/1048574.md',
      asset,
      'archive/lists/图.md',
      'archive/lists/图/2026-01.md',
    ]);
    expect(await gitIn(repo, 'status', '--porcelain', '--untracked-files=all')).toBe(stray.map((path) => `?? ${path}\n`).join(''));
    expect(first.stdout).toContain(`git: not committed, not files newsmirror writes: ${stray.slice(0, 3).join(', ')} and 3 more\n`);

    // A note an earlier version committed, then deleted by hand: the deletion is committed, the other strays still are not.
    await gitIn(repo, 'add', '--', 'archive/lists/drafts/private.md');
    await gitIn(repo, 'commit', '--quiet', '-m', 'as an earlier version committed it');
    await rm(join(repo, 'archive/lists/drafts/private.md'));
    const second = await runCli(['run', '--config', config, '--commit', '--json']);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    const report = JSON.parse(second.stdout);
    expect(report.git.commit).toMatchObject({ message: 'newsmirror: update lists', files: ['archive/lists/drafts/private.md'] });
    expect(report.git.stray).toEqual([...stray.slice(0, 4), 'archive/lists/private.md']);
    expect(await treeFiles(repo, 'HEAD', 'archive/lists')).toEqual(['archive/lists/图.md', 'archive/lists/图/2026-01.md']);
  });

  it('reports a remote that rejects and one that does not exist; the other gets the commit, the local commit stays', async () => {
    const dir = join(repo, '..');
    const good = await bareRemote(join(dir, 'good.git'));
    const denied = await rejectingRemote(join(dir, 'denied.git'));
    // A source that fails as well: its failure streak is in the state file, which is committed.
    await configure(`  push: [denied, gone, good]`, `  - { name: 空, slug: empty, url: "${server.url}/none.xml", fullText: never }\n`);
    await gitIn(repo, 'remote', 'add', 'denied', denied);
    await gitIn(repo, 'remote', 'add', 'gone', join(dir, 'no-such-repo.git'));
    await gitIn(repo, 'remote', 'add', 'good', good);

    const result = await runCli(['run', '--config', config]);
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/^✗ empty \(空\): .*\[http_404\]$/m);
    const failures = result.stdout.split('\n').filter((line) => line.startsWith('✗ git'));
    expect(failures).toEqual([
      expect.stringMatching(/^✗ git push denied: remote rejected \(pre-receive hook declined\)$/),
      expect.stringMatching(/^✗ git push gone: .*no-such-repo\.git.*$/),
    ]);
    expect(await subjects(good, 'main')).toEqual(['newsmirror: 法广 +3, BBC +1', 'set up']);
    expect(await subjects(repo)).toEqual(['newsmirror: 法广 +3, BBC +1', 'set up']);
    expect(await gitIn(denied, 'rev-parse', '--verify', '--quiet', 'main').catch(() => 'none')).toBe('none');
  });

  it('leaves a rebase that is not its own alone: commits nothing into it, keeps the new articles', async () => {
    const origin = await bareRemote(join(repo, '..', 'origin.git'));
    await gitIn(repo, 'remote', 'add', 'origin', origin);
    await configure('  push: [origin]');
    expect((await runCli(['run', '--config', config])).code).toBe(0);
    // The maintainer's rebase (no marker of a run's says it is ours, see rebase-recovery.test.ts), HEAD detached in the middle of it.
    await gitIn(repo, '-c', "sequence.editor=sed -i s/^pick/edit/", 'rebase', '--quiet', '-i', 'HEAD~1');
    server.routes.set('/a.xml', { body: rss(numberedItems(5, 'a')) });
    const result = await runCli(['run', '--config', config]);
    expect(result.code).toBe(3);
    expect(result.stdout.split('\n').filter((line) => line.startsWith('✗ git'))).toEqual([
      `✗ git: ${repo}: a rebase is in progress (a run killed in one?); finish it or run \`git rebase --abort\`, then run again: nothing was committed`,
    ]);
    const files = await readdir(join(repo, 'archive/articles/rfi'));
    expect(files).toHaveLength(5);
    // Once the rebase is undone, the next run commits the articles the stopped one wrote.
    await gitIn(repo, 'rebase', '--abort');
    expect((await readdir(join(repo, 'archive/articles/rfi'))).sort()).toEqual(files.sort());
    const next = await runCli(['run', '--config', config]);
    expect(next.code, next.stdout).toBe(0);
    expect(await treeFiles(origin, 'main', 'archive/articles/rfi')).toHaveLength(5);
  });

  it('commits nothing on a detached HEAD, where a branch checked out later would take the new articles away', async () => {
    await configure('  commit: true');
    expect((await runCli(['run', '--config', config])).code).toBe(0);
    await gitIn(repo, 'checkout', '--quiet', '--detach');
    server.routes.set('/a.xml', { body: rss(numberedItems(5, 'a')) });
    const result = await runCli(['run', '--config', config]);
    expect(result.code).toBe(3);
    expect(result.stdout.split('\n').filter((line) => line.startsWith('✗ git'))).toEqual([
      `✗ git: ${repo}: HEAD is not on a branch, so a commit would be left behind when one is checked out; check out a branch, then run again: nothing was committed`,
    ]);
    const files = await readdir(join(repo, 'archive/articles/rfi'));
    expect(files).toHaveLength(5);
    await gitIn(repo, 'checkout', '--quiet', 'main');
    expect((await readdir(join(repo, 'archive/articles/rfi'))).sort()).toEqual(files.sort());
    const next = await runCli(['run', '--config', config]);
    expect(next.code, next.stdout).toBe(0);
    expect(await gitIn(repo, 'status', '--porcelain', '--', 'archive/articles')).toBe('');
  });

  it('commits into a repository whose archive is the top folder, and needs one', async () => {
    await writeFile(config, `archive: .\nsources:\n  - { name: 法广, slug: rfi, url: "${server.url}/a.xml", fullText: never }\n`);
    const result = await runCli(['run', '--config', config, '--commit']);
    expect(result.code, result.stderr).toBe(0);
    expect(await subjects(repo)).toEqual(['newsmirror: 法广 +3']);
    expect(await gitIn(repo, 'status', '--porcelain')).toBe('?? newsmirror.yaml\n');

    const outside = await tempDir();
    await writeFile(join(outside, 'newsmirror.yaml'), await readFile(config, 'utf8'));
    const refused = await runCli(['run', '--config', join(outside, 'newsmirror.yaml'), '--commit']);
    expect(refused).toMatchObject({ code: 1, stderr: `newsmirror run: ${outside}: not inside a git work tree (run git init there, or newsmirror init)\n` });
  });
});

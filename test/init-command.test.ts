import { execFile } from 'node:child_process';
import { withArchiveIgnored } from '../src/archive/archive-gitignore.js';
import { renderReadme } from '../src/archive/list-file.js';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../src/config/load-config.js';
import { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { bareRemote, gitIn, isolateGit, subjects } from '../src/git/testing/git-fixture.js';
import { numberedItems, rss } from './helpers/feeds.js';
import { runCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp-dir.js';

beforeAll(isolateGit);

interface Step {
  uses?: string;
  name?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}

function bashSyntax(script: string): Promise<string> {
  return new Promise((resolve) => {
    const child = execFile('bash', ['-n'], (error, _stdout, stderr) => resolve(error ? stderr || error.message : 'ok'));
    child.stdin?.end(script);
  });
}

describe('init', () => {
  it('writes a ready archive repository: config equal to the built-in one, .gitignore, README, package.json, workflow, git init', async () => {
    const dir = join(await tempDir(), 'news');
    const result = await runCli(['init', dir]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`a new archive repository in ${dir} (git init)`);
    expect(existsSync(join(dir, '.git'))).toBe(true);

    const config = await loadConfig({ cwd: dir });
    const builtIn = await loadConfig({ cwd: await tempDir() });
    expect(config.file).toBe(join(dir, 'newsmirror.yaml'));
    expect(config.sources).toEqual(builtIn.sources);
    // The archive at the repository's top, as the family's: GitHub resolves the lists' /articles/... links from there.
    expect(config.archiveDir).toBe(dir);

    // .gitignore and README.md as a run writes them: the first run changes neither.
    const ignore = await readFile(join(dir, '.gitignore'), 'utf8');
    expect(ignore.split('\n')).toContain('node_modules/');
    expect(withArchiveIgnored(ignore)).toBeUndefined();
    const readme = await readFile(join(dir, 'README.md'), 'utf8');
    expect(readme).toBe(renderReadme(config.readme.title, config.sources.map((s) => s.name), config.readme.footer));
    expect(readme).toContain('](lists/');
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({ name: 'news', private: true, dependencies: { newsmirror: expect.stringMatching(/^\^\d+\.\d+\.\d+/) } });
  });

  it('writes a workflow that is valid YAML: hourly and on demand, one at a time, cached catalog, run --commit --push, job summary', async () => {
    const dir = await tempDir();
    expect((await runCli(['init', dir])).code).toBe(0);
    const workflow = parse(await readFile(join(dir, '.github/workflows/newsmirror.yml'), 'utf8'));
    expect(workflow.on.schedule).toEqual([{ cron: expect.stringMatching(/^\d{1,2} \* \* \* \*$/) }]);
    expect(workflow.on).toHaveProperty('workflow_dispatch');
    expect(workflow.concurrency).toEqual({ group: 'newsmirror', 'cancel-in-progress': false });
    expect(workflow.permissions).toEqual({ contents: 'write' });
    const steps: Step[] = workflow.jobs.archive.steps;
    const uses = (prefix: string) => steps.filter((s) => s.uses?.startsWith(prefix));
    expect(uses('actions/checkout@')).toHaveLength(1);
    expect(uses('actions/setup-node@')[0]?.with).toMatchObject({ 'node-version': 24, cache: 'npm' });
    const [restore] = uses('actions/cache/restore@');
    const [save] = uses('actions/cache/save@');
    expect(restore?.with?.path).toBe('.newsmirror/catalog.sqlite*');
    expect(save?.with?.path).toBe('.newsmirror/catalog.sqlite*');
    expect(save?.with?.key).toBe(restore?.with?.key);
    expect(restore?.with?.['restore-keys']).toBe('newsmirror-catalog-');
    expect(save?.if).toBe('always()');
    const run = steps.find((s) => s.run?.includes('npx newsmirror run'));
    expect(run?.run).toContain('npx newsmirror run --commit --push');
    expect(run?.run).toContain('>> "$GITHUB_STEP_SUMMARY"');
    expect(steps.indexOf(restore!)).toBeLessThan(steps.indexOf(run!));
    expect(steps.indexOf(run!)).toBeLessThan(steps.indexOf(save!));
    for (const step of steps) if (step.run) expect(await bashSyntax(step.run)).toBe('ok');
  });

  it('uses actions that run on Node 24: their v4 targets Node 20, deprecated on GitHub\'s runners (a warning on every run)', async () => {
    const dir = await tempDir();
    expect((await runCli(['init', dir])).code).toBe(0);
    const workflow = parse(await readFile(join(dir, '.github/workflows/newsmirror.yml'), 'utf8'));
    const uses = (workflow.jobs.archive.steps as Step[]).flatMap((s) => s.uses ?? []);
    expect(uses).toEqual(['actions/checkout@v5', 'actions/setup-node@v5', 'actions/cache/restore@v5', 'actions/cache/save@v5']);
  });

  it('says so when DIR is a folder inside another repository, where GitHub never runs the workflow', async () => {
    const top = await tempDir();
    await gitIn(top, 'init', '--quiet');
    const dir = join(top, 'news');
    const result = await runCli(['init', dir]);
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(join(dir, '.git'))).toBe(false);
    expect(result.stdout).toContain(
      `! ${dir} is inside the git repository ${top}: GitHub runs only the workflows in ${join(top, '.github/workflows')}, not the one written here\n`,
    );
    const json = JSON.parse((await runCli(['init', join(top, 'other'), '--json'])).stdout);
    expect(json.warnings).toEqual([expect.stringContaining(`is inside the git repository ${top}: `)]);
    const alone = JSON.parse((await runCli(['init', await tempDir(), '--json'])).stdout);
    expect(alone.warnings).toEqual([]);
  });

  it('puts why a run could not start into the job summary, not only into the log', async () => {
    const dir = await tempDir();
    expect((await runCli(['init', dir])).code).toBe(0);
    const workflow = parse(await readFile(join(dir, '.github/workflows/newsmirror.yml'), 'utf8'));
    const step: Step = workflow.jobs.archive.steps.find((s: Step) => s.run?.includes('npx newsmirror run'));
    // An npx that fails as newsmirror does when the config does not load: the reason on stderr, exit 1.
    const bin = join(dir, 'bin');
    await mkdir(bin);
    await writeFile(join(bin, 'npx'), '#!/bin/sh\necho "newsmirror run: newsmirror.yaml:3: sources[0].slug: must be 1-64 ASCII letters" >&2\nexit 1\n', { mode: 0o755 });
    const summary = join(dir, 'summary.md');
    const code = await new Promise<number | null>((resolve) => {
      const child = execFile('bash', ['-e', '-c', step.run!], { cwd: dir, env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, RUNNER_TEMP: dir, GITHUB_STEP_SUMMARY: summary } });
      child.on('close', resolve);
    });
    expect(code).toBe(1);
    expect(await readFile(summary, 'utf8')).toContain('newsmirror run: newsmirror.yaml:3: sources[0].slug: must be 1-64 ASCII letters');
  });

  it('installs newsmirror from where --package says (not on the registry yet), and refuses a spec that is not one', async () => {
    const dir = join(await tempDir(), 'news');
    expect((await runCli(['init', dir, '--package', 'github:someone/newsmirror', '--json'])).code).toBe(0);
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    expect(pkg.dependencies).toEqual({ newsmirror: 'github:someone/newsmirror' });
    const other = join(await tempDir(), 'other');
    const bad = await runCli(['init', other, '--package', 'two words']);
    expect([bad.code, bad.stderr]).toEqual([1, 'newsmirror init: --package "two words": give one npm package spec, such as github:OWNER/newsmirror or file:../newsmirror\n']);
    expect(existsSync(other)).toBe(false);
  });

  it('names a file in the way of DIR, or a DIR that cannot be made, in one line', async () => {
    const file = join(await tempDir(), 'a-file');
    await writeFile(file, 'mine\n');
    // These were 'unexpected error: EEXIST' and 'ENOTDIR', and a folder under /proc a loop for ever.
    expect(await runCli(['init', file])).toMatchObject({ code: 1, stderr: `newsmirror init: ${file}: no folder here: a file, not a folder, is in the way\n` });
    expect(await runCli(['init', join(file, 'news')])).toMatchObject({ code: 1, stderr: `newsmirror init: ${join(file, 'news')}: no folder here: a file, not a folder, is in the way\n` });
    if (existsSync('/proc/self')) {
      expect(await runCli(['init', '/proc/newsmirror-init'])).toMatchObject({ code: 1, stderr: 'newsmirror init: /proc/newsmirror-init: no folder here: cannot make it (ENOENT)\n' });
    }
    expect(await readFile(file, 'utf8')).toBe('mine\n');
  });

  it('refuses to overwrite a file unless --force, naming the file, and writes nothing then', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'README.md'), 'mine\n');
    const refused = await runCli(['init', dir]);
    expect(refused).toMatchObject({ code: 1, stderr: `newsmirror init: ${join(dir, 'README.md')}: already exists (newsmirror init --force overwrites it)\n` });
    expect(existsSync(join(dir, 'newsmirror.yaml'))).toBe(false);
    expect(await readFile(join(dir, 'README.md'), 'utf8')).toBe('mine\n');
    const forced = await runCli(['init', dir, '--force']);
    expect(forced.code).toBe(0);
    expect(await readFile(join(dir, 'README.md'), 'utf8')).not.toBe('mine\n');
  });
});

describe('init, then run --commit --push', () => {
  let server: LocalFeedServer;
  beforeEach(async () => {
    server = await new LocalFeedServer().start();
  });
  afterEach(() => server.stop());

  it('publishes one commit to both remotes; a second run with nothing new commits nothing and exits 0', async () => {
    const top = await tempDir();
    const dir = join(top, 'news');
    expect((await runCli(['init', dir])).code).toBe(0);
    const config = join(dir, 'newsmirror.yaml');
    server.routes.set('/rfi.xml', { body: rss(numberedItems(3, 'rfi')) });
    server.routes.set('/bbc.xml', { body: rss(numberedItems(1, 'bbc')) });
    const sources = (...args: string[]) => runCli(['sources', ...args, '--config', config]);
    for (const slug of ['reuters', 'nyt', 'voa', 'ft', 'bbc', 'rfi', 'dw', 'rfa']) expect((await sources('remove', slug)).code).toBe(0);
    expect((await sources('add', `${server.url}/rfi.xml`, '--name', '法广', '--slug', 'rfi')).code).toBe(0);
    expect((await sources('add', `${server.url}/bbc.xml`, '--name', 'BBC', '--slug', 'bbc')).code).toBe(0);
    expect((await sources('remove', 'cdt')).code).toBe(0);
    await appendFile(config, 'git:\n  push: [one, two]\n');
    await gitIn(dir, 'add', '--all');
    await gitIn(dir, 'commit', '--quiet', '-m', 'newsmirror init');
    for (const name of ['one', 'two']) await gitIn(dir, 'remote', 'add', name, await bareRemote(join(top, `${name}.git`)));

    const first = await runCli(['run', '--config', config, '--commit', '--push']);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const branch = (await gitIn(dir, 'symbolic-ref', '--short', 'HEAD')).trim();
    for (const name of ['one', 'two']) {
      const remote = join(top, `${name}.git`);
      expect(await subjects(remote, branch)).toEqual(['newsmirror: 法广 +3, BBC +1', 'newsmirror init']);
    }
    expect(await gitIn(dir, 'status', '--porcelain')).toBe('');

    const head = await gitIn(dir, 'rev-parse', 'HEAD');
    const second = await runCli(['run', '--config', config, '--commit', '--push']);
    expect(second.code, second.stdout).toBe(0);
    expect(second.stdout).not.toContain('git: committed');
    expect(await gitIn(dir, 'rev-parse', 'HEAD')).toBe(head);
    expect(await subjects(join(top, 'one.git'), branch)).toHaveLength(2);
  });
});

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { parseArticleFile } from '../src/archive/article-file.js';
import { driverPath } from '../src/catalog/sqlite.js';
import { gitIn, isolateGit, subjects } from '../src/git/testing/git-fixture.js';
import { acquireLock, LOCK_DATABASE, LOCK_FILE } from '../src/pipeline/archive-lock.js';
import { readTree } from './helpers/archive-tree.js';
import { numberedItems, rss } from './helpers/feeds.js';
import { runCli, spawnCli } from './helpers/run-cli.js';
import { PROJECT_ROOT } from './helpers/shared.js';
import { tempDir } from './helpers/temp-dir.js';

/**
 * A process that takes the archive's lock as a run does (the built module,
 * `npm run build` first) and then, by its argument: `hold` (waits), `exit`
 * (leaves without letting go, as a crash does), or `linger`: it holds the
 * lock as an exiting process does, its files closed (the kernel's lock gone
 * with them) while it is still there and its lock file still names it.
 */
const HOLDER = `
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
const [root, mode] = process.argv.slice(2);
if (mode === 'linger') {
  mkdirSync(join(root, '.newsmirror'), { recursive: true });
  const Driver = createRequire(import.meta.url)(${JSON.stringify(driverPath())});
  const db = new Driver(join(root, ${JSON.stringify(LOCK_DATABASE)}), { timeout: 0 });
  db.pragma('journal_mode = MEMORY');
  db.exec('BEGIN EXCLUSIVE');
  writeFileSync(join(root, ${JSON.stringify(LOCK_FILE)}), JSON.stringify({ pid: process.pid, host: 'here', started: 'now' }));
  db.close();
} else {
  const { acquireLock } = await import(${JSON.stringify(join(PROJECT_ROOT, 'dist/src/pipeline/archive-lock.js'))});
  await acquireLock(root);
}
process.stdout.write(process.pid + ' held\\n');
if (mode === 'exit') process.exit(0);
setInterval(() => undefined, 1000);
`;

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** Starts `command` and resolves with the holder's pid once it says it holds the lock (or with its exit, when it dies first). */
function startHolder(command: string, args: string[], env: Record<string, string> = {}): Promise<{ pid?: number; signal?: string | null }> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  children.push(child);
  return new Promise((resolve) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const held = /^(\d+) held\n/.exec(out);
      if (held) resolve({ pid: Number(held[1]) });
    });
    child.on('exit', (_code, signal) => resolve({ signal }));
  });
}

async function archiveRoot(): Promise<{ root: string; holder: string }> {
  const dir = await tempDir();
  const root = join(dir, 'archive');
  await mkdir(root);
  const holder = join(dir, 'holder.mjs');
  await writeFile(holder, HOLDER);
  return { root, holder };
}

/** The state letter of `pid` in /proc (Z for a zombie); undefined where there is no /proc. */
async function processState(pid: number): Promise<string | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return stat?.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}

async function takesOver(root: string): Promise<void> {
  const lock = await acquireLock(root);
  expect(JSON.parse(await readFile(join(root, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
  await lock.release();
}

describe('the archive lock, whatever became of its holder', () => {
  it('is refused while its holder runs, naming it', async () => {
    const { root, holder } = await archiveRoot();
    const { pid } = await startHolder(process.execPath, [holder, root, 'hold']);
    await expect(acquireLock(root)).rejects.toThrow(`${join(root, LOCK_FILE)}: another newsmirror run holds this archive (pid ${pid} on `);
  });

  it('is taken over from a zombie (a holder that exited and was not reaped)', async () => {
    const { root, holder } = await archiveRoot();
    // The holder is the child of a shell that becomes `sleep`, which never reaps it.
    const { pid } = await startHolder('sh', ['-c', `"${process.execPath}" "${holder}" "${root}" exit & exec sleep 60`]);
    const deadline = Date.now() + 10_000;
    while (existsSync('/proc/self') && (await processState(pid!)) !== 'Z' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    if (existsSync('/proc/self')) expect(await processState(pid!)).toBe('Z');
    // The pid is still there (kill -0 succeeds on a zombie), and the lock file names it.
    expect(() => process.kill(pid!, 0)).not.toThrow();
    expect(JSON.parse(await readFile(join(root, LOCK_FILE), 'utf8')).pid).toBe(pid);
    await takesOver(root);
  });

  it('is taken over from a holder that is exiting (its files closed, its pid still there)', async () => {
    const { root, holder } = await archiveRoot();
    const { pid } = await startHolder(process.execPath, [holder, root, 'linger']);
    expect(() => process.kill(pid!, 0)).not.toThrow();
    await takesOver(root);
  });

  it('is taken over from a lock file whose pid is now another live process (reused)', async () => {
    const { root } = await archiveRoot();
    await mkdir(join(root, '.newsmirror'));
    await writeFile(join(root, LOCK_FILE), JSON.stringify({ pid: process.pid, host: 'elsewhere', started: 'x' }));
    await takesOver(root);
  });

  it.each(['lock-taken:1', 'lock-written:1'])('is taken over from a holder killed with SIGKILL at %s', async (point) => {
    const { root, holder } = await archiveRoot();
    const result = await startHolder(process.execPath, [holder, root, 'hold'], { NEWSMIRROR_FAILPOINT: point });
    expect(result.signal).toBe('SIGKILL');
    await takesOver(root);
  });

  it('is taken over from a holder killed with SIGKILL right after it started writing the lock file (empty)', async () => {
    // Before, an empty lock file made every command refuse for 10 s as "another run is starting".
    const { root, holder } = await archiveRoot();
    const result = await startHolder(process.execPath, [holder, root, 'exit']);
    expect(result.pid).toBeDefined();
    const child = children.at(-1)!;
    if (child.exitCode === null) await new Promise((resolve) => child.on('exit', resolve));
    await writeFile(join(root, LOCK_FILE), '');
    await takesOver(root);
  });

  it('is taken over from a holder killed with SIGKILL while it held it', async () => {
    const { root, holder } = await archiveRoot();
    const started = await startHolder(process.execPath, [holder, root, 'hold']);
    const child = children.at(-1)!;
    const exited = new Promise((resolve) => child.on('exit', resolve));
    process.kill(started.pid!, 'SIGKILL');
    await exited;
    await takesOver(root);
  });
});

describe('a run killed with SIGKILL, through the CLI', () => {
  let server: LocalFeedServer;
  beforeAll(async () => {
    server = await new LocalFeedServer().start();
    server.routes.set('/a.xml', { body: rss(numberedItems(6, 'a')) });
  });
  afterAll(() => server.stop());

  it.each(['lock-taken:1', 'lock-written:1', 'article-written:3', 'before-lists:1'])('at %s never makes the next run fail', async (point) => {
    const dir = await tempDir();
    const config = join(dir, 'newsmirror.yaml');
    await writeFile(config, `archive: archive\nsources:\n  - { name: A, slug: a, url: "${server.url}/a.xml", fullText: never }\n`);
    const killed = await spawnCli(['run', '--config', config], { env: { NEWSMIRROR_FAILPOINT: point } }).done;
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const next = await runCli(['run', '--config', config]);
    expect([next.code, next.stderr]).toEqual([0, '']);
    expect(await readdir(join(dir, 'archive/articles/a'))).toHaveLength(6);
  });
});

describe('a .git/index.lock left by a killed run', () => {
  let server: LocalFeedServer;
  beforeAll(async () => {
    isolateGit();
    server = await new LocalFeedServer().start();
    server.routes.set('/a.xml', { body: rss(numberedItems(2, 'a')) });
  });
  afterAll(() => server.stop());

  async function repository(): Promise<{ repo: string; config: string }> {
    const repo = join(await tempDir(), 'repo');
    await gitIn(join(repo, '..'), 'init', '--quiet', 'repo');
    const config = join(repo, 'newsmirror.yaml');
    await writeFile(config, `archive: archive\ngit: { commit: true }\nsources:\n  - { name: A, slug: a, url: "${server.url}/a.xml", fullText: never }\n`);
    await gitIn(repo, 'add', 'newsmirror.yaml');
    await gitIn(repo, 'commit', '--quiet', '-m', 'set up');
    // What a git killed while it staged leaves.
    await writeFile(join(repo, '.git/index.lock'), '');
    return { repo, config };
  }

  it('is removed when no git process runs in the repository, and the run commits', async () => {
    const { repo, config } = await repository();
    const result = await runCli(['run', '--config', config]);
    expect([result.code, result.stderr], result.stdout).toEqual([existsSync('/proc/self/cwd') ? 0 : 3, '']);
    if (!existsSync('/proc/self/cwd')) return; // Elsewhere nothing tells whether git runs: kept, and said.
    expect(result.stdout).toContain(`git: removed ${join(repo, '.git/index.lock')}, left by a git that was killed (no git process runs in the repository)\n`);
    expect(await subjects(repo)).toEqual(['newsmirror: A +2', 'set up']);
  });

  it.skipIf(!existsSync('/proc/self/cwd'))('is kept while a git process runs in the repository (Linux: /proc)', async () => {
    const { repo, config } = await repository();
    const busy = spawn('git', ['cat-file', '--batch'], { cwd: join(repo, 'archive', '..'), stdio: ['pipe', 'ignore', 'ignore'] });
    children.push(busy);
    await new Promise((resolve) => busy.on('spawn', resolve));
    const result = await runCli(['run', '--config', config]);
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(new RegExp(`^git: kept ${join(repo, '.git/index.lock')}: git \\(pid ${busy.pid}\\) is running there; remove it if no git runs there$`, 'm'));
    expect(result.stdout).toMatch(/^✗ git: .*index\.lock/m);
    expect(existsSync(join(repo, '.git/index.lock'))).toBe(true);
  });
});

/** Mounts a tmpfs of `size` on `dir` (root only; a container may refuse it even to root). */
function mountTmpfs(dir: string, size: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('a full disk (a real one: a small tmpfs)', () => {
  let server: LocalFeedServer;
  beforeAll(async () => {
    server = await new LocalFeedServer().start();
    server.routes.set('/small.xml', { body: rss(numberedItems(2, 's')) });
    // Bodies that do not compress: the catalog's raw copies take their size too.
    const big = numberedItems(12, 'b').map((item) => ({ ...item, description: `<p>${randomBytes(90_000).toString('base64')}</p>` }));
    server.routes.set('/big.xml', { body: rss(big) });
  });
  afterAll(() => server.stop());

  it.for(['1200k', '2m', '2500k', '3m'])('of %s: the run says "no space left on device" and names the file, keeps every earlier file, leaves no partial one, and the next run completes once', async (size, context) => {
    const dir = await tempDir();
    const disk = join(dir, 'disk');
    await mkdir(disk);
    if (!mountTmpfs(disk, size)) {
      console.warn('skipped: the full-disk test mounts a tmpfs, which needs root (and a container that allows mount)');
      context.skip();
    }
    try {
      const archive = join(disk, 'archive');
      const config = join(dir, 'newsmirror.yaml');
      const write = (feed: string) => writeFile(config, `archive: ${archive}\nsources:\n  - { name: A, slug: a, url: "${server.url}/${feed}", fullText: never, clean: false }\n`);
      await write('small.xml');
      expect((await runCli(['run', '--config', config])).code).toBe(0);
      const before = await readTree(archive);
      expect([...before.keys()].filter((f) => f.startsWith('articles/'))).toHaveLength(2);

      await write('big.xml');
      const full = await spawnCli(['run', '--config', config]).done;
      expect(full.code, full.stdout + full.stderr).not.toBe(0);
      expect(full.stdout + full.stderr).toMatch(new RegExp(`${archive}/[^ ]+: [^\\n]*no space left on device`));
      const after = await readTree(archive);
      for (const [file, text] of before) if (file.startsWith('articles/')) expect(after.get(file), file).toBe(text);
      for (const [file, bytes] of after) {
        const text = Buffer.from(bytes, 'base64').toString('utf8');
        if (file.startsWith('articles/')) expect(text, file).toMatch(/<\/p>\n$/);
        else expect(text.endsWith('\n'), file).toBe(true);
      }
      expect(await readdir(join(archive, '.newsmirror/tmp')).catch(() => [])).toEqual([]);

      execFileSync('mount', ['-o', 'remount,size=64m', disk]);
      const next = await runCli(['run', '--config', config, '--json']);
      expect([next.code, next.stderr]).toEqual([0, '']);
      const names = await readdir(join(archive, 'articles/a'));
      expect(names).toHaveLength(14);
      const links = await Promise.all(names.map(async (name) => parseArticleFile(await readFile(join(archive, 'articles/a', name), 'utf8'), name).url));
      expect(new Set(links).size).toBe(14);
      const list = await readFile(join(archive, 'lists/A.md'), 'utf8');
      expect(list.match(/\]\(\/articles\//g)).toHaveLength(14);
      const third = JSON.parse((await runCli(['run', '--config', config, '--json'])).stdout);
      expect(third.sources[0].added).toEqual([]);
    } finally {
      execFileSync('umount', [disk]);
    }
  });
});

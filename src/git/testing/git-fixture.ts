import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Test helpers for real git in temp folders. Tests run git with no global or
 * system config (so a developer's signing, hooks or default branch change
 * nothing) and with an identity of their own, as on a fresh CI machine.
 */
export function isolateGit(): void {
  process.env.GIT_CONFIG_GLOBAL = '/dev/null';
  process.env.GIT_CONFIG_NOSYSTEM = '1';
  for (const key of ['GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL', 'GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE']) {
    delete process.env[key];
  }
}

const TEST_CONFIG = ['-c', 'user.name=Test Maintainer', '-c', 'user.email=test@example.org', '-c', 'init.defaultBranch=main'];

/** Runs git for the test itself; rejects with git's stderr. */
export function gitIn(cwd: string, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', [...TEST_CONFIG, ...args], { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`git ${args.join(' ')} in ${cwd}: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

/** A new bare repository, the stand-in for GitHub/GitLab/Gitea. */
export async function bareRemote(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  await gitIn(dir, 'init', '--quiet', '--bare');
  return dir;
}

/** A bare repository whose pre-receive hook refuses every push (a remote without write permission). */
export async function rejectingRemote(dir: string): Promise<string> {
  await bareRemote(dir);
  await writeFile(join(dir, 'hooks/pre-receive'), '#!/bin/sh\necho "permission denied for this mirror" >&2\nexit 1\n', { mode: 0o755 });
  return dir;
}

/** Subjects of a branch's commits, newest first. */
export async function subjects(repo: string, ref = 'HEAD'): Promise<string[]> {
  return (await gitIn(repo, 'log', '--format=%s', ref)).split('\n').filter(Boolean);
}

/** Paths in a commit's tree under `under`. */
export async function treeFiles(repo: string, ref: string, under: string): Promise<string[]> {
  return (await gitIn(repo, 'ls-tree', '-r', '--name-only', '-z', ref, '--', under)).split('\0').filter(Boolean).sort();
}

/** A file's bytes at a ref, as text. */
export function showFile(repo: string, ref: string, path: string): Promise<string> {
  return gitIn(repo, 'show', `${ref}:${path}`);
}

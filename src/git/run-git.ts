import { execFile } from 'node:child_process';
import { GitError } from './git-error.js';

export interface GitIdentity {
  name: string;
  email: string;
}

export interface GitCallOptions {
  /** Bytes for git's stdin (`-F -`, `--pathspec-from-file=-`, `cat-file --batch`). */
  input?: string | Buffer;
  /** Author of commits (and committer, unless the environment names one). */
  identity?: GitIdentity;
}

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/** Big enough for `git status -z` over an archive of a few hundred thousand files. */
const MAX_BUFFER = 256 * 1024 * 1024;

/**
 * The environment every git call gets: never prompt (a run is unattended),
 * never open an editor (rebase --continue), English messages for reports,
 * and literal pathspecs so a list named `*` or `[x]` is one file, not a glob.
 */
function gitEnv(identity: GitIdentity | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_TERMINAL_PROMPT: '0',
    GIT_EDITOR: 'true',
    GIT_SEQUENCE_EDITOR: 'true',
    GIT_MERGE_AUTOEDIT: 'no',
    GIT_LITERAL_PATHSPECS: '1',
    LC_ALL: 'C',
  };
  if (identity) {
    env.GIT_AUTHOR_NAME = identity.name;
    env.GIT_AUTHOR_EMAIL = identity.email;
    // A CI machine has no identity of its own: the configured author commits,
    // unless the caller's environment names a committer explicitly.
    if (!process.env.GIT_COMMITTER_NAME) env.GIT_COMMITTER_NAME = identity.name;
    if (!process.env.GIT_COMMITTER_EMAIL) env.GIT_COMMITTER_EMAIL = identity.email;
  }
  return env;
}

/**
 * Runs git with an argument array (never a shell string, so nothing in a
 * title, path or message is ever interpreted) and returns its exit code and
 * output. Throws only when git cannot be started at all.
 */
export function runGit(cwd: string, args: readonly string[], options: GitCallOptions = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      args,
      { cwd, env: gitEnv(options.identity), encoding: 'buffer', maxBuffer: MAX_BUFFER, windowsHide: true },
      (error, stdout, stderr) => {
        const code = error ? (error as NodeJS.ErrnoException).code : 0;
        if (typeof code === 'string') {
          const what = code === 'ENOENT' ? 'git is not installed or not on PATH' : `cannot run git (${code})`;
          reject(new GitError(code === 'ENOENT' ? 'git_missing' : 'git_failed', `${cwd}: ${what}`, { cause: error }));
          return;
        }
        resolve({ code: typeof code === 'number' ? code : error ? 1 : 0, stdout, stderr: stderr.toString('utf8') });
      },
    );
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(options.input ?? '');
  });
}

/** The last non-empty line of git's stderr, without its `fatal: ` / `error: ` prefix: one line for a report. */
export function gitReason(result: GitResult): string {
  const lines = result.stderr.split('\n').map((line) => line.trim()).filter(Boolean);
  const line = lines.find((l) => /^(fatal|error):/.test(l)) ?? lines[lines.length - 1] ?? `exit code ${result.code}`;
  return line.replace(/^(fatal|error|remote):\s*/, '');
}

/** The subcommand, for messages: the first argument that is neither an option nor a `-c` value. */
function commandName(args: readonly string[]): string {
  for (let i = 0; i < args.length; i += 1) {
    if (args[i] === '-c') i += 1;
    else if (!args[i]!.startsWith('-')) return args[i]!;
  }
  return '';
}

/** Runs git and returns stdout as text; a non-zero exit becomes a GitError naming the command and folder. */
export async function git(cwd: string, args: readonly string[], options: GitCallOptions = {}): Promise<string> {
  const result = await runGit(cwd, args, options);
  if (result.code !== 0) {
    throw new GitError('git_failed', `${cwd}: git ${commandName(args)} failed: ${gitReason(result)}`);
  }
  return result.stdout.toString('utf8');
}

/** Splits NUL-separated output (`-z`), dropping the empty tail. */
export function splitZ(text: string): string[] {
  const parts = text.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

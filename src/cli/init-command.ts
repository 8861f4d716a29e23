import { realpath } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { folderProblem, makeFolder } from '../archive/make-folder.js';
import { runGit } from '../git/run-git.js';
import { scaffoldFiles, writeScaffold } from '../scaffold/archive-scaffold.js';
import { UsageError, parseCommandArgs } from './cli-args.js';
import { printJson, println, type Output } from './output.js';

export const INIT_HELP = `Usage: newsmirror init [DIR] [--package SPEC] [--force] [--json]

Makes DIR (default: the current folder) a ready archive repository:
  newsmirror.yaml                    the built-in sources, commented, to edit
  .gitignore                         the catalog, temp files and lock stay out of git
  README.md                          the archive's front page
  package.json                       installs newsmirror (npm install, then commit package-lock.json)
  .github/workflows/newsmirror.yml   hourly run --commit --push on GitHub Actions
and runs git init there unless DIR is already in a git work tree. Refuses to
overwrite any of these files unless --force.

--package SPEC   where package.json installs newsmirror from, as npm writes it:
                 github:OWNER/newsmirror, a tarball URL, file:PATH (default:
                 the registry, ^VERSION of this newsmirror).`;

export async function initCommand(args: string[], io: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs('init', args, { force: { type: 'boolean', default: false }, package: { type: 'string' } }, 1);
  if (values.help) {
    println(io.out, INIT_HELP);
    return 0;
  }
  const spec = values.package;
  if (spec !== undefined && !/^\S+$/.test(spec)) throw new UsageError(`--package "${spec}": give one npm package spec, such as github:OWNER/newsmirror or file:../newsmirror`);
  const dir = resolve(positionals[0] ?? '.');
  // A file in the way was 'unexpected error: ENOTDIR', and a folder under /proc a loop for ever.
  await makeFolder(dir).catch((error: unknown) => {
    throw new UsageError(`${dir}: no folder here: ${folderProblem(error)}`);
  });
  const written = await writeScaffold(dir, scaffoldFiles(dir, spec), values.force);
  const inside = await runGit(dir, ['rev-parse', '--is-inside-work-tree']);
  const gitInit = inside.code !== 0;
  const warnings: string[] = [];
  // A folder of another repository: GitHub reads workflows only at that repository's top.
  const toplevel = gitInit ? undefined : await runGit(dir, ['rev-parse', '--show-toplevel']);
  const top = toplevel?.code === 0 ? toplevel.stdout.toString('utf8').trim() : '';
  if (top !== '' && resolve(top) !== (await realpath(dir))) {
    warnings.push(`${dir} is inside the git repository ${top}: GitHub runs only the workflows in ${join(top, '.github/workflows')}, not the one written here`);
  }
  if (gitInit) {
    const init = await runGit(dir, ['init', '--quiet']);
    if (init.code !== 0) println(io.err, `newsmirror init: ${dir}: git init failed; run it yourself`);
  }
  if (values.json) {
    printJson(io.out, { dir, written, gitInit, warnings });
    return 0;
  }
  println(io.out, `newsmirror: a new archive repository in ${dir}${gitInit ? ' (git init)' : ''}`);
  for (const path of written) println(io.out, `  ${path}`);
  println(io.out);
  println(io.out, 'Next: edit newsmirror.yaml, then');
  println(io.out, '  npm install                          # installs newsmirror, writes package-lock.json');
  println(io.out, '  npx newsmirror run                   # a first run, to see the archive');
  println(io.out, '  git add -A && git commit -m "newsmirror archive"');
  println(io.out, '  git remote add origin <URL> && git push -u origin HEAD');
  println(io.out, 'On GitHub the workflow then runs every hour (Actions tab: "Run workflow" to start one now).');
  for (const warning of warnings) println(io.out, `! ${warning}`);
  return 0;
}

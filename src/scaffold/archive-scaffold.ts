import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configSchema } from '../config/config-schema.js';
import { DEFAULT_SOURCES } from '../config/default-sources.js';
import { NewsmirrorError } from '../domain/errors.js';
import { renderConfigTemplate } from './render-config-template.js';
import { renderWorkflow } from './render-workflow.js';

/** `init` would overwrite a file and was not told to. */
export class ScaffoldError extends NewsmirrorError {}

export interface ScaffoldFile {
  /** Relative to the new repository's top folder, with forward slashes. */
  path: string;
  text: string;
}

/** This package's version, from its package.json (found upwards from this module, in src/ or dist/). */
export function newsmirrorVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'newsmirror' && pkg.version) return pkg.version;
    }
    if (dirname(dir) === dir) return '0.0.0';
    dir = dirname(dir);
  }
}

/** What is never committed, wherever the archive folder sits (write-lists.ts keeps the archive's own .gitignore). */
const GITIGNORE = `node_modules/
# newsmirror: the catalog is an index rebuilt from the files; temp files and the lock belong to a run.
**/.newsmirror/catalog.sqlite*
**/.newsmirror/tmp/
**/.newsmirror/lock*
`;

function packageName(dir: string): string {
  const name = basename(dir).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+|-+$/g, '');
  return name === '' ? 'news-archive' : name.slice(0, 60);
}

function renderReadmeHeader(title: string, footer: string, archive: string): string {
  return `${title}
------

The articles are in [${archive}/](${archive}/README.md): one list per source, one
Markdown file per article. newsmirror brings them up to date every hour
(\`.github/workflows/newsmirror.yml\`); the sources are in \`newsmirror.yaml\`.

${footer}`.replace(/\n*$/, '\n');
}

/**
 * The files of a new archive repository: the config with the built-in
 * sources, .gitignore, a README, a package.json that installs newsmirror (the
 * workflow runs `npm ci`/`npm install`, then `npx newsmirror`), and the workflow.
 * `packageSpec` is npm's name for where newsmirror comes from: a version
 * range of the registry, or `github:OWNER/REPO`, a tarball URL, `file:PATH`.
 */
export function scaffoldFiles(dir: string, packageSpec = `^${newsmirrorVersion()}`): ScaffoldFile[] {
  const defaults = configSchema.parse({ sources: [...DEFAULT_SOURCES] });
  const pkg = {
    name: packageName(dir),
    private: true,
    description: 'A news archive kept by newsmirror',
    scripts: { archive: 'newsmirror run', status: 'newsmirror status' },
    dependencies: { newsmirror: packageSpec },
  };
  return [
    { path: 'newsmirror.yaml', text: renderConfigTemplate() },
    { path: '.gitignore', text: GITIGNORE },
    { path: 'README.md', text: renderReadmeHeader(defaults.readme.title, defaults.readme.footer, defaults.archive) },
    { path: 'package.json', text: `${JSON.stringify(pkg, null, 2)}\n` },
    { path: '.github/workflows/newsmirror.yml', text: renderWorkflow({ archive: defaults.archive }) },
  ];
}

/**
 * Writes the files into `dir`. Without `force`, checks every one first and
 * refuses (naming the first that exists) before writing any.
 */
export async function writeScaffold(dir: string, files: readonly ScaffoldFile[], force: boolean): Promise<string[]> {
  if (!force) {
    const existing = files.find((f) => existsSync(join(dir, f.path)));
    if (existing) throw new ScaffoldError('file_exists', `${join(dir, existing.path)}: already exists (newsmirror init --force overwrites it)`);
  }
  const written: string[] = [];
  for (const file of files) {
    const target = join(dir, file.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.text);
    written.push(file.path);
  }
  return written;
}

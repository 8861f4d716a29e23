import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withArchiveIgnored } from '../archive/archive-gitignore.js';
import { renderReadme } from '../archive/list-file.js';
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

/**
 * The archive sits at the repository's top (`archive: .`), as the family's
 * repositories have it: the lists link articles as `/articles/<slug>/<id>.md`
 * (FORMAT.md), which GitHub resolves from the repository's top, so an archive
 * in a subfolder would have every list link dead there.
 */
const ARCHIVE = '.';

/** .gitignore: npm's folder, and what a run adds to an archive's (so the first run changes nothing). */
const GITIGNORE = withArchiveIgnored('node_modules/\n')!;

function packageName(dir: string): string {
  const name = basename(dir).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+|-+$/g, '');
  return name === '' ? 'news-archive' : name.slice(0, 60);
}

/**
 * The files of a new archive repository, the archive at its top: the config
 * with the built-in sources, .gitignore, the README a run writes, a package.json that installs newsmirror (the
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
    { path: 'newsmirror.yaml', text: renderConfigTemplate(DEFAULT_SOURCES, ARCHIVE) },
    { path: '.gitignore', text: GITIGNORE },
    // The front page a run writes (heading, a link to each source's list, footer): the first run keeps it.
    { path: 'README.md', text: renderReadme(defaults.readme.title, defaults.sources.map((s) => s.name), defaults.readme.footer) },
    { path: 'package.json', text: `${JSON.stringify(pkg, null, 2)}\n` },
    { path: '.github/workflows/newsmirror.yml', text: renderWorkflow({ archive: ARCHIVE }) },
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

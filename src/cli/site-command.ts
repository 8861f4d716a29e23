import { join, relative, resolve, sep } from 'node:path';
import { measureFiles } from '../archive/measure-files.js';
import { renderSize } from '../domain/byte-size.js';
import { GITHUB_LIMITS } from '../domain/github-limits.js';
import { folderProblem, makeFolder } from '../archive/make-folder.js';
import { Catalog } from '../catalog/catalog.js';
import { CATALOG_FILE } from '../catalog/catalog-location.js';
import { loadReaderConfig, ReaderArchive } from '../publish/reader-archive.js';
import { syncReaderCatalog } from '../pipeline/sync-reader-catalog.js';
import { SITE_MANIFEST, SiteOutput, type SiteStats } from '../publish/site-output.js';
import { writeJekyll } from '../publish/write-jekyll.js';
import { writeSite } from '../publish/write-site.js';
import { UsageError, parseCommandArgs } from './cli-args.js';
import { requireArchiveFolder } from './reader-archive-folder.js';
import { printJson, println, type Output } from './output.js';

export const SITE_HELP = `Usage: newsmirror site --out DIR [--format html|jekyll] [--base-url URL] [--archive DIR] [--config FILE] [--json]

Writes the archive as a static website into DIR: the reader's pages (home,
each source paged with a month archive, each article with its images) with
relative links, so the site works on GitHub Pages, on any static host and
opened from disk (file://); Atom feeds (feeds/<slug>.xml, feeds/all.xml);
and a search that runs in the browser from a prebuilt index (search.html).
The pages load nothing from any other host.

Incremental: only files whose bytes change are written, and files an
earlier build made that are no longer part of the site are removed. Files
it did not make (a CNAME, a README) are left alone; if the site would
replace one, it names them and writes nothing.

  --format jekyll   instead, Jekyll posts: _posts/YYYY-MM-DD-<source>-<id>.md
                    with front matter (layout, title, date, author, from,
                    tags, categories) and the archived images under assets/
  --base-url URL    the site's address, for absolute links in the feeds
  --assets link     copy no picture: pages show the archive's own copies, at
                    --assets-url URL (the archive repository's files, e.g.
                    https://raw.githubusercontent.com/OWNER/REPO/main/), or
                    without it by a relative path from --out to the archive
                    (a site published from the archive repository's top)
                    A site over GitHub Pages' 1 GB is said in a warning.`;

/** GitHub Pages serves a site of at most this much. */
const PAGES_LIMIT = GITHUB_LIMITS.find((l) => l.key === 'pages')!;

/**
 * What replaces `../../` before `assets/` in article pages with --assets
 * link: the URL the archive's files are served at, or the way from a page
 * (out/articles/<slug>/) to the archive folder.
 */
function assetsRootOf(mode: string | undefined, url: string | undefined, out: string, archive: string): string | undefined {
  if (mode !== undefined && mode !== 'copy' && mode !== 'link') throw new UsageError(`--assets ${mode}: must be copy or link`);
  if (url !== undefined && mode !== 'link') throw new UsageError('--assets-url URL: only with --assets link');
  if (mode !== 'link') return undefined;
  if (url !== undefined) return baseUrl(url, '--assets-url')!;
  const way = relative(join(out, 'articles', 'x'), archive).split(sep).join('/');
  return way === '' ? '' : `${way}/`;
}

/** The built site's size (its manifest aside) when it is over what Pages serves, as a warning. */
async function pagesWarning(out: string, linked: boolean): Promise<string[]> {
  const bytes = (await measureFiles(out)).reduce((n, f) => (f.path === SITE_MANIFEST ? n : n + f.bytes), 0);
  if (bytes <= PAGES_LIMIT.bytes) return [];
  const how = linked ? 'publish it elsewhere' : 'build it with --assets link (pictures from the archive itself), or publish it elsewhere';
  return [`${out}: the site is ${renderSize(bytes)}, over the ${PAGES_LIMIT.size} GitHub Pages publishes: ${how}`];
}

function checkOut(out: string, archive: string): void {
  const inside = relative(archive, out);
  const top = inside.split(sep)[0] ?? '';
  if (inside === '' || ['articles', 'lists', 'assets', '.newsmirror'].includes(top)) {
    throw new UsageError(`--out ${out}: must not be the archive folder or one of its articles/, lists/, assets/ or .newsmirror/ folders (a docs/ folder is fine)`);
  }
}

function baseUrl(text: string | undefined, option = '--base-url'): string | undefined {
  if (text === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    // reported below
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') throw new UsageError(`${option} ${text}: must be an absolute http:// or https:// URL`);
  // Page paths are appended to it, so a query or fragment would land in the middle of every link.
  if (/[?#]/.test(text)) throw new UsageError(`${option} ${text}: must have no ?query or #fragment (page paths are appended to it)`);
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

export async function siteCommand(args: string[], io: Output): Promise<number> {
  const { values } = parseCommandArgs('site', args, { out: { type: 'string' }, format: { type: 'string' }, 'base-url': { type: 'string' }, assets: { type: 'string' }, 'assets-url': { type: 'string' } }, 0);
  if (values.help) {
    println(io.out, SITE_HELP);
    return 0;
  }
  if (values.out === undefined) throw new UsageError('--out DIR is required (see newsmirror site --help)');
  const format = values.format ?? 'html';
  if (format !== 'html' && format !== 'jekyll') throw new UsageError(`--format ${format}: must be html or jekyll`);
  const base = baseUrl(values['base-url']);
  const config = await loadReaderConfig({ config: values.config, archive: values.archive, cwd: process.cwd() });
  requireArchiveFolder(config.archiveDir);
  const out = resolve(values.out);
  checkOut(out, config.archiveDir);
  const assetsRoot = assetsRootOf(values.assets, values['assets-url'], out, config.archiveDir);
  if (assetsRoot !== undefined && format === 'jekyll') throw new UsageError('--assets link: only with --format html (Jekyll posts need their pictures beside them)');
  // Made here, before any work: a file in the way was 'unexpected error: ENOTDIR', and a folder under /proc a loop for ever.
  await makeFolder(out).catch((error: unknown) => {
    throw new UsageError(`--out ${out}: no folder here: ${folderProblem(error)}`);
  });
  const started = Date.now();
  const catalog = Catalog.open(join(config.archiveDir, CATALOG_FILE));
  let stats: SiteStats;
  let warnings: string[];
  try {
    warnings = await syncReaderCatalog(config.archiveDir, catalog, started);
    const archive = new ReaderArchive(config.archiveDir, catalog, config);
    const output = await SiteOutput.open(out);
    if (format === 'jekyll') await writeJekyll(archive, output);
    else await writeSite(archive, output, { baseUrl: base, assetsRoot });
    stats = await output.finish();
    warnings.push(...(await pagesWarning(out, assetsRoot !== undefined)));
  } finally {
    catalog.close();
  }
  const ms = Date.now() - started;
  if (values.json) printJson(io.out, { out, format, ...stats, ms, warnings });
  else {
    println(io.out, `newsmirror site: ${out} (${format}): ${stats.written} written, ${stats.unchanged} unchanged, ${stats.kept} kept, ${stats.removed} removed in ${ms} ms`);
    if (format === 'html') println(io.out, `Open ${join(out, 'index.html')} in a browser, or publish the folder.`);
    for (const warning of warnings) println(io.err, `! ${warning}`);
  }
  return 0;
}

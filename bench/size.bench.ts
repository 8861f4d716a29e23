import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Catalog } from '../src/catalog/catalog.js';
import { CATALOG_FILE } from '../src/catalog/catalog-location.js';
import { measureFiles } from '../src/archive/measure-files.js';
import { measureArchive } from '../src/pipeline/size-report.js';
import { ensureLargeArchive } from './corpus/large-archive.js';
import { round, timeInterleaved } from './measure.js';

export interface SizeResult {
  articles: number;
  files: number;
  /** Articles in the 30-day window, whose files the report reads for the pictures they link. */
  windowArticles: number;
  /** `newsmirror size`'s report (stat of every file, the catalog's dates, the window's files read). */
  reportSeconds: number;
  /** The stat walk alone (measure-files.ts): the floor of any report by size. */
  statSeconds: number;
  /** Listing the folders without a stat: what a walk costs before sizes. */
  listSeconds: number;
  reportVsStat: number;
  /** The same report twice, byte for byte. */
  deterministic: boolean;
}

async function listOnly(root: string): Promise<number> {
  let files = 0;
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) await walk(join(dir, entry.name));
      else files += 1;
    }
  };
  await walk(root);
  return files;
}

/** The catalog a run would hold: each article dated by its file's first line (setup, not timed). */
async function datedCatalog(root: string): Promise<{ catalog: Catalog; newest: number }> {
  const catalog = Catalog.open(join(root, CATALOG_FILE));
  let newest = 0;
  const records = [];
  for (const slug of await readdir(join(root, 'articles'))) {
    for (const name of await readdir(join(root, 'articles', slug))) {
      const text = await readFile(join(root, 'articles', slug, name), 'utf8');
      const published = Number(/^<!--(\d+)-->/.exec(text)?.[1] ?? 0);
      newest = Math.max(newest, published);
      const id = Number(name.slice(0, -3));
      records.push({ source: slug, id, guid: null, link: null, canonicalLink: null, title: name, published, firstSeen: published, contentHash: null, path: `articles/${slug}/${name}`, bodySource: null });
    }
  }
  catalog.insertItems(records);
  return { catalog, newest };
}

/** `size` on the large archive (100k articles; --quick 10k) against the stat walk and a bare listing of the same files. */
export async function benchSize(options: { quick: boolean; seed: number; workDir: string }, log: (line: string) => void): Promise<SizeResult> {
  const archive = await ensureLargeArchive(options.workDir, options.quick ? 10_000 : 100_000, options.seed, log);
  const { catalog, newest } = await datedCatalog(archive.root);
  try {
    const input = { root: archive.root, names: new Map<string, string>(), timeZone: 'Asia/Shanghai', catalog, now: newest + 1 };
    let report = await measureArchive(input);
    const deterministic = JSON.stringify(report) === JSON.stringify(await measureArchive(input));
    const [full, stat, list] = await timeInterleaved(
      [
        { name: 'report', pass: async () => (report = await measureArchive(input)) },
        { name: 'stat', pass: () => measureFiles(archive.root) },
        { name: 'list', pass: () => listOnly(archive.root) },
      ],
      options.quick ? 1 : 3,
    );
    const result: SizeResult = {
      articles: archive.articles,
      files: report.files,
      windowArticles: report.growth.articles,
      reportSeconds: round(full!.median),
      statSeconds: round(stat!.median),
      listSeconds: round(list!.median),
      reportVsStat: round(full!.median / stat!.median),
      deterministic,
    };
    log(`  size: ${result.articles} articles, ${result.files} files: report ${result.reportSeconds} s (${result.windowArticles} articles in the window read), stat walk ${result.statSeconds} s, listing ${result.listSeconds} s`);
    return result;
  } finally {
    catalog.close();
  }
}

import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderArticleFile } from '../../src/archive/article-file.js';
import { listArticleIds } from '../../src/archive/scan-archive.js';
import { articlePath } from '../../src/domain/article.js';
import { renderBodyLine } from '../../src/domain/body-line.js';
import { ID_ORIGIN } from '../../src/domain/ids.js';
import { formatLink } from '../../src/domain/link.js';
import { normalizeTitle } from '../../src/domain/title.js';
import { benchFeeds, feedArticles, type BenchFeed } from './feed-set.js';

/** Bump when the generated files change, so a cached archive of the old shape is regenerated. */
const GENERATOR_VERSION = 1;
const COMPLETE_MARK = '.bench-complete';
const WRITES_IN_FLIGHT = 64;

export interface LargeArchive {
  root: string;
  /** The nine sources (benchFeeds(9)) and how many articles each holds: items 0..count-1 of its feed. */
  sources: { feed: BenchFeed; count: number }[];
  articles: number;
  /** True when this call wrote the files (false: reused from the cache). */
  generated: boolean;
}

/** Item k of a source is the k-th oldest: FORMAT.md ids count down from 0xFFFFF - 1. */
export function archivedId(k: number): number {
  return ID_ORIGIN - 1 - k;
}

function split(articles: number): { feed: BenchFeed; count: number }[] {
  const feeds = benchFeeds(9);
  return feeds.map((feed, i) => ({ feed, count: Math.floor(articles / 9) + (i < articles % 9 ? 1 : 0) }));
}

async function writeSource(root: string, seed: number, feed: BenchFeed, count: number): Promise<void> {
  await mkdir(join(root, 'articles', feed.slug), { recursive: true });
  const CHUNK = 500;
  for (let newest = count - 1; newest >= 0; newest -= CHUNK) {
    const articles = feedArticles(seed, feed, { newest, items: CHUNK });
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < articles.length) {
        const a = articles[next++]!;
        const k = Number(a.guid.slice(a.guid.lastIndexOf('-') + 1));
        const text = renderArticleFile({
          published: a.published,
          title: normalizeTitle(a.title),
          url: formatLink(a.url) ?? a.url,
          body: renderBodyLine(a.html),
        });
        // A generated fixture, rebuilt if lost: no fsync, or generating 100k files would take minutes.
        await writeFile(join(root, articlePath(feed.slug, archivedId(k))), text);
      }
    };
    await Promise.all(Array.from({ length: WRITES_IN_FLIGHT }, worker));
  }
}

/**
 * Puts the archive back in its generated state: article files only, no
 * catalog, state, lists or README, and none of the articles a benchmark run
 * added (ids below the generated ones). Cheap, so every benchmark starts
 * from the same "old archive without a catalog", even after a killed run.
 */
export async function resetLargeArchive(archive: LargeArchive): Promise<void> {
  const { root } = archive;
  for (const name of ['.newsmirror', 'lists', 'README.md', '.gitignore']) await rm(join(root, name), { recursive: true, force: true });
  for (const { feed, count } of archive.sources) {
    const lowest = archivedId(count - 1);
    const extra = (await listArticleIds(root, feed.slug)).filter((id) => id < lowest);
    await Promise.all(extra.map((id) => rm(join(root, articlePath(feed.slug, id)), { force: true })));
  }
}

/**
 * An archive of `articles` articles across nine sources in the classic
 * layout (articles/<slug>/<id>.md written with the project's own renderers),
 * without a catalog: what a user has after cloning an old archive. Cached
 * under `cacheDir` by (articles, seed, generator version): generating 100k
 * articles takes a while and the files never change.
 */
export async function ensureLargeArchive(cacheDir: string, articles: number, seed: number, log: (line: string) => void): Promise<LargeArchive> {
  const root = join(cacheDir, `archive-${articles}-s${seed}-v${GENERATOR_VERSION}`);
  const archive: LargeArchive = { root, sources: split(articles), articles, generated: false };
  if (existsSync(join(root, COMPLETE_MARK))) {
    await resetLargeArchive(archive);
    return archive;
  }
  // Archives of this size from another seed or generator version are dropped: each can be gigabytes.
  for (const name of await readdir(cacheDir).catch(() => [] as string[])) {
    if (name.startsWith(`archive-${articles}-`)) await rm(join(cacheDir, name), { recursive: true, force: true });
  }
  log(`  generating a ${articles}-article archive in ${root} (cached for later runs)`);
  await mkdir(root, { recursive: true });
  for (const { feed, count } of archive.sources) await writeSource(root, seed, feed, count);
  await writeFile(join(root, COMPLETE_MARK), `${articles} articles, seed ${seed}, generator v${GENERATOR_VERSION}\n`);
  return { ...archive, generated: true };
}

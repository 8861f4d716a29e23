import { articlePath } from '../domain/article.js';
import { CountdownIds, wordpressId } from '../domain/ids.js';
import { renderArticleFile } from '../archive/article-file.js';
import { writeNewFileAtomic } from '../archive/write-file-atomic.js';
import { failpoint } from '../archive/failpoint.js';
import { mapLimited } from '../domain/map-limited.js';
import type { Catalog } from '../catalog/catalog.js';
import { indexArticles } from '../catalog/search-index.js';
import type { SourceConfig } from '../config/config-schema.js';
import type { Candidate } from './prepare-item.js';
import { hashBody } from './sync-catalog.js';

/** Files written at once: enough to overlap fsyncs, few enough to stay polite to the disk. */
const WRITES_IN_FLIGHT = 16;

export interface ArchiveContext {
  root: string;
  catalog: Catalog;
  source: SourceConfig;
  now: number;
}

interface Planned {
  candidate: Candidate;
  id: number;
  published: number;
  text: string;
  body: string;
}

/**
 * Ids per FORMAT.md: new items in ascending publication order (ties: lower in
 * the feed is older), each one below the smallest id in use; a WordPress
 * source takes 0xFFFFF ^ post id when that id is free.
 */
function planIds(candidates: Candidate[], ids: CountdownIds, context: ArchiveContext): Planned[] {
  const dated = candidates.map((c) => ({ c, published: c.published ?? context.now }));
  dated.sort((a, b) => a.published - b.published || b.c.index - a.c.index);
  return dated.map(({ c, published }) => {
    const wp = context.source.ids === 'wordpress' ? wordpressId(c.guid) : undefined;
    const id = wp !== undefined && ids.reserve(wp) ? wp : ids.allocate();
    const body = c.body ?? '';
    const text = renderArticleFile({ published, title: c.title, url: c.url ?? '', body });
    return { candidate: c, id, published, text, body };
  });
}

async function writeOne(plan: Planned, ids: CountdownIds, context: ArchiveContext): Promise<number> {
  const { root, source, catalog } = context;
  const c = plan.candidate;
  // The raw body goes in first: a run killed after the file lands still has it.
  // A stray raw row under an id that never got its file is replaced when the id is used.
  catalog.putRawBody(source.slug, plan.id, c.html);
  let id = plan.id;
  // An id whose file exists although nothing said so (a file copied in by hand):
  // never overwrite it, take the next free id instead.
  while (!(await writeNewFileAtomic(root, articlePath(source.slug, id), plan.text))) id = ids.allocate();
  if (id !== plan.id) catalog.putRawBody(source.slug, id, c.html);
  failpoint('article-written');
  catalog.insertItem({
    source: source.slug,
    id,
    guid: c.guid ?? null,
    link: c.url ?? null,
    canonicalLink: c.canonicalLink ?? null,
    title: c.title,
    published: plan.published,
    firstSeen: context.now,
    contentHash: hashBody(plan.body),
    path: articlePath(source.slug, id),
    bodySource: c.bodySource,
  });
  failpoint('article-recorded');
  return id;
}

/**
 * Writes the new items' article files (atomically, never over an existing
 * file) and records each in the catalog once its file is in place. A run
 * killed in between leaves a file the next run's catalog sync picks up.
 */
export async function archiveItems(
  candidates: Candidate[],
  idsInUse: Iterable<number>,
  context: ArchiveContext,
  signal?: AbortSignal,
): Promise<number[]> {
  const ids = new CountdownIds(idsInUse);
  const plans = planIds(candidates, ids, context);
  // A stop request lets the articles in hand finish and starts no new one.
  const written = await mapLimited(plans, WRITES_IN_FLIGHT, (plan) => writeOne(plan, ids, context), () => signal?.aborted === true);
  // Into the search index together: one transaction costs a third less than one per article.
  // A run killed before this leaves rows unindexed, and the next catalog sync indexes them.
  const { slug } = context.source;
  indexArticles(
    context.catalog,
    plans.flatMap((plan, i) => {
      const id = written[i];
      return id === undefined ? [] : [{ source: slug, id, published: plan.published, title: plan.candidate.title, html: plan.body }];
    }),
  );
  return written.filter((id): id is number => id !== undefined).sort((a, b) => b - a);
}

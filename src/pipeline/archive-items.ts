import { articlePath } from '../domain/article.js';
import { CountdownIds, wordpressId } from '../domain/ids.js';
import { renderArticleFile } from '../archive/article-file.js';
import { writeNewFileAtomic } from '../archive/write-file-atomic.js';
import { failpoint } from '../archive/failpoint.js';
import { mapLimited } from '../domain/map-limited.js';
import type { Catalog, ItemRecord } from '../catalog/catalog.js';
import { indexArticles, withSearchFile, type SearchableArticle } from '../catalog/search-index.js';
import type { SourceConfig } from '../config/config-schema.js';
import { contentBasis, type Candidate } from './prepare-item.js';
import { hashBody } from './sync-catalog.js';

/** Files written at once: enough to overlap fsyncs, few enough to stay polite to the disk. */
const WRITES_IN_FLIGHT = 16;

export interface ArchiveContext {
  root: string;
  catalog: Catalog;
  source: SourceConfig;
  now: number;
  /** Takes the written articles into the search index (default: at once, on this thread). */
  index?: ((articles: SearchableArticle[]) => void) | undefined;
  /** True once no new file may start (the source's deadline): the ones written are recorded. */
  stop?: (() => boolean) | undefined;
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

/**
 * Writes one article file, never over an existing one: an id whose file
 * exists although nothing said so (a file copied in by hand) is skipped for
 * the next free id. Returns the id used.
 */
async function writeOne(plan: Planned, ids: CountdownIds, context: ArchiveContext): Promise<number> {
  const { root, source, catalog } = context;
  let id = plan.id;
  while (!(await writeNewFileAtomic(root, articlePath(source.slug, id), plan.text))) id = ids.allocate();
  if (id !== plan.id) {
    // The raw body put in under the planned id would pass for that file's: reclean would write ours into it.
    catalog.transaction(() => {
      catalog.deleteRawBody(source.slug, plan.id);
      catalog.putRawBody(source.slug, id, plan.candidate.html, plan.candidate.url ?? '', contentBasis(source.content));
    });
  }
  failpoint('article-written');
  return id;
}

function itemRecord(plan: Planned, id: number, context: ArchiveContext): ItemRecord {
  const c = plan.candidate;
  const slug = context.source.slug;
  return {
    source: slug,
    id,
    guid: c.guid ?? null,
    link: c.url ?? null,
    canonicalLink: c.canonicalLink ?? null,
    title: c.title,
    published: plan.published,
    firstSeen: context.now,
    contentHash: hashBody(plan.body),
    path: articlePath(slug, id),
    bodySource: c.bodySource,
  };
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
): Promise<number[]> {
  const ids = new CountdownIds(idsInUse);
  const plans = planIds(candidates, ids, context);
  const { slug } = context.source;
  // The raw bodies go in first (one transaction): a run killed after a file lands
  // still has its raw body. A stray raw row under an id that never got its file
  // is replaced when the id is used.
  const basis = contentBasis(context.source.content);
  await context.catalog.putRawBodies(plans.map((plan) => ({ source: slug, id: plan.id, html: plan.candidate.html, link: plan.candidate.url ?? '', basis })));
  // Every candidate is in hand (a stop request stopped the fetching before, run-source.ts): all are
  // written, unless the source's deadline passes first. Plans are oldest first, so the ones written are.
  const written = await mapLimited(plans, WRITES_IN_FLIGHT, (plan) => writeOne(plan, ids, context), context.stop);
  // Every file is durable; now their rows, in one commit. A run killed before it
  // leaves files that the next run's catalog sync takes in.
  const done = plans.flatMap((plan, i) => {
    const id = written[i];
    return id === undefined ? [] : [{ plan, id }];
  });
  const candidateOf = new Map(done.map(({ plan, id }) => [id, plan.candidate]));
  context.catalog.insertItems(
    done.map(({ plan, id }) => itemRecord(plan, id, context)),
    (record) => {
      // Versions kept under the id are an article's deleted by hand (an id is given again when that
      // article had no edit files): the new one would be compared with them.
      context.catalog.deleteVersions(record.source, record.id);
      // An item known by its title and date alone, dated in the future, is archived as of when it was
      // seen (clampToSeen): its feed date names it too, else once that date has passed the item is
      // no longer taken for its article (Catalog.matchItem) and is archived again.
      const c = candidateOf.get(record.id);
      if (c?.futureDate !== undefined && c.guid === undefined && c.canonicalLink === undefined) context.catalog.addAliases(slug, { title: c.title, published: c.futureDate }, record.id);
      failpoint('article-recorded');
    },
  );
  const searchable = done.map(({ plan, id }) => ({ source: slug, id, published: plan.published, title: plan.candidate.title, html: plan.body }));
  if (context.index) await context.index(searchable);
  else withSearchFile(context.catalog, () => indexArticles(context.catalog, searchable));
  return written.filter((id): id is number => id !== undefined).sort((a, b) => b - a);
}

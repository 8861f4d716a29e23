import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SourceConfig } from '../config/config-schema.js';
import { parseArticleFile } from '../archive/article-file.js';
import { NOT_MODIFIED, SAME_TITLE_WINDOW_MS, type Catalog, type ItemRecord } from '../catalog/catalog.js';
import type { HttpClient } from '../http/http-client.js';
import type { SourceState } from '../archive/state-file.js';
import { mapLimited } from '../domain/map-limited.js';
import { bodiesDiffer } from '../domain/text-overlap.js';
import { isUndecodedTitle } from '../domain/title.js';
import { capsFor, takeNewest, type Caps } from '../domain/caps.js';
import { archiveItems } from './archive-items.js';
import { completeArticles } from './complete-article.js';
import { fetchFeed, type FeedFetch, type FetchSettings } from './fetch-feed.js';
import type { ReadFeedFn } from './read-feed-task.js';
import { LimitError } from '../domain/errors.js';
import { FILES_AFTER_DEADLINE, afterDeadline, noteTooSlow, pastDeadline, pauseEvery } from './source-deadline.js';
import { clampToSeen, itemName, longTitleWarning, overlongLinkWarning, prepareItem, type Candidate } from './prepare-item.js';
import { FreshItems, sameKey } from './fresh-items.js';
import { indexFromFiles, recheckArticles, syncCatalog } from './sync-catalog.js';
import { writeLists } from './write-lists.js';
import type { CleanFn, RenderBody } from './render-body.js';
import { recordEdits, type KnownItem } from './record-edits.js';
import type { SearchableArticle } from '../catalog/search-index.js';

export interface SourceOutcome {
  slug: string;
  name: string;
  /** skipped: a stop was requested (watch on SIGTERM) before the source's turn. */
  status: 'ok' | 'unchanged' | 'failed' | 'skipped';
  /** The feed URL used (primary or mirror). */
  url: string;
  /** Items in the feed. */
  items: number;
  /** Ids of the articles this run archived, newest first. */
  added: number[];
  /** Ids of archived articles whose feed version changed: each got an edit file (record-edits.ts). */
  edited: number[];
  error?: { code: string; message: string };
  warnings: string[];
  /** Archive paths this run wrote for the source (articles and lists). */
  written: string[];
  ms: number;
}

export interface SourceContext {
  root: string;
  catalog: Catalog;
  http: HttpClient;
  timeZone: string;
  fetch: FetchSettings;
  /** The config's caps, which a source's own settings override (domain/caps.ts). */
  caps: Caps;
  now: () => number;
  renderBody: RenderBody;
  /** Today's cleaning alone: the versions of an archived article are compared through it (record-edits.ts). */
  clean: CleanFn;
  /** Hears each feed URL as it is requested (the primary or a mirror): progress. */
  fetching?: ((url: string) => void) | undefined;
  /** Takes archived articles into the search index (the run's SearchIndexer). */
  index?: ((articles: SearchableArticle[]) => Promise<void>) | undefined;
  signal?: AbortSignal | undefined;
  /** Decodes and reads a fetched feed (default: on this thread). */
  readFeed?: ReadFeedFn | undefined;
  /** The source's deadline (sourceTimeoutMs): aborted, the source stops where it is and fails as too_slow. */
  deadline?: AbortSignal | undefined;
}

/**
 * A conditional GET answered 304 this many runs in a row is made without
 * validators the next time: a server that answers 304 forever (a broken
 * cache, an ETag that never changes with the content) cannot freeze a feed.
 * Counted in the catalog's fetch history, never in state.json, which a run
 * with nothing new must leave as it was. Hourly runs: once a day.
 */
export const UNCONDITIONAL_EVERY = 24;

/**
 * Bodies rendered at once per source. Without image archiving a body is only
 * cleaned (on the cleaning threads): a deep queue keeps those threads busy
 * while the main thread writes files or indexes (measured: ~5-10% off the
 * bench run). With images, each body fetches its images, and the HTTP
 * client's per-host limit would only queue more requests on their deadlines.
 */
const BODIES_IN_FLIGHT = { cleanOnly: 32, withImages: 4 };

async function renderBodies(candidates: Candidate[], source: SourceConfig, render: RenderBody, stop: () => boolean, deadline: AbortSignal | undefined): Promise<string[]> {
  const inFlight = source.images === 'archive' ? BODIES_IN_FLIGHT.withImages : BODIES_IN_FLIGHT.cleanOnly;
  const warnings = await mapLimited(
    candidates,
    inFlight,
    async (c) => {
      try {
        const rendered = await render(c.html, c.url, source, deadline, itemName(c));
        c.body = rendered.body;
        return rendered.warnings;
      } catch (error) {
        // Given up at the deadline: this body is not ready, the ones before it are archived.
        if (error instanceof LimitError && error.code === 'too_slow') return [];
        throw error;
      }
    },
    stop,
  );
  return warnings.flatMap((w) => w ?? []);
}

/**
 * Items whose title was decoded: in a feed some of whose bytes its encoding
 * could not read, a title holding U+FFFD is refused, said in `warnings`. In a
 * feed decoded without loss, a U+FFFD is the publisher's own character.
 */
function decodedOnly(candidates: Candidate[], lossy: boolean, warnings: string[]): Candidate[] {
  if (!lossy) return candidates;
  return candidates.filter((c) => {
    if (!isUndecodedTitle(c.title)) return true;
    warnings.push(`${itemName(c)}: the title has bytes that could not be decoded ("${c.title}"); not archived, rather than archived wrong`);
    return false;
  });
}

/**
 * Items of this feed that the archive does not hold yet, each item once even
 * if the feed repeats it. One rule for the archive and for the feed itself
 * (Catalog.matchItem): the same guid, the same link, or the same title within
 * 12 hours is the same article. An item taken for an archived one by its
 * title alone (a new link) is said once in `warnings`, with the file it was
 * taken for, and its guid and link are remembered for that file, so later
 * runs know it by them.
 */
async function newCandidates(
  candidates: Candidate[],
  catalog: Catalog,
  slug: string,
  warnings: string[],
  duplicates: Array<{ item: Candidate; of: Candidate }>,
  now: number,
  archivedBody: (record: ItemRecord) => string | undefined,
  known: KnownItem[],
  deadline: AbortSignal | undefined,
): Promise<Candidate[]> {
  const fresh = new FreshItems(now);
  // Oldest first (as ids are given: ties, lower in the feed is older), so the one kept is the first published.
  const oldestFirst = [...candidates].sort((a, b) => (a.published ?? Infinity) - (b.published ?? Infinity) || b.index - a.index);
  for (const [i, c] of oldestFirst.entries()) {
    await pauseEvery(i, deadline);
    const archived = catalog.matchItem(slug, { ...c, seen: now }, sameStoryAs(c, archivedBody));
    if (archived?.by === 'title') {
      catalog.addAliases(slug, c, archived.record.id);
      warnings.push(`${itemName(c)}: same title as ${archived.record.path} (within 12 h): taken for that article, not archived again`);
    }
    // Known by its own names (an alias is a guid or link once taken for the article by its title): its later versions are edits.
    if (archived && archived.by !== 'title') known.push({ item: c, record: archived.record });
    // An article known from its file alone (no guid: an older archive, a rebuilt catalog, another clone's) is
    // taken for an item with a guid by its link only while their titles agree: its guid is remembered, so a
    // new headline is an edit of it, not another article. Not its link: items of one page differ by guid.
    if (archived?.by === 'link' && archived.record.guid === null && c.guid !== undefined) catalog.addAliases(slug, { guid: c.guid, title: c.title }, archived.record.id);
    if (archived) continue;
    const earlier = fresh.find(c);
    if (earlier) {
      if (!sameKey(earlier, c)) {
        warnings.push(`${itemName(c)}: same title as ${itemName(earlier)} in this feed (within 12 h): archived once`);
        duplicates.push({ item: c, of: earlier });
      }
      continue;
    }
    fresh.add(c);
  }
  return fresh.items;
}


/** Two stories that only share a headline (two "快讯" an hour apart) are two articles: for Catalog.matchItem. */
function sameStoryAs(c: Candidate, archivedBody: (record: ItemRecord) => string | undefined): (record: ItemRecord) => boolean {
  return (record) => !bodiesDiffer(c.html, archivedBody(record) ?? c.html);
}

/** An archived article's body, read at once (a title match is rare); undefined when the file is not readable. */
function readArticleBody(root: string, path: string): string | undefined {
  try {
    return parseArticleFile(readFileSync(join(root, path), 'utf8'), path).body;
  } catch {
    return undefined;
  }
}

function hasCategory(pattern: RegExp): (c: Candidate) => boolean {
  return (c) => c.categories.some((category) => pattern.test(category));
}

/** An outcome with nothing done yet: where a source starts, or all a skipped or failed one has. */
export function emptyOutcome(source: SourceConfig, status: SourceOutcome['status']): SourceOutcome {
  return { slug: source.slug, name: source.name, status, url: source.url, items: 0, added: [], edited: [], warnings: [], written: [], ms: 0 };
}

/**
 * A fetched feed's items: what is new archived, what changed in articles
 * archived before recorded beside them, and the validators kept once every
 * new item is in. Returns how many article files were found to hold another
 * article than the catalog recorded (recheckArticles).
 */
async function archiveFeed(
  context: SourceContext,
  source: SourceConfig,
  state: SourceState,
  fetched: Extract<FeedFetch, { kind: 'feed' }>,
  idsInUse: readonly number[],
  outcome: SourceOutcome,
): Promise<number> {
  const { root, catalog } = context;
  // The source's maxItems and maxFeedItems are applied where the feed was read (read-feed-task.ts).
  const { items } = fetched.feed;
  outcome.items = items.length;
  const caps = capsFor(context.caps, source);
  const seen = context.now();
  const candidates = decodedOnly(items.map((item, i) => clampToSeen(prepareItem(item, i, source, fetched.url, { siteLink: fetched.feed.link, maxUrlLength: caps.maxUrlLength, maxTitleLength: caps.maxTitleLength }), seen)), fetched.lossy, outcome.warnings);
  const wanted = source.requireCategory === undefined ? candidates : candidates.filter(hasCategory(new RegExp(source.requireCategory, 'u')));
  const named: ItemRecord[] = [];
  for (const [i, c] of wanted.entries()) {
    await pauseEvery(i, context.deadline);
    const match = catalog.findMatch(source.slug, { ...c, seen });
    if (match) named.push(match);
  }
  const rechecked = await recheckArticles(root, source.slug, catalog, named, context.now(), { index: context.index });
  outcome.warnings.push(...rechecked.warnings);
  outcome.written.push(...rechecked.written);
  const duplicates: Array<{ item: Candidate; of: Candidate }> = [];
  const archivedBody = (record: ItemRecord) => readArticleBody(root, record.path);
  const known: KnownItem[] = [];
  const allFresh = await newCandidates(wanted, catalog, source.slug, outcome.warnings, duplicates, seen, archivedBody, known, context.deadline);
  const { taken: fresh, waiting } = takeNewest(allFresh, caps.maxItemsPerRun);
  if (waiting > 0) outcome.warnings.push(`${fetched.url}: ${waiting} new ${waiting === 1 ? 'item waits' : 'items wait'} for the next runs (maxItemsPerRun: ${caps.maxItemsPerRun} a run, newest first)`);

  // A stop request (Ctrl-C, SIGTERM) asks for no new page and starts no new body, but the pages
  // already fetched are rendered and archived with what is ready: the rest waits for the next run.
  // The source's deadline stops it the same way, and also gives up the bodies and files in hand.
  const { deadline } = context;
  const stop = () => context.signal?.aborted === true || deadline?.aborted === true;
  const pages = await completeArticles(fresh, source, context.http, context.fetch, stop);
  outcome.warnings.push(...pages.warnings);
  outcome.warnings.push(...(await renderBodies([...pages.asked], source, context.renderBody, () => deadline?.aborted === true, deadline)));
  const feedOnly = fresh.filter((c) => !pages.asked.has(c) && !pages.notAsked.has(c));
  outcome.warnings.push(...(await renderBodies(feedOnly, source, context.renderBody, stop, deadline)));
  // Only the oldest ones, up to the first not ready (fresh is oldest first): an older item archived
  // by a later run would get a smaller id than newer ones, and ids say age (FORMAT.md).
  const missing = fresh.findIndex((c) => c.body === undefined);
  const ready = missing === -1 ? fresh : fresh.slice(0, missing);
  outcome.added = await archiveItems(ready, new Set([...idsInUse, ...catalog.listIds(source.slug)]), {
    root,
    catalog,
    source,
    now: context.now(),
    index: context.index,
    stop: afterDeadline(deadline, FILES_AFTER_DEADLINE),
  });
  outcome.written.push(...outcome.added.map((id) => `articles/${source.slug}/${id}.md`));
  for (const c of ready) {
    if (c.futureDate !== undefined) outcome.warnings.push(`${itemName(c)}: dated ${new Date(c.futureDate).toISOString()}, in the future; archived as of when it was first seen`);
  }
  outcome.warnings.push(...ready.flatMap((c) => overlongLinkWarning(c, caps.maxUrlLength)));
  outcome.warnings.push(...ready.flatMap((c) => longTitleWarning(c, caps.maxTitleLength)));
  // What the feed changed in articles archived before: recorded beside them (never over them).
  if (!stop()) {
    const edits = await recordEdits(known, { root, catalog, source, clean: context.clean, render: context.renderBody, now: seen, maxBodyBytes: caps.maxBodyBytes });
    outcome.edited = edits.edited;
    // Indexed again with their edits: a search finds what an edit added.
    await indexFromFiles(root, source.slug, catalog, [...edits.edited, ...edits.found], context.index);
    outcome.written.push(...edits.written);
    outcome.warnings.push(...edits.warnings);
  }
  // A duplicate within the feed is known by its own names from now on, as the one it duplicates was archived as.
  for (const { item, of } of duplicates) {
    const archived = catalog.matchItem(source.slug, { ...of, seen }, sameStoryAs(of, archivedBody));
    if (archived) catalog.addAliases(source.slug, item, archived.record.id);
  }
  // Validators say "I have this feed": only true once every new item is archived
  // (a stopped run must fetch the same feed again, not get a 304 for it; so must one whose items wait).
  if (waiting === 0 && outcome.added.length === fresh.length) keepValidators(catalog, source, state, fetched);
  return rechecked.replaced.length;
}

/** The feed's fingerprint and validators, for the next run's conditional GET. */
function keepValidators(catalog: Catalog, source: SourceConfig, state: SourceState, fetched: Extract<FeedFetch, { kind: 'feed' }>): void {
  catalog.setFeedFingerprint(source.slug, fetched.fingerprint);
  const validators = { ...state.validators };
  if (fetched.validators.etag !== undefined || fetched.validators.lastModified !== undefined) validators[fetched.url] = fetched.validators;
  state.validators = Object.keys(validators).length > 0 ? validators : undefined;
}

/** The source's health in `state` after a fetch: its failure streak and last error, the URL in use (a mirror's, or none for the primary). */
function noteFetch(outcome: SourceOutcome, state: SourceState, fetched: FeedFetch, source: SourceConfig): void {
  outcome.url = fetched.url;
  if (fetched.kind === 'failed') {
    outcome.status = 'failed';
    outcome.error = { code: fetched.code, message: fetched.message };
    state.failures = (state.failures ?? 0) + 1;
    state.lastError = outcome.error;
    return;
  }
  outcome.warnings.push(...fetched.warnings);
  state.url = fetched.url === source.url ? undefined : fetched.url;
  state.failures = undefined;
  state.lastError = undefined;
  if (fetched.kind === 'unchanged') outcome.status = 'unchanged';
  else state.emptyFeed = fetched.feed.items.length === 0 ? true : undefined;
}

/**
 * One source, end to end: bring the catalog in line with the folder, fetch
 * the feed (mirrors, validators), archive what is new, regenerate the lists.
 * Never throws for the source's own failures: they come back in the outcome
 * and the caller updates `state` (mutated here: validators, URL in use, health).
 */
export async function runSource(context: SourceContext, source: SourceConfig, state: SourceState): Promise<SourceOutcome> {
  const started = Date.now();
  const { root, catalog } = context;
  const outcome = emptyOutcome(source, 'ok');
  catalog.upsertSource(source.slug, source.name);
  // What the sync takes in (a killed run's articles, another clone's) goes to the run's indexing thread.
  const sync = await syncCatalog(root, source.slug, catalog, context.now(), { index: context.index });
  for (const problem of sync.unreadable) outcome.warnings.push(`skipped ${problem}`);

  // The fingerprint says the feed went completely into the files the catalog knew. When files came or
  // went since (a catalog restored from a CI cache by a run whose commit never got pushed, another
  // clone's articles), the same feed may hold items or edits not archived here: it is read again.
  const folderChanged = sync.imported > 0 || sync.removed > 0 || sync.editsGone > 0;
  const fingerprint = folderChanged ? undefined : catalog.findFeedFingerprint(source.slug);
  // A catalog without the source's fetch history (new, or rebuilt on a CI machine without its cache)
  // cannot count: its first fetch is unconditional, or a catalog lost on every run would never be.
  const counted = catalog.lastFetch(source.slug) !== undefined;
  const conditional = counted && catalog.notModifiedStreak(source.slug, UNCONDITIONAL_EVERY - 1) < UNCONDITIONAL_EVERY - 1;
  const asked = conditional ? state : { ...state, validators: undefined };
  const reading = { read: context.readFeed, deadline: context.deadline, maxFeedItems: capsFor(context.caps, source).maxFeedItems };
  const fetched = await fetchFeed(context.http, source, asked, context.fetch, fingerprint, context.fetching, reading);
  noteFetch(outcome, state, fetched, source);
  const rechecked = fetched.kind === 'feed' ? await archiveFeed(context, source, state, fetched, sync.idsInUse, outcome).catch(pastDeadline(context.deadline)) : 0;
  if (context.deadline?.aborted) noteTooSlow(outcome, state, context.deadline);
  const changed = outcome.added.length > 0 || sync.imported > 0 || sync.removed > 0 || rechecked > 0;
  outcome.written.push(...(await writeLists(root, catalog, source, context.timeZone, changed)));
  outcome.ms = Date.now() - started;
  catalog.recordFetch({
    source: source.slug,
    at: context.now(),
    status: outcome.status,
    url: outcome.url,
    code: outcome.error?.code ?? (fetched.kind === 'unchanged' && fetched.notModified === true ? NOT_MODIFIED : null),
    message: outcome.error?.message ?? null,
    added: outcome.added.length,
    ms: outcome.ms,
  });
  return outcome;
}

import { createHash } from 'node:crypto';
import { normalizeSearchText } from '../catalog/search-normalize.js';
import { formatDate } from './format-time.js';
import { searchTerms, shardOf } from './search-terms.js';
import { SEARCH_INDEX_DIR } from './site-paths.js';

/*
 * The static site's search index: script files a page loads with <script>
 * tags (JSONP style), because fetch() of a file:// URL fails in Chromium
 * while a script from the same folder loads.
 *
 * Articles are numbered oldest first and cut into segments of SEGMENT_SIZE.
 * Each segment has its own term shards, so a page searching newest first
 * loads the newest segment's shard of each query term, and older segments
 * only when it needs more hits; and new articles (the newest) change only the
 * last segment's files. Within a segment a term's postings are its article
 * numbers, ascending, delta-coded in base 36.
 *
 *   meta.js          nmSearchMeta({v, segment, chunk, docs, shards:[per segment], sources:[[slug, name]]})
 *   fold.js          nmSearchFold("繁简…"): pairs of code units, how normalizeSearchText folds each character
 *   s<g>-t<k>.js     nmSearchShard(g, k, {term: "postings"})
 *   s<g>-d<c>.js     nmSearchDocs(g, c, [[source index, id, "YYYY-MM-DD", title]])
 */

export const SEGMENT_SIZE = 2048;
export const DOCS_CHUNK = 256;
const FORMAT = 1;
/** Postings per shard file the shard count aims at (about 20-40 KB a file). */
const POSTINGS_PER_SHARD = 8000;
const MAX_SHARDS = 512;

export interface SearchDoc {
  source: string;
  id: number;
  title: string;
  published: number;
  /** Changes when the body changes (the catalog's content hash); null when unknown. */
  bodyKey: string | null;
}

export interface SearchIndexSink {
  /** Keeps the files under `prefix` when they were built from the same `key`; true when kept. */
  keep(prefix: string, key: string): boolean;
  write(path: string, content: string, key: string): Promise<void>;
}

export interface SearchIndexInput {
  /** Oldest first: by published, then source, then id. */
  docs: readonly SearchDoc[];
  sources: readonly { slug: string; name: string }[];
  timeZone: string;
  /** The plain text of an article's body. */
  readText(doc: SearchDoc): Promise<string>;
  /** Articles per segment (default SEGMENT_SIZE; tests use a few). */
  segmentSize?: number;
}

const path = (name: string): string => `${SEARCH_INDEX_DIR}/${name}`;

function shardCount(postings: number): number {
  let shards = 1;
  while (shards < MAX_SHARDS && shards * POSTINGS_PER_SHARD < postings) shards *= 2;
  return shards;
}

function encodePostings(numbers: readonly number[]): string {
  let previous = 0;
  return numbers
    .map((n) => {
      const delta = (n - previous).toString(36);
      previous = n;
      return delta;
    })
    .join(',');
}

/** Every character normalizeSearchText changes, as pairs: what the page applies to a query. */
let foldTable: string | undefined;

export function renderFoldTable(): string {
  if (foldTable !== undefined) return foldTable;
  let pairs = '';
  for (let c = 0; c < 0x10000; c += 1) {
    if (c >= 0xd800 && c < 0xe000) continue;
    const from = String.fromCharCode(c);
    const to = normalizeSearchText(from);
    if (to !== from && to.length === 1) pairs += from + to;
  }
  foldTable = pairs;
  return pairs;
}

async function buildSegment(
  input: SearchIndexInput,
  segment: number,
  docs: readonly SearchDoc[],
  sink: SearchIndexSink,
  sourceIndex: Map<string, number>,
  previous: number | undefined,
): Promise<number> {
  const key = createHash('sha256')
    .update(JSON.stringify([FORMAT, input.timeZone, input.segmentSize ?? SEGMENT_SIZE, docs.map((d) => [d.source, d.id, d.title, d.published, d.bodyKey, sourceIndex.get(d.source)])]))
    .digest('hex')
    .slice(0, 32);
  const prefix = path(`s${segment}-`);
  const known = docs.every((d) => d.bodyKey !== null);
  if (known && previous !== undefined && sink.keep(prefix, key)) return previous;
  const postings = new Map<string, number[]>();
  let count = 0;
  for (let n = 0; n < docs.length; n += 1) {
    const doc = docs[n]!;
    const text = normalizeSearchText(`${doc.title} ${await input.readText(doc)}`);
    for (const term of searchTerms(text, false)) {
      let list = postings.get(term);
      if (!list) postings.set(term, (list = []));
      list.push(n);
      count += 1;
    }
  }
  const shards = shardCount(count);
  const buckets: [string, string][][] = Array.from({ length: shards }, () => []);
  for (const term of [...postings.keys()].sort()) buckets[shardOf(term, shards)]!.push([term, encodePostings(postings.get(term)!)]);
  for (let k = 0; k < shards; k += 1) {
    const body = JSON.stringify(Object.fromEntries(buckets[k]!));
    await sink.write(path(`s${segment}-t${k}.js`), `nmSearchShard(${segment},${k},${body});\n`, key);
  }
  for (let c = 0; c * DOCS_CHUNK < docs.length; c += 1) {
    const rows = docs
      .slice(c * DOCS_CHUNK, (c + 1) * DOCS_CHUNK)
      .map((d) => [sourceIndex.get(d.source) ?? 0, d.id, formatDate(d.published, input.timeZone), d.title]);
    await sink.write(path(`s${segment}-d${c}.js`), `nmSearchDocs(${segment},${c},${JSON.stringify(rows)});\n`, key);
  }
  return shards;
}

/**
 * Writes the search index through `sink`. A segment whose articles are the
 * same as at the last build (same ids, titles, times, body hashes) is kept
 * without reading its articles again.
 */
export async function writeSearchIndex(input: SearchIndexInput, sink: SearchIndexSink, previousShards: readonly number[] = []): Promise<number[]> {
  const sourceIndex = new Map(input.sources.map((s, i) => [s.slug, i]));
  const shards: number[] = [];
  const size = input.segmentSize ?? SEGMENT_SIZE;
  for (let segment = 0; segment * size < input.docs.length; segment += 1) {
    const docs = input.docs.slice(segment * size, (segment + 1) * size);
    shards.push(await buildSegment(input, segment, docs, sink, sourceIndex, previousShards[segment]));
  }
  const meta = { v: FORMAT, segment: size, chunk: DOCS_CHUNK, docs: input.docs.length, shards, sources: input.sources.map((s) => [s.slug, s.name]) };
  await sink.write(path('meta.js'), `nmSearchMeta(${JSON.stringify(meta)});\n`, '');
  await sink.write(path('fold.js'), `nmSearchFold(${JSON.stringify(renderFoldTable())});\n`, '');
  return shards;
}

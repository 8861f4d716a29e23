import { randomBytes } from 'node:crypto';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isMap, isSeq, parseDocument, type Document, type YAMLSeq } from 'yaml';
import { loadConfig, type Config } from '../config/load-config.js';
import { ConfigError, describeError } from '../domain/errors.js';

/** The keys newsmirror writes for a source it adds; the rest keep their defaults. */
export interface NewSource {
  name: string;
  slug: string;
  url: string;
}

/** Words that name a feed format, not a feed: never a slug by themselves. */
const GENERIC = new Set(['rss', 'rss2', 'atom', 'feed', 'feeds', 'index', 'xml', 'rdf', 'default', 'www', 'com', 'org', 'net']);

function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
}

/**
 * An ASCII slug for a feed that has none (slugs name folders): the title's
 * ASCII words, else the URL's last meaningful path segment, else its host,
 * made unique (ignoring case) against `taken` with -2, -3...
 */
export function deriveSlug(title: string, url: string, taken: ReadonlySet<string>): string {
  const candidates = [slugify(title)];
  try {
    const parsed = new URL(url);
    const segments = parsed.pathname.split('/').map((s) => slugify(s.replace(/\.(xml|rss|atom|rdf|json)$/i, '')));
    candidates.push(...segments.reverse().filter((s) => s !== '' && !GENERIC.has(s)));
    candidates.push(...parsed.hostname.split('.').map(slugify).filter((s) => s !== '' && !GENERIC.has(s)));
  } catch {
    // Not a URL: the title or the fallback below.
  }
  const base = candidates.find((c) => /^[a-z0-9]/.test(c) && !/^\d+$/.test(c)) ?? 'feed';
  const lower = new Set([...taken].map((s) => s.toLowerCase()));
  let slug = base;
  for (let n = 2; lower.has(slug); n += 1) slug = `${base}-${n}`;
  return slug;
}

/** A display name that config accepts (no path separators or control characters), unique ignoring case. */
export function cleanName(title: string, taken: ReadonlySet<string>): string {
  // Leading dots and spaces go together: "../../etc" left ".. etc", which the config refuses.
  let name = title.replace(/[/\\\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').replace(/^[\s.]+/, '').slice(0, 90).trim();
  if (name === '') name = 'feed';
  const lower = new Set([...taken].map((s) => s.toLowerCase()));
  const base = name;
  for (let n = 2; lower.has(name.toLowerCase()); n += 1) name = `${base} (${n})`;
  return name;
}

function sourcesOf(doc: Document, file: string): YAMLSeq {
  const seq = doc.get('sources', true);
  if (!isSeq(seq)) throw new ConfigError('invalid_config', `${file}: sources: must be a list`);
  return seq;
}

/** Appends sources to the config text, keeping its comments and layout. */
export function addSourcesToText(text: string, file: string, sources: readonly NewSource[]): string {
  const doc = parseDocument(text);
  const seq = sourcesOf(doc, file);
  const spaced = seq.items.some((item) => isMap(item) && item.spaceBefore);
  for (const source of sources) {
    const node = doc.createNode({ name: source.name, slug: source.slug, url: source.url });
    if (spaced) node.spaceBefore = true;
    seq.items.push(node);
  }
  return doc.toString({ lineWidth: 0 });
}

/** Removes one source (by slug) from the config text; undefined when no source has that slug. */
export function removeSourceFromText(text: string, file: string, slug: string): string | undefined {
  const doc = parseDocument(text);
  const seq = sourcesOf(doc, file);
  const index = seq.items.findIndex((item) => isMap(item) && item.get('slug') === slug);
  if (index < 0) return undefined;
  seq.delete(index);
  const first = seq.items[0];
  if (index === 0 && isMap(first)) first.spaceBefore = false;
  return doc.toString({ lineWidth: 0 });
}

/**
 * Replaces the config file with `text` only if it loads: checked as a file
 * beside the original (same folder, so the archive path means the same),
 * then renamed over it. A problem is reported against the real file name.
 */
export async function writeConfigText(file: string, text: string): Promise<Config> {
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    // A full disk: node's 'ENOSPC ... write' names no file, and the partial temp file stayed beside the config.
    await writeFile(temp, text).catch((error: unknown) => {
      throw new ConfigError('unwritable_config', `${file}: not written (${describeError(error)}); it is as it was`, { cause: error });
    });
    const config = await loadConfig({ config: temp, cwd: dirname(file) });
    await rename(temp, file);
    return { ...config, file };
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    if (error instanceof ConfigError) throw new ConfigError(error.code, error.message.split(temp).join(file));
    throw error;
  }
}

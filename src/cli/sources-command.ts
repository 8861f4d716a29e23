import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { sourceSchema } from '../config/config-schema.js';
import { loadConfig, type Config } from '../config/load-config.js';
import { ConfigError } from '../domain/errors.js';
import { parseOpmlFeeds, renderOpml } from '../feeds/opml.js';
import { decodeBody } from '../http/decode-body.js';
import { openHttp } from '../pipeline/open-http.js';
import { fetchFeed } from '../pipeline/fetch-feed.js';
import { addSourcesToText, cleanName, deriveSlug, removeSourceFromText, writeConfigText, type NewSource } from '../scaffold/config-document.js';
import { UsageError, parseCommandArgs } from './cli-args.js';
import { counted, printJson, println, type Output } from './output.js';

export const SOURCES_HELP = `Usage: newsmirror sources <list|export|import|add|remove> [--config FILE] [--json]

  sources list                          the configured sources (slug, name, feed URL)
  sources export                        the sources as an OPML 2.0 subscription list, on stdout
  sources import FILE.opml              add the list's feeds to newsmirror.yaml (a slug is
                                        derived for feeds without one; known feed URLs are skipped)
  sources add URL [--name N] [--slug S] add one feed, after fetching it once to check it
                                        (name: the feed's title; slug: derived from it)
  sources remove SLUG                   remove a source from newsmirror.yaml; its archived
                                        articles and lists stay

import, add and remove edit newsmirror.yaml in place, keeping its comments,
and only when the result is a valid config.`;

/** Editing needs a file: the built-in default has none to edit. */
function editableFile(config: Config): string {
  if (config.file === undefined) {
    throw new ConfigError('no_config', `${resolve('newsmirror.yaml')}: no config file to edit (newsmirror init writes one, or pass --config FILE)`);
  }
  return config.file;
}

function taken(config: Config): { slugs: Set<string>; names: Set<string>; urls: Map<string, string> } {
  const urls = new Map<string, string>();
  for (const s of config.sources) for (const url of [s.url, ...s.mirrors]) urls.set(url, s.slug);
  return { slugs: new Set(config.sources.map((s) => s.slug)), names: new Set(config.sources.map((s) => s.name)), urls };
}

function list(config: Config, io: Output, json: boolean): number {
  if (json) {
    printJson(io.out, config.sources.map((s) => ({ slug: s.slug, name: s.name, url: s.url, mirrors: s.mirrors })));
    return 0;
  }
  const width = Math.max(...config.sources.map((s) => s.slug.length));
  for (const s of config.sources) println(io.out, `${s.slug.padEnd(width)}  ${s.name}  ${s.url}`);
  return 0;
}

function exportOpml(config: Config, io: Output): number {
  const feeds = config.sources.map((s) => ({ title: s.name, xmlUrl: s.url, slug: s.slug, folders: [] }));
  io.out.write(renderOpml(config.readme.title, feeds));
  return 0;
}

async function importOpml(config: Config, io: Output, file: string | undefined, json: boolean): Promise<number> {
  if (file === undefined) throw new UsageError('import: which OPML file? (newsmirror sources import FILE.opml)');
  const target = editableFile(config);
  const path = resolve(file);
  const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError('unreadable_opml', `${path}: cannot read (${error.code ?? String(error)})`);
  });
  // Decoded as feeds are (BOM, XML declaration, detector): readers' exports are not all UTF-8.
  const { text } = decodeBody(new Uint8Array(bytes));
  const known = taken(config);
  const added: NewSource[] = [];
  const skipped: { url: string; reason: string }[] = [];
  for (const feed of parseOpmlFeeds(text, path)) {
    const existing = known.urls.get(feed.xmlUrl);
    if (existing !== undefined) {
      skipped.push({ url: feed.xmlUrl, reason: `already configured as ${existing}` });
      continue;
    }
    if (!sourceSchema.shape.url.safeParse(feed.xmlUrl).success) {
      skipped.push({ url: feed.xmlUrl, reason: 'not an http:// or https:// URL' });
      continue;
    }
    const wanted = feed.slug !== undefined && sourceSchema.shape.slug.safeParse(feed.slug).success ? feed.slug : undefined;
    const slug = wanted !== undefined && ![...known.slugs].some((s) => s.toLowerCase() === wanted.toLowerCase()) ? wanted : deriveSlug(feed.title, feed.xmlUrl, known.slugs);
    const source = { name: cleanName(feed.title, known.names), slug, url: feed.xmlUrl };
    known.slugs.add(source.slug);
    known.names.add(source.name);
    known.urls.set(source.url, source.slug);
    added.push(source);
  }
  if (added.length > 0) await writeConfigText(target, addSourcesToText(await readFile(target, 'utf8'), target, added));
  if (json) printJson(io.out, { file: target, added, skipped });
  else {
    println(io.out, `newsmirror: ${counted(added.length, 'source')} added to ${target}, ${skipped.length} skipped`);
    for (const s of added) println(io.out, `+ ${s.slug} (${s.name}) ${s.url}`);
    for (const s of skipped) println(io.out, `= ${s.url}: ${s.reason}`);
  }
  return 0;
}

async function addOne(config: Config, io: Output, url: string | undefined, options: { name?: string | undefined; slug?: string | undefined; json: boolean }): Promise<number> {
  if (url === undefined) throw new UsageError('add: which feed URL? (newsmirror sources add URL --name N --slug S)');
  const target = editableFile(config);
  const known = taken(config);
  if (known.urls.has(url)) throw new UsageError(`${url}: already configured as ${known.urls.get(url)}`);
  // Said here, by option: the config check would name a line of the file as it would have been.
  const clash = (key: 'name' | 'slug', value: string | undefined) =>
    value !== undefined && config.sources.find((s) => s[key].toLowerCase() === value.toLowerCase());
  for (const key of ['name', 'slug'] as const) {
    const other = clash(key, options[key]);
    if (other) throw new UsageError(`--${key} ${options[key]}: already used by source ${other.slug} (${key}s must differ ignoring case)`);
  }
  const probe = sourceSchema.safeParse({ name: options.name ?? 'probe', slug: options.slug ?? 'probe', url });
  if (!probe.success) {
    const issue = probe.error.issues[0];
    const key = String(issue?.path[0] ?? 'url');
    throw new UsageError(`${key === 'url' ? url : `--${key} ${String(options[key as 'name' | 'slug'])}`}: ${issue?.message ?? 'invalid'}`);
  }
  const http = openHttp(config);
  const fetched = await fetchFeed(http, probe.data, undefined, config).finally(() => http.close());
  if (fetched.kind === 'failed') throw new ConfigError('feed_check_failed', `${fetched.message} [${fetched.code}] (not added)`);
  const title = fetched.kind === 'feed' ? fetched.feed.title ?? '' : '';
  const name = options.name ?? cleanName(title || new URL(url).hostname, known.names);
  const source: NewSource = { name, slug: options.slug ?? deriveSlug(title || name, url, known.slugs), url };
  await writeConfigText(target, addSourcesToText(await readFile(target, 'utf8'), target, [source]));
  const items = fetched.kind === 'feed' ? fetched.feed.items.length : 0;
  if (options.json) printJson(io.out, { file: target, added: source, items });
  else println(io.out, `newsmirror: added ${source.slug} (${source.name}) ${url} to ${target}: ${counted(items, 'item')} in the feed now`);
  return 0;
}

async function removeOne(config: Config, io: Output, slug: string | undefined, json: boolean): Promise<number> {
  if (slug === undefined) throw new UsageError('remove: which source? (newsmirror sources remove SLUG)');
  const target = editableFile(config);
  const source = config.sources.find((s) => s.slug === slug);
  const text = source && removeSourceFromText(await readFile(target, 'utf8'), target, slug);
  if (!source || text === undefined) {
    throw new UsageError(`${target}: no source with slug "${slug}" (known: ${config.sources.map((s) => s.slug).join(', ')})`);
  }
  if (config.sources.length === 1) throw new UsageError(`${target}: ${slug} is the only source, and a config needs at least one`);
  await writeConfigText(target, text);
  if (json) printJson(io.out, { file: target, removed: { slug, name: source.name, url: source.url } });
  else {
    const folder = join(config.archiveDir, 'articles', slug);
    const after = existsSync(folder) ? `; its articles stay in ${folder}` : ' (it had no articles archived)';
    println(io.out, `newsmirror: removed ${slug} (${source.name}) from ${target}${after}`);
  }
  return 0;
}

export async function sourcesCommand(args: string[], io: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs('sources', args, { name: { type: 'string' }, slug: { type: 'string' } }, Infinity);
  const [action, ...rest] = positionals;
  if (values.help || action === undefined) {
    println(values.help ? io.out : io.err, SOURCES_HELP);
    return values.help ? 0 : 1;
  }
  // list and export take nothing more; import, add and remove one file, URL or slug.
  const [target, ...extra] = action === 'list' || action === 'export' ? [undefined, ...rest] : rest;
  if (extra.length > 0) throw new UsageError(`${action}: unexpected ${extra.join(' ')} (see newsmirror sources --help)`);
  const config = await loadConfig({ config: values.config, archive: values.archive, cwd: process.cwd() });
  switch (action) {
    case 'list':
      return list(config, io, values.json);
    case 'export':
      // OPML is what export is for; the JSON of the same sources is `sources list --json`.
      if (values.json) throw new UsageError('export writes OPML; for JSON use newsmirror sources list --json');
      return exportOpml(config, io);
    case 'import':
      return importOpml(config, io, target, values.json);
    case 'add':
      return addOne(config, io, target, { name: values.name, slug: values.slug, json: values.json });
    case 'remove':
      return removeOne(config, io, target, values.json);
    default:
      throw new UsageError(`unknown action "${action}" (list, export, import, add, remove)`);
  }
}

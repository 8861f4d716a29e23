import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError, NewsmirrorError } from '../domain/errors.js';
import type { FeedItem } from '../domain/feed-item.js';
import { loadConfig } from '../config/load-config.js';
import { openHttp } from '../pipeline/open-http.js';
import { decodeBody } from '../http/decode-body.js';
import { readFeed } from '../feeds/read-feed.js';
import { parseCommandArgs } from './cli-args.js';
import { printJson, println, type Output } from './output.js';

export const INSPECT_HELP = `Usage: newsmirror inspect URL|FILE [--json]

Shows what newsmirror reads from one feed: its format, the encoding it was
decoded from (and why), and every item with every field. Nothing is archived.`;

async function readInput(target: string, configFile: string | undefined, archive: string | undefined) {
  if (/^https?:\/\//i.test(target)) {
    const config = await loadConfig({ config: configFile, archive, cwd: process.cwd() }).catch((error: unknown) => {
      if (error instanceof ConfigError && configFile === undefined) return undefined;
      throw error;
    });
    const http = openHttp(config ?? {});
    try {
      const result = await http.fetch(target, { trusted: true });
      if (result.kind === 'unchanged') throw new NewsmirrorError('unchanged', `${target}: the server answered 304 Not Modified to an unconditional request`);
      return { url: result.url, bytes: result.body, contentType: result.contentType };
    } finally {
      await http.close();
    }
  }
  const file = resolve(target);
  try {
    return { url: undefined, bytes: new Uint8Array(await readFile(file)), contentType: undefined };
  } catch (error) {
    throw new NewsmirrorError('unreadable_file', `${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

function describeItem(item: FeedItem, i: number): string[] {
  const lines = [`#${i + 1} ${item.title}`];
  const field = (name: string, value: string | undefined) => {
    if (value !== undefined && value !== '') lines.push(`   ${name.padEnd(11)}${value}`);
  };
  field('guid', item.guid);
  field('link', item.link);
  field('published', item.published === undefined ? '(none)' : new Date(item.published).toISOString());
  field('author', item.author);
  field('categories', item.categories.join(', '));
  field('content', item.content === undefined ? undefined : `${item.content.length} chars: ${item.content.slice(0, 100).replace(/\s+/g, ' ')}`);
  field('summary', item.summary === undefined ? undefined : `${item.summary.length} chars: ${item.summary.slice(0, 100).replace(/\s+/g, ' ')}`);
  for (const e of item.enclosures) field('enclosure', `${e.url} ${e.type ?? ''} ${e.length ?? ''}`.trim());
  return lines;
}

export async function inspectCommand(args: string[], io: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs('inspect', args, {}, 1);
  if (values.help) {
    println(io.out, INSPECT_HELP);
    return 0;
  }
  const [target] = positionals;
  if (target === undefined) throw new NewsmirrorError('usage', 'inspect needs a feed URL or file (see newsmirror inspect --help)');
  const input = await readInput(target, values.config, values.archive);
  const decoded = decodeBody(input.bytes, input.contentType);
  const feed = readFeed(decoded.text, input.url ? { url: input.url } : { name: resolve(target) });
  const encoding = { name: decoded.encoding, from: decoded.source, ...(decoded.conflict ? { conflict: decoded.conflict } : {}) };
  if (values.json) {
    printJson(io.out, { source: input.url ?? resolve(target), bytes: input.bytes.length, encoding, ...feed });
    return 0;
  }
  println(io.out, `${input.url ?? resolve(target)}: ${feed.format}${feed.version ? ` ${feed.version}` : ''}, ${input.bytes.length} bytes, encoding ${decoded.encoding} (from ${decoded.source})`);
  if (decoded.conflict) println(io.out, `! ${decoded.conflict}`);
  println(io.out, `title: ${feed.title ?? '(none)'}  link: ${feed.link ?? '(none)'}  items: ${feed.items.length}`);
  feed.items.forEach((item, i) => {
    for (const line of describeItem(item, i)) println(io.out, line);
  });
  return 0;
}

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError, FeedError, NewsmirrorError } from '../domain/errors.js';
import { loadConfig, type Config } from '../config/load-config.js';
import type { SourceConfig } from '../config/config-schema.js';
import { openHttp } from '../pipeline/open-http.js';
import { decodeBody } from '../http/decode-body.js';
import { readFeed } from '../feeds/read-feed.js';
import { extractArticle } from '../content/extract-article.js';
import { cleanArticle } from '../content/clean-article.js';
import { prepareItem } from '../pipeline/prepare-item.js';
import { parseCommandArgs, UsageError } from './cli-args.js';
import { printJson, println, type Output } from './output.js';

export const EXTRACT_HELP = `Usage: newsmirror extract URL|FILE [--source SLUG] [--item N] [--json]

Shows what the content pipeline makes of one article page or feed item: the
title, the publication time, which site rule or extractor was used, the
cleaned body and its text length. A feed (URL or file) gives its N-th item
(default 1); a page is extracted like a full-text fetch. A URL is fetched
through the config's proxy; --source applies that source's settings (clean,
content field, link, proxy, headers). The tool for writing and checking a
site rule.`;

async function load(target: string, config: Config | undefined, source: SourceConfig | undefined): Promise<{ url: string | undefined; text: string }> {
  if (/^https?:\/\//i.test(target)) {
    // The proxy and User-Agent a run would use: the config's, and the source's own over them.
    const http = openHttp(config ?? {});
    const headers = { ...source?.headers, ...(source?.userAgent ? { 'user-agent': source.userAgent } : {}) };
    try {
      const result = await http.fetch(target, { trusted: true, headers, ...(source?.proxy ? { proxy: source.proxy } : {}) });
      if (result.kind === 'unchanged') throw new NewsmirrorError('unchanged', `${target}: 304 Not Modified to an unconditional request`);
      return { url: result.url, text: decodeBody(result.body, result.contentType).text };
    } finally {
      await http.close();
    }
  }
  const file = resolve(target);
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new NewsmirrorError('unreadable_file', `${file}: cannot read (${error.code ?? String(error)})`);
  });
  return { url: undefined, text: decodeBody(new Uint8Array(bytes)).text };
}

const text = (html: string) => html.replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim();

export async function extractCommand(args: string[], io: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs('extract', args, { source: { type: 'string' }, item: { type: 'string', default: '1' } }, 1);
  if (values.help) {
    println(io.out, EXTRACT_HELP);
    return 0;
  }
  const [target] = positionals;
  if (target === undefined) throw new UsageError('extract needs a page or feed URL, or a file (see newsmirror extract --help)');
  const asked = values.source !== undefined || values.config !== undefined;
  // A URL is fetched as a run would (./newsmirror.yaml's proxy), as inspect does; a config that does not load only matters when asked for.
  const config =
    asked || /^https?:\/\//i.test(target)
      ? await loadConfig({ config: values.config, archive: values.archive, cwd: process.cwd() }).catch((error: unknown) => {
          if (error instanceof ConfigError && !asked) return undefined;
          throw error;
        })
      : undefined;
  const source: SourceConfig | undefined = values.source === undefined ? undefined : config?.sources.find((s) => s.slug === values.source);
  if (values.source !== undefined && !source) throw new UsageError(`--source ${values.source}: no such source in ${config?.file ?? 'the built-in config'}`);
  const input = await load(target, config, source);
  let result: { title: string | undefined; url: string | undefined; published: number | undefined; html: string; from: string };
  try {
    const feed = readFeed(input.text, input.url ? { url: input.url } : {});
    const index = Number(values.item) - 1;
    const item = feed.items[index];
    if (!item) throw new UsageError(`--item ${values.item}: not an item of this feed (give 1 to ${feed.items.length}, counted from the top)`);
    const settings = source ?? ({ content: 'auto', link: 'link' } as SourceConfig);
    const candidate = prepareItem(item, index, settings, input.url ?? 'file:///');
    result = { title: candidate.title, url: candidate.url, published: candidate.published, html: candidate.html, from: `feed item ${index + 1}` };
  } catch (error) {
    if (!(error instanceof FeedError)) throw error;
    const page = extractArticle(input.text, input.url ?? 'http://localhost/');
    if (!page) throw new NewsmirrorError('no_article', `${input.url ?? resolve(target)}: neither a feed nor a page with an article in it`);
    result = { title: page.title, url: input.url, published: page.published, html: page.html, from: page.rule ? `page, site rule ${page.rule}` : 'page, Readability' };
  }
  const cleaned = source?.clean === false ? { html: result.html, rule: undefined } : cleanArticle(result.url ? { html: result.html, url: result.url } : { html: result.html });
  const report = {
    title: result.title ?? null,
    url: result.url ?? null,
    published: result.published === undefined ? null : new Date(result.published).toISOString(),
    from: result.from,
    rule: cleaned.rule ?? null,
    textLength: text(cleaned.html).length,
    html: cleaned.html,
  };
  if (values.json) printJson(io.out, report);
  else {
    println(io.out, `title:     ${report.title ?? '(none)'}`);
    println(io.out, `url:       ${report.url ?? '(none)'}`);
    println(io.out, `published: ${report.published ?? '(none)'}`);
    println(io.out, `from:      ${report.from}; cleaning rule: ${report.rule ?? 'generic only'}; ${report.textLength} characters of text`);
    println(io.out);
    println(io.out, report.html);
  }
  return 0;
}

import { z } from 'zod';
import { isTimeZone } from '../domain/calendar.js';
import { isHeaderName, isHeaderValue } from '../domain/http-header.js';
import { DEFAULT_CAPS } from '../domain/caps.js';
import { parseByteSize } from '../domain/byte-size.js';

const httpUrl = z.string().refine(
  (value) => {
    try {
      const { protocol } = new URL(value);
      return protocol === 'http:' || protocol === 'https:';
    } catch {
      return false;
    }
  },
  { message: 'must be an absolute http:// or https:// URL' },
);

const proxyUrl = z.string().refine((value) => {
  try {
    return ['http:', 'https:', 'socks5:', 'socks5h:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}, 'must be an http://, https://, socks5:// or socks5h:// URL');

/**
 * What the HTTP client can send (RFC 9110 §5.1 field names are tokens, §5.5
 * values visible text; undici takes Latin-1 besides): anything else failed
 * every request of every run as a [network] error instead of here.
 */
const headerName = z
  .string()
  .refine(isHeaderName, 'not an HTTP header name (letters, digits and !#$%&\'*+-.^_`|~, no spaces)')
  .refine((v) => !['transfer-encoding', 'keep-alive', 'upgrade'].includes(v.toLowerCase()), 'a header the HTTP client refuses to send');
const headerValue = z.string().refine(isHeaderValue, 'must be one line of Latin-1 text, no control characters (percent-encode other characters in a URL)');
const headers = z.record(headerName, headerValue);
const userAgent = headerValue.refine((v) => v.trim() !== '', 'must not be empty');

/**
 * A time limit in milliseconds. Node's timers hold at most 2^31-1 ms (about
 * 24 days) and fire at once beyond: every request then "timed out" at once.
 */
const timerMs = z.number().int().positive().max(2 ** 31 - 1, 'must be at most 2147483647 ms (about 24 days)');

/** A cap (domain/caps.ts): a whole number of at least `min`, said in the unit it counts. */
const cap = (min: number, message: string) => z.number({ error: message }).int(message).min(min, message);
const itemsCap = cap(1, 'must be a whole number of items, 1 or more');
const bodyCap = cap(1024, 'must be a whole number of bytes, 1024 or more (2097152 is 2 MiB)');

/** Slugs name folders: ASCII only, no path separators, no dot files. */
const slug = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'must be 1-64 ASCII letters, digits, "-" or "_", starting with a letter or digit');

/** Names name list files (`lists/<name>.md`): any script, but no path separators or control characters. */
const displayName = z
  .string()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .refine((v) => !/[/\\\u0000-\u001f\u007f]/.test(v), 'must not contain "/", "\\" or control characters')
  .refine((v) => v.trim() === v && !v.startsWith('.'), 'must not start with "." or have leading/trailing spaces');

/** `90m`, `36h`, `2d`: a duration, as milliseconds. */
const duration = z
  .string()
  .regex(/^\d+(m|h|d)$/, 'must be a duration such as 90m, 36h or 2d')
  .transform((value) => Number(value.slice(0, -1)) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[value.slice(-1) as 'm' | 'h' | 'd']);

export const sourceSchema = z.strictObject({
  name: displayName,
  slug,
  url: httpUrl,
  mirrors: z.array(httpUrl).default([]),
  clean: z.boolean().default(true),
  /** Which feed field holds the full text; auto takes the fullest. */
  content: z.enum(['auto', 'content', 'summary', 'content:encoded', 'description']).default('auto'),
  /** Where the article link comes from (RFA's feed has the real link in guid). */
  link: z.enum(['link', 'guid']).default('link'),
  /** countdown from 0xFFFFF, or 0xFFFFF ^ WordPress post id from the guid's ?p= (China Digital Times). */
  ids: z.enum(['countdown', 'wordpress']).default('countdown'),
  /** Read only the first N items of the feed (the rest are never looked at). */
  maxItems: z.number().int().positive().optional(),
  /** This source's own cap on new items archived per run (the config's maxItemsPerRun). */
  maxItemsPerRun: itemsCap.optional(),
  /** This source's own cap on the items read from one feed document (the config's maxFeedItems). */
  maxFeedItems: itemsCap.optional(),
  /** This source's own cap on the size of one article body (the config's maxBodyBytes). */
  maxBodyBytes: bodyCap.optional(),
  headers: headers.default({}),
  userAgent: userAgent.optional(),
  proxy: proxyUrl.optional(),
  timeoutMs: timerMs.optional(),
  connectTimeoutMs: timerMs.optional(),
  maxBytes: z.number().int().positive().optional(),
  tries: z.number().int().min(1).max(10).optional(),
  /** This source's deadline for its whole turn (the config's sourceTimeoutMs otherwise). */
  sourceTimeoutMs: timerMs.optional(),
  /** Hosts whose iframes (video players) a cleaned body may keep; default: YouTube and Vimeo. */
  iframeHosts: z.array(z.string().min(1)).optional(),
  /** archive: download images into assets/ and point the article at them; keep: leave them hotlinked. */
  images: z.enum(['archive', 'keep']).default('archive'),
  /** Fetch the article page for the full text: auto (when the feed has only a summary), always, never. */
  fullText: z.enum(['auto', 'always', 'never']).default('auto'),
  /**
   * Archive only items with a category matching this regular expression (Unicode
   * mode). China Digital Times marks its editors' picks with an emoji category.
   */
  requireCategory: z
    .string()
    .refine((value) => {
      try {
        new RegExp(value, 'u');
        return true;
      } catch {
        return false;
      }
    }, 'must be a valid regular expression')
    .optional(),
  /** Flag the source as stale after this long without a new item (default: learned from its history). */
  staleAfter: duration.optional(),
  /** The zone of the feed's dates that give none (IANA name); default UTC. Lists use the archive's `timezone`. */
  timezone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai').optional(),
});

/** A size in bytes: a number, or a text with its unit (`4 GB`, `200 MiB`). */
const byteSize = z
  .union([z.number(), z.string()], { error: 'must be a size: a number of bytes or a text such as 200 MB or 4 GiB' })
  .transform((value, context) => {
    const bytes = parseByteSize(value);
    if (bytes === undefined) context.addIssue({ code: 'custom', message: 'must be a size: a number of bytes or a text such as 200 MB or 4 GiB' });
    return bytes ?? 0;
  });

/**
 * What the archive's images may take (pipeline/image-budget.ts): one
 * article's, one run's, the archive's in all. Past one, further pictures
 * stay remote with a warning; articles are archived whatever their images
 * weigh. The defaults keep a default archive inside GitHub's guidance: a run
 * far below a 2 GB push, the whole below the 5 GB a repository should stay
 * under (with room for git's history), one article's pictures a few MB.
 */
export const BUDGET_DEFAULTS = { articleImages: 4_000_000, runImages: 200_000_000, total: 4_000_000_000 } as const;

const IMAGE_DEFAULTS = { format: 'webp', maxSide: 1280, quality: 72, animated: 'animate', originals: 'drop' } as const;

export const configSchema = z.strictObject({
  /** Not expanded as a shell would: `~/news` and `$HOME/news` made folders named `~` and `$HOME` beside the config. */
  archive: z
    .string()
    .min(1)
    .refine((v) => !/^~|\$\{?[A-Za-z_]/.test(v), 'newsmirror does not expand ~ or $VARIABLES: give the path itself (absolute, or relative to this file)')
    .default('archive'),
  timezone: z
    .string()
    .default('Asia/Shanghai')
    .refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai'),
  readme: z
    .strictObject({
      title: z.string().min(1).default('新闻镜像'),
      footer: z.string().default(''),
    })
    .default({ title: '新闻镜像', footer: '' }),
  /** How article bodies are written: html (one line, the family's format) or markdown (GitHub-flavoured). */
  body: z.enum(['html', 'markdown']).default('html'),
  concurrency: z.number().int().min(1).max(64).default(4),
  allowPrivateNetworks: z.boolean().default(false),
  proxy: proxyUrl.optional(),
  userAgent: userAgent.optional(),
  /** One deadline per request from its turn at the host (maxPerHost), redirects and body included (default 30 s). */
  timeoutMs: timerMs.optional(),
  connectTimeoutMs: timerMs.optional(),
  /** Body cap after decompression (default 15 MiB). */
  maxBytes: z.number().int().positive().optional(),
  /** One deadline for a source's whole turn, CPU work included: fetch, read, clean, write (default 60 s). */
  sourceTimeoutMs: timerMs.default(60_000),
  /** Tries per request for network errors, 5xx, 408 and 429 (default 3). */
  tries: z.number().int().min(1).max(10).optional(),
  /** New items archived per source and run, newest first; the older ones wait for the next runs (caps.ts). */
  maxItemsPerRun: itemsCap.default(DEFAULT_CAPS.maxItemsPerRun),
  /** Items read from one feed document, the newest by date (caps.ts); default 10 × maxItemsPerRun. */
  maxFeedItems: itemsCap.optional(),
  /** Characters of an article link; an item whose link is longer is archived without it (prepare-item.ts). */
  maxUrlLength: cap(32, 'must be a whole number of characters, 32 or more').default(DEFAULT_CAPS.maxUrlLength),
  /** Characters of an article title; a longer one is cut at a grapheme boundary, with an ellipsis (prepare-item.ts). */
  maxTitleLength: cap(32, 'must be a whole number of characters, 32 or more').default(DEFAULT_CAPS.maxTitleLength),
  /** UTF-8 bytes of one article body after cleaning; a longer one is cut between elements, marked (render-body.ts). */
  maxBodyBytes: bodyCap.default(DEFAULT_CAPS.maxBodyBytes),
  /** Backoff base between tries (default 1000 ms, doubled each try, with jitter). */
  retryDelayMs: z.number().int().min(0).optional(),
  /** Requests at once to one host (default 2). */
  maxPerHost: z.number().int().min(1).max(16).default(2),
  images: z
    .strictObject({
      /** Largest image archived, in bytes (default 5 MiB). */
      maxBytes: z.number().int().positive().default(5 * 1024 * 1024),
      /** Largest image archived, in pixels (default 40 megapixels). */
      maxPixels: z.number().int().positive().default(40_000_000),
      /** Referer to send per image host (hotlink protection), e.g. { sinaimg.cn: "https://weibo.com/" }. */
      referers: z.record(z.string(), headerValue).default({ 'sinaimg.cn': 'https://weibo.com/' }),
      /** Stored as: webp (default), avif, or original (the publisher's format); re-encoded either way (content/compact-image.ts). */
      format: z.enum(['webp', 'avif', 'original']).default('webp'),
      /** Longest side of a stored picture, in pixels (default 1280); larger ones are scaled down. */
      maxSide: z.number().int().min(16).max(16384).default(1280),
      /** Encoder quality, 1–100 (default 72). */
      quality: z.number().int().min(1).max(100).default(72),
      /** Animated GIFs: animate (an animated WebP) or first-frame. */
      animated: z.enum(['animate', 'first-frame']).default('animate'),
      /** keep: the publisher's bytes too, beside the compact copy (assets/<2 hex>/<their sha256>.<ext>); drop (default). */
      originals: z.enum(['drop', 'keep']).default('drop'),
      /** Images downloaded per article, in order (default 50); the rest keep their URL. */
      maxPerArticle: cap(0, 'must be a whole number of images, 0 or more (0: none downloaded)').default(DEFAULT_CAPS.imagesPerArticle),
    })
    .default({ maxBytes: 5 * 1024 * 1024, maxPixels: 40_000_000, referers: { 'sinaimg.cn': 'https://weibo.com/' }, ...IMAGE_DEFAULTS, maxPerArticle: DEFAULT_CAPS.imagesPerArticle }),
  budgets: z
    .strictObject({
      /** Bytes of images stored for one article (default 4 MB). */
      articleImages: byteSize.default(BUDGET_DEFAULTS.articleImages),
      /** Bytes of images stored by one run (default 200 MB). */
      runImages: byteSize.default(BUDGET_DEFAULTS.runImages),
      /** Bytes the whole archive may hold before new images stay remote (default 4 GB). */
      total: byteSize.default(BUDGET_DEFAULTS.total),
    })
    .default(BUDGET_DEFAULTS),
  git: z
    .strictObject({
      /** Commit the files a run changed (also `run --commit`). */
      commit: z.boolean().default(false),
      /** Remotes to push to after committing (also `run --push`, which pushes to all of these or `origin`). */
      push: z.array(z.string().regex(/^[^-\s]\S*$/, 'not a remote name')).default([]),
      author: z
        .strictObject({ name: z.string().min(1), email: z.string().min(3) })
        .default({ name: 'newsmirror', email: 'newsmirror@users.noreply.github.com' }),
    })
    .default({ commit: false, push: [], author: { name: 'newsmirror', email: 'newsmirror@users.noreply.github.com' } }),
  sources: z.array(sourceSchema).min(1, 'must list at least one source'),
});

export type SourceInput = z.input<typeof sourceSchema>;
export type SourceConfig = z.output<typeof sourceSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type ParsedConfig = z.output<typeof configSchema>;

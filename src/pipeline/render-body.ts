import type { SourceConfig } from '../config/config-schema.js';
import { renderBodyLine } from '../domain/body-line.js';
import { stripControlCharacters } from '../domain/control-characters.js';
import { LimitError, describeError } from '../domain/errors.js';
import { DEFAULT_CAPS, formatBytes } from '../domain/caps.js';
import { truncateHtml } from '../content/truncate-html.js';
import type { ImageStore } from './archive-images.js';
import { MAX_HTML_DEPTH, flattenDeepHtml } from '../content/flatten-deep-html.js';
import { MAX_HTML_REFERENCES, countReferences } from '../content/character-references.js';

/** `signal`: the source's deadline, which gives up the cleaning (a LimitError, too_slow). */
export type CleanFn = (html: string, url: string | undefined, source: SourceConfig, signal?: AbortSignal) => string | Promise<string>;

export interface RenderedBody {
  /** The body line of the article file. */
  body: string;
  warnings: string[];
}

/**
 * How much of a body over the cap is cleaned: cleaning takes away bytes
 * (scripts, styles, share blocks), so more than the cap, but a bounded part:
 * a 13 MB body parsed whole made the run's peak ~430 MB higher.
 */
const CLEANED_AT_MOST = 2;

/** What ends a body cut at the cap, in the archive's language and in English. */
export function cutNote(maxBytes: number): string {
  const size = formatBytes(maxBytes);
  return `<p><em>（正文超过 ${size}，其余部分未存档。The article is over ${size}; the rest is not archived.）</em></p>`;
}

/**
 * The body cap (maxBodyBytes, after cleaning): the item's HTML is cut
 * before cleaning to a bounded part, and the cleaned body to the cap, both
 * between elements (truncateHtml), so what is archived is well-formed, has
 * been through the sanitizer and ends with the note. Same bytes, same cut.
 */
export async function cleanWithin(clean: CleanFn, html: string, url: string | undefined, source: SourceConfig, maxBytes: number, signal?: AbortSignal, name = url ?? 'an item without link') {
  const part = truncateHtml(html, maxBytes * CLEANED_AT_MOST);
  const cleaned = await clean(part ?? html, url, source, signal);
  const note = cutNote(maxBytes);
  const fitted = truncateHtml(cleaned, maxBytes - Buffer.byteLength(note));
  if (part === undefined && fitted === undefined) return { cleaned, cut: undefined };
  const bytes = Buffer.byteLength(html);
  const cut = `${name}: the body (${bytes} bytes in the feed) is over maxBodyBytes (${formatBytes(maxBytes)}) once cleaned: archived cut between elements, with a note saying so`;
  return { cleaned: (fitted ?? cleaned) + note, cut };
}

/**
 * Turns an item's HTML into the body of its file: cleaned (unless the source
 * says clean: false, which keeps the feed's bytes exactly, as the family
 * did), cut to the body cap, images archived when the source wants it, then
 * on one line (html) or as GitHub-flavoured Markdown (the archive's `body: markdown`).
 */
export function bodyRenderer(clean: CleanFn, images: ImageStore | undefined, format: 'html' | 'markdown' = 'html', maxBodyBytes: number = DEFAULT_CAPS.maxBodyBytes) {
  /** `name`: how warnings name the item, when not by `url` (a site link standing in for its own: prepare-item.ts itemName). */
  return async (html: string, url: string | undefined, source: SourceConfig, signal?: AbortSignal, name = url ?? 'an item without link'): Promise<RenderedBody> => {
    const warnings: string[] = [];
    const maxBytes = source.maxBodyBytes ?? maxBodyBytes;
    const finish = async (html: string) => {
      // Control characters go before the Markdown conversion too, which would carry them into the file.
      const body = stripControlCharacters(html);
      if (format !== 'markdown') return renderBodyLine(body);
      try {
        // Loaded on first use, as the sanitizer below: the cleaning threads do the usual work.
        const { renderMarkdown } = await import('../content/html-to-markdown.js');
        return renderMarkdown(body);
      } catch (error) {
        // turndown recurses: the same hostile nesting. HTML is Markdown too (GitHub renders it).
        warnings.push(`${name}: Markdown conversion failed (${describeError(error)}); archived as HTML`);
        return renderBodyLine(body);
      }
    };
    const flat = source.clean ? flattenDeepHtml(html) : undefined;
    if (flat !== undefined) {
      warnings.push(`${name}: the HTML is nested deeper than ${MAX_HTML_DEPTH} elements (${flat.depth}): the tags past ${MAX_HTML_DEPTH} are left out, their text kept`);
      html = flat.html;
    }
    if (source.clean && countReferences(html) > MAX_HTML_REFERENCES) {
      warnings.push(`${name}: the HTML holds more than ${MAX_HTML_REFERENCES} character references: cleaned by the sanitizer alone`);
    }
    let cleaned: string;
    try {
      const within = await cleanWithin(clean, html, url, source, maxBytes, signal, name);
      cleaned = within.cleaned;
      if (within.cut !== undefined) warnings.push(within.cut);
    } catch (error) {
      // The source's deadline: the body is not ready, and the source stops (run-source.ts).
      if (error instanceof LimitError && error.code === 'too_slow') throw error;
      // One item the cleaner cannot take (a hostile body nested deeper than the call stack)
      // must not fail its source on every run: it is archived with the sanitizer's pass alone.
      const { sanitizeArticleHtml } = await import('../content/sanitize-html.js');
      const sanitize = (body: string) => sanitizeArticleHtml(body, source.iframeHosts ? { iframeHosts: source.iframeHosts } : undefined);
      const within = await cleanWithin(sanitize, html, url, source, maxBytes, undefined, name);
      cleaned = within.cleaned;
      if (within.cut !== undefined) warnings.push(within.cut);
      warnings.push(`${name}: cleaning failed (${describeError(error)}); archived sanitized only`);
    }
    if (!source.clean || source.images !== 'archive' || images === undefined) {
      const body = await finish(cleaned);
      return { body, warnings };
    }
    const localized = await images.localize(cleaned, source.proxy);
    const body = await finish(localized.html);
    // An image's warning names its URL; the article it is in, as the cleaner's warnings do.
    const imageWarnings = localized.warnings.map((w) => `${name}: ${w}`);
    return { body, warnings: [...warnings, ...imageWarnings] };
  };
}

export type RenderBody = ReturnType<typeof bodyRenderer>;

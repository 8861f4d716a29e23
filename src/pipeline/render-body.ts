import type { SourceConfig } from '../config/config-schema.js';
import { renderBodyLine } from '../domain/body-line.js';
import { stripControlCharacters } from '../domain/control-characters.js';
import { describeError } from '../domain/errors.js';
import type { ImageStore } from './archive-images.js';

export type CleanFn = (html: string, url: string | undefined, source: SourceConfig) => string | Promise<string>;

export interface RenderedBody {
  /** The body line of the article file. */
  body: string;
  warnings: string[];
}

/**
 * Turns an item's HTML into the body of its file: cleaned (unless the source
 * says clean: false, which keeps the feed's bytes exactly, as the family
 * did), images archived when the source wants it, then on one line (html) or
 * as GitHub-flavoured Markdown (the archive's `body: markdown`).
 */
export function bodyRenderer(clean: CleanFn, images: ImageStore | undefined, format: 'html' | 'markdown' = 'html') {
  return async (html: string, url: string | undefined, source: SourceConfig): Promise<RenderedBody> => {
    const warnings: string[] = [];
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
        warnings.push(`${source.slug}: ${url ?? 'an item without link'}: Markdown conversion failed (${describeError(error)}); archived as HTML`);
        return renderBodyLine(body);
      }
    };
    let cleaned: string;
    try {
      cleaned = await clean(html, url, source);
    } catch (error) {
      // One item the cleaner cannot take (a hostile body nested deeper than the call stack)
      // must not fail its source on every run: it is archived with the sanitizer's pass alone.
      const { sanitizeArticleHtml } = await import('../content/sanitize-html.js');
      cleaned = sanitizeArticleHtml(html, source.iframeHosts ? { iframeHosts: source.iframeHosts } : undefined);
      warnings.push(`${source.slug}: ${url ?? 'an item without link'}: cleaning failed (${describeError(error)}); archived sanitized only`);
    }
    if (!source.clean || source.images !== 'archive' || images === undefined) {
      const body = await finish(cleaned);
      return { body, warnings };
    }
    const localized = await images.localize(cleaned, source.proxy);
    const body = await finish(localized.html);
    // An image's warning names its URL; the article it is in, as the cleaner's warnings do.
    const imageWarnings = localized.warnings.map((w) => `${source.slug}: ${url ?? 'an item without link'}: ${w}`);
    return { body, warnings: [...warnings, ...imageWarnings] };
  };
}

export type RenderBody = ReturnType<typeof bodyRenderer>;

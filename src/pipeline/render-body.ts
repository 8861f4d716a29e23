import type { SourceConfig } from '../config/config-schema.js';
import { renderBodyLine } from '../domain/body-line.js';
import { renderMarkdown } from '../content/html-to-markdown.js';
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
  const finish = (html: string) => (format === 'markdown' ? renderMarkdown(html) : renderBodyLine(html));
  return async (html: string, url: string | undefined, source: SourceConfig): Promise<RenderedBody> => {
    const cleaned = await clean(html, url, source);
    if (!source.clean || source.images !== 'archive' || images === undefined) return { body: finish(cleaned), warnings: [] };
    const localized = await images.localize(cleaned);
    return { body: finish(localized.html), warnings: localized.warnings };
  };
}

export type RenderBody = ReturnType<typeof bodyRenderer>;

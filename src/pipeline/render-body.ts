import type { SourceConfig } from '../config/config-schema.js';
import { renderBodyLine } from '../domain/body-line.js';
import type { ImageStore } from './archive-images.js';

export type CleanFn = (html: string, url: string | undefined, source: SourceConfig) => string;

export interface RenderedBody {
  /** The body line of the article file. */
  body: string;
  warnings: string[];
}

/**
 * Turns an item's HTML into the body line of its file: cleaned (unless the
 * source says clean: false, which keeps the feed's bytes exactly, as the
 * family did), images archived when the source wants it, on one line.
 */
export function bodyRenderer(clean: CleanFn, images: ImageStore | undefined) {
  return async (html: string, url: string | undefined, source: SourceConfig): Promise<RenderedBody> => {
    const cleaned = clean(html, url, source);
    if (!source.clean || source.images !== 'archive' || images === undefined) return { body: renderBodyLine(cleaned), warnings: [] };
    const localized = await images.localize(cleaned);
    return { body: renderBodyLine(localized.html), warnings: localized.warnings };
  };
}

export type RenderBody = ReturnType<typeof bodyRenderer>;

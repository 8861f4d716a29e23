import TurndownService from 'turndown';
// @ts-expect-error turndown-plugin-gfm ships no types; it exports `gfm`, a turndown plugin.
import { gfm } from 'turndown-plugin-gfm';

let service: TurndownService | undefined;

function turndown(): TurndownService {
  if (!service) {
    service = new TurndownService({ headingStyle: 'atx', codeBlockStyle: 'fenced', bulletListMarker: '-', emDelimiter: '*' });
    service.use(gfm as TurndownService.Plugin);
  }
  return service;
}

/**
 * A cleaned article body as GitHub-flavoured Markdown (the archive's
 * `body: markdown`): headings, lists, tables, code, images and links kept.
 * The only module that imports turndown. Output ends without a newline.
 */
export function renderMarkdown(html: string): string {
  return turndown()
    .turndown(html)
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

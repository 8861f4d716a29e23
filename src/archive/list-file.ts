import { renderMonthDay } from '../domain/calendar.js';
import { articlePath } from '../domain/article.js';
import { escapeTitle } from '../domain/title.js';

export interface ListEntry {
  slug: string;
  id: number;
  title: string;
  published: number;
  /** The title as the article's file writes it, where escapeTitle would write it otherwise (an older family file). */
  writtenTitle?: string | null;
}

/** How many articles `lists/<name>.md` shows (the family's list length). */
export const LIST_LENGTH = 300;

/**
 * A list file (FORMAT.md): the header, a blank line, then one entry per
 * article, newest first, each followed by a blank line, its title written as
 * in its article file. Entries must come sorted.
 */
export function renderList(heading: string, entries: readonly ListEntry[], timeZone: string): string {
  let out = `${heading}\n------\n\n`;
  for (const e of entries) {
    out += `${renderMonthDay(e.published, timeZone)} [${e.writtenTitle ?? escapeTitle(e.title)}](/${articlePath(e.slug, e.id)})\n\n`;
  }
  return out;
}

/** The link target of a source's list from the archive root: `lists/<name>.md`. */
export function listPath(name: string, month?: string): string {
  return month === undefined ? `lists/${name}.md` : `lists/${name}/${month}.md`;
}

/**
 * Markdown link targets cannot hold spaces or parentheses unescaped, and a
 * `#`, `?` or `%` in a file name would be read as a fragment, a query or an
 * escape: the link would name another file (`lists/C#.md` is `lists/C`).
 */
function linkTarget(path: string): string {
  return path.replace(/[() #?%]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** README.md: a heading, one link per source list in configured order, then the footer. */
export function renderReadme(title: string, sourceNames: readonly string[], footer: string): string {
  let out = `${title}\n------\n\n`;
  for (const name of sourceNames) out += `[${escapeTitle(name)}](${linkTarget(listPath(name))})\n\n`;
  return out + footer;
}

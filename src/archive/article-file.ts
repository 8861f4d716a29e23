import { ArchiveError } from '../domain/errors.js';
import { escapeTitle, unescapeTitle } from '../domain/title.js';

/** What an article file holds, apart from the id its name gives. */
export interface ArticleFile {
  /** Milliseconds since the epoch; undefined only for old files whose date cannot be read. */
  published: number | undefined;
  title: string;
  /** The title as the file writes it, escapes and entities included (lists write it so: FORMAT.md). */
  writtenTitle: string;
  url: string;
  body: string;
}

/**
 * FORMAT.md's five lines: `<!--{published}-->`, `[{title}]({url})`, `------`,
 * an empty line, the body on one line; each ending in `\n`. The title must be
 * normalized and the url formatted (see domain/title.ts, domain/link.ts).
 */
export function renderArticleFile(article: { published: number; title: string; url: string; body: string }): string {
  return `<!--${article.published}-->\n[${escapeTitle(article.title)}](${article.url})\n------\n\n${article.body}\n`;
}

/** Splits `[title](url)` at the first unescaped `](`; old unescaped titles may hold `[` or `]` alone. */
export function parseTitleLine(line: string): { title: string; written: string; url: string } | undefined {
  if (!line.startsWith('[') || !line.endsWith(')')) return undefined;
  for (let i = 1; i < line.length - 1; i += 1) {
    const c = line[i];
    if (c === '\\') {
      i += 1;
    } else if (c === ']' && line[i + 1] === '(') {
      const written = line.slice(1, i);
      return { title: unescapeTitle(written), written, url: line.slice(i + 2, -1) };
    }
  }
  return undefined;
}

/**
 * Reads an article file of the current layout or of the family's 2020 layout
 * (`[title](url)`, `------`, `日期：<RFC 822 date>`, empty line, body).
 * Throws ArchiveError('unreadable_file') naming the file and line.
 */
export function parseArticleFile(text: string, file: string): ArticleFile {
  // Saved again on Windows (Notepad's BOM, git's core.autocrlf): the same article. Read as "not an
  // article file", it left the catalog, and the next run archived its feed item again under a new id.
  const unix = text.replace(/^\ufeff/, '');
  const lines = (/^[^\n]*\r\n/.test(unix) ? unix.replace(/\r\n/g, '\n') : unix).split('\n');
  const fail = (line: number, what: string): never => {
    throw new ArchiveError('unreadable_file', `${file}:${line}: not an article file (${what})`);
  };
  let at = 0;
  let published: number | undefined;
  const stamp = /^<!--\s*(-?\d{1,16})\s*-->$/.exec(lines[0] ?? '');
  if (stamp) {
    published = Number(stamp[1]);
    at = 1;
  }
  const head = parseTitleLine(lines[at] ?? '');
  if (!head) fail(at + 1, 'expected "[title](url)"');
  if (lines[at + 1] !== '------') fail(at + 2, 'expected "------"');
  let bodyStart = at + 2;
  const dated = /^日期[：:]\s*(.+)$/.exec(lines[bodyStart] ?? '');
  if (dated) {
    const ms = Date.parse(dated[1] ?? '');
    if (published === undefined && Number.isFinite(ms)) published = ms;
    bodyStart += 1;
  }
  if (lines[bodyStart] === '') bodyStart += 1;
  const body = lines.slice(bodyStart).join('\n').replace(/\n$/, '');
  return { published, title: head!.title, writtenTitle: head!.written, url: head!.url, body };
}

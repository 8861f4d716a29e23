import { stripControlCharacters } from './control-characters.js';

/**
 * Scripts written without spaces between words: joining two lines that end
 * and start in them must not add a space (Han, Kana, Hangul is spaced so it is
 * absent, Thai/Lao/Khmer/Myanmar, CJK punctuation, full-width forms).
 */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\u3000-\u303f\uff00-\uffef\u2e80-\u2eff\u3190-\u31ff]/u;

/** Tags that do not separate words: a line break next to them still reads as a space. */
const INLINE_TAG = /^(a|abbr|b|bdi|bdo|cite|code|data|dfn|em|font|i|kbd|mark|q|s|samp|small|span|strong|sub|sup|time|u|var)$/i;

const HTML_SPACE = /^[ \t\n\f\r]+|[ \t\n\f\r]+$/g;

function trimHtmlSpace(line: string): string {
  return line.replace(HTML_SPACE, '');
}

/** The last character of `line` that a reader sees, skipping closing/opening inline tags. */
function edgeChar(line: string, fromEnd: boolean): string | undefined {
  let rest = line;
  for (;;) {
    const match = fromEnd ? /<\/?([A-Za-z][\w-]*)[^<>]*>$/.exec(rest) : /^<\/?([A-Za-z][\w-]*)[^<>]*>/.exec(rest);
    if (!match) break;
    if (!INLINE_TAG.test(match[1] ?? '')) return undefined;
    rest = fromEnd ? rest.slice(0, match.index) : rest.slice(match[0].length);
  }
  if (rest === '') return undefined;
  return fromEnd ? [...rest.slice(-2)].pop() : String.fromCodePoint(rest.codePointAt(0) ?? 0);
}

/** FORMAT.md: keep a space where the join would glue two words of a space-separated script. */
function needsSpace(before: string, after: string): boolean {
  const a = edgeChar(before, true);
  const b = edgeChar(after, false);
  if (a === undefined || b === undefined) return false;
  if (a === '>' || b === '<') return false;
  return !UNSPACED.test(a) && !UNSPACED.test(b);
}

function joinLines(text: string, out: string[]): void {
  for (const raw of text.split('\n')) {
    const line = trimHtmlSpace(raw);
    if (line === '') continue;
    const previous = out[out.length - 1];
    if (previous !== undefined && needsSpace(previous, line)) out.push(' ');
    out.push(line);
  }
}

/**
 * Puts article HTML on a single line as the archive format wants it
 * (FORMAT.md "body"): each source line trimmed of HTML whitespace, lines joined
 * with nothing between them except a space between two words of a spaced
 * script, and newlines inside `<pre>` kept as `&#10;`; control characters
 * dropped (control-characters.ts). Trimming only HTML
 * whitespace keeps U+3000 and NBSP indentation, which is content.
 */
export function renderBodyLine(html: string): string {
  const text = stripControlCharacters(html.replace(/\r\n?/g, '\n'));
  const out: string[] = [];
  const pre = /<pre\b[^>]*>[\s\S]*?(<\/pre\s*>|$)/gi;
  let last = 0;
  for (let match = pre.exec(text); match; match = pre.exec(text)) {
    joinLines(text.slice(last, match.index), out);
    out.push(match[0].replace(/\n/g, '&#10;'));
    last = match.index + match[0].length;
  }
  joinLines(text.slice(last), out);
  return out.join('');
}

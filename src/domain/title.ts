import { decodeHTMLStrict } from 'entities';
import { stripControlCharacters } from './control-characters.js';

/**
 * Whitespace that separates words in a title. U+3000 (ideographic space) is
 * deliberately absent: in Chinese titles it is typography, not a separator.
 */
const TITLE_SPACE = /[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\ufeff]+/g;

/**
 * FORMAT.md: trimmed, every run of whitespace (newlines included) collapsed
 * to one space; control characters dropped (control-characters.ts).
 */
export function normalizeTitle(title: string): string {
  return stripControlCharacters(title.replace(TITLE_SPACE, ' ')).trim();
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * A title cut to at most `max` UTF-16 units, an ellipsis included, or
 * undefined when it fits: the longest run of whole graphemes (an emoji with
 * its skin tone, a letter with its accents) that leaves room for the `…`,
 * trailing spaces dropped. Only the start of the title is segmented, so a
 * title of megabytes costs no more than a short one. Deterministic: the same
 * title is cut the same on every run, so it still matches itself (a title is
 * one of an item's keys).
 */
export function cutTitle(title: string, max: number): string | undefined {
  if (title.length <= max) return undefined;
  // The code point after the room whole (two units): whether a grapheme ends at a place depends on the code points on either side.
  const room = max - 1;
  let end = 0;
  for (const { index, segment } of graphemes.segment(title.slice(0, room + 2))) {
    if (index + segment.length > room) break;
    end = index + segment.length;
  }
  return `${title.slice(0, end).trimEnd()}…`;
}

/**
 * An `&` that CommonMark or HTML would read as the start of a character
 * reference: `&name;`, `&#123;`, `&#x1F;`. Numeric ones of any length: CommonMark
 * stops at 7 decimal or 6 hex digits, but HTML (and unescapeTitle) reads more,
 * and `&#00000065;` left bare would read back as `A`.
 */
const ENTITY_START = /&(?=[A-Za-z][A-Za-z0-9]*;|#[0-9]+;|#[xX][0-9A-Fa-f]+;)/g;

/**
 * Escapes a title for the `[title](url)` line of article and list files
 * (FORMAT.md): `\`, `[` and `]` get a backslash, `<` becomes `&lt;`, and an `&`
 * that would start an entity reference becomes `&amp;`. The title can then
 * never close the link early, open an HTML element or comment, or turn into
 * another character; `unescapeTitle` gives the same string back.
 */
export function escapeTitle(title: string): string {
  // Normalized titles hold none; a title from elsewhere (a site rule, a config name) must not bring one in.
  return stripControlCharacters(title)
    .replace(/[\\[\]]/g, (c) => `\\${c}`)
    .replace(ENTITY_START, '&amp;')
    .replace(/</g, '&lt;');
}

/**
 * The inverse of `escapeTitle`. Also reads the family's older files, which
 * did not escape and leaked entities such as `&quot;` into titles: those are
 * decoded (strictly, so a bare `&` stays as it is).
 */
export function unescapeTitle(text: string): string {
  const unslashed = text.replace(/\\([\\[\]])/g, '$1');
  return unslashed.includes('&') ? decodeHTMLStrict(unslashed) : unslashed;
}

/**
 * Whether a title holds U+FFFD, the character a decoder puts for bytes it
 * could not read: the feed's bytes were not in the encoding it was read in.
 * Such a title is mojibake in the making, refused rather than archived wrong
 * (the publisher's own U+FFFD is the same damage, one step earlier).
 */
export function isUndecodedTitle(title: string): boolean {
  return title.includes('\ufffd');
}

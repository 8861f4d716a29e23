import { parseHtmlFragment, selectAll } from './parse-html.js';

/*
 * The measure of "the article text is still there" after cleaning: the
 * text of each paragraph of the original, looked for in the cleaned
 * article's text. Cleaning may move a paragraph (a caption into a
 * <figcaption>) but must not lose it.
 */

/** Text with every run of whitespace (no-break and ideographic spaces too) as one space, trimmed. */
export function normalizeText(text: string): string {
  return text.replace(/[\s\u200b-\u200d\u2060\ufeff]+/g, ' ').trim();
}

/** The normalized text of each non-empty, outermost <p> of `html`. */
export function paragraphTexts(html: string): string[] {
  const document = parseHtmlFragment(html);
  return selectAll(document.body, 'p')
    .filter((p) => !p.parentElement?.closest('p'))
    .map((p) => normalizeText(p.textContent ?? ''))
    .filter((text) => text !== '');
}

/** The normalized text of the whole fragment. */
export function fragmentText(html: string): string {
  return normalizeText(parseHtmlFragment(html).body.textContent ?? '');
}

/**
 * Cloudflare's stand-in for an obfuscated e-mail address; cleaning writes the
 * address back, so the paragraph counts as kept when the text around it is.
 */
const EMAIL_PLACEHOLDER = '[email protected]';

/** True when `paragraph` is in `text`, with any e-mail placeholder matching whatever stands in its place. */
function containsParagraph(text: string, paragraph: string): boolean {
  let from = 0;
  for (const piece of paragraph.split(EMAIL_PLACEHOLDER)) {
    const at = text.indexOf(piece, from);
    if (at < 0) return false;
    from = at + piece.length;
  }
  return true;
}

export interface ParagraphRetention {
  /** Characters of paragraph text in the original (excluding `ignored` paragraphs). */
  before: number;
  /** Characters of those paragraphs found whole in the cleaned text. */
  kept: number;
  /** Characters of paragraph text after cleaning (<p> elements only). */
  after: number;
  /** Characters of the paragraphs `ignore` set aside as boilerplate. */
  ignored: number;
  /** Paragraphs not found, for the report. */
  lost: string[];
}

/**
 * How much of `original`'s paragraph text `cleaned` keeps; `ignore`
 * names paragraphs that are boilerplate on purpose (they are not counted).
 */
export function measureParagraphRetention(
  original: string,
  cleaned: string,
  ignore: (paragraph: string) => boolean = () => false,
): ParagraphRetention {
  const cleanedText = fragmentText(cleaned);
  let before = 0;
  let kept = 0;
  let ignored = 0;
  const lost: string[] = [];
  for (const paragraph of paragraphTexts(original)) {
    if (ignore(paragraph)) {
      ignored += paragraph.length;
      continue;
    }
    before += paragraph.length;
    if (containsParagraph(cleanedText, paragraph)) kept += paragraph.length;
    else lost.push(paragraph);
  }
  const after = paragraphTexts(cleaned).reduce((sum, text) => sum + text.length, 0);
  return { before, kept, after, ignored, lost };
}

import { decodeHTML } from 'entities';

/** Elements whose content is not text a reader reads. */
const HIDDEN = /<(script|style|noscript|template|svg|math)\b[^>]*>[\s\S]*?<\/\1\s*>|<!--[\s\S]*?(?:-->|$)/gi;

/** Any tag; group 1 is the name of an inline one, which must not split a word (台<b>湾</b> is 台湾). */
const TAG = /<\/?(?:(a|abbr|b|bdi|bdo|cite|code|data|del|dfn|em|font|i|ins|kbd|mark|q|s|samp|small|span|strike|strong|sub|sup|time|tt|u|var|wbr)\b|[a-zA-Z!?/])[^>]*>/gi;

const SPACES = /[\s\u00a0\u3000]+/g;

/** Markdown links and images (bodies archived as Markdown): the text stays, the target goes. */
const MARKDOWN_LINK = /!?\[([^\]\n]*)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+"[^"\n]*")?\)/g;

/**
 * The text of an article body for search (HTML, or the archive's Markdown,
 * whose link targets go): tags gone (block boundaries become
 * a space, so two paragraphs never run together into one word), entities
 * decoded once, whitespace collapsed. Cheap by design: a regular-expression
 * pass, not a DOM, because every archived article goes through it.
 */
export function searchTextFromHtml(html: string): string {
  const stripped = html
    .replace(HIDDEN, ' ')
    .replace(TAG, (_tag, inline: string | undefined) => (inline ? '' : ' '))
    .replace(MARKDOWN_LINK, '$1');
  return decodeHTML(stripped).replace(SPACES, ' ').trim();
}

/** Where text splits into sentences: after Chinese or Latin end punctuation. */
const SENTENCE_END = /(?<=[。！？；!?;])|(?<=\.)\s+/;

/**
 * What an article's later versions (its recorded edits) say that its own
 * text does not, sentence by sentence, each once: what search adds to the
 * article so that a reader finds it by a sentence an update added, without
 * indexing every version whole (most edits change a sentence or two).
 */
export function addedText(own: string, later: readonly string[]): string {
  const added = new Set<string>();
  for (const text of later) {
    for (const part of text.split(SENTENCE_END)) {
      const sentence = part.trim();
      if (sentence.length > 1 && !own.includes(sentence)) added.add(sentence);
    }
  }
  return [...added].join(' ');
}

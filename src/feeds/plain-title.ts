import { decodeHTMLStrict } from 'entities';
import { stripControlCharacters } from '../domain/control-characters.js';

/**
 * A feed title as plain text.
 *
 * The XML parser has already decoded one level of entities. Titles are still
 * often escaped twice: `<title><![CDATA[He said &quot;no&quot;]]></title>` and
 * `<title>He said &amp;quot;no&amp;quot;</title>` both leave `&quot;` after XML
 * decoding, because the publisher HTML-escaped the text before putting it in the
 * XML (feedx.net does, and the duty-machine archives show `&quot;` leaking into
 * lists). A title is text, not HTML, so any entity reference still present is
 * decoded once more. Only terminated references (`&quot;`, `&#34;`) count, so a
 * literal "AT&T" or "&copy2024" stays as written. The rare title that means a
 * literal "&quot;" loses it; that is the price of the common case.
 *
 * `markup` is for titles declared as HTML or XHTML (Atom type="html"/"xhtml"):
 * their tags are dropped before the decoding.
 */
/**
 * A tag, comment or declaration: `>` inside a quoted attribute value does not end it
 * (`<a title="2 > 1">`). A `<` that opens no tag ("5 < 6") is left as text.
 */
const TAG = /<!--[\s\S]*?-->|<[/!?]?[A-Za-z][^"'>]*(?:(?:"[^"]*"|'[^']*')[^"'>]*)*>/g;

export function plainTitle(raw: string | undefined, options: { markup?: boolean } = {}): string {
  if (raw === undefined) return '';
  let text = options.markup === true ? raw.replace(TAG, '') : raw;
  if (text.includes('&')) text = decodeHTMLStrict(text);
  // A title is one line: a line break inside it (often indentation in the XML)
  // reads as a space. Control characters are not text (XML 1.0 §2.2 forbids them).
  return stripControlCharacters(text.replace(/\s*[\r\n]+\s*/g, ' ')).trim();
}

/**
 * Character and entity references an article body may hold for the DOM
 * cleaner: linkedom makes a text node of each (htmlparser2 hands every
 * decoded reference on alone), ~300 bytes apiece, so a body of a million
 * took a cleaning thread past its memory after seconds of GC (issue 15).
 * Past it, the body is cleaned by the sanitizer alone, which builds no DOM.
 */
export const MAX_HTML_REFERENCES = 100_000;

/** How many `&` the HTML holds, counted up to `limit + 1`: an upper bound of its references. */
export function countReferences(html: string, limit = MAX_HTML_REFERENCES): number {
  let count = 0;
  for (let i = html.indexOf('&'); i !== -1 && count <= limit; i = html.indexOf('&', i + 1)) count += 1;
  return count;
}

/**
 * The parts of an archive's README.md that are the archive's own (FORMAT.md,
 * "README"): its heading and the footer after the links to the lists. Read
 * from a README of that shape (the heading, `------`, an empty line, then
 * `[name](lists/...)` lines each followed by an empty line, then the
 * footer), as the family's archives and newsmirror write it; undefined for
 * any other README.
 */
export function parseReadme(text: string): { title: string; footer: string } | undefined {
  const head = /^([^\n]+)\n------\n\n/.exec(text);
  if (!head) return undefined;
  const links = /^(?:\[[^\n]*\]\(lists\/[^\n]*\)\n\n)+/.exec(text.slice(head[0].length));
  if (!links) return undefined;
  return { title: head[1]!, footer: text.slice(head[0].length + links[0].length) };
}

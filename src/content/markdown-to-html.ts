import { Marked } from 'marked';

/** GitHub-flavoured, no raw-HTML trust: the result is sanitized by the caller like any body. */
const marked = new Marked({ gfm: true, breaks: false, async: false });

/**
 * A Markdown article body (archives with `body: markdown`) as HTML, for the
 * reader. The only module that imports marked. Sanitize the result.
 */
export function renderMarkdownHtml(markdown: string): string {
  return marked.parse(markdown, { async: false });
}

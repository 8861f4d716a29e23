import { Tokenizer } from 'htmlparser2';

/**
 * The deepest nesting an article body keeps: Blink's HTML parser stops
 * nesting at 512 (kMaximumHTMLParserDOMTreeDepth) and puts deeper elements
 * beside their parent. Past it, our cleaners cost more than depth can mean:
 * htmlparser2 keeps its open elements with Array#unshift (quadratic: 200,000
 * nested <div>s took 70 s in the sanitizer) and the DOM walks recurse until
 * the stack overflows (issue 15).
 */
export const MAX_HTML_DEPTH = 512;

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr', 'basefont', 'bgsound', 'frame', 'keygen']);
/** Elements a parser closes when the same one opens (an unclosed <p> or <li> in a list is not nesting). */
const SIBLINGS = new Set(['p', 'li', 'dt', 'dd', 'option', 'tr', 'td', 'th']);
/** How far down the open elements a close tag looks for its element: a stray one is ignored without a scan. */
const CLOSE_SEARCH = 16;

/**
 * The HTML with every tag opened past `maxDepth` (and its close tag) left
 * out, text kept: undefined when nothing is that deep. One linear pass of
 * htmlparser2's tokenizer; the depth is a parser's, closely enough (void
 * elements, self-closing tags, a repeated <p> or <li> closes the open one).
 */
export function flattenDeepHtml(html: string, maxDepth = MAX_HTML_DEPTH): { html: string; depth: number } | undefined {
  // Fewer tags than the limit cannot nest past it: most bodies end here, at the cost of one count.
  let tags = 0;
  for (let i = html.indexOf('<'); i !== -1 && tags <= maxDepth; i = html.indexOf('<', i + 1)) tags += 1;
  if (tags <= maxDepth) return undefined;

  // The open elements' names, one string per name (a slice per tag held 200,000 copies of "div"); those
  // at maxDepth and past were opened past the limit and are dropped, their close tags too.
  const stack: string[] = [];
  const names = new Map<string, string>();
  // What is left out, as [from, to) ranges in a flat list, adjacent ones merged: 200,000 nested
  // tags are two ranges, not 400,000 pairs (~+95 MB of peak RSS on the main thread).
  const cut: number[] = [];
  const leaveOut = (from: number, to: number) => {
    if (cut.length > 0 && cut[cut.length - 1] === from) cut[cut.length - 1] = to;
    else cut.push(from, to);
  };
  let depth = 0;
  let name = '';
  let nameStart = 0;
  const ignore = () => undefined;
  const intern = (raw: string) => {
    const lower = raw.toLowerCase();
    const known = names.get(lower);
    if (known !== undefined) return known;
    names.set(lower, lower);
    return lower;
  };
  const tokenizer = new Tokenizer(
    { xmlMode: false, decodeEntities: false },
    {
      onopentagname(start, end) {
        name = intern(html.slice(start, end));
        nameStart = start - 1;
        if (SIBLINGS.has(name) && stack.at(-1) === name) stack.pop();
      },
      onopentagend(end) {
        if (VOID.has(name)) return;
        if (stack.length >= maxDepth) leaveOut(nameStart, end + 1);
        stack.push(name);
        depth = Math.max(depth, stack.length);
      },
      onselfclosingtag: ignore,
      onclosetag(start, end) {
        const closing = html.slice(start, end).toLowerCase();
        for (let i = stack.length - 1; i >= Math.max(0, stack.length - CLOSE_SEARCH); i -= 1) {
          if (stack[i] !== closing) continue;
          if (i >= maxDepth) leaveOut(html.lastIndexOf('<', start), end + 1);
          stack.length = i;
          return;
        }
      },
      onattribdata: ignore,
      onattribentity: ignore,
      onattribend: ignore,
      onattribname: ignore,
      oncdata: ignore,
      oncomment: ignore,
      ondeclaration: ignore,
      onend: ignore,
      onprocessinginstruction: ignore,
      ontext: ignore,
      ontextentity: ignore,
    },
  );
  tokenizer.write(html);
  tokenizer.end();
  if (cut.length === 0) return undefined;
  const parts: string[] = [];
  let at = 0;
  for (let i = 0; i < cut.length; i += 2) {
    parts.push(html.slice(at, cut[i]));
    at = cut[i + 1]!;
  }
  parts.push(html.slice(at));
  return { html: parts.join(''), depth };
}

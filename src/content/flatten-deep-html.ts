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

interface Open {
  name: string;
  /** Dropped from the output (opened past the limit): its close tag is dropped too. */
  dropped: boolean;
}

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

  const stack: Open[] = [];
  const cut: Array<[number, number]> = [];
  let depth = 0;
  let name = '';
  let nameStart = 0;
  const ignore = () => undefined;
  const tokenizer = new Tokenizer(
    { xmlMode: false, decodeEntities: false },
    {
      onopentagname(start, end) {
        name = html.slice(start, end).toLowerCase();
        nameStart = start - 1;
        if (SIBLINGS.has(name) && stack.at(-1)?.name === name) stack.pop();
      },
      onopentagend(end) {
        if (VOID.has(name)) return;
        const dropped = stack.length >= maxDepth;
        if (dropped) cut.push([nameStart, end + 1]);
        stack.push({ name, dropped });
        depth = Math.max(depth, stack.length);
      },
      onselfclosingtag: ignore,
      onclosetag(start, end) {
        const closing = html.slice(start, end).toLowerCase();
        for (let i = stack.length - 1; i >= Math.max(0, stack.length - CLOSE_SEARCH); i -= 1) {
          if (stack[i]!.name !== closing) continue;
          if (stack[i]!.dropped) cut.push([html.lastIndexOf('<', start), end + 1]);
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
  for (const [from, to] of cut) {
    parts.push(html.slice(at, from));
    at = to;
  }
  parts.push(html.slice(at));
  return { html: parts.join(''), depth };
}

import { isAscii, isUtf8 } from 'node:buffer';
import { CJK_MULTIBYTE, detectLegacy } from './decode-detect.js';
import { decode, latin1, tryDecode } from './decode-text.js';

/*
 * A feed that is UTF-8 except for some items, whose bytes are in a legacy
 * encoding (a CMS that pasted a story in from another system, an aggregator
 * that joined feeds without decoding them). Decoded whole, either the UTF-8
 * items or the others become mojibake; decoded item by item, both read right.
 */

export interface ItemwiseText {
  text: string;
  /** The encoding the items that are not UTF-8 were read in. */
  fallback: string;
  /** One line for the feed's warnings: how many items were not UTF-8, and how they were read. */
  note: string;
}

/** Where an item or entry starts (any namespace prefix): a multi-byte UTF-8 sequence never spans a '<'. */
const ITEM_START = /<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s>/]/g;

/**
 * The document read part by part (the head before the first item, then each
 * item up to the next), each part as UTF-8 when it is valid UTF-8 and in one
 * legacy encoding otherwise; undefined unless both kinds are there (at least
 * one part with non-ASCII UTF-8 and one that is not UTF-8), when the whole
 * document is better read in one encoding.
 */
export function decodeItemwise(bytes: Uint8Array): ItemwiseText | undefined {
  const parts = splitItems(bytes);
  const valid = parts.map((part) => isUtf8(part));
  const utf8Text = parts.some((part, i) => valid[i] === true && !isAscii(part));
  const others = parts.filter((_, i) => valid[i] !== true);
  if (!utf8Text || others.length === 0) return undefined;
  const fallback = fallbackEncoding(others);
  const text = parts.map((part, i) => decode(part, valid[i] === true ? 'utf-8' : fallback)).join('');
  const items = parts.length - 1;
  const badItems = others.length - (valid[0] === true ? 0 : 1);
  const what = [valid[0] === true ? '' : "the feed's head", badItems > 0 ? `${badItems} of ${items} items` : ''].filter(Boolean).join(' and ');
  return { text, fallback, note: `the bytes of ${what} are not UTF-8: read those as ${fallback}` };
}

function splitItems(bytes: Uint8Array): Uint8Array[] {
  const markup = latin1(bytes, 0, bytes.length); // one character per byte: indices are byte offsets
  const starts = [0, ...[...markup.matchAll(ITEM_START)].map((match) => match.index)].filter((at, i) => i === 0 || at > 0);
  return starts.map((start, i) => bytes.subarray(start, starts[i + 1] ?? bytes.length));
}

/**
 * windows-1252, what such items almost always are, unless the detector is
 * sure of an encoding whose script proves it (Chinese, Japanese, Korean,
 * Thai) and that reads every such part without error: a Latin code page
 * guessed from a sentence or two would be a worse guess than windows-1252.
 */
function fallbackEncoding(parts: Uint8Array[]): string {
  const guess = detectLegacy(Buffer.concat(parts));
  const provable = guess !== undefined && (CJK_MULTIBYTE.has(guess) || guess === 'windows-874');
  return provable && parts.every((part) => tryDecode(part, guess) !== undefined) ? guess : 'windows-1252';
}

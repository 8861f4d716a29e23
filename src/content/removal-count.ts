import type { HtmlNode } from './parse-html.js';

/** How many nodes (subtrees) cleaning removed: a figure for reports and tests. */
export interface RemovalCount {
  removed: number;
}

/** Removes `node` with its subtree, counting it once; already-detached nodes are not counted. */
export function removeNode(node: HtmlNode, count: RemovalCount): void {
  if (!node.isConnected) return;
  node.remove();
  count.removed += 1;
}

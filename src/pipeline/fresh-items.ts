import { SAME_TITLE_WINDOW_MS } from '../catalog/catalog.js';
import { bodiesDiffer } from '../domain/text-overlap.js';
import type { Candidate } from './prepare-item.js';

/**
 * Two items of one feed with the same guid or link (the feed repeats an
 * item); not by the link when their guids differ (Catalog.matchItem).
 */
export function sameKey(a: Candidate, b: Candidate): boolean {
  if (a.guid !== undefined && b.guid !== undefined) return a.guid === b.guid;
  return (a.guid !== undefined && a.guid === b.guid) || (a.canonicalLink !== undefined && a.canonicalLink === b.canonicalLink);
}

/**
 * The archive's rule between two items of one feed (Catalog.matchItem): an
 * undated item with a guid or link is as old as `now`, the time it is seen;
 * one with neither is known by its title alone.
 */
function sameItem(a: Candidate, b: Candidate, now: number): boolean {
  if (sameKey(a, b)) return true;
  if (a.title === '' || a.title !== b.title || bodiesDiffer(a.html, b.html)) return false;
  const at = (c: Candidate) => c.published ?? (c.guid || c.canonicalLink ? now : undefined);
  const [ta, tb] = [at(a), at(b)];
  return ta === undefined || tb === undefined || Math.abs(ta - tb) <= SAME_TITLE_WINDOW_MS;
}

/**
 * The new items of a feed so far, looked up by guid, link and title: a scan
 * of all of them for each item was quadratic, minutes for a feed of 150,000
 * (issue 15). `find` gives the earliest one `sameItem` takes for `c`, as the scan did.
 */
export class FreshItems {
  readonly items: Candidate[] = [];
  private readonly byKey = new Map<string, number[]>();

  constructor(private readonly now: number) {}

  private static keys(c: Candidate): string[] {
    return [...(c.guid !== undefined ? [`g\0${c.guid}`] : []), ...(c.canonicalLink !== undefined ? [`l\0${c.canonicalLink}`] : []), ...(c.title !== '' ? [`t\0${c.title}`] : [])];
  }

  find(c: Candidate): Candidate | undefined {
    const positions = FreshItems.keys(c).flatMap((key) => this.byKey.get(key) ?? []);
    positions.sort((a, b) => a - b);
    for (const i of positions) if (sameItem(this.items[i]!, c, this.now)) return this.items[i];
    return undefined;
  }

  add(c: Candidate): void {
    for (const key of FreshItems.keys(c)) {
      const list = this.byKey.get(key);
      if (list) list.push(this.items.length);
      else this.byKey.set(key, [this.items.length]);
    }
    this.items.push(c);
  }
}

/** FORMAT.md: per source, ids count down from 0xFFFFF; the first article gets 1048574. */
export const ID_ORIGIN = 0xfffff;

/**
 * The id China Digital Times (and any WordPress source) derives from its
 * guid `...?p=<post id>`: `0xFFFFF ^ postId`. Undefined when the guid has no
 * usable post id, so the caller falls back to a countdown id (never 0, the
 * family's bug that produced `cdt/0.md`).
 */
export function wordpressId(guid: string | undefined): number | undefined {
  if (!guid) return undefined;
  const match = /[?&]p=(\d{1,7})(?:&|#|$)/.exec(guid);
  if (!match) return undefined;
  const postId = Number(match[1]);
  if (postId <= 0 || postId > ID_ORIGIN) return undefined;
  const id = ID_ORIGIN ^ postId;
  return id === 0 ? undefined : id;
}

/**
 * Hands out countdown ids: each one is one less than the smallest id in use
 * (ids of 0 and below, such as the family's stray `0.md`, are ignored when
 * finding the smallest), skipping any id already taken. Never reuses an id.
 */
export class CountdownIds {
  private next: number;
  private readonly taken: Set<number>;

  constructor(idsInUse: Iterable<number>) {
    this.taken = new Set(idsInUse);
    let smallest = ID_ORIGIN;
    for (const id of this.taken) if (id > 0 && id < smallest) smallest = id;
    this.next = smallest - 1;
  }

  /** Marks an id as used (a WordPress id, say) so the countdown never hands it out. */
  reserve(id: number): boolean {
    if (this.taken.has(id)) return false;
    this.taken.add(id);
    return true;
  }

  isTaken(id: number): boolean {
    return this.taken.has(id);
  }

  allocate(): number {
    while (this.taken.has(this.next)) this.next -= 1;
    const id = this.next;
    this.taken.add(id);
    this.next -= 1;
    return id;
  }
}

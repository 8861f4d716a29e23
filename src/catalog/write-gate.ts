const WANTING = 0;
const BUSY = 1;

/**
 * Turns between the run's connection and a background writer (the search
 * indexer) on one catalog. SQLite has one writer at a time and no queue:
 * left to SQLite's busy handler, the thread that writes one transaction after
 * another took the lock again before the run's connection woke from its
 * back-off sleeps (up to 100 ms each), which first starved the run into
 * "database is locked", then cost it tens of milliseconds per write.
 *
 * Here the run says when it wants to write and the background writer starts
 * no transaction meanwhile; the run waits only for the background
 * transaction already under way, and is woken the moment it ends. Two flags
 * in shared memory, each side setting its own and then reading the other's
 * (sequentially consistent Atomics), so they are never both inside.
 */
export class WriteGate {
  private readonly flags: Int32Array;

  private constructor(
    readonly buffer: SharedArrayBuffer,
    private readonly role: 'primary' | 'background',
  ) {
    this.flags = new Int32Array(buffer);
  }

  /** The run's side: its writes go first. */
  static primary(): WriteGate {
    return new WriteGate(new SharedArrayBuffer(8), 'primary');
  }

  /** The other thread's side of a gate made by primary() (its buffer, passed in workerData). */
  static background(buffer: SharedArrayBuffer): WriteGate {
    return new WriteGate(buffer, 'background');
  }

  /** Before a write transaction: returns when this side may begin it. */
  enter(): void {
    const flags = this.flags;
    if (this.role === 'primary') {
      Atomics.add(flags, WANTING, 1);
      while (Atomics.load(flags, BUSY) === 1) Atomics.wait(flags, BUSY, 1, 1000);
      return;
    }
    for (;;) {
      for (let wanted = Atomics.load(flags, WANTING); wanted > 0; wanted = Atomics.load(flags, WANTING)) {
        Atomics.wait(flags, WANTING, wanted, 1000);
      }
      Atomics.store(flags, BUSY, 1);
      if (Atomics.load(flags, WANTING) === 0) return;
      this.release(BUSY);
    }
  }

  /** After it, committed or not. */
  leave(): void {
    if (this.role === 'primary') {
      if (Atomics.sub(this.flags, WANTING, 1) === 1) Atomics.notify(this.flags, WANTING);
    } else {
      this.release(BUSY);
    }
  }

  private release(index: number): void {
    Atomics.store(this.flags, index, 0);
    Atomics.notify(this.flags, index);
  }
}

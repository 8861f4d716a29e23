/**
 * Politeness: at most `limit` requests in flight per host name across one
 * client, whatever dispatcher (direct, proxy) carries them. Hosts are
 * independent: a queue on one never delays another.
 */
export class HostLimiter {
  readonly #limit: number;
  readonly #active = new Map<string, number>();
  readonly #waiting = new Map<string, (() => void)[]>();

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`maxPerHost must be a positive integer, got ${limit}`);
    this.#limit = limit;
  }

  /** Resolves with a release function once a slot for `host` is free. */
  async acquire(host: string, signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    const active = this.#active.get(host) ?? 0;
    if (active < this.#limit) {
      this.#active.set(host, active + 1);
      return this.#releaser(host);
    }
    await new Promise<void>((resolve, reject) => {
      const queue = this.#waiting.get(host) ?? [];
      this.#waiting.set(host, queue);
      const onAbort = (): void => {
        const index = queue.indexOf(grant);
        if (index >= 0) queue.splice(index, 1);
        if (queue.length === 0) this.#waiting.delete(host);
        reject(signal?.reason);
      };
      // The slot is handed over directly, so the active count stays the same.
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      queue.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    return this.#releaser(host);
  }

  #releaser(host: string): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const queue = this.#waiting.get(host);
      const next = queue?.shift();
      if (queue?.length === 0) this.#waiting.delete(host);
      if (next !== undefined) {
        next();
        return;
      }
      const active = (this.#active.get(host) ?? 1) - 1;
      if (active === 0) this.#active.delete(host);
      else this.#active.set(host, active);
    };
  }
}

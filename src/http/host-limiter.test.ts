import { describe, expect, it } from 'vitest';
import { HostLimiter } from './host-limiter.js';

describe('HostLimiter', () => {
  it('queues the third request to a host until one finishes, in order', async () => {
    const limiter = new HostLimiter(2);
    const order: string[] = [];
    const a = await limiter.acquire('a.example');
    const b = await limiter.acquire('a.example');
    const third = limiter.acquire('a.example').then((release) => {
      order.push('third');
      return release;
    });
    const fourth = limiter.acquire('a.example').then((release) => {
      order.push('fourth');
      return release;
    });
    await Promise.resolve();
    expect(order).toEqual([]);
    a();
    a(); // releasing twice must not free a second slot
    (await third)();
    b();
    (await fourth)();
    expect(order).toEqual(['third', 'fourth']);
  });

  it('does not let one host block another', async () => {
    const limiter = new HostLimiter(1);
    await limiter.acquire('slow.example');
    const other = await limiter.acquire('fast.example');
    expect(typeof other).toBe('function');
  });

  it('drops a waiter whose signal aborts', async () => {
    const limiter = new HostLimiter(1);
    const first = await limiter.acquire('h');
    const controller = new AbortController();
    const waiting = limiter.acquire('h', controller.signal);
    controller.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
    first();
    const next = await limiter.acquire('h');
    expect(typeof next).toBe('function');
  });

  it('rejects a limit below one', () => {
    expect(() => new HostLimiter(0)).toThrow(RangeError);
  });
});

import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('lets a burst through, then one request per interval', () => {
    let now = 0;
    const limiter = new RateLimiter(100, 3, () => now);
    expect([limiter.take(), limiter.take(), limiter.take(), limiter.take()]).toEqual([true, true, true, false]);
    now = 99;
    expect(limiter.take()).toBe(false);
    now = 100;
    expect(limiter.take()).toBe(true);
    expect(limiter.take()).toBe(false);
  });

  it('never saves up more than the burst', () => {
    let now = 0;
    const limiter = new RateLimiter(10, 2, () => now);
    now = 1_000_000;
    expect([limiter.take(), limiter.take(), limiter.take()]).toEqual([true, true, false]);
  });

  it('does not count refused requests against later ones', () => {
    let now = 0;
    const limiter = new RateLimiter(100, 1, () => now);
    expect(limiter.take()).toBe(true);
    for (let i = 0; i < 50; i++) expect(limiter.take()).toBe(false);
    now = 100;
    expect(limiter.take()).toBe(true);
  });
});

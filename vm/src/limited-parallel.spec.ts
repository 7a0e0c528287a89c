import { describe, expect, it } from 'vitest';
import { forEachLimited } from './limited-parallel.ts';

describe('forEachLimited', () => {
  it('never runs more than the limit at once, and runs every item once, in list order', async () => {
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const release: (() => void)[] = [];
    const all = forEachLimited([1, 2, 3, 4, 5], 2, async (item) => {
      started.push(item);
      running += 1;
      peak = Math.max(peak, running);
      await new Promise<void>((resolve) => release.push(resolve));
      running -= 1;
    });
    // Release the tasks one at a time as they queue up.
    while (started.length < 5 || release.length > 0) {
      await new Promise((resolve) => setImmediate(resolve));
      release.shift()?.();
    }
    await all;
    expect(started).toEqual([1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
  });

  it('passes a task failure on', async () => {
    await expect(forEachLimited([1], 3, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });
});

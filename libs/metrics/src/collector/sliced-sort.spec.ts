import { describe, expect, it } from 'vitest';
import { sortSliced } from './sliced-sort';

describe('sortSliced', () => {
  it.each([0, 1, 7, 8, 9, 64, 1000])('sorts %i items like Array.prototype.sort, pausing between slices', async (count) => {
    let state = count + 1;
    const items = Array.from({ length: count }, () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) % 500);
    let pauses = 0;
    const slicing = { entries: 8, pause: async () => void pauses++ };
    const compare = (a: number, b: number) => a - b;
    expect(await sortSliced(items, compare, slicing)).toEqual([...items].sort(compare));
    // One pause between the sorted slices and one per slice of merged output in each merge round.
    if (count > 8) expect(pauses).toBeGreaterThanOrEqual(Math.ceil(count / 8) - 1);
  });

  it('leaves its input alone', async () => {
    const items = [3, 1, 2];
    await sortSliced(items, (a, b) => a - b, { entries: 2, pause: async () => undefined });
    expect(items).toEqual([3, 1, 2]);
  });
});

import { describe, expect, it } from 'vitest';
import { sortIndexesSliced } from './sliced-sort';

describe('sortIndexesSliced', () => {
  it.each([0, 1, 7, 8, 9, 64, 1000])('orders %i indexes like Array.prototype.sort, pausing between slices', async (count) => {
    let state = count + 1;
    const keys = Array.from({ length: count }, () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) % 500);
    let pauses = 0;
    const slicing = { entries: 8, pause: async () => void pauses++ };
    const compare = (a: number, b: number) => (keys[a] as number) - (keys[b] as number) || a - b;
    const expected = keys.map((_, i) => i).sort(compare);
    expect([...(await sortIndexesSliced(count, compare, slicing))]).toEqual(expected);
    // A pause between the sorted slices, and one per slice of merged output in each merge round.
    if (count > 8) expect(pauses).toBeGreaterThanOrEqual(Math.ceil(count / 8) - 1);
  });
});

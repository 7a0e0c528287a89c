import { describe, expect, it } from 'vitest';
import { median, percentile, summarise } from './stats';

describe('stats', () => {
  it('takes the middle of odd and even sample counts', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('uses nearest-rank percentiles, so the p99 of 20 samples is the slowest', () => {
    const samples = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(percentile(samples, 99)).toBe(20);
    expect(percentile(samples, 50)).toBe(10);
    expect(percentile(Array.from({ length: 200 }, (_, i) => i + 1), 99)).toBe(198);
  });

  it("summarises without reordering the caller's array", () => {
    const samples = [3, 1, 2];
    expect(summarise(samples)).toEqual({ samples: 3, median: 2, p99: 3, max: 3 });
    expect(samples).toEqual([3, 1, 2]);
  });

  it('refuses to summarise nothing', () => {
    expect(() => median([])).toThrow('no samples');
  });
});

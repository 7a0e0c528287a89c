import { describe, expect, it } from 'vitest';
import { latestAt } from './latest';

describe('latestAt', () => {
  const times = [0, 5, 10, 15, 20];
  it('is the latest sample at or before each instant, never a rate', () => {
    expect(latestAt(times, [3, 7, 2, 9, 4], [5, 12, 20], 10)).toEqual([7, 2, 4]);
  });
  it('goes up and down as the gauge does, a decrease being no reset', () => {
    expect(latestAt(times, [100, 40, 60, 0, 80], times, 10)).toEqual([100, 40, 60, 0, 80]);
  });
  it('has no value before the first sample or when the latest one is older than the lookback', () => {
    expect(latestAt([10, 20], [1, 2], [5, 19, 35], 10)).toEqual([null, 1, null]);
  });
  it('ends the series where it was absent instead of repeating an older value', () => {
    expect(latestAt(times, [1, 2, Number.NaN, Number.NaN, 5], [10, 15, 20], 20)).toEqual([null, null, 5]);
  });
});

import { describe, expect, it } from 'vitest';
import { rangeSteps, ratesAt } from './rate';

describe('ratesAt', () => {
  const times = [0, 5, 10, 15, 20];
  it('is the increase per second between the first and last sample of the window', () => {
    expect(ratesAt([10, 15, 20], [100, 110, 150], [20], 20)).toEqual([5]);
  });
  it('counts a decrease as a reset from zero, as Prometheus does', () => {
    // 100 -> 120 (+20), reset, 0 -> 30 (+30): 50 over 10 s.
    expect(ratesAt([0, 5, 10], [100, 120, 30], [10], 20)).toEqual([5]);
  });
  it('has no rate from fewer than two samples', () => {
    expect(ratesAt([0], [1], [0], 10)).toEqual([null]);
    expect(ratesAt([], [], [0], 10)).toEqual([null]);
  });
  it('takes the samples inside (t - window, t] for each output time', () => {
    const values = [0, 10, 20, 40, 80];
    // t=0: only sample 0 -> null; t=10: samples 5,10 (0 is outside) -> 10/5; t=20: samples 15,20 -> 40/5.
    expect(ratesAt(times, values, [0, 10, 20], 10)).toEqual([null, 2, 8]);
  });
  it('skips samples where the series was absent', () => {
    expect(ratesAt(times, [0, Number.NaN, 20, Number.NaN, 40], [20], 20)).toEqual([2]);
  });
});

describe('rangeSteps', () => {
  it('includes both ends when the step divides the range, without accumulating float error', () => {
    expect(rangeSteps(0, 1, 0.1)).toHaveLength(11);
    expect(rangeSteps(100, 130, 15)).toEqual([100, 115, 130]);
  });
});

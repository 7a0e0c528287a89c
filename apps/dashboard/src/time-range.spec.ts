import { describe, expect, it } from 'vitest';
import { queryRange } from './time-range';

describe('queryRange', () => {
  it('aims at a few hundred points, aligned to the step, with a window of at least three samples', () => {
    expect(queryRange(1_000_003, 3600, 5)).toEqual({ start: 1_000_005 - 3600 - 15, end: 999_990, step: 15, window: 15 });
  });
  it('never steps finer than the source samples', () => {
    expect(queryRange(1000, 300, 5)).toMatchObject({ step: 5, window: 15 });
  });
});

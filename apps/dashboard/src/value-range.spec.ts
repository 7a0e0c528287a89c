import { describe, expect, it } from 'vitest';
import { valueRange } from './value-range';

describe('valueRange', () => {
  it('starts rates at zero with headroom above', () => {
    expect(valueRange(3, 10)).toEqual([0, 11]);
  });
  it('reaches below zero for a gauge that does, and up to zero when all it shows is negative', () => {
    expect(valueRange(-10, 5)).toEqual([-11, 5.5]);
    expect(valueRange(-4, -2)[1]).toBe(0);
  });
  it('still has a height with nothing but zeros or no values', () => {
    expect(valueRange(0, 0)).toEqual([0, 1]);
    expect(valueRange(null, null)).toEqual([0, 1]);
  });
});

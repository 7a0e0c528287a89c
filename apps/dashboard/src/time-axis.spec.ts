import { describe, expect, it } from 'vitest';
import { heatmapColumns, timeAxis } from './time-axis';
import { queryRange } from './time-range';

describe('timeAxis', () => {
  const range = queryRange(10_000, 900, 5); // 9100..10000, step 5

  it('spans the whole range when the source holds older samples, or does not say', () => {
    expect(timeAxis(range, 5_000)).toEqual({ start: 9_100, end: 10_000 });
    expect(timeAxis(range, undefined)).toEqual({ start: 9_100, end: 10_000 });
  });
  it('starts at the step holding the oldest sample when the history is shorter than the range', () => {
    expect(timeAxis(range, 9_941.3)).toEqual({ start: 9_940, end: 10_000 });
  });
  it('shows one step when the first sample is younger than a step', () => {
    expect(timeAxis(range, 9_998)).toEqual({ start: 9_995, end: 10_000 });
  });
});

describe('heatmapColumns', () => {
  it('gives every column exactly one step, the newest ending at the axis end, none outside the axis', () => {
    const range = queryRange(10_003, 60, 5);
    const times = Array.from({ length: 13 }, (_, i) => range.start + i * range.step);
    const axis = timeAxis(range, 9_962);
    const columns = heatmapColumns(times, range.step, axis);
    expect(columns.map((c) => c.end - c.start)).toEqual(columns.map(() => 5));
    expect(columns[0]?.start).toBe(axis.start);
    expect(columns.at(-1)?.end).toBe(axis.end);
    expect(columns.every((c) => c.start >= axis.start && c.end <= axis.end)).toBe(true);
    // The query's first instant describes the step before the range: it has no column.
    expect(heatmapColumns(times, range.step, timeAxis(range, undefined)).map((c) => c.index)).toEqual(times.slice(1).map((_, i) => i + 1));
  });
});

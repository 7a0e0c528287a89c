import { describe, expect, it } from 'vitest';
import { latestValue, legendSeries } from './series-legend';

const matrix = {
  times: [1, 2, 3],
  // Busiest first, as both sources rank them.
  series: [
    { labels: { syscall: 'read' }, values: [30, 30, 30] },
    { labels: { syscall: 'write' }, values: [20, null, 20] },
    { labels: { syscall: 'readv' }, values: [5, 5, null] },
    { labels: { syscall: 'futex' }, values: [1, null, null] },
  ],
};

describe('legendSeries', () => {
  it('keeps the top N and folds the rest of a counter into one "other" line, gaps kept where all are unknown', () => {
    const legend = legendSeries(matrix, 2, '', true);
    expect(legend.series.map((s) => s.name)).toEqual(['{syscall="read"}', '{syscall="write"}', 'other (2 series)']);
    expect(legend.series[2]?.values).toEqual([6, 5, null]);
    expect(legend).toMatchObject({ total: 4, matched: 4, folded: 2 });
  });
  it('filters by the search box before ranking, case-insensitively', () => {
    const legend = legendSeries(matrix, 1, 'READ', true);
    expect(legend.series.map((s) => s.name)).toEqual(['{syscall="read"}', 'other (1 series)']);
    expect(legend).toMatchObject({ total: 4, matched: 2, folded: 1 });
  });
  it('does not sum gauges, and adds no "other" when everything fits', () => {
    expect(legendSeries(matrix, 2, '', false).series).toHaveLength(2);
    expect(legendSeries(matrix, 10, '', true).series).toHaveLength(4);
    expect(legendSeries(matrix, 2, 'nothing', true)).toMatchObject({ series: [], matched: 0, folded: 0 });
  });
});

describe('latestValue', () => {
  it('is the newest known value, skipping trailing gaps', () => {
    expect(latestValue([1, 2, null])).toBe(2);
    expect(latestValue([null, Number.NaN])).toBeNull();
    expect(latestValue([])).toBeNull();
  });
});

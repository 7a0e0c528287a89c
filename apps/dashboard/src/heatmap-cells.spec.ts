import { describe, expect, it } from 'vitest';
import { heatmapCells, largestCell, marginalRates, occupiedRange, quantileLines } from './heatmap-cells';

const inf = Number.POSITIVE_INFINITY;
// Two instants of `sum by (le) (rate(x_bucket[w]))`: [bucket][time], cumulative.
const matrix = {
  times: [100, 110],
  upperBounds: [0.001, 0.002, 0.004, inf],
  cumulativeRates: [
    [0, 1],
    [2, 1],
    [6, 4],
    [8, 4],
  ],
};

describe('heatmapCells', () => {
  it('de-accumulates each instant and colours by the largest cell', () => {
    const cells = heatmapCells(matrix, 'log2', 'count');
    expect(cells.values).toEqual([
      [0, 1],
      [2, 0],
      [4, 3],
      [2, 0],
    ]);
    expect(cells.intensity[2]).toEqual([1, 0.75]);
  });
  it('colours heatmaps drawn side by side on a shared scale when given the largest cell of them all', () => {
    expect(largestCell(matrix)).toBe(4);
    // Beside a CPU whose largest cell is 8, this one's largest (4) is half as intense.
    expect(heatmapCells(matrix, 'log2', 'count', 8).intensity[2]).toEqual([0.5, 0.375]);
  });
  it('colours by share of the instant in percent mode', () => {
    const cells = heatmapCells(matrix, 'log2', 'percent');
    expect(cells.intensity.map((row) => row[1])).toEqual([0.25, 0, 0.75, 0]);
  });
  it('gives the +Inf bucket and a zero bound an octave of their own on a log axis', () => {
    const cells = heatmapCells({ times: [1], upperBounds: [0, 1, 2, inf], cumulativeRates: [[1], [2], [3], [4]] }, 'log2', 'count');
    expect(cells.lower).toEqual([0.25, 0.5, 1, 2]);
    expect(cells.upper).toEqual([0.5, 1, 2, 4]);
  });
  it('extends linear buckets by their width', () => {
    const cells = heatmapCells({ times: [1], upperBounds: [50, 100, inf], cumulativeRates: [[1], [2], [3]] }, 'linear', 'count');
    expect(cells.lower).toEqual([0, 50, 100]);
    expect(cells.upper).toEqual([50, 100, 150]);
  });
  it('zooms the Y axis to the occupied buckets', () => {
    expect(occupiedRange(heatmapCells(matrix, 'log2', 'count'))).toEqual([0.0005, 0.008]);
  });
  it('keeps a log axis positive before any data exists', () => {
    expect(occupiedRange(heatmapCells({ times: [1, 2], upperBounds: [], cumulativeRates: [] }, 'log2', 'count'))).toEqual([1, 2]);
  });
});

describe('quantileLines', () => {
  it('computes percentiles per instant with histogram_quantile semantics, gaps where undefined', () => {
    const [p50] = quantileLines(matrix, [0.5]);
    // t=100: rank 4 of 8 lies in (0.002, 0.004] holding 2..6: halfway. t=110: rank 2 of 4 in (0.002, 0.004] (1..4).
    expect(p50?.[0]).toBeCloseTo(0.003, 12);
    expect(p50?.[1]).toBeCloseTo(0.002 + 0.002 * (1 / 3), 12);
    expect(quantileLines({ ...matrix, cumulativeRates: matrix.cumulativeRates.map(() => [0, null]) }, [0.5])).toEqual([[null, null]]);
  });
});

describe('marginalRates', () => {
  it('averages each bucket over the known instants and scales to the busiest bucket', () => {
    const cells = heatmapCells({ ...matrix, cumulativeRates: [[0, null], [2, null], [6, null], [8, null]] }, 'log2', 'count');
    expect(marginalRates(cells)).toEqual([
      { mean: 0, share: 0 },
      { mean: 2, share: 0.5 },
      { mean: 4, share: 1 },
      { mean: 2, share: 0.5 },
    ]);
  });
});

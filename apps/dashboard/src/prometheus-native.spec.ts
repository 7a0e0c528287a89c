// The rows a heatmap gets from native samples in the HTTP API's form (a real Prometheus's answers are
// checked in e2e/dashboard-prometheus.e2e.ts; these are the shapes that Prometheus did not produce there).
import { describe, expect, it } from 'vitest';
import { nativeBounds, nativeBucketMatrix, type NativeHistogram } from './prometheus-native';

function histogram(count: number, buckets: [string, string, number][]): NativeHistogram {
  return { count: String(count), buckets: buckets.map(([lower, upper, n]) => [0, lower, upper, String(n)]) };
}

describe('nativeBounds', () => {
  it('fills the empty buckets of a schema between those seen at any step', () => {
    const early = histogram(3, [['0.25', '0.5', 3]]);
    const late = histogram(5, [['2', '4', 1], ['8', '16', 4]]);
    expect(nativeBounds([early, late])).toEqual([0.5, 1, 2, 4, 8, 16]);
  });

  it('fills a finer schema on its own factor', () => {
    const root2 = Math.SQRT2;
    expect(nativeBounds([histogram(2, [['1', String(root2), 1], [String(2 * root2), '4', 1]])])).toEqual([root2, 2, 2 * root2, 4]);
  });

  it('keeps a zero bucket of a positive threshold as its own row below the grid', () => {
    const threshold = '2.938735877055719e-39';
    expect(nativeBounds([histogram(3, [[`-${threshold}`, threshold, 1], ['1', '2', 1], ['4', '8', 1]])])).toEqual([Number(threshold), 2, 4, 8]);
  });

  it('keeps custom bounds that are no grid as seen, and no +Inf row of their own', () => {
    // Bounds 4 and 10 are both in the ratio 2 to their lower ones, but not on one grid.
    expect(nativeBounds([histogram(4, [['-Inf', '1', 1], ['2', '4', 1], ['5', '10', 1], ['10', '+Inf', 1]])])).toEqual([1, 4, 10]);
  });

  it('draws only the rows seen when filling would give too many', () => {
    const fine = 2 ** (1 / 256);
    expect(nativeBounds([histogram(2, [['1', String(fine), 1], [String(2 ** 4 / fine), String(2 ** 4), 1]])])).toEqual([fine, 16]);
  });
});

describe('nativeBucketMatrix', () => {
  it('sums the buckets at or below each row, the count as +Inf, null at steps without a sample', () => {
    const sample = histogram(7, [['-0', '0', 1], ['0.5', '1', 2], ['2', '4', 3], ['4', '+Inf', 1]]);
    const matrix = nativeBucketMatrix([[20, sample]], [10, 20], [0, 1, 2, 4]);
    expect(matrix.upperBounds).toEqual([0, 1, 2, 4, Infinity]);
    expect(matrix.cumulativeRates).toEqual([
      [null, 1],
      [null, 3],
      [null, 3],
      [null, 6],
      [null, 7],
    ]);
  });
});
